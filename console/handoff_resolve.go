package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
)

// maxOutcome is the longest outcome note the form takes, in bytes.
const maxOutcome = 2000

// handoffResolve closes a handoff with an outcome, then either resumes
// the bot's flow ("next=resume") or ends the conversation politely.
func (c *Console) handoffResolve(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	outcome := strings.TrimSpace(r.PostFormValue("outcome"))
	resume := r.PostFormValue("next") == "resume"
	h, err := c.handoff(r)
	var errs formErrors
	switch {
	case err != nil:
	case outcome == "":
		errs.add("outcome", "say briefly what the outcome was")
	case len(outcome) > maxOutcome:
		errs.add("outcome", fmt.Sprintf("the outcome is longer than %d characters: make it shorter", maxOutcome))
	default:
		err = c.cfg.Engine.Resolve(r.Context(), h.ID, u.ID, outcome, resume)
	}
	if errs != nil {
		// Back to the person's page, the outcome kept, the problem at it.
		c.renderConversation(w, r, h.ContactID, http.StatusBadRequest, map[string]any{"Errors": errs, "Outcome": outcome})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	detail := h.ID + " end"
	if resume {
		detail = h.ID + " resume"
	}
	c.audit(r.Context(), u, bot.AuditResolve, h.ContactID, detail)
	http.Redirect(w, r, "/console/contacts/"+h.ContactID, http.StatusSeeOther)
}

package console

import (
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
	switch {
	case err != nil:
	case outcome == "":
		err = bot.Errorf(bot.EInvalid, "say briefly what the outcome was")
	case len(outcome) > maxOutcome:
		err = bot.Errorf(bot.EInvalid, "the outcome is longer than %d characters", maxOutcome)
	default:
		err = c.cfg.Engine.Resolve(r.Context(), h.ID, u.ID, outcome, resume)
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

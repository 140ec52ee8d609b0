package console

import (
	"net/http"

	"github.com/linkline/linkline/bot"
)

// handoffClaim gives an open handoff to the signed-in link worker and
// opens the person's conversation.
func (c *Console) handoffClaim(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	h, err := c.handoff(r)
	if err == nil {
		err = c.cfg.Engine.Claim(r.Context(), h.ID, u.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditClaim, h.ContactID, h.ID)
	http.Redirect(w, r, "/console/contacts/"+h.ContactID, http.StatusSeeOther)
}

// handoff reads the handoff the request's {id} names.
func (c *Console) handoff(r *http.Request) (*bot.Handoff, error) {
	var h *bot.Handoff
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		h, err = tx.Handoff(r.PathValue("id"))
		return err
	})
	return h, err
}

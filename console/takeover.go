package console

import (
	"net/http"

	"github.com/linkline/linkline/bot"
)

// takeOver hands the person to the signed-in link worker at once: the bot
// stops answering until the handoff is resolved.
func (c *Console) takeOver(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	h, err := c.cfg.Engine.TakeOver(r.Context(), id, u.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditTakeOver, id, h.ID)
	http.Redirect(w, r, "/console/contacts/"+id, http.StatusSeeOther)
}

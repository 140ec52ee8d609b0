package console

import (
	"net/http"

	"github.com/linkline/linkline/bot"
)

// reachableRetry clears a channel's unreachable mark on the person (the
// link worker believes they can be reached again, e.g. they said so by
// phone): the next message on that channel is tried.
func (c *Console) reachableRetry(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	ch := bot.Channel(r.PostFormValue("channel"))
	var addr bot.Address
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		ct, err := tx.Contact(id)
		if err != nil {
			return err
		}
		for _, a := range ct.Addresses {
			if a.Channel == ch {
				addr = a
				return nil
			}
		}
		return bot.Errorf(bot.EInvalid, "this person has no %q address", ch)
	})
	if err == nil {
		err = c.cfg.Engine.SetReachable(r.Context(), addr, true, "retry by "+u.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditReachable, id, string(ch))
	http.Redirect(w, r, "/console/contacts/"+id, http.StatusSeeOther)
}

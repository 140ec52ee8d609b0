package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
)

// takeOver hands the person to the signed-in link worker at once: the bot
// stops answering until the handoff is resolved. Taking a conversation a
// colleague holds needs a reason, which the audit log keeps with whom it
// was taken from.
func (c *Console) takeOver(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var from string // the colleague who held it, if anyone did
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		h, err := tx.ActiveHandoff(id)
		switch {
		case errors.Is(err, bot.ErrNotFound):
			_, err = tx.Contact(id)
			return err
		case err != nil:
			return err
		}
		if h.Status == bot.HandoffClaimed && h.ClaimedBy != u.ID {
			from = h.ClaimedBy
		}
		return nil
	})
	switch {
	case err != nil:
	case from != "" && reason == "":
		err = bot.Errorf(bot.EInvalid, "say why you are taking this conversation over from a colleague")
	case len(reason) > maxNote:
		err = bot.Errorf(bot.EInvalid, "the reason is longer than %d characters", maxNote)
	}
	var h *bot.Handoff
	if err == nil {
		h, err = c.cfg.Engine.TakeOver(r.Context(), id, u.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	detail := h.ID
	if from != "" {
		detail = fmt.Sprintf("%s from %s; reason %q", h.ID, from, reason)
	}
	c.audit(r.Context(), u, bot.AuditTakeOver, id, detail)
	http.Redirect(w, r, "/console/contacts/"+id, http.StatusSeeOther)
}

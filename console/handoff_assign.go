package console

import (
	"errors"
	"net/http"

	"github.com/linkline/linkline/bot"
)

// AuditAssign records that a link worker gave an open handoff to a
// colleague; Detail names the colleague's user id.
const AuditAssign bot.AuditAction = "assign"

// colleague is a user an open handoff can be given to.
type colleague struct{ ID, Name string }

// colleagues lists the users who are not disabled, for the inbox's
// Assign menus.
func colleagues(tx bot.Tx) ([]colleague, error) {
	var out []colleague
	err := tx.Users(func(u *bot.User) bool {
		if !u.Disabled {
			n := u.Name
			if n == "" {
				n = u.Email
			}
			out = append(out, colleague{u.ID, n})
		}
		return true
	})
	return out, err
}

// handoffAssign gives an open handoff to a named colleague (form field
// "to"): it is claimed for them and shows in their Mine view at once.
// Audited with both names.
func (c *Console) handoffAssign(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	h, err := c.handoff(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	to := r.PostFormValue("to")
	err = c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		target, err := tx.User(to)
		if errors.Is(err, bot.ErrNotFound) || (err == nil && target.Disabled) {
			return bot.Errorf(bot.EInvalid, "choose a colleague to give this conversation to")
		}
		return err
	})
	if err == nil {
		err = c.cfg.Engine.Claim(r.Context(), h.ID, to)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, AuditAssign, h.ContactID, to)
	http.Redirect(w, r, backLink(r), http.StatusSeeOther)
}

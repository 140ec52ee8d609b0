package console

import (
	"net/http"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// logout ends the session in the store, so the cookie is worthless even
// if it was copied, and clears the cookie.
func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if ck, err := r.Cookie(cookieName); err == nil {
		err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
			if err := tx.DeleteSession(auth.HashToken(ck.Value)); err != nil {
				return err
			}
			return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: bot.AuditLogout})
		})
		if err != nil {
			c.fail(w, r, err)
			return
		}
	}
	c.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

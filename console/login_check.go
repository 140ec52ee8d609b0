package console

import (
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/linkline/linkline/bot"
)

// loginFailed is all a failed sign-in says, whatever the reason.
const loginFailed = "That email and password do not match an account."

// loginCheck signs a user in. Attempts are limited per account and per IP
// address; every failure says the same thing.
func (c *Console) loginCheck(w http.ResponseWriter, r *http.Request) {
	email, password := bot.NormalizeEmail(r.PostFormValue("email")), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, msg string) {
		c.render(w, r, "login", status, map[string]any{"Error": msg, "Email": email, "Next": next})
	}
	if !c.limits.allow("ip:"+clientIP(r), ipBurst, ipEvery) || !c.limits.allow("account:"+email, accountBurst, accountEvery) {
		c.cfg.Log.Warn("console sign-in rate limited", "ip", clientIP(r))
		w.Header().Set("Retry-After", "60")
		again(http.StatusTooManyRequests, "Too many attempts. Please wait a minute and try again.")
		return
	}
	var u *bot.User
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		u, err = tx.UserByEmail(email)
		return err
	})
	switch {
	case errors.Is(err, bot.ErrNotFound):
		bot.WastePasswordCheck(password)
		again(http.StatusUnauthorized, loginFailed)
		return
	case err != nil:
		c.fail(w, r, err)
		return
	case !u.CheckPassword(password) || u.Disabled:
		c.audit(r.Context(), u, bot.AuditLoginFailed, "", "")
		again(http.StatusUnauthorized, loginFailed)
		return
	}
	secret, hash := bot.NewSessionToken()
	now := c.cfg.Clock.Now()
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		// Expired sessions are swept at each sign-in.
		if err := dropSessions(tx, func(s *bot.Session) bool { return !now.Before(s.Expires) }); err != nil {
			return err
		}
		if err := tx.PutSession(&bot.Session{Token: hash, UserID: u.ID, CreatedAt: now, Expires: now.Add(c.cfg.SessionTTL)}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditLogin})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.setSessionCookie(w, r, secret, int(c.cfg.SessionTTL/time.Second))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clientIP is the address the request came from. A proxy in front of the
// console makes every request look like the proxy's: the per-account limit
// still holds then.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

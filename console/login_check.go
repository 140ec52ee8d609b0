package console

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
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
	ip := clientIP(r, c.cfg.TrustedProxies)
	allowed, err := c.allowSignIn(r.Context(), ip, email)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !allowed {
		c.cfg.Log.Warn("console sign-in rate limited", "ip", ip)
		w.Header().Set("Retry-After", "60")
		again(http.StatusTooManyRequests, "Too many attempts. Please wait a minute and try again.")
		return
	}
	var u *bot.User
	err = c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
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

// clientIP is the address the request came from. When the peer is one of
// the trusted proxies, it is the right-most X-Forwarded-For address that is
// not itself trusted: proxies append the address they heard from, so the
// entries to its left may have been made up by the client. If every entry
// is trusted, it is the left-most; an entry that is not an address stops
// the walk at the last address trusted so far. Without trusted proxies, or
// from any other peer, it is the peer's address.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = hop
		if !isTrusted(hop, trusted) {
			break
		}
	}
	return addr.String()
}

// parseHop reads one X-Forwarded-For entry, which some proxies write with
// a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

package console

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// loginFailed is all a failed sign-in says, whatever the reason.
const loginFailed = "That email and password do not match an account."

// loginCheck signs a user in. Attempts are limited per account and per IP
// address; every failure says the same thing.
func (c *Console) loginCheck(w http.ResponseWriter, r *http.Request) {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	if len(email) > 4*maxEmail {
		email = "" // over-long however it is spaced (see below); not worth normalising
	}
	email = bot.NormalizeEmail(email)
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, msg string) {
		var errs formErrors
		errs.add("email", msg)
		c.render(w, r, "login", status, map[string]any{"Title": "Sign in", "Errors": errs, "Email": email, "Next": next})
	}
	ip := clientIP(r, c.cfg.TrustedProxies)
	c.noteForwarded(r)
	if len(email) > maxEmail {
		// Refused before anything about it is kept or looked up.
		email = ""
	}
	keys := signinKeys(ip, email)
	wait, err := c.limits.wait(r.Context(), keys)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		c.refusals.Note("console", "signin_slowed")
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		again(http.StatusTooManyRequests, fmt.Sprintf("Too many wrong tries. Please wait %s and try again.", waitWords(secs)))
		return
	}
	failed := func(u *bot.User) {
		c.signinFailed(r.Context(), keys)
		if u != nil {
			c.audit(r.Context(), u, bot.AuditLoginFailed, "", "")
		}
		again(http.StatusUnauthorized, loginFailed)
	}
	if email == "" {
		// Empty or over-long: no account's, and the sender knows it, so
		// no password check is spent to hide it (a flood of huge emails
		// costs hashing nothing).
		failed(nil)
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
		auth.WastePasswordCheck(password)
		failed(nil)
		return
	case err != nil:
		c.fail(w, r, err)
		return
	case !auth.CheckPassword(u, password) || u.Disabled:
		failed(u)
		return
	}
	if c.cfg.MFA == MFAOff {
		c.signinPassed(r.Context(), keys)
		if c.startSession(w, r, u, "", nil) {
			http.Redirect(w, r, next, http.StatusSeeOther)
		}
		return
	}
	// The password is right: a short partial session reaches only the
	// second-factor pages. The slowing counts are kept until the second
	// factor is passed too.
	secret, hash := auth.NewSessionToken()
	now := c.cfg.Clock.Now()
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		return tx.PutSession(&bot.Session{Token: hash, UserID: u.ID, CreatedAt: now, Expires: now.Add(partialTTL), Partial: true})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.setSessionCookie(w, r, secret, int(partialTTL/time.Second))
	to := "/console/mfa"
	if u.TOTPSecret == "" {
		to = "/console/mfa/setup"
	}
	http.Redirect(w, r, to+"?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// signinFailed counts a failed sign-in step against keys. A store error
// is logged: the person is told their try failed either way.
func (c *Console) signinFailed(ctx context.Context, keys []limitKey) {
	if err := c.limits.fail(ctx, keys); err != nil {
		c.cfg.Log.Error("console: count a failed sign-in", "err", err)
	}
}

// signinPassed forgets keys' failures once a sign-in is complete.
func (c *Console) signinPassed(ctx context.Context, keys []limitKey) {
	if err := c.limits.succeed(ctx, keys); err != nil {
		c.cfg.Log.Error("console: forget failed sign-ins", "err", err)
	}
}

// startSession signs u in: a new full session (replacing the partial one
// stored under old, if any) in the cookie, audited as a sign-in, with what
// also writes in the same transaction. It reports whether it did; if not,
// it has answered the request.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, u *bot.User, old string, also func(tx bot.Tx) error) bool {
	secret, hash := auth.NewSessionToken()
	now := c.cfg.Clock.Now()
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		// Expired sessions are swept at each sign-in.
		if err := dropSessions(tx, func(s *bot.Session) bool { return !now.Before(s.Expires) }); err != nil {
			return err
		}
		if old != "" {
			if err := tx.DeleteSession(old); err != nil {
				return err
			}
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if err := tx.PutSession(&bot.Session{Token: hash, UserID: u.ID, CreatedAt: now, Expires: now.Add(c.cfg.SessionTTL)}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditLogin})
	})
	if err != nil {
		c.fail(w, r, err)
		return false
	}
	c.setSessionCookie(w, r, secret, int(c.cfg.SessionTTL/time.Second))
	return true
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

// fromTrustedProxy reports whether r's peer is a trusted proxy.
func fromTrustedProxy(r *http.Request, trusted []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && isTrusted(addr, trusted)
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

// waitWords says a wait of secs seconds in words.
func waitWords(secs int) string {
	switch {
	case secs <= 1:
		return "a second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	case secs < 120:
		return "a minute"
	default:
		return fmt.Sprintf("%d minutes", (secs+59)/60)
	}
}

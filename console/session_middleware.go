package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// cookieName holds the session secret; the store keeps only its hash.
const cookieName = "linkline_session"

type userKey struct{}

// scriptOnly are the GET endpoints only the page script calls: without a
// session they answer 401 rather than a login page it cannot show.
var scriptOnly = map[string]bool{"/console/inbox": true, "/console/events": true}

// userFrom returns the signed-in user requireSession put in the context.
func userFrom(ctx context.Context) *bot.User {
	u, _ := ctx.Value(userKey{}).(*bot.User)
	return u
}

// requireSession serves next only for a live session of a user who is not
// disabled. Otherwise a page request is sent to the login page and any
// other request gets 401.
func (c *Console) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := c.sessionUser(r)
		if err != nil && !errors.Is(err, bot.ErrNotFound) {
			c.fail(w, r, err)
			return
		}
		if u == nil {
			if r.Method == http.MethodGet && !scriptOnly[r.URL.Path] {
				http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// sessionUser returns the user of r's session, or nil when there is no
// live one.
func (c *Console) sessionUser(r *http.Request) (*bot.User, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	var u *bot.User
	err = c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		s, err := tx.Session(auth.HashToken(ck.Value))
		if err != nil {
			return err
		}
		if s.Partial || !c.cfg.Clock.Now().Before(s.Expires) {
			return nil
		}
		usr, err := tx.User(s.UserID)
		if err != nil {
			return err
		}
		if !usr.Disabled {
			u = usr
		}
		return nil
	})
	return u, err
}

// sessionToken is the stored form of r's session cookie, "" if none.
func sessionToken(r *http.Request) string {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return ""
	}
	return auth.HashToken(ck.Value)
}

// sessionLive reports whether the session stored under token is still
// live: not ended, not expired, its user not disabled.
func (c *Console) sessionLive(tx bot.Tx, token string) bool {
	if token == "" {
		return false
	}
	s, err := tx.Session(token)
	if err != nil || s.Partial || !c.cfg.Clock.Now().Before(s.Expires) {
		return false
	}
	u, err := tx.User(s.UserID)
	return err == nil && !u.Disabled
}

// setSessionCookie gives the browser the session secret: HttpOnly so no
// script reads it, SameSite=Lax so other sites' forms do not carry it,
// Secure unless the public URL is an explicit http:// one and the request
// did not arrive over https.
func (c *Console) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: secret, Path: "/console/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.secure || c.overHTTPS(r),
	})
}

// dropSessions removes the sessions drop picks.
func dropSessions(tx bot.Tx, drop func(*bot.Session) bool) error {
	_, err := tx.DeleteSessions(drop)
	return err
}

// overHTTPS reports whether r arrived over https: directly, or through a
// trusted proxy that says so in X-Forwarded-Proto.
func (c *Console) overHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !fromTrustedProxy(r, c.cfg.TrustedProxies) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

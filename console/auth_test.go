package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
	"github.com/linkline/linkline/console"
)

// TestEveryRouteNeedsSession enumerates the router: every route that is
// not the login form or a static asset refuses a request without a
// session — pages by sending the browser to sign in, the rest with 401.
func TestEveryRouteNeedsSession(t *testing.T) {
	w := newWorld(t)
	anon := w.client()
	public := map[string]bool{"GET /console/login": true, "POST /console/login": true, "GET /console/static/{file}": true}
	for _, rt := range console.Routes() {
		key := rt.Method + " " + rt.Path
		if rt.Public != public[key] {
			t.Errorf("%s: public = %v; only the login form and static files may be public", key, rt.Public)
		}
		if rt.Public {
			continue
		}
		path := strings.NewReplacer("{id}", "c1", "{$}", "").Replace(rt.Path)
		res := anon.do(rt.Method, path, url.Values{})
		switch {
		case rt.Method == "GET" && path != "/console/inbox" && path != "/console/events":
			if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/login?next=") {
				t.Errorf("%s without a session: %d %q, want a redirect to the login page", key, res.status, res.location)
			}
		default:
			if res.status != http.StatusUnauthorized {
				t.Errorf("%s without a session: %d, want 401", key, res.status)
			}
		}
	}
	// Paths the table does not name are behind the session too.
	if res := anon.get("/console/nothing-here"); res.status != http.StatusSeeOther {
		t.Errorf("unknown console path without a session: %d, want a redirect to sign in", res.status)
	}
	// A forged cookie is no session.
	anon.http.Jar.SetCookies(mustURL(t, w.srv.URL+"/console/"), []*http.Cookie{{Name: "linkline_session", Value: "forged"}})
	if res := anon.get("/console/"); res.status != http.StatusSeeOther {
		t.Errorf("inbox with a forged cookie: %d, want a redirect to sign in", res.status)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLogin(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", true)
	off := w.addUser("old@example.org", "Old", false)
	off.Disabled = true
	w.update(func(tx bot.Tx) error { return tx.PutUser(off) })

	tests := []struct {
		name, email, password, next string
		status                      int
		location                    string
	}{
		{"right password", "ann@example.org", testPassword, "", http.StatusSeeOther, "/console/"},
		{"email in another case", " ANN@example.org", testPassword, "/console/contacts/c1", http.StatusSeeOther, "/console/contacts/c1"},
		{"next elsewhere is ignored", "ann@example.org", testPassword, "//evil.example/", http.StatusSeeOther, "/console/"},
		{"wrong password", "ann@example.org", "not the password", "", http.StatusUnauthorized, ""},
		{"unknown email", "nobody@example.org", testPassword, "", http.StatusUnauthorized, ""},
		{"disabled user", "old@example.org", testPassword, "", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.client()
			res := c.post("/console/login", url.Values{"email": {tt.email}, "password": {tt.password}, "next": {tt.next}})
			if res.status != tt.status || res.location != tt.location {
				t.Fatalf("login: %d %q, want %d %q", res.status, res.location, tt.status, tt.location)
			}
			if tt.status != http.StatusSeeOther {
				if !strings.Contains(res.body, "That email and password do not match an account.") {
					t.Errorf("failed login does not show the one generic message:\n%s", res.body)
				}
				if res.header.Get("Set-Cookie") != "" {
					t.Errorf("failed login set a cookie: %s", res.header.Get("Set-Cookie"))
				}
				return
			}
			ck := parseCookie(t, res.header.Get("Set-Cookie"))
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/console/" || ck.MaxAge <= 0 {
				t.Errorf("session cookie = %+v; want HttpOnly, SameSite=Lax, not Secure over http, Path /console/", ck)
			}
			// The store keeps the hash of the secret, not the secret.
			w.view(func(tx bot.Tx) error {
				if _, err := tx.Session(ck.Value); err == nil {
					t.Error("the raw cookie secret is stored as a session token")
				}
				s, err := tx.Session(auth.HashToken(ck.Value))
				if err != nil || !s.Expires.After(w.clock.Now()) {
					t.Errorf("session for the cookie = %+v, %v", s, err)
				}
				return nil
			})
			if res := c.get("/console/"); res.status != http.StatusOK || !strings.Contains(res.body, "Ann") {
				t.Errorf("inbox after login: %d", res.status)
			}
		})
	}
	var logins, failed int
	for _, a := range w.audit() {
		switch a.Action {
		case bot.AuditLogin:
			logins++
		case bot.AuditLoginFailed:
			failed++
		}
	}
	if logins != 3 || failed != 2 {
		t.Errorf("audit: %d logins and %d failures, want 3 and 2 (wrong password, disabled)", logins, failed)
	}
}

func parseCookie(t *testing.T, header string) *http.Cookie {
	t.Helper()
	ck, err := http.ParseSetCookie(header)
	if err != nil {
		t.Fatalf("Set-Cookie %q: %v", header, err)
	}
	return ck
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	con := console.New(console.Config{Engine: w.engine, Store: w.store, Clock: w.clock, PublicURL: "https://linkline.example.org"})
	req := httptest.NewRequest("POST", "/console/login", strings.NewReader(url.Values{"email": {"ann@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	con.ServeHTTP(rec, req)
	if ck := parseCookie(t, rec.Header().Get("Set-Cookie")); !ck.Secure || !ck.HttpOnly {
		t.Errorf("cookie behind https = %+v, want Secure and HttpOnly", ck)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	cookies := c.http.Jar.Cookies(mustURL(t, w.srv.URL+"/console/"))
	if res := c.post("/console/logout", url.Values{}); res.status != http.StatusSeeOther || res.location != "/console/login" {
		t.Fatalf("logout: %d %q", res.status, res.location)
	}
	// Replaying the old cookie does not work: the session is gone from the store.
	replay := w.client()
	replay.http.Jar.SetCookies(mustURL(t, w.srv.URL+"/console/"), cookies)
	if res := replay.get("/console/"); res.status != http.StatusSeeOther {
		t.Errorf("inbox with the cookie of a closed session: %d, want a redirect to sign in", res.status)
	}
}

func TestSessionExpires(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	w.clock.Advance(11 * time.Hour)
	if res := c.get("/console/"); res.status != http.StatusOK {
		t.Fatalf("inbox after 11 hours: %d, want 200", res.status)
	}
	w.clock.Advance(time.Hour)
	if res := c.get("/console/"); res.status != http.StatusSeeOther {
		t.Errorf("inbox after 12 hours: %d, want a redirect to sign in", res.status)
	}
	// The next sign-in sweeps the expired session away.
	old := c.http.Jar.Cookies(mustURL(t, w.srv.URL+"/console/"))
	if len(old) != 1 {
		t.Fatalf("cookies before signing in again: %v", old)
	}
	c.login("ann@example.org")
	w.view(func(tx bot.Tx) error {
		for _, ck := range old {
			if _, err := tx.Session(auth.HashToken(ck.Value)); err == nil {
				t.Error("an expired session is still stored after the next sign-in")
			}
		}
		return nil
	})
}

// TestCrossOriginRefused: a form on another site cannot make a signed-in
// link worker's browser claim, reply or resolve.
func TestCrossOriginRefused(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sim:pat", "i want to kill myself")
	c := w.client()
	c.login("ann@example.org")
	tests := []struct {
		name   string
		header []string
	}{
		{"Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
		{"Origin of another site", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
	}
	for _, tt := range tests {
		res := c.do("POST", "/console/contacts/"+ct.ID+"/reply", url.Values{"text": {"hello"}}, tt.header...)
		if res.status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", tt.name, res.status)
		}
	}
	if got := w.drain("sim:pat"); len(got) != 1 { // the crisis reply only
		t.Errorf("person received %q; a cross-origin reply got through", got)
	}
	if res := c.post("/console/contacts/"+ct.ID+"/reply", url.Values{"text": {"hello"}}); res.status != http.StatusSeeOther {
		t.Errorf("same-origin reply: %d, want 303", res.status)
	}
}

// TestErrorPageBackLink: the error page links back only to console pages.
func TestErrorPageBackLink(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	host := strings.TrimPrefix(w.srv.URL, "http://")
	tests := []struct{ referer, want string }{
		{"https://evil.example/console/x", `href="/console/"`},
		{"http://" + host + "/console/referrals?status=new", `href="/console/referrals?status=new"`},
		{"http://" + host + "/elsewhere", `href="/console/"`},
		{"", `href="/console/"`},
	}
	for _, tt := range tests {
		res := c.do("GET", "/console/contacts/nope", nil, "Referer", tt.referer)
		if res.status != http.StatusNotFound || !strings.Contains(res.body, tt.want+">Go back") {
			t.Errorf("referer %q: %d, want a back link %s", tt.referer, res.status, tt.want)
		}
	}
}

package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/console"
)

// withMFA turns the second sign-in step on, as serve does by default.
func withMFA(_ *world, _ *engine.Config, con *console.Config) { con.MFA = console.MFARequired }

var (
	secretRE   = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)
	recoveryRE = regexp.MustCompile(`<code>([a-z2-7]{5}-[a-z2-7]{5})</code>`)
)

// enrol signs in with the password and sets up the second step, and
// returns the secret and the recovery codes.
func (c *client) enrol(email string) (secret string, codes []string) {
	c.t.Helper()
	res := c.post("/console/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/mfa/setup") {
		c.t.Fatalf("password of a user without a second step: %d %q, want the set-up page", res.status, res.location)
	}
	page := c.get(res.location)
	m := secretRE.FindStringSubmatch(page.body)
	if m == nil || !strings.Contains(page.body, "<svg class=\"qr\"") {
		c.t.Fatalf("set-up page has no secret or no QR code:\n%s", page.body)
	}
	secret = strings.ReplaceAll(m[1], " ", "")
	res = c.post("/console/mfa/setup", url.Values{"code": {auth.TOTPCode(secret, c.w.clock.Now())}, "next": {"/console/"}})
	if res.status != http.StatusOK {
		c.t.Fatalf("set-up with the right code: %d\n%s", res.status, res.body)
	}
	for _, m := range recoveryRE.FindAllStringSubmatch(res.body, -1) {
		codes = append(codes, m[1])
	}
	return secret, codes
}

// signIn signs in with the password and then code, and returns the
// answer to the code.
func (c *client) signIn(email, code string) response {
	c.t.Helper()
	res := c.post("/console/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/mfa?") {
		c.t.Fatalf("password: %d %q, want the code page", res.status, res.location)
	}
	return c.post("/console/mfa", url.Values{"code": {code}, "next": {"/console/"}})
}

func TestSecondStep(t *testing.T) {
	w := newWorld(t, withMFA)
	w.addUser("boss@example.org", "Boss", true)
	ann := w.addUser("ann@example.org", "Ann", false)
	c := w.client()

	// The password alone reaches only the second-step pages.
	res := c.post("/console/login", url.Values{"email": {"ann@example.org"}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/mfa/setup") {
		t.Fatalf("first sign-in: %d %q, want the set-up page", res.status, res.location)
	}
	if res := c.get("/console/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/login") {
		t.Fatalf("inbox after the password only: %d %q, want sign in", res.status, res.location)
	}
	c.get(res.location)
	if res := c.post("/console/mfa/setup", url.Values{"code": {"000000"}}); res.status != http.StatusUnauthorized {
		t.Errorf("set-up with a wrong code: %d, want 401", res.status)
	}

	secret, codes := c.enrol("ann@example.org")
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	if res := c.get("/console/"); res.status != http.StatusOK {
		t.Fatalf("inbox after enrolment: %d", res.status)
	}
	w.view(func(tx bot.Tx) error {
		u, err := tx.User(ann.ID)
		if err != nil || u.TOTPSecret != secret || len(u.RecoveryCodes) != 10 || strings.Contains(strings.Join(u.RecoveryCodes, ","), codes[0]) {
			t.Errorf("stored user = %+v, %v: want the secret and 10 hashed codes", u, err)
		}
		return nil
	})

	// The code used to enrol cannot sign in again in its window.
	c.post("/console/logout", url.Values{})
	used := auth.TOTPCode(secret, w.clock.Now())
	if res := c.signIn("ann@example.org", used); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "used already") {
		t.Errorf("the enrolment code again: %d, want 401 saying it was used", res.status)
	}
	w.clock.Advance(30 * time.Second)
	if res := c.post("/console/mfa", url.Values{"code": {auth.TOTPCode(secret, w.clock.Now())}}); res.status != http.StatusSeeOther || res.location != "/console/" {
		t.Fatalf("the next code: %d %q, want signed in", res.status, res.location)
	}
	if res := c.get("/console/"); res.status != http.StatusOK {
		t.Fatalf("inbox after the code: %d", res.status)
	}

	// A recovery code works once.
	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		c.post("/console/logout", url.Values{})
		if res := c.signIn("ann@example.org", codes[4]); res.status != want {
			t.Errorf("recovery code, use %d: %d, want %d", i+1, res.status, want)
		}
	}

	// An admin resets Ann's second step (audited): she enrols again.
	admin := w.client()
	admin.enrol("boss@example.org")
	if res := admin.post("/console/admin/users/"+ann.ID, url.Values{"action": {"mfa-reset"}}); res.status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	var audited bool
	for _, a := range w.audit() {
		audited = audited || (a.Action == "user.mfa-reset" && a.Detail == ann.ID)
	}
	if !audited {
		t.Error("the reset is not in the audit log")
	}
	w.clock.Advance(30 * time.Second)
	other := w.client()
	if _, codes := other.enrol("ann@example.org"); len(codes) != 10 {
		t.Errorf("enrolling again after a reset: %d codes", len(codes))
	}
	// The old recovery codes are gone with the reset.
	other.post("/console/logout", url.Values{})
	if res := other.signIn("ann@example.org", codes[5]); res.status != http.StatusUnauthorized {
		t.Errorf("an old recovery code after the reset: %d, want 401", res.status)
	}
}

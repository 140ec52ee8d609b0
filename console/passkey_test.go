package console_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// virtualAuthenticator gives the browser tab a passkey authenticator
// through the DevTools protocol (WebAuthn.enable,
// WebAuthn.addVirtualAuthenticator): a platform authenticator that says
// yes to presence and verification at once, as a fingerprint would.
func virtualAuthenticator(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
	if _, err := cdp.Call(ctx, tg, cdpwebauthn.Enable, cdpwebauthn.EnableParams{}); err != nil {
		return chromedp.Void{}, err
	}
	_, err := cdp.Call(ctx, tg, cdpwebauthn.AddVirtualAuthenticator, cdpwebauthn.AddVirtualAuthenticatorParams{
		Options: &cdpwebauthn.VirtualAuthenticatorOptions{
			Protocol: cdpwebauthn.AuthenticatorProtocolCtap2, Transport: cdpwebauthn.AuthenticatorTransportInternal,
			HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
		}})
	return chromedp.Void{}, err
}

// storedPasskeys is what the store keeps of a user's passkeys.
type storedPasskey struct {
	Name string `json:"name"`
	Cred struct {
		Authenticator struct {
			SignCount uint32 `json:"signCount"`
		} `json:"authenticator"`
	} `json:"cred"`
}

func (w *world) passkeys(userID string) (raw string, keys []storedPasskey) {
	w.t.Helper()
	w.view(func(tx bot.Tx) error {
		v, err := tx.Setting("console.passkeys." + userID)
		if bot.ErrorCode(err) == bot.ENotFound {
			return nil
		}
		raw = v
		return err
	})
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &keys); err != nil {
			w.t.Fatal(err)
		}
	}
	return raw, keys
}

// audited lists the audit actions, oldest first.
func (w *world) audited() []string {
	var out []string
	for _, e := range w.audit() {
		out = append(out, string(e.Action)+" "+e.Detail)
	}
	return out
}

// TestPasskeys: a link worker who has set up the app adds a passkey on
// their settings page (with Chromium's virtual authenticator), signs in
// with it instead of a code, is refused when the passkey's sign count
// does not go up (a copied passkey), and an admin's reset of their
// second step removes their passkeys, audited.
func TestPasskeys(t *testing.T) {
	w := newWorld(t, withMFA)
	boss := w.addUser("boss@example.org", "Boss", true)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	secret, bossSecret := auth.NewTOTPSecret(), auth.NewTOTPSecret()
	ann.TOTPSecret, boss.TOTPSecret = secret, bossSecret
	w.update(func(tx bot.Tx) error {
		if err := tx.PutUser(boss); err != nil {
			return err
		}
		return tx.PutUser(ann)
	})
	// Passkeys are made for a name, not an address: the browser goes to
	// the test server as localhost.
	base := strings.Replace(w.srv.URL, "127.0.0.1", "localhost", 1)
	ctx := browser(t)
	run(t, ctx, "virtual authenticator", virtualAuthenticator)
	password := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "password",
			chromedp.Navigate(base+"/console/login"),
			chromedp.WaitVisible(css(`input[name=email]`)),
			chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
			chromedp.SendKeys(css(`input[name=password]`), testPassword),
			chromedp.Submit(css(`input[name=password]`)),
			chromedp.WaitVisible(css(`#code`)),
		)
		loaded(t, ctx)
	}
	signOut := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "sign out", chromedp.Click(css(`form[action="/console/logout"] button`)), chromedp.WaitVisible(css(`input[name=email]`)))
	}

	t.Run("add a passkey", func(t *testing.T) {
		password(t)
		if get(t, ctx, "passkey offered", chromedp.Evaluate[bool](`!!document.getElementById('passkey-use')`)) {
			t.Error("the second step offers a passkey to someone who has none")
		}
		run(t, ctx, "code", chromedp.SendKeys(css(`#code`), auth.TOTPCode(secret, w.clock.Now())), chromedp.Submit(css(`#code`)),
			chromedp.WaitVisible(css(`#inbox`)))
		run(t, ctx, "settings", chromedp.Click(css(`a.who`)), chromedp.WaitVisible(css(`#passkey-add`)))
		run(t, ctx, "add", chromedp.SendKeys(css(`#passkey-name`), "Work laptop"), chromedp.Click(css(`#passkey-add button`)),
			chromedp.WaitVisible(css(`ul#passkeys li`)))
		if li := get(t, ctx, "passkeys", chromedp.Text(css(`ul#passkeys`))); !strings.Contains(li, "Work laptop") {
			t.Errorf("the settings page lists %q, want the new passkey", li)
		}
		if _, keys := w.passkeys(ann.ID); len(keys) != 1 || keys[0].Name != "Work laptop" {
			t.Fatalf("the store keeps %+v, want one passkey named Work laptop", keys)
		}
		if a := w.audited(); !containsString(a, "mfa.passkey_added Work laptop") {
			t.Errorf("audit %q, want the passkey added", a)
		}
		checkA11y(t, ctx, "settings with a passkey")
		signOut(t)
	})

	t.Run("sign in with it", func(t *testing.T) {
		password(t)
		checkA11y(t, ctx, "second step with a passkey")
		run(t, ctx, "use the passkey", chromedp.Click(css(`#passkey-use`)), chromedp.WaitVisible(css(`#inbox`)))
		if a := w.audited(); !containsString(a, "mfa.passkey_used Work laptop") {
			t.Errorf("audit %q, want the passkey used", a)
		}
		_, keys := w.passkeys(ann.ID)
		if len(keys) != 1 || keys[0].Cred.Authenticator.SignCount == 0 {
			t.Errorf("after signing in the stored sign count is %+v, want it moved up", keys)
		}
		signOut(t)
	})

	t.Run("a copied passkey is refused", func(t *testing.T) {
		// The store has seen a higher count than the authenticator will
		// send next: another copy of the passkey has been used.
		raw, _ := w.passkeys(ann.ID)
		var all []map[string]any
		if err := json.Unmarshal([]byte(raw), &all); err != nil {
			t.Fatal(err)
		}
		all[0]["cred"].(map[string]any)["authenticator"].(map[string]any)["signCount"] = 1000
		data, _ := json.Marshal(all)
		w.update(func(tx bot.Tx) error { return tx.PutSetting("console.passkeys."+ann.ID, string(data)) })
		password(t)
		run(t, ctx, "use the passkey", chromedp.Click(css(`#passkey-use`)), chromedp.WaitVisible(css(`#passkey-error`)))
		if e := get(t, ctx, "error", chromedp.Text(css(`#passkey-error`))); !strings.Contains(e, "not accepted") {
			t.Errorf("a copied passkey: the page says %q", e)
		}
		if p := get(t, ctx, "where", chromedp.Evaluate[string](`location.pathname`)); p != "/console/mfa" {
			t.Errorf("a copied passkey signed in (page %s)", p)
		}
		if a := w.audited(); !containsString(a, "mfa.failed passkey: sign count did not go up") {
			t.Errorf("audit %q, want the refusal", a)
		}
	})

	t.Run("an admin's reset removes passkeys", func(t *testing.T) {
		c := w.client()
		if res := c.signIn("boss@example.org", auth.TOTPCode(bossSecret, w.clock.Now())); res.status != 303 {
			t.Fatalf("admin sign-in: %d", res.status)
		}
		if res := c.post("/console/admin/users/"+ann.ID, url.Values{"action": {"mfa-reset"}}); res.status >= 400 {
			t.Fatalf("reset: %d %s", res.status, res.body)
		}
		if raw, _ := w.passkeys(ann.ID); raw != "" {
			t.Errorf("after the reset the store still keeps %s", raw)
		}
		if a := w.audited(); !containsString(a, "mfa.passkeys_cleared "+ann.ID) || !containsString(a, "user.mfa-reset "+ann.ID) {
			t.Errorf("audit %q, want the reset and the passkeys cleared", a)
		}
	})
}

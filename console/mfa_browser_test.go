package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/linkline/linkline/bot/auth"
)

// TestBrowserSecondStep drives the second sign-in step in real Chromium:
// enrol from the QR page, sign in with a code, a reused code refused, and
// a recovery code that works once.
func TestBrowserSecondStep(t *testing.T) {
	w := newWorld(t, withMFA)
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	base := w.srv.URL
	password := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "password",
			chromedp.Navigate(base+"/console/"),
			chromedp.WaitVisible(css(`input[name=email]`)),
			chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
			chromedp.SendKeys(css(`input[name=password]`), testPassword),
			chromedp.Submit(css(`input[name=password]`)),
			chromedp.WaitVisible(css(`#code`)),
		)
	}
	// code submits c and waits for an element only the next page has
	// (the page it is on may have the same heading).
	code := func(t *testing.T, c, next string) string {
		t.Helper()
		run(t, ctx, "code",
			chromedp.SendKeys(css(`#code`), c),
			chromedp.Submit(css(`#code`)),
			chromedp.WaitVisible(css(next)),
		)
		return get(t, ctx, "heading", chromedp.Text(css(`main h1`)))
	}
	signOut := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "sign out", chromedp.Click(css(`form[action="/console/logout"] button`)), chromedp.WaitVisible(css(`input[name=email]`)))
	}
	var secret string
	var codes []string

	t.Run("enrol", func(t *testing.T) {
		password(t)
		if h := get(t, ctx, "heading", chromedp.Text(css(`main h1`))); h != "Set up your second step" {
			t.Fatalf("first sign-in shows %q, want the set-up page", h)
		}
		n := get(t, ctx, "QR drawn", chromedp.Evaluate[int](`(document.querySelector("svg.qr path")?.getAttribute("d") ?? "").length`))
		if n < 1000 {
			t.Fatalf("the QR code has %d characters of path, want a drawn code", n)
		}
		secret = strings.ReplaceAll(get(t, ctx, "secret", chromedp.Text(css(`#totp-secret`))), " ", "")
		shot(t, ctx, "mfa-setup")
		checkA11y(t, ctx, "second step set-up")
		if h := code(t, auth.TOTPCode(secret, w.clock.Now()), `#recovery-codes`); h != "Your recovery codes" {
			t.Fatalf("after the code the page says %q", h)
		}
		list := get(t, ctx, "codes", chromedp.Text(css(`#recovery-codes`)))
		codes = strings.Fields(list)
		checkA11y(t, ctx, "recovery codes")
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes shown: %q", len(codes), list)
		}
		run(t, ctx, "go on", chromedp.Click(css(`#continue`)), chromedp.WaitVisible(css(`#inbox`)))
		signOut(t)
	})

	t.Run("reused code refused, next code signs in", func(t *testing.T) {
		password(t)
		if h := code(t, auth.TOTPCode(secret, w.clock.Now()), `#error-summary`); h != "Second step" {
			t.Fatalf("a reused code led to %q", h)
		}
		if msg := get(t, ctx, "error", chromedp.Text(css(`#error-summary`))); !strings.Contains(msg, "used already") {
			t.Errorf("reused code: the page says %q", msg)
		}
		w.clock.Advance(30 * time.Second)
		if h := code(t, auth.TOTPCode(secret, w.clock.Now()), `#inbox`); h != "Waiting for a link worker" {
			t.Fatalf("the next code led to %q, want the inbox", h)
		}
		signOut(t)
	})

	t.Run("recovery code once", func(t *testing.T) {
		password(t)
		if h := code(t, codes[0], `#inbox`); h != "Waiting for a link worker" {
			t.Fatalf("a recovery code led to %q, want the inbox", h)
		}
		signOut(t)
		password(t)
		if h := code(t, codes[0], `#error-summary`); h != "Second step" {
			t.Fatalf("a used recovery code led to %q", h)
		}
	})
}

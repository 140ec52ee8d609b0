package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// focused describes the element that has keyboard focus: "body" when
// focus is lost to the page.
const focused = `(() => { const e = document.activeElement; if (!e || e === document.body) return 'body';
	return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '') +
		(e.name ? '[name=' + e.name + ']' : '') + (e.textContent && e.tagName !== 'SELECT' && e.tagName !== 'TEXTAREA' ? ' ' + e.textContent.trim().slice(0, 30) : ''); })()`

// TestKeyboardOnly does a link worker's job with the keyboard alone, as
// someone who cannot use a mouse does: sign in, skip the menu, claim an
// urgent handoff, pick the second canned reply, send it and resolve. The
// first Tab on every page reaches the skip link, and focus is never lost
// to the page body while tabbing.
func TestKeyboardOnly(t *testing.T) {
	w := newWorld(t, withMFA)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	// Ann has set up her second step already: signing in asks for a code.
	secret := auth.NewTOTPSecret()
	ann.TOTPSecret = secret
	w.update(func(tx bot.Tx) error { return tx.PutUser(ann) })
	w.update(func(tx bot.Tx) error {
		return tx.PutSetting("console.canned", `["Thank you for your message.","I will call you today."]`)
	})
	person := w.send("sms:+447700900444", "i want to kill myself")
	ctx := browser(t)
	base := w.srv.URL

	active := func(t *testing.T) string {
		t.Helper()
		return get(t, ctx, "focused element", chromedp.Evaluate[string](focused))
	}
	// tabTo presses Tab until want is focused, failing if focus is lost to
	// the body or never gets there.
	tabTo := func(t *testing.T, want string) {
		t.Helper()
		var seen []string
		for range 40 {
			run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
			a := active(t)
			seen = append(seen, a)
			if a == "body" {
				t.Fatalf("focus lost to the page body after %v", seen)
			}
			if strings.HasPrefix(a, want) {
				return
			}
		}
		t.Fatalf("Tab never reached %s: %v", want, seen)
	}
	firstTabIsSkipLink := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
		if a := active(t); a != "a.skip Skip to main content" {
			t.Fatalf("the first Tab reaches %q, want the skip link", a)
		}
		run(t, ctx, "skip", chromedp.KeyEvent(kb.Enter))
		if a := active(t); !strings.HasPrefix(a, "main#main") {
			t.Fatalf("after the skip link focus is on %q, want main", a)
		}
	}

	t.Run("sign in", func(t *testing.T) {
		run(t, ctx, "open the console", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(css(`input[name=email]`)))
		if a := active(t); a != "input#email[name=email]" {
			t.Fatalf("the sign-in page opens with focus on %q, want the email box", a)
		}
		run(t, ctx, "type", chromedp.KeyEvent("ann@example.org"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(testPassword),
			chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(css(`#code`)))
		// The second step: the code box has focus; type the code, Enter.
		if a := active(t); !strings.HasPrefix(a, "input#code") {
			t.Fatalf("the second-step page opens with focus on %q, want the code box", a)
		}
		run(t, ctx, "code", chromedp.KeyEvent(auth.TOTPCode(secret, w.clock.Now())), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(css(`li.handoff.urgent`)))
	})

	t.Run("claim the urgent handoff", func(t *testing.T) {
		firstTabIsSkipLink(t)
		tabTo(t, "a.name")
		tabTo(t, "button Claim")
		run(t, ctx, "claim", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(css(`#reply-text`)))
		if bar := get(t, ctx, "handoff bar", chromedp.Text(css(`#handoff`))); !strings.Contains(bar, "Claimed by you") {
			t.Fatalf("after claiming: %q", bar)
		}
	})

	t.Run("second canned reply, send", func(t *testing.T) {
		firstTabIsSkipLink(t)
		tabTo(t, "select#canned")
		run(t, ctx, "choose", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
		if a := active(t); a != "select#canned[name=canned]" {
			t.Fatalf("choosing a canned reply moved focus to %q", a)
		}
		// Moving through the menu puts nothing in the box (not reply 1 on
		// the way to reply 2).
		if box := get(t, ctx, "reply box", chromedp.Value(css(`#reply-text`))); box != "" {
			t.Fatalf("after two arrow keys the reply box holds %q, want it untouched", box)
		}
		tabTo(t, "button#canned-use")
		run(t, ctx, "use it", chromedp.KeyEvent(kb.Enter))
		if a := active(t); a != "textarea#reply-text[name=text]" {
			t.Fatalf("after \"Use this reply\" focus is on %q, want the reply box", a)
		}
		if box := get(t, ctx, "reply box", chromedp.Value(css(`#reply-text`))); box != "I will call you today." {
			t.Fatalf("after choosing reply 2 the reply box holds %q, want the second canned reply", box)
		}
		tabTo(t, "button Send")
		run(t, ctx, "send", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(css(`li.msg.worker`)))
		// The page has loaded once document.readyState says so; focus is
		// moved on load. (A wait for a state, not for a time.)
		get(t, ctx, "page loaded", chromedp.Poll[bool](`document.readyState === 'complete'`))
		if a := active(t); a != "textarea#reply-text[name=text]" {
			t.Errorf("after sending focus is on %q, want the reply box", a)
		}
		got := w.drain("sms:+447700900444")
		if len(got) == 0 || got[len(got)-1] != "I will call you today." {
			t.Errorf("the person got %q, want the second canned reply last", got)
		}
	})

	t.Run("resolve", func(t *testing.T) {
		tabTo(t, "input#outcome")
		run(t, ctx, "resolve", chromedp.KeyEvent("Called them; safe; GP told"), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(css(`form[action$="/takeover"]`)))
		var h *bot.Handoff
		w.view(func(tx bot.Tx) error {
			var err error
			h, err = tx.ActiveHandoff(person.ID)
			if err == nil {
				return fmt.Errorf("handoff %s still open", h.ID)
			}
			return nil
		})
	})
}

// TestErrorPagesAccessible: refusals that happen before any console page
// (a cross-site form, a body too large, an unreadable request) and form
// errors are accessible HTML pages whose title starts "Error:".
func TestErrorPagesAccessible(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	base := w.srv.URL
	// Another site with a form that posts to the console.
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(rw, `<!doctype html><html lang="en"><title>Elsewhere</title><form method="post" action="%s/console/logout"><button>Go</button></form>`, base)
	}))
	t.Cleanup(other.Close)

	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`#inbox`)),
	)
	for _, c := range []struct {
		name, title string
		steps       []chromedp.Action[chromedp.Void]
	}{
		{"cross-site form (403)", "Error: not allowed", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(other.URL), chromedp.WaitVisible(css(`button`)), chromedp.Click(css(`button`))}},
		{"body too large (413)", "Error: too much to send", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/console/contacts"), chromedp.WaitVisible(css(`h1`)),
			chromedp.Evaluate[chromedp.Void](`(() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/console/contacts';
				const i = document.createElement('input'); i.name = 'name'; i.value = 'x'.repeat(2 << 20); f.append(i); document.body.append(f); f.submit(); })()`)}},
		// A form's own checks bring the form back ("Error: " and its title).
		{"export without a reason (400)", "Error: Referrals", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/console/referrals"), chromedp.WaitVisible(css(`input[name=reason]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name=reason]').removeAttribute('required')`),
			chromedp.Submit(css(`input[name=reason]`))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run(t, ctx, c.name, append(c.steps, chromedp.WaitVisible(css(`h1`)))...)
			title := get(t, ctx, "title", chromedp.Title())
			if !strings.HasPrefix(title, c.title) {
				t.Errorf("title %q, want %q first", title, c.title)
			}
			checkA11y(t, ctx, c.name)
		})
	}
}

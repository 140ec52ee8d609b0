package console_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLiveUpdatesKeepFocus: when the inbox or a person's page updates
// itself, the element with keyboard focus stays focused, and a polite
// live region says in one short sentence what is new.
func TestLiveUpdatesKeepFocus(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	first := w.send("sms:+447700900771", "HUMAN")
	// Their next message gets the note that their messages are with the
	// team (nobody has claimed it yet); sent now, so the one below is the
	// only new message on their page.
	w.send("sms:+447700900771", "hello?")
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`li.handoff`)),
	)
	focusedIs := func(t *testing.T, js string) bool {
		t.Helper()
		return get(t, ctx, "focus", chromedp.Evaluate[bool](js))
	}

	t.Run("inbox", func(t *testing.T) {
		run(t, ctx, "focus the claim button", chromedp.Focus(css(`li.handoff form button`)))
		w.send("sms:+447700900772", "i want to kill myself")
		run(t, ctx, "wait for the new row", chromedp.WaitVisible(css(`li.handoff.urgent`)))
		get(t, ctx, "announced", chromedp.Poll[bool](`document.getElementById('live').textContent !== ''`))
		if !focusedIs(t, `document.activeElement.matches('li.handoff:not(.urgent) form button')`) {
			t.Errorf("after the inbox updated focus is on %q, want the same claim button", get(t, ctx, "focused", chromedp.Evaluate[string](focused)))
		}
		if said := get(t, ctx, "live region", chromedp.Text(css(`#live`))); !strings.HasPrefix(said, "New urgent handoff:") {
			t.Errorf("the live region says %q", said)
		}
	})

	t.Run("person's page", func(t *testing.T) {
		run(t, ctx, "open the person and focus the reply box",
			chromedp.Navigate(base+"/console/contacts/"+first.ID),
			chromedp.WaitVisible(css(`#reply-text`)),
			chromedp.Focus(css(`#reply-text`)),
			chromedp.SendKeys(css(`#reply-text`), "Hello"),
		)
		n := get(t, ctx, "messages", chromedp.Evaluate[int](`document.querySelectorAll('li.msg').length`))
		w.send("sms:+447700900771", "Are you there?")
		get(t, ctx, "new message shown", chromedp.Poll[bool](`document.querySelectorAll('li.msg').length > `+strconv.Itoa(n)))
		get(t, ctx, "announced", chromedp.Poll[bool](`document.getElementById('live').textContent !== ''`))
		if !focusedIs(t, `document.activeElement.id === 'reply-text' && document.activeElement.value === 'Hello'`) {
			t.Errorf("after the page updated focus is on %q, want the reply box with its text", get(t, ctx, "focused", chromedp.Evaluate[string](focused)))
		}
		if said := get(t, ctx, "live region", chromedp.Text(css(`#live`))); said != "New message from Person." {
			t.Errorf("the live region says %q", said)
		}
		checkA11y(t, ctx, "person's page after a live update")
	})
}

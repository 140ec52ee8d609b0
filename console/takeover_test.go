package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkline/linkline/bot"
)

// heldBy makes the contact's active handoff claimed by user and returns it.
func heldBy(t *testing.T, w *world, contactID string, user *bot.User) *bot.Handoff {
	t.Helper()
	var h *bot.Handoff
	w.view(func(tx bot.Tx) (err error) { h, err = tx.ActiveHandoff(contactID); return err })
	if err := w.engine.Claim(context.Background(), h.ID, user.ID); err != nil {
		t.Fatal(err)
	}
	return h
}

// takeOvers returns the take-over audit entries.
func takeOvers(w *world) []*bot.AuditEntry {
	var out []*bot.AuditEntry
	for _, a := range w.audit() {
		if a.Action == bot.AuditTakeOver {
			out = append(out, a)
		}
	}
	return out
}

// TestBrowserTakeOver: a colleague's claimed conversation shows Take over
// with a reason instead of Reply and Resolve (which would only answer 409);
// taking over makes it the worker's, and the audit log keeps from whom and
// why.
func TestBrowserTakeOver(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	bob := w.addUser("bob@example.org", "Bob Worker", false)
	ct := w.send("sim:pat", "HUMAN")
	w.drain("sim:pat")
	h := heldBy(t, w, ct.ID, bob)
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`#inbox`)),
		chromedp.Navigate(base+"/console/contacts/"+ct.ID),
		chromedp.WaitVisible(css(`#takeover-reason`)),
	)
	bar := get(t, ctx, "handoff bar", chromedp.Text(css(`#handoff`)))
	if !strings.Contains(bar, "Claimed by Bob Worker") {
		t.Errorf("the handoff bar says %q", bar)
	}
	forms := get(t, ctx, "reply and resolve forms", chromedp.Evaluate[int](`document.querySelectorAll('#reply-text, #resolve').length`))
	if forms != 0 {
		t.Errorf("Reply or Resolve shown on a colleague's conversation (%d)", forms)
	}
	run(t, ctx, "take over",
		chromedp.SendKeys(css(`#takeover-reason`), "Bob is off sick today"),
		chromedp.Submit(css(`#takeover-reason`)),
		chromedp.WaitVisible(css(`#reply-text`)),
	)
	bar = get(t, ctx, "handoff bar after", chromedp.Text(css(`#handoff`)))
	if !strings.Contains(bar, "Claimed by you") {
		t.Errorf("after taking over the bar says %q", bar)
	}
	w.view(func(tx bot.Tx) error {
		got, err := tx.Handoff(h.ID)
		if err == nil && got.ClaimedBy == bob.ID {
			t.Errorf("the handoff is still Bob's: %+v", got)
		}
		return err
	})
	a := takeOvers(w)
	if len(a) != 1 || !strings.Contains(a[0].Detail, "from "+bob.ID) || !strings.Contains(a[0].Detail, "Bob is off sick today") {
		t.Errorf("take-over audited as %+v, want one naming Bob and the reason", a)
	}
}

// TestTakeOverNeedsReason: taking a colleague's conversation without a
// reason is refused and changes nothing; taking one nobody holds needs
// none.
func TestTakeOverNeedsReason(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	bob := w.addUser("bob@example.org", "Bob Worker", false)
	held := w.send("sim:pat", "HUMAN")
	free := w.send("sim:kim", "HUMAN")
	h := heldBy(t, w, held.ID, bob)
	ann := w.client()
	ann.login("ann@example.org")
	if res := ann.post("/console/contacts/"+held.ID+"/takeover", url.Values{"reason": {"   "}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "say why") {
		t.Errorf("take-over without a reason: %d\n%s", res.status, res.body)
	}
	w.view(func(tx bot.Tx) error {
		got, err := tx.Handoff(h.ID)
		if err == nil && got.ClaimedBy != bob.ID {
			t.Errorf("a refused take-over moved the handoff: %+v", got)
		}
		return err
	})
	if a := takeOvers(w); len(a) != 0 {
		t.Errorf("a refused take-over was audited: %+v", a[0])
	}
	if res := ann.post("/console/contacts/"+free.ID+"/takeover", url.Values{}); res.status != http.StatusSeeOther {
		t.Errorf("take-over of an unclaimed conversation: %d\n%s", res.status, res.body)
	}
	if res := ann.post("/console/contacts/nobody/takeover", url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("take-over of no one: %d", res.status)
	}
}

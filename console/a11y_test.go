package console_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkline/linkline/bot"
)

// a11yPage is one console page as a link worker reaches it.
type a11yPage struct {
	name, path string
	// wait is an element that shows the page has loaded.
	wait string
	// before runs on the page first (fill a form and submit it to see
	// its errors, say).
	before []chromedp.Action[chromedp.Void]
	// shot, when set, names the page's screenshot for docs/ (see shot).
	shot string
}

// checkPage opens p and checks it as an assessor would: axe-core at
// 1280 px, then again at 320 px (WCAG 1.4.10 reflow) with no sideways
// scrolling, then the viewport goes back to 1280 px.
func checkPage(t *testing.T, ctx context.Context, base string, p a11yPage) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + p.path), chromedp.WaitVisible(css(p.wait))}
	run(t, ctx, "open "+p.name, append(steps, p.before...)...)
	if p.shot != "" {
		shot(t, ctx, p.shot)
	}
	checkA11y(t, ctx, p.name+" at 1280 px")
	run(t, ctx, "narrow to 320 px", chromedp.EmulateViewport(320, 720))
	defer run(t, ctx, "widen to 1280 px", chromedp.EmulateViewport(1280, 900))
	checkA11y(t, ctx, p.name+" at 320 px")
	wide := get(t, ctx, "measure "+p.name, chromedp.Evaluate[[]string](`(() => {
		const root = document.documentElement;
		if (root.scrollWidth <= root.clientWidth) return [];
		return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
	})()`))
	if len(wide) > 0 {
		t.Errorf("%s scrolls sideways at 320 px: %v", p.name, wide)
	}
}

// TestAccessibility checks every console page, for a link worker and an
// admin, with data, empty, and with errors, with axe-core (WCAG 2.0, 2.1
// and 2.2 A and AA) at 1280 px and 320 px.
func TestAccessibility(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	w.addUser("ada@example.org", "Ada Admin", true)
	// A long address in the users table: it must wrap, not widen the page.
	w.addUser("alexandra.smith-johnson@riverside-medical-centre.nhs.uk", "Alexandra Smith-Johnson", false)
	ctx := browser(t)
	base := w.srv.URL

	signIn := func(t *testing.T, email string) {
		run(t, ctx, "sign in as "+email,
			chromedp.Navigate(base+"/console/login"),
			chromedp.WaitVisible(css(`input[name=email]`)),
			chromedp.SendKeys(css(`input[name=email]`), email),
			chromedp.SendKeys(css(`input[name=password]`), testPassword),
			chromedp.Submit(css(`input[name=password]`)),
			chromedp.WaitVisible(css(`#inbox`)),
		)
	}
	signOut := func(t *testing.T) {
		run(t, ctx, "sign out", chromedp.Click(css(`form[action="/console/logout"] button`)), chromedp.WaitVisible(css(`input[name=email]`)))
	}

	t.Run("signed out", func(t *testing.T) {
		for _, p := range []a11yPage{
			{name: "sign in", path: "/console/login", wait: `input[name=email]`},
			{name: "sign in, wrong password", path: "/console/login", wait: `input[name=email]`, before: []chromedp.Action[chromedp.Void]{
				chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
				chromedp.SendKeys(css(`input[name=password]`), "wrong password"),
				chromedp.Submit(css(`input[name=password]`)),
				chromedp.WaitVisible(css(`#error-summary`)),
			}},
		} {
			checkPage(t, ctx, base, p)
		}
	})

	t.Run("link worker, empty", func(t *testing.T) {
		signIn(t, "ann@example.org")
		for _, p := range []a11yPage{
			{name: "inbox, empty", path: "/console/", wait: `#inbox`},
			{name: "referrals, none", path: "/console/referrals", wait: `h1`},
			{name: "contacts, none", path: "/console/contacts?q=nobody", wait: `h1`},
			{name: "outcomes, none", path: "/console/reports/outcomes", wait: `h1`},
			{name: "reports, none", path: "/console/reports", wait: `h1`},
			{name: "local services, none", path: "/console/directory", wait: `h1`},
		} {
			checkPage(t, ctx, base, p)
		}
		signOut(t)
	})

	// People: one at risk (urgent), one asking for a human, one referred.
	urgent := w.send("sms:+447700900111", "i want to kill myself")
	asked := w.send("sms:+447700900222", "HUMAN")
	referred := w.send("sms:+447700900333", "Hello")
	for _, a := range []string{"yes", "Sam Taylor", "12/03/1958", "SW1A 1AA", "Riverside Medical Centre", "no", "Getting out more", "1, 3", "1", "3", "1"} {
		w.send("sms:+447700900333", a)
	}
	w.drain("")
	// A long canned reply: the menu must not make the page wider than 320 px.
	w.update(func(tx bot.Tx) error {
		return tx.PutSetting("console.canned", `["Thank you.","Thank you for your message. A link worker will look at it when the team is next working, which is usually within two working days."]`)
	})

	// A second person asking for a human, whom a colleague holds.
	held := w.send("sms:+447700900444", "HUMAN")
	bob := w.addUser("bob@example.org", "Bob Worker", false)
	heldBy(t, w, held.ID, bob)
	// One resolved today, for the Resolved today view.
	done := w.send("sms:+447700900666", "HUMAN")
	if err := w.engine.Resolve(t.Context(), heldBy(t, w, done.ID, bob).ID, bob.ID, "Rang them back; all fine", false); err != nil {
		t.Fatal(err)
	}
	// Someone asked "Are you safe?" who has not answered yet.
	w.send("sms:+447700900555", "hello")
	concern := w.send("sms:+447700900555", "I don't see a future for me")

	t.Run("link worker", func(t *testing.T) {
		signIn(t, "ann@example.org")
		for _, p := range []a11yPage{
			{name: "inbox", path: "/console/", wait: `li.handoff.urgent`},
			{name: "inbox, mine", path: "/console/?view=mine", wait: `#inbox`},
			{name: "inbox, unclaimed", path: "/console/?view=unclaimed", wait: `#inbox`},
			{name: "inbox, resolved today", path: "/console/?view=resolved", wait: `li.handoff`},
			{name: "inbox, filtered", path: "/console/?view=open&channel=sms&reason=risk&urgent=1&q=0770", wait: `#inbox`},
			{name: "person at risk", path: "/console/contacts/" + urgent.ID, wait: `#reply-count`},
			{name: "person asking for a human", path: "/console/contacts/" + asked.ID, wait: `#reply-count`},
			{name: "person a colleague holds", path: "/console/contacts/" + held.ID, wait: `#takeover-reason`},
			{name: "person asked if safe", path: "/console/contacts/" + concern.ID, wait: `.safety-pending`},
			{name: "person referred", path: "/console/contacts/" + referred.ID, wait: `#transcript`},
			{name: "referrals", path: "/console/referrals", wait: `h1`},
			{name: "contacts search", path: "/console/contacts?q=Sam", wait: `h1`},
			{name: "enrol", path: "/console/enrol", wait: `h1`},
			{name: "outcomes", path: "/console/reports/outcomes", wait: `h1`},
			{name: "reports", path: "/console/reports", wait: `#report-handoffs`, shot: "reports"},
			{name: "settings", path: "/console/settings", wait: `h1`},
			{name: "try the bot", path: "/console/try", wait: `h1`},
			{name: "no such person", path: "/console/contacts/nobody", wait: `h1`},
			{name: "no such page", path: "/console/no-such-page", wait: `h1`},
		} {
			checkPage(t, ctx, base, p)
		}
		signOut(t)
	})

	t.Run("admin", func(t *testing.T) {
		signIn(t, "ada@example.org")
		for _, p := range []a11yPage{
			{name: "users", path: "/console/admin/users", wait: `h1`},
			{name: "canned replies", path: "/console/admin/canned", wait: `h1`},
			{name: "hours", path: "/console/admin/hours", wait: `h1`},
			{name: "hours, with an error", path: "/console/admin/hours", wait: `input[name=spec]`, before: []chromedp.Action[chromedp.Void]{
				chromedp.SetValue(css(`input[name=spec]`), "Mon-Fry 9-5"),
				chromedp.Submit(css(`input[name=spec]`)),
				chromedp.WaitVisible(css(`#error-summary`)),
			}},
			{name: "audit", path: "/console/audit", wait: `h1`},
			{name: "person, as admin", path: "/console/contacts/" + urgent.ID, wait: `#reply-text`},
		} {
			checkPage(t, ctx, base, p)
		}
		signOut(t)
	})
}

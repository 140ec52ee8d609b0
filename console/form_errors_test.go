package console_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// formCase is one console form sent with a mistake, as the server (not
// the browser) must catch it: the browser's own checks are turned off.
type formCase struct {
	name, path, wait string
	// fill sets field values by CSS selector before the form is sent.
	fill map[string]string
	// submit is the field whose form is sent.
	submit string
	// errs are the fields (ids) that must be in error, each with words
	// its message must contain.
	errs map[string]string
	// kept are fields (ids) that must come back holding what was typed.
	kept map[string]string
}

// sendWrong fills and sends c's form with the browser's own validation
// off, and waits for the page that comes back to finish loading.
func sendWrong(t *testing.T, ctx context.Context, base string, c formCase) {
	t.Helper()
	fill, _ := json.Marshal(c.fill)
	run(t, ctx, "open "+c.name, chromedp.Navigate(base+c.path), chromedp.WaitVisible(css(c.wait)))
	run(t, ctx, "send "+c.name,
		chromedp.Evaluate[chromedp.Void](`(() => { const fill = `+string(fill)+`;
			for (const [sel, v] of Object.entries(fill)) { const e = document.querySelector(sel);
				if (e.type === 'checkbox') e.checked = v === 'on'; else e.value = v; }
			const f = document.querySelector(`+jsString(c.submit)+`).form; f.noValidate = true; f.requestSubmit(); })()`),
		chromedp.WaitVisible(css(`#error-summary`)),
	)
	get(t, ctx, "page loaded", chromedp.Poll[bool](`document.readyState === 'complete'`))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkFormErrors checks the page a form came back on against the GOV.UK
// error pattern: "Error: " first in the title, focus on the error
// summary, a link there to each field in error, the message at the field
// (aria-describedby) with aria-invalid, what was typed kept, no axe
// violations, and following the summary's link focuses the field.
func checkFormErrors(t *testing.T, ctx context.Context, c formCase) {
	t.Helper()
	if title := get(t, ctx, "title", chromedp.Title()); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("%s: title %q, want it to start \"Error: \"", c.name, title)
	}
	if a := get(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); a != "error-summary" {
		t.Errorf("%s: focus is on %q, want the error summary", c.name, a)
	}
	if h := get(t, ctx, "summary heading", chromedp.Text(css(`#error-summary h2`))); h != "There is a problem" {
		t.Errorf("%s: the error summary's heading is %q", c.name, h)
	}
	for field, want := range c.errs {
		type state struct {
			Link, Invalid, Described string
		}
		var s state
		js := `(() => { const id = ` + jsString(field) + `;
			const a = document.querySelector('#error-summary a[href="#' + id + '"]');
			const f = document.getElementById(id);
			return JSON.stringify({Link: a ? a.textContent : '', Invalid: f ? f.getAttribute('aria-invalid') || '' : 'no field',
				Described: f ? (f.getAttribute('aria-describedby') || '').split(' ').map(d => document.getElementById(d)?.textContent || '').join(' | ') : ''}); })()`
		if err := json.Unmarshal([]byte(get(t, ctx, "field "+field, chromedp.Evaluate[string](js))), &s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s.Link, want) {
			t.Errorf("%s: the error summary's link to #%s says %q, want %q", c.name, field, s.Link, want)
		}
		if s.Invalid != "true" {
			t.Errorf("%s: #%s has aria-invalid %q, want true", c.name, field, s.Invalid)
		}
		if !strings.Contains(s.Described, "Error: ") || !strings.Contains(s.Described, want) {
			t.Errorf("%s: #%s is described by %q, want \"Error: \" and %q", c.name, field, s.Described, want)
		}
	}
	for field, want := range c.kept {
		if v := get(t, ctx, "value of "+field, chromedp.Evaluate[string](`document.getElementById(`+jsString(field)+`).value`)); v != want {
			t.Errorf("%s: #%s holds %q, want what was typed, %q", c.name, field, v, want)
		}
	}
	checkA11y(t, ctx, c.name+" with errors")
	// The summary's first link is the next Tab, and following it focuses
	// its field.
	first := get(t, ctx, "first link", chromedp.Evaluate[string](`document.querySelector('#error-summary a').getAttribute('href').slice(1)`))
	// (Tab reaches it; it is clicked rather than sent Enter, whose
	// character event would land in the field and send the form.)
	run(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	if a := get(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.getAttribute('href') || ''`)); a != "#"+first {
		t.Errorf("%s: Tab from the error summary reaches %q, want its first link", c.name, a)
	}
	run(t, ctx, "follow the first link", chromedp.Click(css(`#error-summary a`)))
	if a := get(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); a != first {
		t.Errorf("%s: after following the summary's link focus is on %q, want #%s", c.name, a, first)
	}
}

// TestFormErrors sends every console form with a mistake only the server
// catches and checks that the same form comes back with the errors tied
// to their fields, as the GOV.UK and NHS design systems do: the sign-in,
// the second step, the export reason, the reply, the note, the outcome,
// enrolment, adding a user, a new password, canned replies and the hours.
func TestFormErrors(t *testing.T) {
	w := newWorld(t, withMFA)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	ada := w.addUser("ada@example.org", "Ada Admin", true)
	for _, u := range []*bot.User{ann, ada} {
		u.TOTPSecret = auth.NewTOTPSecret()
		w.update(func(tx bot.Tx) error { return tx.PutUser(u) })
	}
	person := w.send("sms:+447700900666", "HUMAN")
	ref := &bot.Referral{ContactID: person.ID, Status: bot.ReferralNew, Method: bot.ReferralMethodSelf, Name: "Pat",
		CreatedAt: w.clock.Now(), ConsentToRecord: true}
	w.update(func(tx bot.Tx) error {
		if err := tx.PutReferral(ref); err != nil {
			return err
		}
		// The person's page finds referrals through the events naming them.
		return tx.AddEvent(&bot.Event{At: w.clock.Now(), Kind: "referral.created", ContactID: person.ID,
			Data: map[string]string{"referral": ref.ID}})
	})
	ctx := browser(t)
	base := w.srv.URL

	signIn := func(t *testing.T, u *bot.User) {
		t.Helper()
		w.clock.Advance(30 * time.Second) // a fresh code
		run(t, ctx, "sign in as "+u.Email,
			chromedp.Navigate(base+"/console/login"),
			chromedp.WaitVisible(css(`#email`)),
			chromedp.SendKeys(css(`#email`), u.Email),
			chromedp.SendKeys(css(`#password`), testPassword),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`#code`)),
			chromedp.SendKeys(css(`#code`), auth.TOTPCode(u.TOTPSecret, w.clock.Now())),
			chromedp.Submit(css(`#code`)),
			chromedp.WaitVisible(css(`#inbox`)),
		)
	}
	signOut := func(t *testing.T) {
		t.Helper()
		run(t, ctx, "sign out", chromedp.Click(css(`form[action="/console/logout"] button`)), chromedp.WaitVisible(css(`#email`)))
	}
	check := func(t *testing.T, cases []formCase) {
		t.Helper()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				sendWrong(t, ctx, base, c)
				checkFormErrors(t, ctx, c)
			})
		}
	}

	t.Run("signing in", func(t *testing.T) {
		check(t, []formCase{{
			name: "sign in", path: "/console/login", wait: `#email`, submit: `#password`,
			fill: map[string]string{`#email`: "ann@example.org", `#password`: "not her password"},
			errs: map[string]string{"email": "do not match"}, kept: map[string]string{"email": "ann@example.org"},
		}})
		run(t, ctx, "password right",
			chromedp.SendKeys(css(`#password`), testPassword),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`#code`)),
		)
		check(t, []formCase{{
			name: "second step", path: "/console/mfa", wait: `#code`, submit: `#code`,
			fill: map[string]string{`#code`: "000000"},
			errs: map[string]string{"code": "That code is wrong"},
		}})
	})

	t.Run("link worker", func(t *testing.T) {
		signIn(t, ann)
		long := strings.Repeat("This is far too long. ", 200)
		check(t, []formCase{
			{name: "export without a reason", path: "/console/referrals", wait: `#export-reason`, submit: `#export-reason`,
				fill: map[string]string{`#export-reason`: " "}, errs: map[string]string{"export-reason": "Say why you need the export"}},
			{name: "empty reply", path: "/console/contacts/" + person.ID, wait: `#reply-text`, submit: `#reply-text`,
				fill: map[string]string{`#reply-text`: "  "}, errs: map[string]string{"reply-text": "Write a reply"}},
			{name: "reply too long", path: "/console/contacts/" + person.ID, wait: `#reply-text`, submit: `#reply-text`,
				fill: map[string]string{`#reply-text`: strings.TrimSpace(long)}, errs: map[string]string{"reply-text": "longer than 4000"},
				kept: map[string]string{"reply-text": strings.TrimSpace(long)}},
			{name: "empty note", path: "/console/contacts/" + person.ID, wait: `#note`, submit: `#note`,
				fill: map[string]string{`#note`: ""}, errs: map[string]string{"note": "Write the note"}},
			{name: "resolve without an outcome", path: "/console/contacts/" + person.ID, wait: `#outcome`, submit: `#outcome`,
				fill: map[string]string{`#outcome`: ""}, errs: map[string]string{"outcome": "what the outcome was"}},
			{name: "check-in at no time", path: "/console/contacts/" + person.ID, wait: `#checkin-at`, submit: `#checkin-at`,
				fill: map[string]string{`#checkin-at`: "25:99"}, errs: map[string]string{"checkin-at": ""}, kept: map[string]string{"checkin-at": "25:99"}},
			{name: "referral note too long", path: "/console/contacts/" + person.ID, wait: `#status-note-` + ref.ID, submit: `#status-note-` + ref.ID,
				fill: map[string]string{`#status-note-` + ref.ID: strings.Repeat("n", 2001)}, errs: map[string]string{"status-note-" + ref.ID: "longer than 2000"},
				kept: map[string]string{"status-note-" + ref.ID: strings.Repeat("n", 2001)}},
			{name: "add someone", path: "/console/contacts", wait: `#new-name`, submit: `#new-name`,
				fill: map[string]string{`#new-phone`: "12345"},
				errs: map[string]string{"new-name": "Give their name", "new-phone": "Enter a UK mobile number", "new-consent": "agreed to be contacted by text"},
				kept: map[string]string{"new-phone": "12345"}},
			{name: "outcomes, days the wrong way round", path: "/console/reports/outcomes", wait: `#out-from`, submit: `#out-from`,
				fill: map[string]string{`#out-from`: "2026-09-01", `#out-to`: "2026-08-01"}, errs: map[string]string{"out-from": "must not be after the last"},
				kept: map[string]string{"out-from": "2026-09-01", "out-to": "2026-08-01"}},
			{name: "try the bot, empty", path: "/console/try", wait: `#try-text`, submit: `#try-text`,
				fill: map[string]string{`#try-text`: " "}, errs: map[string]string{"try-text": "Write a message"}},
			{name: "enrol without consent", path: "/console/enrol", wait: `#enrol-name`, submit: `#enrol-name`,
				fill: map[string]string{`#enrol-name`: "Pat Carer"}, errs: map[string]string{"enrol-consent": "agreed to be contacted"},
				kept: map[string]string{"enrol-name": "Pat Carer"}},
		})
		// Nothing was sent or noted: the problems stopped each form.
		w.view(func(tx bot.Tx) error {
			if _, err := tx.ActiveHandoff(person.ID); err != nil {
				t.Errorf("the handoff was resolved without an outcome: %v", err)
			}
			return nil
		})
		signOut(t)
	})

	t.Run("admin", func(t *testing.T) {
		signIn(t, ada)
		long := strings.Repeat("A canned reply that goes on and on. ", 20)
		check(t, []formCase{
			{name: "add a user", path: "/console/admin/users", wait: `#user-email`, submit: `#user-email`,
				fill: map[string]string{`#user-email`: "not an address", `#user-name`: "Bea New", `#user-password`: "short"},
				errs: map[string]string{"user-email": "Enter an email address", "user-password": "at least"},
				kept: map[string]string{"user-email": "not an address", "user-name": "Bea New"}},
			{name: "new password too short", path: "/console/admin/users", wait: `#password-` + ann.ID, submit: `#password-` + ann.ID,
				fill: map[string]string{`#password-` + ann.ID: "short"}, errs: map[string]string{"password-" + ann.ID: "at least"}},
			{name: "canned reply too long", path: "/console/admin/canned", wait: `#canned-text`, submit: `#canned-text`,
				fill: map[string]string{`#canned-text`: "Thank you.\n" + long}, errs: map[string]string{"canned-text": "Canned reply 2 would be sent as"},
				kept: map[string]string{"canned-text": "Thank you.\n" + long}},
			{name: "hours that do not parse", path: "/console/admin/hours", wait: `#hours-spec`, submit: `#hours-spec`,
				fill: map[string]string{`#hours-spec`: "Mon-Fry 9-5", `#hours-text`: ""},
				errs: map[string]string{"hours-spec": "Mon-Fri 09:00-17:00", "hours-text": "as people are told it"},
				kept: map[string]string{"hours-spec": "Mon-Fry 9-5"}},
		})
		w.view(func(tx bot.Tx) error {
			if _, err := tx.UserByEmail("not an address"); err == nil {
				t.Error("a user was added with a wrong address")
			}
			return nil
		})
		signOut(t)
	})
}

package console_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
)

// signInAs signs email in with the test password in the browser ctx and
// waits for the inbox.
func signInAs(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	run(t, ctx, "sign in "+email,
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), email),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`#inbox`)),
	)
}

// loaded waits for the page's scripts to have run.
func loaded(t *testing.T, ctx context.Context) {
	t.Helper()
	get(t, ctx, "page loaded", chromedp.Poll[bool](`document.readyState === 'complete'`))
}

// TestKeyboardShortcuts: on the inbox j and k move along the list, r and
// e open the person at the reply box and at the resolve form (which
// resolves nothing by itself), ? lists the shortcuts; none fires while
// typing in a box, and they can be turned off (WCAG 2.1.4), which this
// browser remembers.
func TestKeyboardShortcuts(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	first := w.send("sms:+447700900801", "HUMAN")
	second := w.send("sms:+447700900802", "HUMAN")
	third := w.send("sms:+447700900803", "HUMAN")
	ctx := browser(t)
	base := w.srv.URL
	signInAs(t, ctx, base, "ann@example.org")
	loaded(t, ctx)
	press := func(t *testing.T, keys string) {
		t.Helper()
		run(t, ctx, "press "+keys, chromedp.KeyEvent(keys))
	}
	active := func(t *testing.T) string {
		t.Helper()
		return get(t, ctx, "focused", chromedp.Evaluate[string](`(() => { const a = document.activeElement; return a ? (a.getAttribute('href') || a.id || a.tagName) : '' })()`))
	}
	// The inbox's order (urgent first, then longest waiting) as shown.
	order := get(t, ctx, "order", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('li.handoff a.name'), a => a.getAttribute('href'))`))
	if len(order) != 3 {
		t.Fatalf("the inbox lists %v, want three people", order)
	}
	for _, c := range []*bot.Contact{first, second, third} {
		if !containsString(order, "/console/contacts/"+c.ID) {
			t.Fatalf("the inbox lists %v, without %s", order, c.ID)
		}
	}
	open := func(t *testing.T) bool {
		t.Helper()
		return get(t, ctx, "dialog open", chromedp.Evaluate[bool](`document.getElementById('shortcuts').open`))
	}

	t.Run("documented on the page", func(t *testing.T) {
		tools := get(t, ctx, "tools", chromedp.Text(css(`#team-tools`)))
		if !strings.Contains(tools, "Keyboard shortcuts") || !strings.Contains(tools, "are on") {
			t.Errorf("the inbox says %q, want the shortcuts named and said to be on", tools)
		}
	})

	t.Run("j and k move along the list", func(t *testing.T) {
		// Oldest first: the three people in the order they asked.
		for i, want := range []string{order[0], order[1], order[2], order[2]} {
			press(t, "j")
			if a := active(t); a != want {
				t.Fatalf("after j #%d focus is on %q, want %q", i+1, a, want)
			}
		}
		press(t, "k")
		if a := active(t); a != order[1] {
			t.Fatalf("after k focus is on %q, want %q", a, order[1])
		}
		if live := get(t, ctx, "status", chromedp.Text(css(`#live`))); !strings.Contains(live, "last person") {
			t.Errorf("j past the last person says %q, want it to say it is the last", live)
		}
	})

	t.Run("not while typing", func(t *testing.T) {
		run(t, ctx, "type in the search box", chromedp.Focus(css(`input[name=q]`)))
		press(t, "jk?re")
		if v := get(t, ctx, "search box", chromedp.Value(css(`input[name=q]`))); v != "jk?re" {
			t.Errorf("typing in the search box gave %q, want every letter typed", v)
		}
		if a := active(t); a != "INPUT" || open(t) {
			t.Errorf("typing moved focus to %q (dialog open: %v), want it left in the box", a, open(t))
		}
		run(t, ctx, "clear", chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name=q]').value = ''; document.activeElement.blur()`))
	})

	t.Run("? lists them", func(t *testing.T) {
		run(t, ctx, "focus a name", chromedp.Focus(css(`li.handoff a.name`)))
		press(t, "?")
		if !open(t) {
			t.Fatal("? did not open the list of shortcuts")
		}
		list := get(t, ctx, "list", chromedp.Text(css(`#shortcuts`)))
		for _, want := range []string{"next person", "previous person", "reply box", "resolve form", "Use these shortcuts"} {
			if !strings.Contains(list, want) {
				t.Errorf("the list says %q, want %q in it", list, want)
			}
		}
		checkA11y(t, ctx, "inbox with the shortcuts list open")
		run(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
		if open(t) {
			t.Fatal("Escape left the list open")
		}
		if a := active(t); a != order[0] {
			t.Errorf("after closing the list focus is on %q, want it back on %q", a, order[0])
		}
	})

	t.Run("r opens the person at the reply box", func(t *testing.T) {
		run(t, ctx, "focus the first", chromedp.Focus(css(`li.handoff a.name`)))
		press(t, "r")
		run(t, ctx, "person's page", chromedp.WaitVisible(css(`#reply-text`)))
		loaded(t, ctx)
		if a := active(t); a != "reply-text" {
			t.Errorf("r from the inbox: focus on %q, want the reply box", a)
		}
		if v := get(t, ctx, "reply box", chromedp.Value(css(`#reply-text`))); v != "" {
			t.Errorf("the reply box holds %q: the key was typed into it", v)
		}
	})

	t.Run("e goes to the resolve form and resolves nothing", func(t *testing.T) {
		run(t, ctx, "leave the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
		press(t, "e")
		if a := active(t); a != "outcome" {
			t.Fatalf("e: focus on %q, want the outcome box", a)
		}
		press(t, "r")
		if v := get(t, ctx, "outcome", chromedp.Value(css(`#outcome`))); v != "r" {
			t.Errorf("typing r in the outcome box gave %q: a shortcut fired while typing", v)
		}
		w.view(func(tx bot.Tx) error {
			_, err := tx.ActiveHandoff(strings.TrimPrefix(order[0], "/console/contacts/"))
			return err
		})
	})

	t.Run("j on a person's page opens the next in the inbox", func(t *testing.T) {
		run(t, ctx, "leave the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
		press(t, "j")
		run(t, ctx, "next person", chromedp.WaitReady(css(`body[data-contact="`+strings.TrimPrefix(order[1], "/console/contacts/")+`"]`)))
		loaded(t, ctx)
		press(t, "k")
		run(t, ctx, "previous person", chromedp.WaitReady(css(`body[data-contact="`+strings.TrimPrefix(order[0], "/console/contacts/")+`"]`)))
		loaded(t, ctx)
	})

	t.Run("turned off, and remembered", func(t *testing.T) {
		run(t, ctx, "inbox", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(css(`#shortcuts-open`)))
		loaded(t, ctx)
		run(t, ctx, "open the list", chromedp.Click(css(`#shortcuts-open`)))
		if !open(t) {
			t.Fatal("the Keyboard shortcuts button did not open the list")
		}
		run(t, ctx, "turn off", chromedp.Click(css(`#shortcuts-on`)), chromedp.Click(css(`#shortcuts form button`)))
		run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`#shortcuts-open`)))
		loaded(t, ctx)
		if s := get(t, ctx, "state", chromedp.Text(css(`#shortcuts-state`))); s != "are off." {
			t.Errorf("after turning them off and reloading the page says they %q", s)
		}
		press(t, "j?")
		if a := active(t); a == order[0] || open(t) {
			t.Errorf("turned off, j and ? still act (focus %q, list open %v)", a, open(t))
		}
	})
}

// TestUrgentSound: with the sound turned on (it starts off), the inbox's
// live update plays it for a new urgent handoff and not for an ordinary
// one; turned off, not at all. The page counts each time it plays the
// tone in body[data-sounds].
func TestUrgentSound(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	signInAs(t, ctx, w.srv.URL, "ann@example.org")
	loaded(t, ctx)
	sounds := func(t *testing.T) string {
		t.Helper()
		return get(t, ctx, "sounds", chromedp.Evaluate[string](`document.body.dataset.sounds || '0'`))
	}
	rows := func(n int) chromedp.Action[bool] {
		return chromedp.Poll[bool](`document.querySelectorAll('li.handoff').length === ` + strconv.Itoa(n))
	}
	if get(t, ctx, "sound toggle", chromedp.Evaluate[bool](`document.getElementById('sound-on').checked`)) {
		t.Fatal("the sound is on before anyone turned it on")
	}
	run(t, ctx, "turn the sound on", chromedp.Click(css(`#sound-on`)))

	w.send("sms:+447700900811", "HUMAN")
	get(t, ctx, "ordinary handoff", rows(1))
	if n := sounds(t); n != "0" {
		t.Errorf("after an ordinary handoff the sound played %s times, want none", n)
	}
	w.send("sms:+447700900812", "i want to kill myself")
	get(t, ctx, "urgent handoff", rows(2))
	if n := sounds(t); n != "1" {
		t.Errorf("after an urgent handoff the sound played %s times, want once", n)
	}

	// Off again, and remembered: the next urgent one is silent.
	run(t, ctx, "turn the sound off", chromedp.Click(css(`#sound-on`)), chromedp.Reload(), chromedp.WaitVisible(css(`li.handoff`)))
	loaded(t, ctx)
	if get(t, ctx, "sound toggle", chromedp.Evaluate[bool](`document.getElementById('sound-on').checked`)) {
		t.Fatal("after turning the sound off and reloading it is on")
	}
	w.send("sms:+447700900813", "i want to kill myself")
	get(t, ctx, "second urgent handoff", rows(3))
	if n := sounds(t); n != "0" {
		t.Errorf("with the sound off it played %s times", n)
	}
}

// TestAlsoViewing: two link workers with the same person's page open,
// each on a different console instance over one store, each see the
// other's name; when one leaves, the other's line clears. Presence lives
// in the store, not in an instance's memory.
func TestAlsoViewing(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	w.addUser("bob@example.org", "Bob Worker", false)
	person := w.send("sms:+447700900821", "HUMAN")
	// A second instance of the console on the same store.
	other := console.New(console.Config{Engine: w.engine, Store: w.store, Clock: w.clock, Poll: 50 * time.Millisecond,
		PublicURL: "http://127.0.0.1", MFA: console.MFAOff})
	mux := http.NewServeMux()
	mux.Handle("/console/", other)
	srv2 := httptest.NewServer(mux)
	t.Cleanup(func() { other.Shutdown(); srv2.Close() })

	// Two browsers: two people at two computers.
	ann, bob := browser(t), browser(t)
	signInAs(t, ann, w.srv.URL, "ann@example.org")
	signInAs(t, bob, srv2.URL, "bob@example.org")
	viewing := func(ctx context.Context, want string) {
		t.Helper()
		get(t, ctx, "viewers say "+want, chromedp.Poll[bool](`document.getElementById('viewers').textContent === `+jsString(want)))
	}

	run(t, ann, "Ann opens the person", chromedp.Navigate(w.srv.URL+"/console/contacts/"+person.ID), chromedp.WaitVisible(css(`#transcript`)))
	loaded(t, ann)
	if v := get(t, ann, "viewers", chromedp.Text(css(`#viewers`))); v != "" {
		t.Errorf("alone on the page, Ann sees %q", v)
	}
	run(t, bob, "Bob opens the person", chromedp.Navigate(srv2.URL+"/console/contacts/"+person.ID), chromedp.WaitVisible(css(`#transcript`)))
	viewing(bob, "Also viewing: Ann Worker")
	viewing(ann, "Also viewing: Bob Worker")
	checkA11y(t, ann, "a person's page with a colleague viewing")

	run(t, bob, "Bob goes back to the inbox", chromedp.Navigate(srv2.URL+"/console/"), chromedp.WaitVisible(css(`#inbox`)))
	viewing(ann, "")
	// Nobody left on the page: nothing is kept.
	run(t, ann, "Ann goes back to the inbox", chromedp.Navigate(w.srv.URL+"/console/"), chromedp.WaitVisible(css(`#inbox`)))
	get(t, ann, "inbox loaded", chromedp.Poll[bool](`document.readyState === 'complete'`))
	for try := 0; ; try++ {
		var v string
		w.view(func(tx bot.Tx) error {
			var err error
			v, err = tx.Setting("console.presence." + person.ID)
			if errors.Is(err, bot.ErrNotFound) {
				err = nil
			}
			return err
		})
		if v == "" {
			break
		}
		if try == 1000 {
			t.Fatalf("after both left the page the store still lists %s", v)
		}
		time.Sleep(10 * time.Millisecond) // the stream's end is seen by the server a moment after the browser leaves
	}
}

package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/channels/sim"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// chromium finds the browser the README's test command installs.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run test.sh, which installs it (apt-get install chromium)")
	return ""
}

// browser starts one headless Chromium for a test; subtests open tabs in it.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// run runs browser steps with a deadline, failing the test on error.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// clickLive clicks an element of a list the live feed re-renders. The
// inbox is replaced when an event arrives, so a button found a moment
// before may be gone by the click ("Could not find node with given id"):
// find it again, a few times, before failing.
func clickLive(t *testing.T, ctx context.Context, what string, sel chromedp.CSS) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(actx, chromedp.Click(sel))
		cancel()
		if err == nil {
			return
		}
		if attempt == 3 || !strings.Contains(err.Error(), "Could not find node") {
			t.Fatalf("%s: %v (attempt %d)", what, err, attempt)
		}
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	// A live update can replace the node between finding it and reading
	// it: read again (the page's content is asserted by the caller).
	for try := 0; err != nil && strings.Contains(err.Error(), "No node with given id") && try < 5; try++ {
		v, err = chromedp.Run(ctx, a)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// shot saves a screenshot of the page as DIR/name.png when
// LINKLINE_SCREENSHOTS=DIR is set (docs/screenshots is made so).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LINKLINE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// smsThroughTwilio makes the world's dispatcher send SMS through the real
// Twilio channel to the fake provider tw, as the server does; other
// channels still reach the sim inbox. The engine's wake-up still goes to
// the old dispatcher, which never runs: tests send with w.drain.
func (w *world) smsThroughTwilio(tw *twiliotest.Server) {
	w.t.Helper()
	sms, err := twilio.NewSender(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken,
		From: twiliotest.Number, APIURL: tw.URL(), PublicURL: w.srv.URL, Rate: 100})
	if err != nil {
		w.t.Fatal(err)
	}
	other := sim.NewSender(w.inbox.Deliver)
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.Sim: other, bot.SMS: sms, bot.Telegram: other},
		outbox.DispatchOptions{Clock: w.clock})
}

// TestBrowser drives the console in real Chromium: sign in, see an urgent
// handoff from an SMS appear live while the inbox is open, claim it, reply
// (and see the reply reach the fake Twilio), resolve and resume the bot.
// The person's message carries markup that must not run.
func TestBrowser(t *testing.T) {
	w := newWorld(t)
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	w.smsThroughTwilio(tw)
	const number = "+447700900555"
	const pat = "sms:" + number
	// texted sends what is queued and returns every SMS the fake Twilio
	// has accepted for the person.
	texted := func() []string {
		t.Helper()
		w.drain(pat)
		return tw.MessagesTo(number)
	}
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	base := w.srv.URL

	t.Run("sign in", func(t *testing.T) {
		run(t, ctx, "sign in",
			chromedp.Navigate(base+"/console/"),
			chromedp.WaitVisible(css(`input[name=email]`)),
			chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
			chromedp.SendKeys(css(`input[name=password]`), testPassword),
			chromedp.Submit(css(`input[name=password]`)),
			chromedp.WaitVisible(css(`#inbox`)),
		)
		h1 := get(t, ctx, "heading", chromedp.Text(css(`h1`)))
		if h1 != "Waiting for a link worker" {
			t.Fatalf("after sign-in the page says %q", h1)
		}
	})

	const attack = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script> i want to kill myself`
	t.Run("urgent handoff appears live", func(t *testing.T) {
		empty := get(t, ctx, "empty inbox", chromedp.Text(css(`#inbox`)))
		if !strings.Contains(empty, "No one is waiting") {
			t.Fatalf("inbox before any handoff: %q", empty)
		}
		// The person is part way through the referral questions when
		// they say it.
		w.send(pat, "hi")
		w.send(pat, "yes")
		w.send(pat, attack)
		run(t, ctx, "wait for the live update", chromedp.WaitVisible(css(`li.handoff.urgent`)))
		last := get(t, ctx, "last message", chromedp.Text(css(`li.handoff.urgent .last`)))
		title := get(t, ctx, "title", chromedp.Title())
		if !strings.Contains(last, "<script>") || title == "pwned" {
			t.Errorf("the person's markup: shown as %q, title %q; want it shown as text and never run", last, title)
		}
		// The tab's title counts the new urgent handoff, for a worker
		// looking at another tab.
		if !strings.HasPrefix(title, "(1 urgent) ") {
			t.Errorf("after a new urgent handoff the tab's title is %q, want it to start (1 urgent)", title)
		}
		shot(t, ctx, "inbox")
	})

	t.Run("claim and reply", func(t *testing.T) {
		clickLive(t, ctx, "claim", css(`li.handoff.urgent form button`))
		run(t, ctx, "claim", chromedp.WaitVisible(css(`#reply-text`)))
		bar := get(t, ctx, "read the handoff bar", chromedp.Text(css(`#handoff`)))
		if !strings.Contains(bar, "Claimed by you") {
			t.Errorf("after claiming the page says %q", bar)
		}
		if got := texted(); len(got) == 0 {
			t.Fatal("the crisis reply did not reach the fake Twilio")
		}
		run(t, ctx, "reply",
			chromedp.SendKeys(css(`#reply-text`), "Hi, Ann from the team here. Are you safe right now?"),
			chromedp.Submit(css(`#reply-text`)),
			chromedp.WaitVisible(css(`li.msg.worker`)),
		)
		before := len(tw.MessagesTo(number))
		if got := texted(); len(got) != before+1 || got[before] != "Hi, Ann from the team here. Are you safe right now?" {
			t.Errorf("the fake Twilio has %q for the person, want Ann's reply last", got)
		}
		shot(t, ctx, "conversation")
		title := get(t, ctx, "title", chromedp.Title())
		if title == "pwned" {
			t.Error("the person's markup ran on the conversation page")
		}
	})

	t.Run("resolving a risk handoff ends by default", func(t *testing.T) {
		// Someone who just said they want to end their life must not be
		// asked the bot's next question because the worker left the
		// default: for a risk handoff the default is to end.
		run(t, ctx, "resolve",
			chromedp.SendKeys(css(`#outcome`), "Spoke to them; safe; GP told"),
			chromedp.Submit(css(`#outcome`)),
			chromedp.WaitVisible(css(`form[action$="/takeover"]`)),
		)
		before := len(tw.MessagesTo(number))
		got := texted()
		if len(got) != before+1 || !strings.Contains(got[before], "Thank you for talking to us") {
			t.Errorf("after resolving with the default the person was texted %q, want only the polite close", got[before:])
		}
		// The outcome typed is kept on the person's page.
		history := get(t, ctx, "handoff history", chromedp.Text(css(`#handoffs`)))
		for _, want := range []string{"Outcome: Spoke to them; safe; GP told", "by Ann Worker", "ended the conversation"} {
			if !strings.Contains(history, want) {
				t.Errorf("the handoff history says %q, want %q in it", history, want)
			}
		}
		run(t, ctx, "inbox after", chromedp.Navigate(base+"/console/"))
		inbox := get(t, ctx, "inbox text", chromedp.Text(css(`#inbox`)))
		if !strings.Contains(inbox, "No one is waiting") {
			t.Errorf("inbox after resolving: %q", inbox)
		}
	})

	t.Run("on a phone", func(t *testing.T) {
		w.send("sim:ola", "HUMAN")
		seedReferrals(w)
		run(t, ctx, "phone-sized inbox",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
			chromedp.Navigate(base+"/console/"),
			chromedp.WaitVisible(css(`li.handoff`)),
		)
		// Nothing wider than the screen: no sideways scrolling.
		width := get(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if width > 390 {
			t.Errorf("the inbox is %dpx wide on a 390px phone", width)
		}
		shot(t, ctx, "inbox-phone")
		run(t, ctx, "referrals", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/console/referrals"), chromedp.WaitVisible(css(`table.list`)))
		shot(t, ctx, "referrals")
	})
}

package twilio_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestE2EAdvancedOptOut: with Twilio's Advanced Opt-Out the service's own
// words are read by Twilio and marked OptOutType. A custom opt-out word
// opts the person out (it does not start a referral), a custom opt-in word
// opts them back in, and HELP gets the help text.
func TestE2EAdvancedOptOut(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	const num = "+447700900401"
	send := func(body, optOutType string) []string {
		t.Helper()
		f := fake.InboundForm(num, body)
		f.Set("OptOutType", optOutType)
		if code := s.post(s.smsURL(), f); code != 200 {
			t.Fatalf("%q answered %d", body, code)
		}
		return s.replies(num)
	}
	if got := send("LEAVE ME OUT", "STOP"); len(got) != 1 || !strings.Contains(got[0], "won't get any more messages") {
		t.Fatalf("custom opt-out word: %q", got)
	}
	if c := s.contact(num); c == nil || !c.OptedOut {
		t.Fatalf("contact %+v: want opted out", c)
	}
	if got := s.say(num, "hello?"); len(got) != 0 {
		t.Fatalf("opted out, yet sent %q", got)
	}
	if got := send("JOIN", "START"); len(got) == 0 || !strings.Contains(got[0], "Welcome back") {
		t.Fatalf("custom opt-in word: %q", got)
	}
	if c := s.contact(num); c.OptedOut {
		t.Fatal("still opted out after the opt-in word")
	}
	if got := send("WHAT IS THIS", "HELP"); len(got) != 1 || !strings.Contains(got[0], "Reply HUMAN") {
		t.Fatalf("custom help word: %q", got)
	}
}

// TestE2EPermanentFailureMarksUnreachable: a delivery report of 30005,
// 30006 or 21614 marks the number unreachable by SMS, with the reason on
// record, and later messages to it are not tried; 21614 at send time does
// the same.
func TestE2EPermanentFailureMarksUnreachable(t *testing.T) {
	for _, code := range []string{"30005", "30006", "21614"} {
		t.Run(code, func(t *testing.T) {
			fake := twiliotest.New()
			t.Cleanup(fake.Close)
			s := newServer(t, fake)
			const num = "+447700900402"
			if got := s.say(num, "I want to talk to someone"); len(got) == 0 {
				t.Fatal("no reply")
			}
			sent := fake.Messages()
			if code := s.post(s.statusURL(), fake.StatusForm(sent[len(sent)-1], "undelivered", code)); code != 200 {
				t.Fatalf("status answered %d", code)
			}
			c := s.contact(num)
			if !slices.Contains(c.Unreachable, bot.SMS) {
				t.Fatalf("contact %+v: want SMS unreachable after %s", c, code)
			}
			why := ""
			err := s.store.View(t.Context(), func(tx bot.Tx) error {
				return tx.Events(func(e *bot.Event) bool {
					if e.ContactID == c.ID && e.Kind == bot.EventUnreachable {
						why = e.Data["code"]
					}
					return true
				})
			})
			if err != nil || why != code {
				t.Fatalf("unreachable event code %q (%v), want %s", why, err, code)
			}
			if _, err := s.eng.TakeOver(t.Context(), c.ID, "lw1"); err != nil {
				t.Fatal(err)
			}
			before := len(fake.Messages())
			if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Hello?"); err != nil {
				t.Fatal(err)
			}
			s.settle(num)
			if n := len(fake.Messages()) - before; n != 0 {
				t.Fatalf("%d messages tried to an unreachable number", n)
			}
		})
	}
}

// TestE2ESendTime21614: Twilio refusing a number as not a mobile at send
// time marks it unreachable too.
func TestE2ESendTime21614(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	const num = "+447700900403"
	fake.FailTo(num, 21614)
	s.say(num, "hello")
	if c := s.contact(num); !slices.Contains(c.Unreachable, bot.SMS) {
		t.Fatalf("contact %+v: want SMS unreachable", c)
	}
}

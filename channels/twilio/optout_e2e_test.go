package twilio_test

import (
	"strings"
	"testing"

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

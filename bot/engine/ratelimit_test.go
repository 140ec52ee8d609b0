package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/bot/risk"
)

func withFlood(burst int, every time.Duration) option {
	return func(c *engine.Config) { c.Flood = engine.FloodLimit{Burst: burst, Every: every} }
}

// TestFloodLimit: over the limit a message is kept, marked and screened,
// but gets no flow step and no reply; the first one opens an ordinary
// handoff; other people are not affected; the bucket refills.
func TestFloodLimit(t *testing.T) {
	mx := &metrics.Metrics{}
	al := &alerts{}
	w := newWorld(t, withFlood(3, time.Minute), withNotifier(al), func(c *engine.Config) { c.Metrics = mx })
	const flooder, other = "sms:+447700900201", "telegram:4201"

	for i := range 3 {
		if got := w.send(flooder, "help"); len(got) == 0 {
			t.Fatalf("message %d within the burst got no reply", i+1)
		}
	}
	for i := range 4 {
		if got := w.send(flooder, "help"); len(got) != 0 {
			t.Fatalf("message %d over the limit got replies %q", i+4, got)
		}
		// Another person is answered as ever, mid-flood.
		if i < 2 {
			if got := w.send(other, "help"); len(got) == 0 {
				t.Fatal("another person got no reply during the flood")
			}
		}
	}
	var in, limited int
	for _, m := range w.transcript(flooder) {
		if m.Direction == bot.In {
			in++
			if m.Limited != (in > 3) {
				t.Errorf("inbound %d: Limited = %v", in, m.Limited)
			}
			if m.Limited {
				limited++
			}
		}
	}
	if in != 7 || limited != 4 {
		t.Fatalf("transcript holds %d inbound (%d limited), want 7 (4)", in, limited)
	}
	for _, m := range w.transcript(other) {
		if m.Limited {
			t.Errorf("the other person's message %q is marked limited", m.Text)
		}
	}
	h := w.handoff(flooder)
	if h.Reason != bot.ReasonFlood || h.Urgent {
		t.Errorf("handoff = %+v, want an ordinary one for the flood", h)
	}
	if n := len(w.events(bot.EventRateLimited)); n != 1 {
		t.Errorf("%d rate-limited events, want 1 (the first of the stretch)", n)
	}
	if n := len(al.list()); n != 1 || al.list()[0].Kind != "handoff" || al.list()[0].Urgent {
		t.Errorf("alerts = %+v, want one ordinary handoff alert", al.list())
	}
	if got, _ := mx.Limited(bot.SMS); got != 4 {
		t.Errorf("metrics count %d limited SMS, want 4", got)
	}
	var page strings.Builder
	mx.WritePrometheus(&page, metrics.Gauges{})
	if !strings.Contains(page.String(), `linkline_inbound_limited_total{channel="sms"} 4`) {
		t.Errorf("/metrics lacks the limited count:\n%s", page.String())
	}

	// A minute on, one message is within the limit again: not marked, and
	// (the flood's handoff being open) it goes to the link workers.
	w.clock.Advance(time.Minute)
	w.send(flooder, "sorry, my phone went mad")
	tr := w.transcript(flooder)
	last := tr[len(tr)-1]
	if last.Direction != bot.In && len(tr) > 1 {
		last = tr[len(tr)-2] // before the note that the messages are with the team
	}
	if last.Limited || last.Direction != bot.In || last.Text != "sorry, my phone went mad" {
		t.Errorf("after a refill the message is %+v, want unmarked", last)
	}
}

// TestFloodLimitRisk: risk over the limit still gets the crisis reply and
// an urgent handoff; within the crisis window further risky messages are
// recorded but not answered again.
func TestFloodLimitRisk(t *testing.T) {
	al := &alerts{}
	w := newWorld(t, withFlood(2, time.Minute), withNotifier(al))
	const p = "sms:+447700900202"
	w.send(p, "hello")
	w.send(p, "yes")
	got := w.send(p, "i want to kill myself")
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("risk over the limit: replies %q, want the crisis text first", got)
	}
	if h := w.handoff(p); !h.Urgent || h.Reason != bot.ReasonRisk {
		t.Fatalf("handoff = %+v, want urgent for risk", h)
	}
	nAlerts := len(al.list())
	if got := w.send(p, "i want to end it all"); len(got) != 0 {
		t.Errorf("second risky message within the window: replies %q, want none", got)
	}
	if n := len(w.events(bot.EventRisk)); n != 2 {
		t.Errorf("%d risk events, want 2: every risky message is recorded", n)
	}
	if len(al.list()) != nAlerts {
		t.Errorf("link workers alerted again for every risky message of a flood: %+v", al.list()[nAlerts:])
	}
	// Once the window has passed (Burst×Every), the crisis text goes again.
	w.clock.Advance(2*time.Minute + time.Second)
	w.send(p, "hello") // spends the refilled tokens
	w.send(p, "hello")
	got = w.send(p, "i want to kill myself")
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Errorf("risk over the limit after the window: replies %q, want the crisis text", got)
	}
	for _, m := range w.transcript(p) {
		if m.Direction == bot.In && strings.Contains(m.Text, "myself") && !m.Limited {
			t.Errorf("risky message over the limit not marked: %+v", m)
		}
	}
}

// TestFloodLimitKeepsStopAndSkipsSim: STOP is honoured over the limit; the
// simulator is never limited.
func TestFloodLimitKeepsStopAndSkipsSim(t *testing.T) {
	w := newWorld(t, withFlood(1, time.Hour))
	const p, sim = "sms:+447700900203", "sim:try-1"
	w.send(p, "hello")
	w.send(p, "hello")
	if got := w.send(p, "STOP"); len(got) != 1 {
		t.Errorf("STOP over the limit: replies %q, want the one confirmation", got)
	}
	if !w.contact(p).OptedOut {
		t.Error("STOP over the limit did not opt the person out")
	}
	for i := range 5 {
		if got := w.send(sim, "help"); len(got) == 0 {
			t.Fatalf("simulator message %d got no reply", i+1)
		}
	}
}

// TestFloodLimitOffByDefault: an engine without a Flood limit answers
// every message.
func TestFloodLimitOffByDefault(t *testing.T) {
	w := newWorld(t)
	const p = "sms:+447700900204"
	for i := range 30 {
		w.send(p, "hello")
		if i == 29 {
			for _, m := range w.transcript(p) {
				if m.Limited {
					t.Fatal("a message was limited with no limit configured")
				}
			}
		}
	}
}

// TestMaxWaiting: with many messages from one address in flight at once,
// those beyond MaxWaiting are refused with ErrBusy before anything is
// stored, and every accepted one is in the transcript exactly once.
func TestMaxWaiting(t *testing.T) {
	mx := &metrics.Metrics{}
	w := newWorld(t, func(c *engine.Config) { c.MaxWaiting = 2; c.Metrics = mx })
	a, _ := bot.ParseAddress("sms:+447700900205")
	const n = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := map[string]bool{}
	var busy int
	for i := range n {
		wg.Go(func() {
			id := "SM" + string(rune('A'+i%26)) + string(rune('a'+i/26))
			err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "hello", ProviderID: id})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted[id] = true
			case errors.Is(err, bot.ErrBusy) && bot.ErrorCode(err) == bot.EBusy:
				busy++
			default:
				t.Errorf("Handle: %v", err)
			}
		})
	}
	wg.Wait()
	if len(accepted)+busy != n || len(accepted) < 2 {
		t.Fatalf("%d accepted, %d busy of %d", len(accepted), busy, n)
	}
	seen := map[string]int{}
	for _, m := range w.transcript("sms:+447700900205") {
		if m.Direction == bot.In {
			seen[m.ProviderID]++
		}
	}
	for id := range accepted {
		if seen[id] != 1 {
			t.Errorf("accepted %s is in the transcript %d times", id, seen[id])
		}
	}
	if len(seen) != len(accepted) {
		t.Errorf("transcript holds %d messages, %d were accepted", len(seen), len(accepted))
	}
	if _, b := mx.Limited(bot.SMS); b != int64(busy) {
		t.Errorf("metrics count %d busy, want %d", b, busy)
	}
}

// A provider delivering the same message again (Twilio's and Telegram's
// retries) does not use up the person's allowance: the repeat is dropped
// and its share given back.
func TestFloodLimitIgnoresRepeats(t *testing.T) {
	w := newWorld(t, withFlood(2, time.Hour))
	a, _ := bot.ParseAddress("sms:+447700900202")
	ctx := context.Background()
	for range 5 {
		if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "help", ProviderID: "SM-same"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "help", ProviderID: "SM-next"}); err != nil {
		t.Fatal(err)
	}
	var in, limited int
	for _, m := range w.transcript("sms:+447700900202") {
		if m.Direction == bot.In {
			in++
			if m.Limited {
				limited++
			}
		}
	}
	if in != 2 || limited != 0 {
		t.Fatalf("%d inbound stored, %d limited; want 2 and none limited (the repeats are dropped and free)", in, limited)
	}
}

// Opting out and back in work over the limit, as at any time.
func TestFloodLimitHonoursStopAndStart(t *testing.T) {
	w := newWorld(t, withFlood(2, time.Hour))
	const who = "sms:+447700900203"
	for range 3 {
		w.send(who, "help")
	}
	w.send(who, "STOP")
	if !w.contact(who).OptedOut {
		t.Fatal("STOP over the limit did not opt out")
	}
	w.send(who, "START")
	if w.contact(who).OptedOut {
		t.Fatal("START over the limit did not opt back in")
	}
}

// The flood limit's state is on the contact record: a restart neither
// gives a flooding number a fresh allowance nor forgets that its stretch
// over the limit has begun. (The buckets were in memory and reset.)
func TestFloodLimitSurvivesRestart(t *testing.T) {
	w := newWorld(t, withFlood(3, time.Hour))
	const flooder = "sms:+447700900301"
	for i := range 3 {
		if got := w.send(flooder, "help"); len(got) == 0 {
			t.Fatalf("message %d within the burst got no reply", i+1)
		}
	}
	if got := w.send(flooder, "help"); len(got) != 0 {
		t.Fatalf("the 4th message got replies %q", got)
	}
	w.restart(withFlood(3, time.Hour))
	if got := w.send(flooder, "help"); len(got) != 0 {
		t.Fatalf("after a restart the 5th message got replies %q, want none: the allowance is used up", got)
	}
	if n := len(w.events(bot.EventRateLimited)); n != 1 {
		t.Errorf("%d rate-limited events, want 1: the stretch began before the restart", n)
	}
	b := w.contact(flooder).Flood[flooder]
	if b == nil || !b.Over || b.Tokens >= 1 {
		t.Fatalf("bucket on the record = %+v, want over the limit with no token", b)
	}
	// An hour later one message is answered again.
	w.clock.Advance(time.Hour)
	if got := w.send(flooder, "help"); len(got) == 0 {
		t.Fatal("after the refill the message got no reply")
	}
}

// TestFloodLimitOutsideCountries: a number the service does not answer is
// still counted against the flood limit. Its turn returns before the
// contact is saved with the message's other changes, so it must save the
// bucket itself (each message would otherwise find the bucket full).
func TestFloodLimitOutsideCountries(t *testing.T) {
	w := newWorld(t, withFlood(2, time.Hour))
	const foreign = "sms:+15555550123"
	for range 4 {
		if got := w.send(foreign, "hello"); len(got) != 0 {
			t.Fatalf("a number outside the countries got replies %q", got)
		}
	}
	var limited []bool
	for _, m := range w.transcript(foreign) {
		if m.Direction == bot.In {
			limited = append(limited, m.Limited)
		}
	}
	if want := []bool{false, false, true, true}; !slices.Equal(limited, want) {
		t.Fatalf("inbound Limited = %v, want %v", limited, want)
	}
}

package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
)

// A provider's Retry-After is a floor, not a replacement for the backoff:
// a message throttled again and again still waits longer each time, so
// MaxAttempts spans the backoff's hours rather than a dozen seconds of
// 429s. (Before, each 429 retried after its one second, and twelve of them
// failed the message for good.)
func TestRetryAfterDoesNotShortenBackoff(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
	}{
		{"short Retry-After", time.Second},
		{"long Retry-After", 90 * time.Second},
		{"none", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			const fails = 6
			var results []error
			for range fails {
				results = append(results, &bot.SendError{Code: "429", RetryAfter: tc.retryAfter})
			}
			s := &scriptedSender{results: results}
			base := 2 * time.Second
			w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s},
				outbox.DispatchOptions{Clock: w.clock, BaseBackoff: base, MaxBackoff: time.Hour})
			a, _ := bot.ParseAddress(person)
			if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "HELP"}); err != nil {
				t.Fatal(err)
			}
			for n := 1; n <= fails; n++ {
				if err := w.disp.Drain(context.Background()); err != nil {
					t.Fatal(err)
				}
				row := outboxRows(t, w)[0]
				wait := row.NextAttempt.Sub(w.clock.Now())
				least := max(tc.retryAfter, (base<<(n-1))/2)
				if row.Status != bot.StatusPending || row.Attempts != n || wait < least {
					t.Fatalf("after failure %d: %s, attempt %d, retry in %v; want pending, retry in at least %v",
						n, row.Status, row.Attempts, wait, least)
				}
				w.clock.Advance(wait)
			}
			if err := w.disp.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			if row := outboxRows(t, w)[0]; row.Status != bot.StatusSent {
				t.Fatalf("after the throttling ended: %+v", row)
			}
		})
	}
}

// partsSender fails its first attempt after accepting two parts of a long
// message, and records where each attempt started.
type partsSender struct{ starts []int }

func (s *partsSender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	s.starts = append(s.starts, o.PartsSent)
	if len(s.starts) == 1 {
		return "", &bot.SendError{Code: "502", PartsSent: 2}
	}
	return "P1", nil
}

// The parts a failed attempt got accepted are recorded on the row, and the
// retry is handed the row with them, so it can start after them.
func TestRetryKnowsThePartsSent(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := &partsSender{}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s},
		outbox.DispatchOptions{Clock: w.clock, BaseBackoff: time.Second})
	a, _ := bot.ParseAddress(person)
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "HELP"}); err != nil {
		t.Fatal(err)
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if row := outboxRows(t, w)[0]; row.Status != bot.StatusPending || row.PartsSent != 2 {
		t.Fatalf("after a failure two parts in: %+v", row)
	}
	w.clock.Advance(time.Minute)
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if row := outboxRows(t, w)[0]; row.Status != bot.StatusSent || len(s.starts) != 2 || s.starts[1] != 2 {
		t.Fatalf("retry started at parts %v; row %+v", s.starts, row)
	}
}

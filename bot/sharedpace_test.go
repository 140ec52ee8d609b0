package bot_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
)

// freeSender is a PacedSender with no pace of its own.
type freeSender struct{ sent atomic.Int32 }

func (f *freeSender) Send(context.Context, *bot.Outbound) (string, error) {
	f.sent.Add(1)
	return "x", nil
}
func (f *freeSender) Pace(context.Context) (func(), error) { return func() {}, nil }
func (f *freeSender) SendPaced(ctx context.Context, o *bot.Outbound) (string, error) {
	return f.Send(ctx, o)
}

// TestSharedPaceKeepsRate: two paces sharing one bucket, each set to the
// identity's full rate, together let through no more than the rate in
// any second, however their tokens are batched.
func TestSharedPaceKeepsRate(t *testing.T) {
	for _, rate := range []float64{1, 10, 400} {
		store, err := bolt.Open(context.Background(), filepath.Join(t.TempDir(), "pace.db"), bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		clock := bot.NewManualClock(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
		paces := []*bot.SharedPace{
			{PacedSender: &freeSender{}, Store: store, Key: "pace:sms", Rate: rate, Clock: clock},
			{PacedSender: &freeSender{}, Store: store, Key: "pace:sms", Rate: rate, Clock: clock},
		}
		// Ask for a token as fast as possible, the clock moving a
		// millisecond between asks, for 5 seconds of clock time.
		var granted []time.Time
		step := 4 * time.Millisecond
		for i := 0; i < 1250; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			release, err := paces[i%2].Pace(ctx)
			cancel()
			if err == nil {
				release()
				granted = append(granted, clock.Now())
			}
			clock.Advance(step)
		}
		store.Close()
		if len(granted) < int(rate*3) {
			t.Fatalf("rate %g: only %d tokens in 5 s", rate, len(granted))
		}
		for i := range granted {
			n := 0
			for j := i; j < len(granted) && granted[j].Sub(granted[i]) < time.Second; j++ {
				n++
			}
			if float64(n) > rate {
				t.Fatalf("rate %g: %d tokens within one second from %s", rate, n, granted[i].Format("15:04:05.000"))
			}
		}
	}
}

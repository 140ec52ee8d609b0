package twilio

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestPacerSlowsDownAndRecovers(t *testing.T) {
	p := newPacer(16)
	for i, want := range []float64{12.8, 10.24, 8.192, 6.5536, 5.24288, 4.194304, 3.3554432, 2.68435456, 2.147483648, 1.7179869184, 1.37438953472, 1.099511627776, 1, 1} {
		wait := p.slowDown()
		if got := p.current(); got < want-1e-9 || got > want+1e-9 {
			t.Fatalf("after %d slow-downs rate %v, want %v", i+1, got, want)
		}
		if wait < time.Second {
			t.Errorf("asked to wait %v, want at least a second", wait)
		}
	}
	p.mu.Lock()
	p.slowUntil = time.Now().Add(-time.Second)
	p.mu.Unlock()
	done, err := p.wait(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	done()
	if got := p.current(); got != 16 {
		t.Fatalf("rate after the slow period %v, want 16", got)
	}
}

func TestPacerNeverBurstsAfterAStall(t *testing.T) {
	p := newPacer(50 / headroom) // one per 20ms
	done, err := p.wait(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	done()
	// Many senders were waiting through a stall: they are released one
	// interval apart, not all at once.
	time.Sleep(100 * time.Millisecond)
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if done, err := p.wait(t.Context()); err == nil {
				done()
				mu.Lock()
				at = append(at, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	// Five sends at one per 20ms take at least four intervals, less what a
	// late wake-up may claw back (one interval): a burst would take ~0.
	if span := at[len(at)-1].Sub(at[0]); span < 60*time.Millisecond {
		t.Fatalf("5 sends released within %v after a stall, want them spread over at least 60ms", span)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait = %v", err)
	}
}

// TestPacerWindowHoldsUnderJitter releases sends to a provider that sees
// each one after a random delay (the network, a descheduled goroutine) and
// answers after another, and checks that no one-second window of arrivals
// ever holds more than the rate: spacing alone would let delayed requests
// bunch up behind on-time ones and earn a 429.
func TestPacerWindowHoldsUnderJitter(t *testing.T) {
	const rate = 40
	p := newPacer(rate)
	var mu sync.Mutex
	var arrivals []time.Time
	var wg sync.WaitGroup
	rng := rand.New(rand.NewPCG(1, 2))
	// The first 10 requests are held up on their way (a stalled connection)
	// and all arrive together 300ms after the first left, just as the
	// requests released on time meanwhile do; the rest take 0-10ms.
	held := time.Now().Add(300 * time.Millisecond)
	for i := range 3 * rate {
		done, err := p.wait(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.IntN(10)) * time.Millisecond
		if i < 10 {
			delay = time.Until(held)
		}
		wg.Go(func() {
			defer done()
			time.Sleep(delay)
			mu.Lock()
			arrivals = append(arrivals, time.Now())
			mu.Unlock()
			time.Sleep(time.Millisecond) // the answer's way back
		})
	}
	wg.Wait()
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	for i := range arrivals {
		j := i
		for j < len(arrivals) && arrivals[j].Sub(arrivals[i]) < time.Second {
			j++
		}
		if j-i > rate {
			t.Fatalf("%d requests arrived within one second from arrival %d, want at most %d", j-i, i, rate)
		}
	}
}

func TestPacerWindowCountsRequestsInFlight(t *testing.T) {
	p := newPacer(2)
	var dones []func()
	for range 2 {
		done, err := p.wait(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		dones = append(dones, done)
	}
	// Two in flight, limit two: a third must wait for an answer and a
	// second after it, however long the spacing has allowed.
	ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
	defer cancel()
	if _, err := p.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third send with two in flight: %v, want it held", err)
	}
	for _, done := range dones {
		done()
		done() // a second call is harmless
	}
	p.mu.Lock()
	inflight := p.inflight
	p.mu.Unlock()
	if inflight != 0 {
		t.Fatalf("in flight after both answered: %d", inflight)
	}
}

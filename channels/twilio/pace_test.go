package twilio

import (
	"context"
	"errors"
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
	if err := p.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := p.current(); got != 16 {
		t.Fatalf("rate after the slow period %v, want 16", got)
	}
}

func TestPacerNeverBurstsAfterAStall(t *testing.T) {
	p := newPacer(50 / headroom) // one per 20ms
	if err := p.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Many senders were waiting through a stall: they are released one
	// interval apart, not all at once.
	time.Sleep(100 * time.Millisecond)
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if err := p.wait(t.Context()); err == nil {
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
	if err := p.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait = %v", err)
	}
}

package twilio

import (
	"context"
	"errors"
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

func TestPacerGivesBackAbandonedSlot(t *testing.T) {
	p := newPacer(0.01 / headroom) // one per 100s
	if err := p.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := p.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want deadline", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if d := time.Until(p.next); d > 101*time.Second || d < 99*time.Second {
		t.Fatalf("next slot in %v, want about 100s (the abandoned slot given back)", d)
	}
}

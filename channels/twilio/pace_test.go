package twilio

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPacerSlowsDownAndRecovers(t *testing.T) {
	p := newPacer(16)
	for i, want := range []float64{8, 4, 2, 1, 1} {
		wait := p.slowDown()
		if got := p.current(); got != want {
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
	p := newPacer(0.01) // one per 100s
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

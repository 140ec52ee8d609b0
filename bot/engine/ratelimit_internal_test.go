package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestFloodGateWaiting: at most maxWaiting requests per address wait;
// others are refused with ErrBusy, other addresses are unaffected, and a
// finished request frees its place.
func TestFloodGateWaiting(t *testing.T) {
	g := newFloodGate(FloodLimit{}, 2)
	l1, err1 := g.enter("sms:+1")
	l2, err2 := g.enter("sms:+1")
	if err1 != nil || err2 != nil {
		t.Fatalf("first two: %v, %v", err1, err2)
	}
	if _, err := g.enter("sms:+1"); !errors.Is(err, bot.ErrBusy) {
		t.Fatalf("third waiting from one address: %v, want bot.ErrBusy", err)
	}
	l3, err := g.enter("sms:+2")
	if err != nil {
		t.Fatalf("another address: %v", err)
	}
	l1()
	l4, err := g.enter("sms:+1")
	if err != nil {
		t.Fatalf("after one finished: %v", err)
	}
	l2()
	l3()
	l4()
	if len(g.waiting) != 0 {
		t.Errorf("waiting = %v after all finished, want empty", g.waiting)
	}
}

// TestFloodGateTake: the burst, the refill, the first-of-stretch flag and
// the crisis window, on a bucket carried from message to message as the
// contact record carries it.
func TestFloodGateTake(t *testing.T) {
	g := newFloodGate(FloodLimit{Burst: 2, Every: time.Minute}, 0)
	a := bot.Address{Channel: bot.SMS, ID: "+447700900001"}
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at                  time.Duration
		over, first, crisis bool
		sentCrisis          bool
	}{
		{at: 0},
		{at: 0},
		{at: 0, over: true, first: true, crisis: true, sentCrisis: true},
		{at: time.Second, over: true, first: false, crisis: false},
		{at: 61 * time.Second}, // one refilled
		{at: 62 * time.Second, over: true, first: true, crisis: false}, // a new stretch, same window
		{at: 4 * time.Minute}, // refilled (2 tokens) and the window passed
		{at: 4 * time.Minute},
		{at: 4 * time.Minute, over: true, first: true, crisis: true},
	}
	var b *bot.FloodBucket
	for i, s := range steps {
		var v floodVerdict
		v, b = g.take(b, a, t0.Add(s.at))
		if v.over != s.over || v.first != s.first || v.crisis != s.crisis {
			t.Fatalf("step %d: %+v, want over %v first %v crisis %v", i, v, s.over, s.first, s.crisis)
		}
		if v.over {
			b.Over = true // settleFlood does, once the message is handled
		}
		if s.sentCrisis {
			b.CrisisAt = t0.Add(s.at)
		}
	}
	// Until a message over the limit is handled, the next one is still the
	// first of its stretch: a failed write does not use it up.
	h := newFloodGate(FloodLimit{Burst: 1, Every: time.Hour}, 0)
	_, hb := h.take(nil, a, t0)
	v, _ := h.take(hb, a, t0)
	if !v.over || !v.first {
		t.Fatalf("first over the limit: %+v", v)
	}
	if v, _ := h.take(hb, a, t0); !v.over || !v.first {
		t.Fatalf("over the limit again, nothing stored in between: %+v, want still the first", v)
	}
	if v, sb := g.take(nil, bot.Address{Channel: bot.Sim, ID: "x"}, t0); v.over || sb != nil {
		t.Error("the simulator was limited")
	}
}

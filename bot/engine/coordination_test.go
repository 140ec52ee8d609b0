package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/timer"
)

// recordingSender records every row it is asked to send.
type recordingSender struct {
	mu   sync.Mutex
	sent map[uint64]int
}

func (s *recordingSender) Send(_ context.Context, o *bot.Outbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sent == nil {
		s.sent = map[uint64]int{}
	}
	s.sent[o.ID]++
	return fmt.Sprint("P", o.ID), nil
}

func (s *recordingSender) counts() map[uint64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[uint64]int{}
	for k, v := range s.sent {
		out[k] = v
	}
	return out
}

// Two dispatchers on one store (as two processes on one database would
// be) send every row exactly once: rows are claimed in the store, not in
// either one's memory.
func TestTwoDispatchersSendEachRowOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.clock.Set(time.Now())
	backlog(t, w, 2000)
	a, b := &recordingSender{}, &recordingSender{}
	opts := func(owner string) outbox.DispatchOptions {
		return outbox.DispatchOptions{Clock: bot.SystemClock{}, Owner: owner, Workers: 4}
	}
	da := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: a}, opts("a"))
	db := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: b}, opts("b"))
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, d := range []*outbox.Dispatcher{da, db} {
		wg.Go(func() {
			if err := d.Run(rctx); err != nil {
				t.Error(err)
			}
		})
	}
	until(t, "every row sent", func() bool { return len(a.counts())+len(b.counts()) >= 2000 })
	cancel()
	wg.Wait()
	ca, cb := a.counts(), b.counts()
	for id, n := range ca {
		if n != 1 || cb[id] != 0 {
			t.Fatalf("row %d sent %d times by a and %d by b, want once in all", id, n, cb[id])
		}
	}
	for id, n := range cb {
		if n != 1 {
			t.Fatalf("row %d sent %d times by b", id, n)
		}
	}
	if len(ca)+len(cb) != 2000 {
		t.Fatalf("%d + %d rows sent, want 2000", len(ca), len(cb))
	}
	for _, o := range outboxRows(t, w) {
		if o.Status != bot.StatusSent || o.Owner != "" {
			t.Fatalf("row %d: %s, owner %q; want sent and unclaimed", o.ID, o.Status, o.Owner)
		}
	}
}

// A claim whose owner died passes to another dispatcher once its lease
// runs out, and not before; a finish by the owner whose lease passed to
// another is refused, so the record is the new owner's.
func TestClaimLeaseRunsOut(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := enqueue(t, w, bot.Address{Channel: bot.SMS, ID: "+447700900401"}, "hello", bot.Outbound{})
	// A dispatcher that dies mid-send: it claimed the row and is stuck in
	// its send.
	stuck := &blockingSender{release: make(chan struct{}), entered: make(chan struct{})}
	dead := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: stuck},
		outbox.DispatchOptions{Clock: w.clock, Owner: "dead", Lease: time.Minute})
	done := make(chan error, 1)
	go func() { done <- dead.Drain(ctx) }()
	<-stuck.entered

	live := &recordingSender{}
	other := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: live},
		outbox.DispatchOptions{Clock: w.clock, Owner: "live", Lease: time.Minute})
	if err := other.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := live.counts()[id]; n != 0 {
		t.Fatalf("sent %d times under another's lease", n)
	}
	w.clock.Advance(2 * time.Minute)
	if err := other.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := live.counts()[id]; n != 1 {
		t.Fatalf("sent %d times after the lease ran out, want 1", n)
	}
	close(stuck.release) // the deposed owner's send returns; its record is refused
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	o := outboxRows(t, w)[id-1]
	if o.Status != bot.StatusSent || o.ProviderID != fmt.Sprint("P", id) || o.Owner != "" {
		t.Fatalf("row = %+v, want sent as the live dispatcher recorded it", o)
	}
}

// blockingSender blocks every send until release is closed.
type blockingSender struct {
	release, entered chan struct{}
	once             sync.Once
}

func (s *blockingSender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	return "DEAD", nil
}

// Two schedulers, each with its own engine, on one store fire each timer
// once: a timer is taken in the same transaction as its effects.
func TestTwoSchedulersFireEachTimerOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const people = 60
	for i := range people {
		w.send(fmt.Sprintf("sms:+4477009005%02d", i), "hi")
	}
	before := len(outboxRows(t, w))
	w.clock.Advance(25 * time.Hour) // every reminder is due
	var scheds []*timer.Scheduler
	for range 2 {
		eng, err := engine.NewEngine(w.cfg)
		if err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, timer.NewScheduler(w.store, eng.TimerKinds(), w.clock, nil))
	}
	var wg sync.WaitGroup
	for _, s := range scheds {
		wg.Go(func() {
			if _, err := s.FireDue(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rows := outboxRows(t, w)[before:]
	per := map[string]int{}
	for _, o := range rows {
		per[o.ContactID]++
	}
	// A reminder is two messages: the reminder and the question again.
	if len(rows) != 2*people || len(per) != people {
		t.Fatalf("%d reminder messages queued for %d people, want two each for %d", len(rows), len(per), people)
	}
	for c, n := range per {
		if n != 2 {
			t.Fatalf("contact %s got %d reminder messages", c, n)
		}
	}
	// Each person's expiry is left, once; no reminder is left behind.
	left := map[string]int{}
	if err := w.store.View(ctx, func(tx bot.Tx) error {
		return tx.Timers(func(tm *bot.Timer) bool { left[string(tm.Kind)]++; return true })
	}); err != nil {
		t.Fatal(err)
	}
	if left[string(bot.TimerExpire)] != people || left[string(bot.TimerRemind)] != 0 {
		t.Fatalf("timers left: %v, want %d expiries", left, people)
	}
}

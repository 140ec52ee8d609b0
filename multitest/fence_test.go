package multitest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// gate is a Sender whose sends wait until the test opens it.
type gate struct {
	entered chan string
	open    chan struct{}
	sent    atomic.Int32
}

func (g *gate) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	g.entered <- o.Text
	select {
	case <-g.open:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	g.sent.Add(1)
	return "SMfenced", nil
}

// errs is a store that remembers the errors its Updates returned.
type errs struct {
	bot.Store
	mu  sync.Mutex
	got []error
}

func (s *errs) Update(ctx context.Context, fn func(bot.Tx) error) error {
	err := s.Store.Update(ctx, fn)
	if err != nil {
		s.mu.Lock()
		s.got = append(s.got, err)
		s.mu.Unlock()
	}
	return err
}

func (s *errs) fenced() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, err := range s.got {
		if errors.Is(err, postgres.ErrFenced) {
			return true
		}
	}
	return false
}

// TestDeposedLeaderFenced: work run under a lease (store/postgres Lead
// gives it a context fenced by its epoch) writes nothing once the lease
// has passed to another instance: the dispatcher's record of a send that
// finished late, the scheduler's firing of a due timer, a retention
// sweep. The new leader's epoch does all three.
func TestDeposedLeaderFenced(t *testing.T) {
	dbURL := pgtest.URL(t)
	ctx := context.Background()
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, dbURL, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	clock := bot.NewManualClock(start)
	storeA := &errs{Store: dbA}
	g := &gate{entered: make(chan string, 8), open: make(chan struct{})}
	disp := outbox.NewDispatcher(storeA, map[bot.Channel]bot.Sender{bot.SMS: g}, outbox.DispatchOptions{Owner: "a", Lease: time.Minute, Workers: 1})
	cfg := bottest.Config(t, storeA)
	cfg.Clock, cfg.OnOutbox = clock, disp.Wake
	engA, err := engine.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	say := func(from, text string) {
		t.Helper()
		if err := engA.Handle(ctx, bot.Inbound{Address: bot.Address{Channel: bot.SMS, ID: from}, Text: text}); err != nil {
			t.Fatal(err)
		}
	}

	// A person at risk (an SLA timer) and one who said no (a transcript
	// for retention), eight days ago.
	say("+447700900401", "i want to kill myself")
	say("+447700900402", "hello")
	say("+447700900402", "no")
	clock.Advance(8 * 24 * time.Hour)

	// A leads; its dispatcher runs fenced and is sending when A is deposed.
	const short = time.Second
	epochA, ok, err := dbA.Acquire(ctx, "background", "a", short)
	if err != nil || !ok {
		t.Fatalf("a takes the lease: %v %v", ok, err)
	}
	fa := postgres.WithFence(ctx, "background", "a", epochA)
	dctx, stop := context.WithCancel(fa)
	done := make(chan struct{})
	go func() { defer close(done); _ = disp.Run(dctx) }()
	t.Cleanup(func() { stop(); close(g.open); <-done })
	<-g.entered // a send is in flight

	// The lease runs out (A paused) and B takes it at a higher epoch.
	var epochB int64
	waitFor(t, 10*time.Second, "b to take the lease", func() bool {
		e, ok, err := dbB.Acquire(ctx, "background", "b", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		epochB = e
		return ok
	})
	if epochB <= epochA {
		t.Fatalf("b leads at epoch %d, not after a's %d", epochB, epochA)
	}
	fb := postgres.WithFence(ctx, "background", "b", epochB)

	// The dispatcher finishes late: the provider took the message, but
	// its record is refused and the row stays pending, to be sent again
	// once A's claim runs out (a row in flight).
	g.open <- struct{}{}
	waitFor(t, 10*time.Second, "a's late record to be refused", storeA.fenced)
	sent := 0
	if err := dbB.View(ctx, func(tx bot.Tx) error {
		return tx.Outbox(func(o *bot.Outbound) bool {
			if o.Status == bot.StatusSent {
				sent++
			}
			return true
		})
	}); err != nil {
		t.Fatal(err)
	}
	if sent != 0 {
		t.Fatalf("%d rows recorded sent by a deposed leader", sent)
	}

	// The scheduler fires the due SLA timer: refused under A's epoch,
	// done under B's.
	schedA := timer.NewScheduler(storeA, engA.TimerKinds(), clock, nil)
	if n, err := schedA.FireDue(fa); !errors.Is(err, postgres.ErrFenced) || n != 0 {
		t.Fatalf("deposed scheduler fired %d timers, err %v; want 0, ErrFenced", n, err)
	}
	if n, err := schedA.FireDue(fb); err != nil || n == 0 {
		t.Fatalf("the leader's scheduler fired %d timers, err %v", n, err)
	}

	// Retention: A's sweep removes nothing; B's removes the old transcript.
	ret := &privacy.Retention{Store: storeA, Clock: clock, After: 7 * 24 * time.Hour}
	if res, err := ret.Sweep(fa); err != nil || res.Messages != 0 {
		t.Fatalf("deposed retention removed %d messages (err %v)", res.Messages, err)
	}
	if res, err := ret.Sweep(fb); err != nil || res.Messages == 0 {
		t.Fatalf("the leader's retention removed %d messages (err %v), want the old transcript", res.Messages, err)
	}
}

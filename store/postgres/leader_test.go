package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// TestLease: one holder at a time; the epoch rises when the lease changes
// hands; a deposed holder's fenced write is refused.
func TestLease(t *testing.T) {
	t.Parallel()
	db := openTest(t, pgtest.URL(t))
	defer db.Close()
	ctx := context.Background()
	steps := []struct {
		holder    string
		ok        bool
		wantEpoch int64
	}{
		{"a", true, 1},  // free: a takes it
		{"b", false, 0}, // a holds it
		{"a", true, 1},  // a renews: same epoch
	}
	for i, st := range steps {
		e, ok, err := db.Acquire(ctx, "bg", st.holder, time.Hour)
		if err != nil || ok != st.ok || e != st.wantEpoch {
			t.Fatalf("step %d: %s acquires: epoch %d, %v, %v; want %d, %v", i, st.holder, e, ok, err, st.wantEpoch, st.ok)
		}
	}
	if err := db.Release(ctx, "bg", "b"); err != nil { // not b's: nothing happens
		t.Fatal(err)
	}
	if _, ok, _ := db.Acquire(ctx, "bg", "b", time.Hour); ok {
		t.Fatal("b took the lease a holds after b released it")
	}
	if err := db.Release(ctx, "bg", "a"); err != nil {
		t.Fatal(err)
	}
	if e, ok, err := db.Acquire(ctx, "bg", "b", time.Hour); err != nil || !ok || e != 2 {
		t.Fatalf("b after a released: epoch %d, %v, %v; want 2", e, ok, err)
	}
	fenced := func(holder string, epoch int64) error {
		return db.Update(ctx, func(tx bot.Tx) error {
			if err := Fence(tx, "bg", holder, epoch); err != nil {
				return err
			}
			return tx.PutSetting("written.by", holder)
		})
	}
	if err := fenced("a", 1); !errors.Is(err, ErrFenced) {
		t.Errorf("deposed a's fenced write: %v, want ErrFenced", err)
	}
	if err := fenced("b", 2); err != nil {
		t.Errorf("b's fenced write: %v", err)
	}
	db.View(ctx, func(tx bot.Tx) error {
		if v, _ := tx.Setting("written.by"); v != "b" {
			t.Errorf("written.by = %q, want b (a's write must not land)", v)
		}
		return nil
	})
}

// TestLeadFailover: of two instances one leads; when it dies without
// letting go, the other takes over once the lease has run out, at a
// higher epoch, and the dead one's epoch is fenced off.
func TestLeadFailover(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	type lead struct {
		who   string
		epoch int64
	}
	started := make(chan lead, 10)
	work := func(who string) func(context.Context, int64) {
		return func(ctx context.Context, epoch int64) {
			started <- lead{who, epoch}
			<-ctx.Done()
		}
	}
	dbs := map[string]*DB{"a": openTest(t, url), "b": openTest(t, url)}
	cancels := map[string]context.CancelFunc{}
	dones := map[string]chan struct{}{}
	for who, db := range dbs {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[who], dones[who] = cancel, make(chan struct{})
		go func() { db.Lead(ctx, "bg", who, time.Second, work(who)); close(dones[who]) }()
	}
	defer func() {
		for who := range dbs {
			cancels[who]()
			<-dones[who]
			dbs[who].Close()
		}
	}()
	next := func() lead {
		t.Helper()
		select { // a failure guard, not a measurement
		case l := <-started:
			return l
		case <-time.After(60 * time.Second):
			t.Fatal("no instance took the lead")
		}
		return lead{}
	}
	first := next()
	other := map[string]string{"a": "b", "b": "a"}[first.who]
	// The leader dies: its connections close, it never releases.
	dbs[first.who].pool.Close()
	second := next()
	if second.who != other || second.epoch <= first.epoch {
		t.Fatalf("after %v died, %v took the lead; want %s at a higher epoch", first, second, other)
	}
	err := dbs[other].Update(context.Background(), func(tx bot.Tx) error { return Fence(tx, "bg", first.who, first.epoch) })
	if !errors.Is(err, ErrFenced) {
		t.Errorf("the dead leader's epoch: %v, want ErrFenced", err)
	}
}

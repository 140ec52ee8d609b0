package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// timer returns the stored timer id, or nil.
func (w *world) timer(id string) *bot.Timer {
	w.t.Helper()
	var got *bot.Timer
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Timers(func(tm *bot.Timer) bool {
			if tm.ID == id {
				got = tm
				return false
			}
			return true
		})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return got
}

// A person who answers between the scheduler reading a due reminder and
// firing it has a new reminder under the same id: the stale fire must leave
// it alone (it used to delete it by id, so the person was never reminded).
func TestStaleReminderKeepsItsReplacement(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.send(person, "hi")
	id := "remind:" + w.contact(person).ID
	w.clock.Advance(25 * time.Hour)
	stale := w.timer(id)
	if stale == nil || stale.Due.After(w.clock.Now()) {
		t.Fatalf("reminder = %+v, want one due by %v", stale, w.clock.Now())
	}
	// The scheduler has read the due timer; now the person answers.
	w.send(person, "yes")
	fresh := w.timer(id)
	if fresh == nil || !fresh.Due.After(w.clock.Now()) {
		t.Fatalf("reminder after the answer = %+v, want one due later", fresh)
	}
	if err := w.engine.Fire(ctx, *stale); err != nil {
		t.Fatalf("stale Fire: %v", err)
	}
	after := w.timer(id)
	if after == nil || !after.Due.Equal(fresh.Due) || after.Step != fresh.Step {
		t.Fatalf("reminder after the stale fire = %+v, want %+v", after, fresh)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("stale fire sent %q", got)
	}
	// The replacement still fires when it falls due.
	w.clock.Set(fresh.Due)
	if n, err := w.sched.FireDue(ctx); err != nil || n != 1 {
		t.Fatalf("FireDue = %d, %v; want the new reminder", n, err)
	}
	if got := w.replies(a); len(got) != 1 {
		t.Fatalf("new reminder sent %q, want one message", got)
	}
	// A duplicate fire of a timer already taken does nothing.
	if err := w.engine.Fire(ctx, *fresh); err != nil {
		t.Fatalf("duplicate Fire: %v", err)
	}
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("duplicate fire sent %q", got)
	}
}

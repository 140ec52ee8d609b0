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
// firing it has a later reminder: the fire must neither remind them nor
// lose the later reminder (it used to delete the timer by id, so the person
// was never reminded). An answer does not move the timer row; the fire finds
// the conversation's real due time, later, and arms the row again for it. A
// second, stale fire of the row it read must leave that row alone.
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
	// The scheduler has read the due timer; now the person answers. The
	// row stays (it would have moved on every message).
	w.send(person, "yes")
	if row := w.timer(id); row == nil || !row.Due.Equal(stale.Due) {
		t.Fatalf("reminder row after the answer = %+v, want it left at %v", row, stale.Due)
	}
	remindAt := w.conversation(person).RemindAt
	if want := w.clock.Now().Add(24 * time.Hour); !remindAt.Equal(want) {
		t.Fatalf("conversation's reminder due %v, want %v", remindAt, want)
	}
	if err := w.engine.Fire(ctx, *stale); err != nil {
		t.Fatalf("stale Fire: %v", err)
	}
	fresh := w.timer(id)
	if fresh == nil || !fresh.Due.Equal(remindAt) {
		t.Fatalf("reminder after the early fire = %+v, want one due %v", fresh, remindAt)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("early fire sent %q", got)
	}
	// A duplicate of the fire, with the due time it read, leaves the
	// re-armed row alone.
	if err := w.engine.Fire(ctx, *stale); err != nil {
		t.Fatalf("duplicate stale Fire: %v", err)
	}
	if after := w.timer(id); after == nil || !after.Due.Equal(fresh.Due) || after.Step != fresh.Step {
		t.Fatalf("reminder after the duplicate fire = %+v, want %+v", after, fresh)
	}
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("duplicate fire sent %q", got)
	}
	// The re-armed reminder fires when it falls due.
	w.clock.Set(fresh.Due)
	if n, err := w.sched.FireDue(ctx); err != nil || n != 1 {
		t.Fatalf("FireDue = %d, %v; want the new reminder", n, err)
	}
	if got := w.replies(a); len(got) != 2 {
		t.Fatalf("new reminder sent %q, want the reminder and the question", got)
	}
	// A duplicate fire of a timer already taken does nothing.
	if err := w.engine.Fire(ctx, *fresh); err != nil {
		t.Fatalf("duplicate Fire: %v", err)
	}
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("duplicate fire sent %q", got)
	}
}

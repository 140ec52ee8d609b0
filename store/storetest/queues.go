package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func pending(t *testing.T, tx bot.Tx, now time.Time, limit int) []uint64 {
	t.Helper()
	rows, err := collect(limit, func(fn func(*bot.Outbound) bool) error { return tx.Pending(now, fn) })
	if err != nil {
		t.Fatalf("Pending: %v", err)
	}
	out := make([]uint64, len(rows))
	for i, o := range rows {
		if o.Status != bot.StatusPending {
			t.Errorf("Pending passed row %d with status %s", o.ID, o.Status)
		}
		out[i] = o.ID
	}
	// PendingIDs sees the same rows in the same order, without reading them.
	var ids []uint64
	if err := tx.PendingIDs(now, func(id uint64) bool {
		ids = append(ids, id)
		return limit <= 0 || len(ids) < limit
	}); err != nil {
		t.Fatalf("PendingIDs: %v", err)
	}
	if !slices.Equal(ids, out) {
		t.Errorf("PendingIDs = %v, Pending = %v", ids, out)
	}
	return out
}

func nextPending(t *testing.T, s bot.Store) (time.Time, bool) {
	t.Helper()
	var at time.Time
	var ok bool
	view(t, s, func(tx bot.Tx) (err error) { at, ok, err = tx.NextPendingAfter(longAgo); return err })
	return at, ok
}

func testOutbox(t *testing.T, s bot.Store) {
	o := &bot.Outbound{ContactID: "c1", To: sms("+447700900001"), Text: "hello",
		Choices: []bot.Choice{{Value: "y", Label: "Yes"}}, CreatedAt: t0, Urgent: true, Final: true,
		Status: bot.StatusPending, NextAttempt: t0, UpdatedAt: t0}
	update(t, s, func(tx bot.Tx) error { return tx.Enqueue(o) })
	if o.ID == 0 {
		t.Fatal("Enqueue assigned no id")
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Outbound(o.ID)
		if err != nil || !reflect.DeepEqual(got, o) {
			t.Errorf("Outbound = %+v, %v\nwant %+v", got, err, o)
		}
		_, err = tx.Outbound(o.ID + 100)
		wantNotFound(t, "Outbound(unknown)", err)
		return nil
	})
	// A temporary failure moves the row later; a success moves it out of pending.
	o.Attempts, o.NextAttempt, o.Error = 1, t0.Add(time.Minute), "timeout"
	update(t, s, func(tx bot.Tx) error { return tx.PutOutbound(o) })
	view(t, s, func(tx bot.Tx) error {
		if got := pending(t, tx, t0, 0); len(got) != 0 {
			t.Errorf("after retry scheduled, Pending(t0) = %v; want none (old attempt time dropped)", got)
		}
		if got := pending(t, tx, t0.Add(time.Minute), 0); !slices.Equal(got, []uint64{o.ID}) {
			t.Errorf("Pending(t0+1m) = %v, want [%d]", got, o.ID)
		}
		return nil
	})
	if at, ok := nextPending(t, s); !ok || !at.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextPendingAfter = %v, %v; want t0+1m", at, ok)
	}
	// NextPendingAfter: strictly after its argument.
	for _, c := range []struct {
		after time.Time
		ok    bool
	}{{t0, true}, {t0.Add(time.Minute - time.Millisecond), true}, {t0.Add(time.Minute), false}, {t0.Add(time.Hour), false}} {
		view(t, s, func(tx bot.Tx) error {
			at, ok, err := tx.NextPendingAfter(c.after)
			if err != nil || ok != c.ok || (ok && !at.Equal(t0.Add(time.Minute))) {
				t.Errorf("NextPendingAfter(t0%+v) = %v, %v, %v; want t0+1m: %v", c.after.Sub(t0), at, ok, err, c.ok)
			}
			return nil
		})
	}
	o.Status, o.ProviderID = bot.StatusSent, "SM1"
	update(t, s, func(tx bot.Tx) error { return tx.PutOutbound(o) })
	view(t, s, func(tx bot.Tx) error {
		if got := pending(t, tx, t0.Add(time.Hour), 0); len(got) != 0 {
			t.Errorf("after sent, Pending = %v; want none", got)
		}
		if got, err := tx.Outbound(o.ID); err != nil || got.Status != bot.StatusSent {
			t.Errorf("after sent, Outbound = %+v, %v", got, err)
		}
		return nil
	})
	if _, ok := nextPending(t, s); ok {
		t.Error("NextPendingAfter with no pending rows: ok = true")
	}
	var perr error
	update(t, s, func(tx bot.Tx) error {
		perr = tx.PutOutbound(&bot.Outbound{ID: 9999, Status: bot.StatusSent})
		return nil
	})
	if perr == nil {
		t.Error("PutOutbound of a row never enqueued: no error")
	}
}

func testOutboxPendingOrder(t *testing.T, s bot.Store) {
	offsets := []time.Duration{2 * time.Minute, 0, time.Minute, 0, -time.Hour, 3 * time.Minute}
	rows := make([]*bot.Outbound, len(offsets))
	update(t, s, func(tx bot.Tx) error {
		for i, d := range offsets {
			rows[i] = &bot.Outbound{ContactID: "c1", Text: fmt.Sprint(i), Status: bot.StatusPending, NextAttempt: t0.Add(d)}
			if err := tx.Enqueue(rows[i]); err != nil {
				return err
			}
		}
		// Not pending: never passed, whatever its attempt time.
		return tx.Enqueue(&bot.Outbound{ContactID: "c1", Status: bot.StatusSuppressed, NextAttempt: t0.Add(-2 * time.Hour)})
	})
	id := func(i int) uint64 { return rows[i].ID }
	view(t, s, func(tx bot.Tx) error {
		cases := []struct {
			name  string
			now   time.Time
			limit int
			want  []uint64
		}{
			{"due by t0+1m", t0.Add(time.Minute), 0, []uint64{id(4), id(1), id(3), id(2)}},
			{"due by t0", t0, 0, []uint64{id(4), id(1), id(3)}},
			{"stop after 2", t0.Add(time.Hour), 2, []uint64{id(4), id(1)}},
			{"all", t0.Add(time.Hour), 0, []uint64{id(4), id(1), id(3), id(2), id(0), id(5)}},
			{"none due", t0.Add(-2 * time.Hour), 0, []uint64{}},
		}
		for _, c := range cases {
			if got := pending(t, tx, c.now, c.limit); !slices.Equal(got, c.want) {
				t.Errorf("%s: Pending = %v, want %v", c.name, got, c.want)
			}
		}
		return nil
	})
	if at, ok := nextPending(t, s); !ok || !at.Equal(t0.Add(-time.Hour)) {
		t.Errorf("NextPendingAfter = %v, %v; want t0-1h", at, ok)
	}
}

func testOutboxProviderID(t *testing.T, s bot.Store) {
	a := &bot.Outbound{ContactID: "c1", Status: bot.StatusPending, NextAttempt: t0}
	b := &bot.Outbound{ContactID: "c2", Status: bot.StatusPending, NextAttempt: t0}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.Enqueue(a); err != nil {
			return err
		}
		return tx.Enqueue(b)
	})
	a.Status, a.ProviderID = bot.StatusSent, "SM-a"
	b.Status, b.ProviderID = bot.StatusSent, "SM-b"
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutOutbound(a); err != nil {
			return err
		}
		return tx.PutOutbound(b)
	})
	// A status callback moves a on; it keeps its provider id.
	a.Status = bot.StatusDelivered
	update(t, s, func(tx bot.Tx) error { return tx.PutOutbound(a) })
	view(t, s, func(tx bot.Tx) error {
		for _, want := range []*bot.Outbound{a, b} {
			got, err := tx.OutboundByProviderID(want.ProviderID)
			if err != nil || got.ID != want.ID || got.Status != want.Status {
				t.Errorf("OutboundByProviderID(%s) = %+v, %v; want row %d (%s)", want.ProviderID, got, err, want.ID, want.Status)
			}
		}
		_, err := tx.OutboundByProviderID("SM-none")
		wantNotFound(t, "OutboundByProviderID(unknown)", err)
		return nil
	})
}

func dueTimers(t *testing.T, tx bot.Tx, now time.Time, limit int) []string {
	t.Helper()
	tms, err := collect(limit, func(fn func(*bot.Timer) bool) error { return tx.DueTimers(now, fn) })
	if err != nil {
		t.Fatalf("DueTimers: %v", err)
	}
	return ids(tms, func(tm *bot.Timer) string { return tm.ID })
}

func testTimers(t *testing.T, s bot.Store) {
	full := &bot.Timer{ID: "remind:c1", Due: t0.Add(2 * time.Minute), Kind: bot.TimerRemind, ContactID: "c1", Step: 7}
	update(t, s, func(tx bot.Tx) error {
		for _, tm := range []*bot.Timer{
			full,
			{ID: "b", Due: t0.Add(time.Minute)},
			{ID: "a", Due: t0.Add(time.Minute)},
			{ID: "c", Due: t0.Add(5 * time.Minute)},
		} {
			if err := tx.PutTimer(tm); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		var got *bot.Timer
		if err := tx.DueTimers(t0.Add(2*time.Minute), func(tm *bot.Timer) bool {
			if tm.ID == full.ID {
				got = tm
			}
			return true
		}); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("timer read back = %+v, want %+v", got, full)
		}
		return nil
	})
	steps := []struct {
		name  string
		write func(tx bot.Tx) error
		now   time.Time
		limit int
		want  []string
		next  time.Time // zero: no timers
	}{
		{"ordered by due then id", nil, t0.Add(2 * time.Minute), 0, []string{"a", "b", "remind:c1"}, t0.Add(time.Minute)},
		{"stop early", nil, t0.Add(2 * time.Minute), 1, []string{"a"}, t0.Add(time.Minute)},
		{"replace moves earlier",
			func(tx bot.Tx) error { return tx.PutTimer(&bot.Timer{ID: "c", Due: t0.Add(30 * time.Second)}) },
			t0.Add(time.Minute), 0, []string{"c", "a", "b"}, t0.Add(30 * time.Second)},
		{"replace moves later: old due time gone",
			func(tx bot.Tx) error { return tx.PutTimer(&bot.Timer{ID: "a", Due: t0.Add(time.Hour)}) },
			t0.Add(5 * time.Minute), 0, []string{"c", "b", "remind:c1"}, t0.Add(30 * time.Second)},
		{"delete",
			func(tx bot.Tx) error { return tx.DeleteTimer("c") },
			t0.Add(time.Hour), 0, []string{"b", "remind:c1", "a"}, t0.Add(time.Minute)},
		{"delete absent is harmless",
			func(tx bot.Tx) error { return tx.DeleteTimer("never-set") },
			t0.Add(time.Hour), 0, []string{"b", "remind:c1", "a"}, t0.Add(time.Minute)},
		{"nothing due yet", nil, t0, 0, []string{}, t0.Add(time.Minute)},
		{"delete all",
			func(tx bot.Tx) error {
				for _, id := range []string{"a", "b", "remind:c1"} {
					if err := tx.DeleteTimer(id); err != nil {
						return err
					}
				}
				return nil
			},
			t0.Add(24 * time.Hour), 0, []string{}, time.Time{}},
	}
	for _, st := range steps {
		if st.write != nil {
			update(t, s, st.write)
		}
		view(t, s, func(tx bot.Tx) error {
			if got := dueTimers(t, tx, st.now, st.limit); !slices.Equal(got, st.want) {
				t.Errorf("%s: DueTimers = %v, want %v", st.name, got, st.want)
			}
			next, ok, err := tx.NextTimer()
			if err != nil || ok != !st.next.IsZero() || !next.Equal(st.next) {
				t.Errorf("%s: NextTimer = %v, %v, %v; want %v", st.name, next, ok, err, st.next)
			}
			return nil
		})
	}
}

func testEvents(t *testing.T, s bot.Store) {
	var evs []*bot.Event
	for i := range 3 {
		update(t, s, func(tx bot.Tx) error {
			for j := range 2 {
				e := &bot.Event{At: t0, Kind: bot.EventKind(fmt.Sprintf("k%d.%d", i, j)), ContactID: "c1", Data: map[string]string{"n": fmt.Sprint(i)}}
				if err := tx.AddEvent(e); err != nil {
					return err
				}
				evs = append(evs, e)
			}
			return nil
		})
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].ID <= evs[i-1].ID {
			t.Fatalf("event ids not increasing: %d then %d", evs[i-1].ID, evs[i].ID)
		}
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, tx.Events)
		if err != nil || !reflect.DeepEqual(got, evs) {
			t.Errorf("Events = %v, %v\nwant %v", got, err, evs)
		}
		got, err = collect(4, tx.Events)
		if err != nil || len(got) != 4 {
			t.Errorf("Events stopping after 4: %d, %v", len(got), err)
		}
		return nil
	})
}

// testWriteDuringScan writes from inside iterator callbacks, as a dispatcher
// or scheduler working in one transaction would: each row is still passed
// exactly once, and rows moved beyond now are not passed again.
func testWriteDuringScan(t *testing.T, s bot.Store) {
	const n = 40
	update(t, s, func(tx bot.Tx) error {
		for i := range n {
			if err := tx.Enqueue(&bot.Outbound{ContactID: "c1", Status: bot.StatusPending, NextAttempt: t0.Add(time.Duration(i%7) * time.Second)}); err != nil {
				return err
			}
			if err := tx.PutTimer(&bot.Timer{ID: fmt.Sprint("t", i), Due: t0.Add(time.Duration(i%5) * time.Second)}); err != nil {
				return err
			}
		}
		// Scan in the same transaction as the writes above, so the scans
		// walk data this transaction has already changed.
		seen, i := map[uint64]int{}, 0
		err := tx.Pending(t0.Add(time.Minute), func(o *bot.Outbound) bool {
			seen[o.ID]++
			if i++; i%2 == 0 {
				o.Status = bot.StatusSent
			} else {
				o.NextAttempt = t0.Add(time.Hour) // retry later: beyond now
			}
			if err := tx.PutOutbound(o); err != nil {
				t.Errorf("PutOutbound during Pending: %v", err)
				return false
			}
			return true
		})
		if err != nil || len(seen) != n || i != n {
			t.Errorf("Pending with writes: %d rows, %d calls, %v; want %d once each", len(seen), i, err, n)
		}
		fired := map[string]int{}
		err = tx.DueTimers(t0.Add(time.Minute), func(tm *bot.Timer) bool {
			fired[tm.ID]++
			if err := tx.DeleteTimer(tm.ID); err != nil {
				t.Errorf("DeleteTimer during DueTimers: %v", err)
				return false
			}
			if tm.ID == "t0" { // re-arm one beyond now
				if err := tx.PutTimer(&bot.Timer{ID: "t0", Due: t0.Add(time.Hour)}); err != nil {
					t.Errorf("PutTimer during DueTimers: %v", err)
				}
			}
			return true
		})
		if err != nil || len(fired) != n {
			t.Errorf("DueTimers with writes: %d timers, %v; want %d", len(fired), err, n)
		}
		for id, k := range fired {
			if k != 1 {
				t.Errorf("timer %s passed %d times", id, k)
			}
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		if got := pending(t, tx, t0.Add(time.Hour), 0); len(got) != n/2 {
			t.Errorf("after scan, %d rows pending at t0+1h; want %d", len(got), n/2)
		}
		if got := dueTimers(t, tx, t0.Add(24*time.Hour), 0); !slices.Equal(got, []string{"t0"}) {
			t.Errorf("after scan, timers = %v; want [t0]", got)
		}
		return nil
	})
}

// testTakeTimer checks the compare-and-delete the scheduler fires by: a
// timer is taken only at the due time it was read with, once.
func testTakeTimer(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		return tx.PutTimer(&bot.Timer{ID: "remind:c1", Due: t0, Kind: bot.TimerRemind, ContactID: "c1"})
	})
	take := func(id string, due time.Time) bool {
		t.Helper()
		var taken bool
		update(t, s, func(tx bot.Tx) error {
			var err error
			taken, err = tx.TakeTimer(id, due)
			return err
		})
		return taken
	}
	// The person answered: the same id, due later.
	update(t, s, func(tx bot.Tx) error {
		return tx.PutTimer(&bot.Timer{ID: "remind:c1", Due: t0.Add(time.Hour), Kind: bot.TimerRemind, ContactID: "c1"})
	})
	steps := []struct {
		name string
		id   string
		due  time.Time
		want bool
		left []string // due by t0+2h after the step
	}{
		{"stale due time leaves the replacement", "remind:c1", t0, false, []string{"remind:c1"}},
		{"absent timer", "never-set", t0, false, []string{"remind:c1"}},
		{"current due time takes it", "remind:c1", t0.Add(time.Hour), true, []string{}},
		{"a second take finds nothing", "remind:c1", t0.Add(time.Hour), false, []string{}},
	}
	for _, st := range steps {
		if got := take(st.id, st.due); got != st.want {
			t.Errorf("%s: TakeTimer = %v, want %v", st.name, got, st.want)
		}
		view(t, s, func(tx bot.Tx) error {
			if got := dueTimers(t, tx, t0.Add(2*time.Hour), 0); !slices.Equal(got, st.left) {
				t.Errorf("%s: DueTimers = %v, want %v", st.name, got, st.left)
			}
			return nil
		})
	}
	// A take rolled back with its transaction leaves the timer in place.
	update(t, s, func(tx bot.Tx) error { return tx.PutTimer(&bot.Timer{ID: "x", Due: t0}) })
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		if taken, err := tx.TakeTimer("x", t0); err != nil || !taken {
			t.Errorf("TakeTimer(x) = %v, %v", taken, err)
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v, want errBoom", err)
	}
	view(t, s, func(tx bot.Tx) error {
		if got := dueTimers(t, tx, t0, 0); !slices.Equal(got, []string{"x"}) {
			t.Errorf("after a rolled-back take: DueTimers = %v, want [x]", got)
		}
		return nil
	})
}

// testArmTimer checks the conditional set a conversation's reminder and
// expiry are kept by: a timer moves only when it must come earlier.
func testArmTimer(t *testing.T, s bot.Store) {
	steps := []struct {
		name  string
		due   time.Time
		wrote bool
		want  time.Time // the stored due time after the step
	}{
		{"absent: set", t0.Add(time.Hour), true, t0.Add(time.Hour)},
		{"later: left alone", t0.Add(2 * time.Hour), false, t0.Add(time.Hour)},
		{"the same time: left alone", t0.Add(time.Hour), false, t0.Add(time.Hour)},
		{"earlier: moved", t0.Add(time.Minute), true, t0.Add(time.Minute)},
	}
	for _, st := range steps {
		var wrote bool
		update(t, s, func(tx bot.Tx) error {
			var err error
			wrote, err = tx.ArmTimer(&bot.Timer{ID: "remind:c1", Due: st.due, Kind: bot.TimerRemind, ContactID: "c1", Step: 3})
			return err
		})
		if wrote != st.wrote {
			t.Errorf("%s: ArmTimer wrote = %v, want %v", st.name, wrote, st.wrote)
		}
		view(t, s, func(tx bot.Tx) error {
			tms, err := collect(0, func(fn func(*bot.Timer) bool) error { return tx.DueTimers(t0.Add(24*time.Hour), fn) })
			if err != nil {
				return err
			}
			if len(tms) != 1 || !tms[0].Due.Equal(st.want) || tms[0].Kind != bot.TimerRemind {
				t.Errorf("%s: timers = %v, want one remind:c1 due %v", st.name, tms, st.want)
			}
			if next, _, _ := tx.NextTimer(); !next.Equal(st.want) {
				t.Errorf("%s: NextTimer = %v, want %v", st.name, next, st.want)
			}
			return nil
		})
	}
	// A taken timer is armed again from nothing.
	update(t, s, func(tx bot.Tx) error {
		if taken, err := tx.TakeTimer("remind:c1", t0.Add(time.Minute)); err != nil || !taken {
			return fmt.Errorf("TakeTimer = %v, %v", taken, err)
		}
		wrote, err := tx.ArmTimer(&bot.Timer{ID: "remind:c1", Due: t0.Add(3 * time.Hour), Kind: bot.TimerRemind, ContactID: "c1"})
		if err == nil && !wrote {
			t.Errorf("ArmTimer after a take wrote nothing")
		}
		return err
	})
	view(t, s, func(tx bot.Tx) error {
		if got := dueTimers(t, tx, t0.Add(3*time.Hour), 0); !slices.Equal(got, []string{"remind:c1"}) {
			t.Errorf("after take and arm: DueTimers = %v, want [remind:c1]", got)
		}
		return nil
	})
}

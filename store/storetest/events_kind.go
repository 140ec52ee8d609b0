package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// testEventsOfKind: events of one kind from a time on, in time order
// whatever order they were added in, nothing of another kind or from
// before; stopping early; deleted events gone from it.
func testEventsOfKind(t *testing.T, s bot.Store) {
	const resolved, opened bot.EventKind = "handoff.resolved", "handoff.opened"
	add := []struct {
		kind bot.EventKind
		at   time.Duration
		name string
	}{
		{resolved, -time.Hour, "yesterday"},
		{resolved, 3 * time.Minute, "r3"},
		{opened, 2 * time.Minute, "o2"},
		{resolved, time.Minute, "r1"}, // added after r3, earlier in time
		{resolved, 0, "r0"},           // exactly at since
		{resolved, 5 * time.Minute, "r5"},
		{opened, -time.Minute, "o-1"},
		{"other", time.Minute, "x"},
		{resolved, -time.Millisecond, "just before"},
	}
	ids := map[string]uint64{}
	for _, a := range add {
		update(t, s, func(tx bot.Tx) error {
			e := &bot.Event{At: t0.Add(a.at), Kind: a.kind, ContactID: "c1", Data: map[string]string{"name": a.name}}
			err := tx.AddEvent(e)
			ids[a.name] = e.ID
			return err
		})
	}
	names := func(kind bot.EventKind, since time.Time, limit int) []string {
		t.Helper()
		var out []string
		view(t, s, func(tx bot.Tx) error {
			return tx.EventsOfKind(kind, since, func(e *bot.Event) bool {
				if e.Kind != kind || e.At.Before(since) {
					t.Errorf("EventsOfKind(%s, %v) passed %+v", kind, since, e)
				}
				out = append(out, e.Data["name"])
				return limit == 0 || len(out) < limit
			})
		})
		return out
	}
	for _, tt := range []struct {
		kind  bot.EventKind
		since time.Time
		limit int
		want  []string
	}{
		{resolved, t0, 0, []string{"r0", "r1", "r3", "r5"}},
		{resolved, t0, 2, []string{"r0", "r1"}},
		{resolved, t0.Add(time.Nanosecond), 0, []string{"r1", "r3", "r5"}},
		{resolved, time.Time{}, 0, []string{"yesterday", "just before", "r0", "r1", "r3", "r5"}},
		{opened, t0.Add(-time.Hour), 0, []string{"o-1", "o2"}},
		{resolved, t0.Add(time.Hour), 0, nil},
		{"none", time.Time{}, 0, nil},
		{"", time.Time{}, 0, nil},
	} {
		if got := names(tt.kind, tt.since, tt.limit); !slices.Equal(got, tt.want) {
			t.Errorf("EventsOfKind(%q, %v, stop after %d) = %v, want %v", tt.kind, tt.since.Sub(t0), tt.limit, got, tt.want)
		}
	}
	update(t, s, func(tx bot.Tx) error { return tx.DeleteEvent(ids["r1"]) })
	if got := names(resolved, t0, 0); !slices.Equal(got, []string{"r0", "r3", "r5"}) {
		t.Errorf("after deleting r1: %v", got)
	}
	// Many events: a page boundary inside one kind keeps the order and
	// passes each once, also while fn writes in the same transaction.
	update(t, s, func(tx bot.Tx) error {
		for i := range 250 {
			if err := tx.AddEvent(&bot.Event{At: t0.Add(time.Duration(250-i) * time.Second), Kind: "many", Data: map[string]string{"i": fmt.Sprint(250 - i)}}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		last, n := time.Time{}, 0
		err := tx.EventsOfKind("many", t0, func(e *bot.Event) bool {
			if e.At.Before(last) {
				t.Errorf("event at %v after one at %v", e.At, last)
			}
			last, n = e.At, n+1
			if n%50 == 0 {
				if err := tx.AddEvent(&bot.Event{At: t0.Add(-time.Hour), Kind: "many"}); err != nil {
					t.Error(err)
				}
			}
			return true
		})
		if n != 250 {
			t.Errorf("EventsOfKind over 250 events passed %d", n)
		}
		return err
	})
}

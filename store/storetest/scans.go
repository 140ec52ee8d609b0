package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// Scans and writes in one transaction. A backend pages a scan by key rather
// than holding a cursor open while the scan's fn writes (bbolt's cursors
// go wrong under writes; PostgreSQL runs one query at a time on a
// connection). The counts here are well past any sensible page size, so a
// page boundary falls inside every scan.
const scanMany = 700

// testScanDeletesAhead: a scan whose fn deletes records ahead of it and
// adds new ones passes over the deleted, passes none twice, and passes
// every record that was there and was not deleted.
func testScanDeletesAhead(t *testing.T, s bot.Store) {
	var evs []*bot.Event
	update(t, s, func(tx bot.Tx) error {
		for i := range scanMany {
			e := &bot.Event{At: t0, Kind: bot.EventKind(fmt.Sprint("k", i))}
			if err := tx.AddEvent(e); err != nil {
				return err
			}
			evs = append(evs, e)
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		deleted, passed := map[uint64]bool{}, map[uint64]int{}
		i := 0
		err := tx.Events(func(e *bot.Event) bool {
			passed[e.ID]++
			if deleted[e.ID] {
				t.Errorf("event %d passed after it was deleted", e.ID)
			}
			// Delete the event two ahead of this one (across a page
			// boundary now and then), and add one at the end.
			if i+2 < len(evs) && i%3 == 0 {
				if err := tx.DeleteEvent(evs[i+2].ID); err != nil {
					t.Errorf("DeleteEvent during Events: %v", err)
					return false
				}
				deleted[evs[i+2].ID] = true
			}
			if i < scanMany {
				if err := tx.AddEvent(&bot.Event{At: t0, Kind: "added"}); err != nil {
					t.Errorf("AddEvent during Events: %v", err)
					return false
				}
			}
			i++
			return true
		})
		if err != nil {
			return err
		}
		for _, e := range evs {
			if !deleted[e.ID] && passed[e.ID] != 1 {
				t.Errorf("event %d (%s) passed %d times, want once", e.ID, e.Kind, passed[e.ID])
			}
		}
		for id, n := range passed {
			if n > 1 {
				t.Errorf("event %d passed %d times", id, n)
			}
		}
		return nil
	})
}

// testScanDeleteEach: retention's shape, deleting each message as it is
// passed, over a transcript longer than a page, removes every message.
func testScanDeleteEach(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for i := range scanMany {
			if err := tx.AppendMessage(&bot.Message{ContactID: "c1", Direction: bot.In, Text: fmt.Sprint(i), At: t0}); err != nil {
				return err
			}
		}
		return tx.AppendMessage(&bot.Message{ContactID: "c2", Direction: bot.In, Text: "other", At: t0})
	})
	update(t, s, func(tx bot.Tx) error {
		n := 0
		err := tx.Messages("c1", func(m *bot.Message) bool {
			n++
			if err := tx.DeleteMessage("c1", m.ID); err != nil {
				t.Errorf("DeleteMessage during Messages: %v", err)
				return false
			}
			return true
		})
		if err != nil || n != scanMany {
			t.Errorf("Messages deleting as it went: %d passed, %v; want %d", n, err, scanMany)
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		left, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages("c1", fn) })
		if err != nil || len(left) != 0 {
			t.Errorf("after deleting each: %d messages left, %v", len(left), err)
		}
		other, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages("c2", fn) })
		if err != nil || len(other) != 1 {
			t.Errorf("another contact's transcript: %d messages, %v; want 1", len(other), err)
		}
		return nil
	})
}

// testForgetSeenMany: the seen-id purge over more ids than a page removes
// exactly those recorded before the cutoff, spread over several contacts.
func seenContact(i int) string { return fmt.Sprint("c", i%7) }

func testForgetSeenMany(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for i := range scanMany {
			if _, err := tx.MarkSeen(seenContact(i), fmt.Sprint("old", i), t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
				return err
			}
			if _, err := tx.MarkSeen(seenContact(i), fmt.Sprint("new", i), t0.Add(time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		if n, err := tx.ForgetSeen(t0.Add(time.Minute)); err != nil || n != scanMany {
			t.Errorf("ForgetSeen = %d, %v; want %d", n, err, scanMany)
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		for i := range scanMany {
			if seen, err := tx.MarkSeen(seenContact(i), fmt.Sprint("old", i), t0.Add(2*time.Hour)); err != nil || seen {
				t.Fatalf("old%d after ForgetSeen: seen = %v, %v; want forgotten", i, seen, err)
			}
			if seen, err := tx.MarkSeen(seenContact(i), fmt.Sprint("new", i), t0.Add(2*time.Hour)); err != nil || !seen {
				t.Fatalf("new%d after ForgetSeen: seen = %v, %v; want kept", i, seen, err)
			}
		}
		return nil
	})
}

// testContactEventsDeleteEach: erasure's shape on the index of events by
// contact, deleting each event as it is passed, removes all of them and
// no other contact's.
func testContactEventsDeleteEach(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for i := range scanMany {
			for _, c := range []string{"c1", "c2"} {
				if err := tx.AddEvent(&bot.Event{At: t0, Kind: bot.EventKind(fmt.Sprint("k", i)), ContactID: c}); err != nil {
					return err
				}
			}
		}
		_, err := tx.IndexEvents(0)
		return err
	})
	update(t, s, func(tx bot.Tx) error {
		n := 0
		err := tx.ContactEvents("c1", func(e *bot.Event) bool {
			n++
			if err := tx.DeleteEvent(e.ID); err != nil {
				t.Errorf("DeleteEvent during ContactEvents: %v", err)
				return false
			}
			return true
		})
		if err != nil || n != scanMany {
			t.Errorf("ContactEvents deleting as it went: %d passed, %v; want %d", n, err, scanMany)
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		for c, want := range map[string]int{"c1": 0, "c2": scanMany} {
			got, err := collect(0, func(fn func(*bot.Event) bool) error { return tx.ContactEvents(c, fn) })
			if err != nil || len(got) != want {
				t.Errorf("%s's events after deleting c1's: %d, %v; want %d", c, len(got), err, want)
			}
		}
		return nil
	})
}

package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestContactEvents: a contact's events are the same, oldest first,
// however far IndexEvents has got, and it may be run in steps.
func TestContactEvents(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	want := map[string][]uint64{}
	add := func(n int) {
		err := db.Update(ctx, func(tx bot.Tx) error {
			for i := range n {
				cid := []string{"c1", "c2", "c10", ""}[i%4]
				e := &bot.Event{At: time.Unix(int64(i), 0).UTC(), Kind: fmt.Sprint("k", i), ContactID: cid}
				if err := tx.AddEvent(e); err != nil {
					return err
				}
				want[cid] = append(want[cid], e.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(stage string) {
		t.Helper()
		err := db.View(ctx, func(tx bot.Tx) error {
			for _, cid := range []string{"c1", "c2", "c10", "c3"} {
				var got []uint64
				if err := tx.(*Tx).ContactEvents(cid, func(e *bot.Event) bool {
					if e.ContactID != cid {
						t.Errorf("%s: ContactEvents(%s) passed an event of %q", stage, cid, e.ContactID)
					}
					got = append(got, e.ID)
					return true
				}); err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want[cid]) {
					t.Errorf("%s: ContactEvents(%s) = %v, want %v", stage, cid, got, want[cid])
				}
			}
			if _, err := tx.(*Tx).IndexEvents(0); err == nil {
				t.Error("IndexEvents in a View succeeded")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	index := func(max, wantN int) {
		t.Helper()
		err := db.Update(ctx, func(tx bot.Tx) error {
			n, err := tx.(*Tx).IndexEvents(max)
			if n != wantN {
				t.Errorf("IndexEvents(%d) = %d, want %d", max, n, wantN)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(10)
	check("nothing indexed")
	index(3, 3)
	check("3 indexed")
	add(6)
	index(0, 13)
	check("all indexed")
	add(5)
	check("5 new since")
	index(0, 5)
	index(0, 0)
	check("all indexed again")
	// Stopping early.
	err := db.View(ctx, func(tx bot.Tx) error {
		n := 0
		err := tx.(*Tx).ContactEvents("c1", func(*bot.Event) bool { n++; return n < 2 })
		if n != 2 {
			t.Errorf("ContactEvents stopping after 2 passed %d", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeleteSessions(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, s := range []bot.Session{{Token: "a", UserID: "u1", Expires: now.Add(-time.Minute)}, {Token: "b", UserID: "u1", Expires: now.Add(time.Hour)},
			{Token: "c", UserID: "u2", Expires: now.Add(time.Hour)}, {Token: "d", UserID: "u2", Expires: now.Add(-time.Hour)}} {
			if err := tx.PutSession(&s); err != nil {
				return fmt.Errorf("session %d: %w", i, err)
			}
		}
		n, err := tx.(*Tx).DeleteSessions(func(s *bot.Session) bool { return !now.Before(s.Expires) })
		if n != 2 {
			t.Errorf("deleted %d expired sessions, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx bot.Tx) error {
		for tok, live := range map[string]bool{"a": false, "b": true, "c": true, "d": false} {
			if _, err := tx.Session(tok); (err == nil) != live {
				t.Errorf("session %s: err %v, want live %v", tok, err, live)
			}
		}
		if _, err := tx.(*Tx).DeleteSessions(func(*bot.Session) bool { return true }); err == nil {
			t.Error("DeleteSessions in a View succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

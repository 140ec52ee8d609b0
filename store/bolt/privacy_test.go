package bolt

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestDeletesLeaveNoIndexEntry: the indexes only store/bolt keeps (search
// by name and number, events by contact) lose their entries with the
// record, so a search or a contact's timeline never meets a dangling one.
func TestDeletesLeaveNoIndexEntry(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	defer db.Close()
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	gone := &bot.Contact{Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900123"}}, Name: "Rhian Pryce", CreatedAt: t0}
	var ev [3]*bot.Event
	err := db.Update(ctx, func(btx bot.Tx) error {
		tx := btx.(*Tx)
		if err := tx.PutContact(gone); err != nil {
			return err
		}
		for i := range ev {
			ev[i] = &bot.Event{At: t0, Kind: "k", ContactID: gone.ID}
			if err := tx.AddEvent(ev[i]); err != nil {
				return err
			}
			if i == 1 { // the first two are indexed, the last is not yet
				if _, err := tx.IndexEvents(0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(btx bot.Tx) error {
		tx := btx.(*Tx)
		for _, e := range ev {
			if err := tx.DeleteEvent(e.ID); err != nil {
				return err
			}
		}
		return tx.DeleteContact(gone.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(btx bot.Tx) error {
		tx := btx.(*Tx)
		for _, q := range []string{"rhian", "pryce", "900123", "07700 900123"} {
			n := 0
			if err := tx.SearchContacts(q, 0, func(*bot.Contact) bool { n++; return true }); err != nil {
				t.Errorf("search %q after DeleteContact: %v", q, err)
			}
			if n != 0 {
				t.Errorf("search %q found %d contacts after DeleteContact", q, n)
			}
		}
		if k, _ := tx.b(bSearch).Cursor().First(); k != nil {
			t.Errorf("search index still holds %q", k)
		}
		n := 0
		if err := tx.ContactEvents(gone.ID, func(*bot.Event) bool { n++; return true }); err != nil || n != 0 {
			t.Errorf("ContactEvents after DeleteEvent = %d events, %v; want none", n, err)
		}
		c := tx.b(bEventContact).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) > 1 { // the cursor key is {0}
				t.Errorf("event index still holds %x", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

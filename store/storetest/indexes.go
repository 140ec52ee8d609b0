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

// The indexed queries the console pages use: search, referrals by status
// and need, a contact's events, the newest message a person sent, and
// ending sessions in bulk (sign-out everywhere, a disabled user).

func testSearchIndexes(t *testing.T, s bot.Store) {
	cs, rs := SeedSearch(t, s)
	CheckSearch(t, s, cs, rs)
}

// SeedSearch writes three contacts (one renamed after a referral names
// them) and referrals with needs; it returns the contact ids and the
// referral ids. A backend's own tests use it with CheckSearch to show that
// indexes it rebuilds (on opening an older file, say) are complete.
func SeedSearch(t *testing.T, db bot.Store) (cs, rs []string) {
	t.Helper()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		for _, c := range []*bot.Contact{
			{Name: "Alice Adams", Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900001"}}},
			{Name: "Old Name", Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900002"}}},
			{Addresses: []bot.Address{{Channel: bot.Telegram, ID: "4242"}}},
		} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
			cs = append(cs, c.ID)
		}
		for i, r := range []*bot.Referral{
			{ContactID: cs[2], Name: "Carol O'Carter", Needs: []string{"money", "housing"}},
			{ContactID: cs[0], Name: "Alice Adams", Needs: []string{"housing"}},
			{ContactID: cs[1], Name: "Bob Brown", Needs: []string{"loneliness"}},
		} {
			r.Status, r.CreatedAt = bot.ReferralNew, at.Add(time.Duration(i)*time.Hour)
			if err := tx.PutReferral(r); err != nil {
				return err
			}
			rs = append(rs, r.ID)
		}
		// Changes: the contact's name and number, and a referral's name and needs.
		c, err := tx.Contact(cs[1])
		if err != nil {
			return err
		}
		c.Name, c.Addresses = "Dee Dawson", []bot.Address{{Channel: bot.SMS, ID: "+447700900003"}}
		if err := tx.PutContact(c); err != nil {
			return err
		}
		r, err := tx.Referral(rs[2])
		if err != nil {
			return err
		}
		r.Name, r.Needs = "Bobby Brown", []string{"money"}
		return tx.PutReferral(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	return cs, rs
}

func search(t *testing.T, db bot.Store, q string, limit int) []string {
	t.Helper()
	var ids []string
	err := db.View(context.Background(), func(tx bot.Tx) error {
		return tx.SearchContacts(q, limit, func(c *bot.Contact) bool {
			ids = append(ids, c.ID)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func byNeed(t *testing.T, db bot.Store, need string) []string {
	t.Helper()
	var ids []string
	err := db.View(context.Background(), func(tx bot.Tx) error {
		return tx.ReferralsByNeed(need, func(r *bot.Referral) bool {
			if !slices.Contains(r.Needs, need) {
				t.Errorf("need %q gave referral %s with needs %v", need, r.ID, r.Needs)
			}
			ids = append(ids, r.ID)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// CheckSearch runs the search and need queries against a store SeedSearch
// wrote.
func CheckSearch(t *testing.T, db bot.Store, cs, rs []string) {
	t.Helper()
	searches := []struct {
		q    string
		want []string
	}{
		{"ali", []string{cs[0]}},              // name word prefix (contact and referral: once)
		{"ADAMS", []string{cs[0]}},            // case
		{"dee daw", []string{cs[1]}},          // every word, the contact's new name
		{"old", nil},                          // the contact's old name is gone
		{"bobby", []string{cs[1]}},            // a referral's name
		{"bob brown", []string{cs[1]}},        // a referral's name, two words
		{"alice brown", nil},                  // words from two different names
		{"carter", []string{cs[2]}},           // after punctuation
		{"o'car", []string{cs[2]}},            // punctuation in the query
		{"arter", nil},                        // not a prefix of a word
		{"7700 9000", []string{cs[0], cs[1]}}, // a run of digits in numbers
		{"07700 900001", []string{cs[0]}},     // national form
		{"900002", nil},                       // the old number is gone
		{"424", []string{cs[2]}},              // a Telegram chat id
		{"42", nil},                           // too short
		{"zebra", nil},
		{"  ", nil},
	}
	for _, tt := range searches {
		if got := search(t, db, tt.q, 0); !slices.Equal(got, tt.want) {
			t.Errorf("SearchContacts(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := search(t, db, "7700", 1); len(got) != 1 {
		t.Errorf("SearchContacts limit 1 gave %v", got)
	}
	needs := []struct {
		need string
		want []string
	}{
		{"housing", []string{rs[1], rs[0]}}, // newest first
		{"money", []string{rs[2], rs[0]}},
		{"loneliness", nil}, // changed away
		{"zebra", nil},
		{"", nil},
	}
	for _, tt := range needs {
		if got := byNeed(t, db, tt.need); !slices.Equal(got, tt.want) {
			t.Errorf("ReferralsByNeed(%q) = %v, want %v", tt.need, got, tt.want)
		}
	}
}

func testReferralsByStatus(t *testing.T, db bot.Store) {
	ctx := context.Background()
	refs := []*bot.Referral{
		{ContactID: "a", Status: bot.ReferralNew, CreatedAt: t0},
		{ContactID: "b", Status: bot.ReferralNew, CreatedAt: t0.Add(time.Hour)},
		{ContactID: "c", Status: bot.ReferralContacted, CreatedAt: t0.Add(2 * time.Hour)},
		{ContactID: "d", Status: bot.ReferralNew, CreatedAt: t0.Add(3 * time.Hour)},
	}
	err := db.Update(ctx, func(tx bot.Tx) error {
		for _, r := range refs {
			if err := tx.PutReferral(r); err != nil {
				return err
			}
		}
		refs[3].Status = bot.ReferralAccepted // moves out of new
		return tx.PutReferral(refs[3])
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		status bot.ReferralStatus
		want   string
	}{
		{bot.ReferralNew, "ba"},
		{bot.ReferralContacted, "c"},
		{bot.ReferralAccepted, "d"},
		{bot.ReferralClosed, ""},
	}
	err = db.View(ctx, func(tx bot.Tx) error {
		for _, c := range cases {
			var got string
			if err := tx.ReferralsByStatus(c.status, func(r *bot.Referral) bool { got += r.ContactID; return true }); err != nil {
				return err
			}
			if got != c.want {
				t.Errorf("ReferralsByStatus(%s) = %q, want %q", c.status, got, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testLastInbound: the newest message one contact sent, never a neighbour's,
// even where ids share a prefix (c1, c10) or the contact is the last or
// first in the bucket; none is bot.ErrNotFound.
func testLastInbound(t *testing.T, db bot.Store) {
	ctx := context.Background()
	msgs := []struct {
		contact string
		dir     bot.Direction
		text    string
	}{
		{"c1", bot.In, "c1 first"},
		{"c10", bot.In, "c10 first"},
		{"c1", bot.In, "c1 said"},
		{"c2", bot.In, "c2 said"},
		{"c1", bot.Out, "bot to c1"},
		{"c10", bot.Out, "bot to c10"},
		{"c2", bot.Out, "bot to c2"},
		{"c10", bot.In, "c10 said"},
		{"c10", bot.Out, "bot to c10 again"},
		{"b9", bot.Out, "bot to b9"},
	}
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, m := range msgs {
			if err := tx.AppendMessage(&bot.Message{ContactID: m.contact, Direction: m.dir, Text: m.text, At: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		contact string
		inbox   string // "" is not found
	}{
		{"c1", "c1 said"},
		{"c10", "c10 said"},
		{"c2", "c2 said"}, // the last contact in the bucket
		{"b9", ""},        // the first, and never wrote
		{"c", ""},         // a prefix of others' ids
		{"c3", ""},        // after every key
		{"a", ""},         // before every key
		{"c100", ""},      // c10's id is a prefix of it
	}
	err = db.View(ctx, func(tx bot.Tx) error {
		for _, c := range cases {
			m, err := tx.LastInbound(c.contact)
			switch {
			case c.inbox == "" && !errors.Is(err, bot.ErrNotFound):
				t.Errorf("LastInbound(%s) = %v, %v; want ErrNotFound", c.contact, m, err)
			case c.inbox != "" && err != nil:
				t.Errorf("LastInbound(%s): %v", c.contact, err)
			case c.inbox != "" && (m.Text != c.inbox || m.ContactID != c.contact):
				t.Errorf("LastInbound(%s) = %s %q, want %q", c.contact, m.ContactID, m.Text, c.inbox)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testContactEvents: a contact's events are the same, oldest first,
// however far IndexEvents has got, and it may be run in steps.
func testContactEvents(t *testing.T, db bot.Store) {
	ctx := context.Background()
	want := map[string][]uint64{}
	add := func(n int) {
		err := db.Update(ctx, func(tx bot.Tx) error {
			for i := range n {
				cid := []string{"c1", "c2", "c10", ""}[i%4]
				e := &bot.Event{At: time.Unix(int64(i), 0).UTC(), Kind: bot.EventKind(fmt.Sprint("k", i)), ContactID: cid}
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
				if err := tx.ContactEvents(cid, func(e *bot.Event) bool {
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
			if _, err := tx.IndexEvents(0); err == nil {
				t.Error("IndexEvents in a View succeeded")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A store that indexes on write (PostgreSQL) indexes nothing here:
	// it returns 0 every time, never a count.
	counted, none := false, false
	index := func(max, wantN int) {
		t.Helper()
		err := db.Update(ctx, func(tx bot.Tx) error {
			n, err := tx.IndexEvents(max)
			switch {
			case n == 0 && wantN != 0:
				none = true
			case n != wantN:
				t.Errorf("IndexEvents(%d) = %d, want %d", max, n, wantN)
			case n != 0:
				counted = true
			}
			if counted && none {
				t.Errorf("IndexEvents(%d) = %d: a store either indexes behind its writes (and counts) or on write (and returns 0)", max, n)
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
		err := tx.ContactEvents("c1", func(*bot.Event) bool { n++; return n < 2 })
		if n != 2 {
			t.Errorf("ContactEvents stopping after 2 passed %d", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testDeleteSessions(t *testing.T, db bot.Store) {
	ctx := context.Background()
	now := t0
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, s := range []bot.Session{{Token: "a", UserID: "u1", Expires: now.Add(-time.Minute)}, {Token: "b", UserID: "u1", Expires: now.Add(time.Hour)},
			{Token: "c", UserID: "u2", Expires: now.Add(time.Hour)}, {Token: "d", UserID: "u2", Expires: now.Add(-time.Hour)}} {
			if err := tx.PutSession(&s); err != nil {
				return fmt.Errorf("session %d: %w", i, err)
			}
		}
		n, err := tx.DeleteSessions(func(s *bot.Session) bool { return !now.Before(s.Expires) })
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
		if _, err := tx.DeleteSessions(func(*bot.Session) bool { return true }); err == nil {
			t.Error("DeleteSessions in a View succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

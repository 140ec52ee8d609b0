package bolt

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

// seedSearch writes three contacts (one renamed after a referral names
// them) and referrals with needs; it returns the contact ids and the
// referral ids.
func seedSearch(t *testing.T, db *DB) (cs, rs []string) {
	t.Helper()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
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
			r.Status, r.CreatedAt = bot.ReferralNew, t0.Add(time.Duration(i)*time.Hour)
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

func search(t *testing.T, db *DB, q string, limit int) []string {
	t.Helper()
	var ids []string
	err := db.View(context.Background(), func(tx bot.Tx) error {
		return tx.(*Tx).SearchContacts(q, limit, func(c *bot.Contact) bool {
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

func byNeed(t *testing.T, db *DB, need string) []string {
	t.Helper()
	var ids []string
	err := db.View(context.Background(), func(tx bot.Tx) error {
		return tx.(*Tx).ReferralsByNeed(need, func(r *bot.Referral) bool {
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

// checkIndexes runs the search and need queries against the seeded store.
func checkIndexes(t *testing.T, db *DB, cs, rs []string) {
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

func TestSearchIndexes(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	t.Cleanup(func() { db.Close() })
	cs, rs := seedSearch(t, db)
	checkIndexes(t, db, cs, rs)
}

// TestSearchIndexesBuiltOnOpen: a file written before the indexes existed
// gets them, complete, when it is next opened.
func TestSearchIndexesBuiltOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	cs, rs := seedSearch(t, db)
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bSearch, bRefNeed} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, path)
	t.Cleanup(func() { db.Close() })
	checkIndexes(t, db, cs, rs)
}

func TestReferralNeedZeroByte(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	t.Cleanup(func() { db.Close() })
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		return tx.PutReferral(&bot.Referral{ContactID: "c1", Status: bot.ReferralNew, Needs: []string{"a\x00b"}})
	})
	if bot.ErrorCode(err) != bot.EInvalid {
		t.Errorf("a need with a zero byte: %v, want %s", err, bot.EInvalid)
	}
}

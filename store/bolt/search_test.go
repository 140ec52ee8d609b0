package bolt

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/storetest"
	bbolt "go.etcd.io/bbolt"
)

// TestSearchIndexesBuiltOnOpen: a file written before the indexes existed
// gets them, complete, when it is next opened.
func TestSearchIndexesBuiltOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	cs, rs := storetest.SeedSearch(t, db)
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
	storetest.CheckSearch(t, db, cs, rs)
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

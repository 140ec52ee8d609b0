package bolt

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
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

// TestContactKeysHoldEveryTerm: PutContact decodes only contactKeys of the
// contact it replaces, so the search terms of a stored contact must come
// from those fields alone. A term made from any other field would be left
// behind when it changed.
func TestContactKeysHoldEveryTerm(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	full := &bot.Contact{ID: "c1", Name: "Anne Lee", Locale: "cy", CreatedAt: at, WhatsAppName: "Annie W",
		Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900123"}, {Channel: bot.WhatsApp, ID: "+447700900456"}, {Channel: bot.Telegram, ID: "98765"}},
		OptedOut:  true, OptedOutAt: at, Recent: []string{"Bob Smith 07700 900789"}, LastInboundAt: at, LastAlbum: "a1",
		SafetyAsked: at, SafetyRisk: &bot.Risk{Tier: bot.RiskConcern, Rule: "r"}, ConfirmHuman: true,
		Flood: map[string]*bot.FloodBucket{"sms:+447700900123": {Over: true, CrisisAt: at}},
	}
	data, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var keys contactKeys
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	got := terms.Contact(&bot.Contact{Name: keys.Name, Addresses: keys.Addresses})
	if want := terms.Contact(full); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("terms from contactKeys = %q, from the whole contact %q", got, want)
	}
}

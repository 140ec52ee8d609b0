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

// TestEventKindIndexBuiltOnOpen: a file from before the index by kind and
// time (no event_kind bucket) has it built from its log when opened, so
// the console's counts see the events written before the upgrade.
func TestEventKindIndexBuiltOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx bot.Tx) error {
		for i, kind := range []bot.EventKind{bot.EventHandoffResolved, bot.EventRisk, bot.EventHandoffResolved} {
			if err := tx.AddEvent(&bot.Event{At: t0.Add(time.Duration(i) * time.Minute), Kind: kind}); err != nil {
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
	// Make it a file from before the index.
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket(bEventKind) }); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db = openTest(t, path)
	defer db.Close()
	var got []uint64
	err = db.View(ctx, func(tx bot.Tx) error {
		return tx.EventsOfKind(bot.EventHandoffResolved, t0, func(e *bot.Event) bool { got = append(got, e.ID); return true })
	})
	if err != nil || !slices.Equal(got, []uint64{1, 3}) {
		t.Errorf("EventsOfKind after reopening a file without the index = %v, %v; want [1 3]", got, err)
	}
	if err := db.Check(ctx); err != nil {
		t.Errorf("Check: %v", err)
	}
}

package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestTokenBucketsBounded: buckets full again are swept as others are
// taken, so a guesser trying many keys does not grow the file for good.
func TestTokenBucketsBounded(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	take := func(key string, at time.Time) {
		t.Helper()
		if err := db.Update(ctx, func(tx bot.Tx) error {
			_, err := tx.TakeToken(key, 5, time.Minute, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		take(fmt.Sprint("old", i), t0)
	}
	for i := range 10 {
		take(fmt.Sprint("new", i), t0.Add(time.Hour))
	}
	var n, idx int
	if err := db.View(ctx, func(tx bot.Tx) error {
		n = tx.(*Tx).b(bTokens).Stats().KeyN
		idx = tx.(*Tx).b(bTokensFull).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 10 || idx != 10 {
		t.Fatalf("%d buckets (%d in the index) kept, want the 10 in use", n, idx)
	}
}

package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

const benchContacts = 10_000

// benchDB is a store holding benchContacts contacts.
func benchDB(b *testing.B) *DB {
	db := openTest(b, filepath.Join(b.TempDir(), "linkline.db"))
	b.Cleanup(func() { db.Close() })
	err := db.bolt.Update(func(btx *bbolt.Tx) error {
		tx := &Tx{tx: btx}
		for i := range benchContacts {
			c := &bot.Contact{ID: benchID(i), Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i)}}}
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

func benchID(i int) string { return fmt.Sprintf("c%d", i) }

// benchUpdate is one inbound turn's worth of writing: a transcript line and
// a queued reply.
func benchUpdate(db *DB, i int) error {
	now := time.Unix(1_800_000_000, int64(i))
	return db.Update(context.Background(), func(tx bot.Tx) error {
		id := benchID(i % benchContacts)
		if err := tx.AppendMessage(&bot.Message{ContactID: id, Direction: bot.In, Text: "some words", At: now}); err != nil {
			return err
		}
		return tx.Enqueue(&bot.Outbound{ContactID: id, Text: "a reply of a typical length for a question", Status: bot.StatusPending, NextAttempt: now, CreatedAt: now})
	})
}

// BenchmarkUpdateSequential is one writer: every Update waits for its own
// commit (and the batch delay).
func BenchmarkUpdateSequential(b *testing.B) {
	db := benchDB(b)
	b.ResetTimer()
	for i := range b.N {
		if err := benchUpdate(db, i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

// BenchmarkUpdateParallel is many writers at once (64 × GOMAXPROCS
// goroutines): their Updates share commits.
func BenchmarkUpdateParallel(b *testing.B) {
	db := benchDB(b)
	var n atomic.Int64
	b.SetParallelism(64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := benchUpdate(db, int(n.Add(1))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

package postgres

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// schema3 makes a database as a schema 3 Linkline left it, with provider
// ids kept by id alone, and the transcripts they came from. It returns
// the pool and what Open must make of the ids.
func schema3(t *testing.T) (*pgxpool.Pool, string, []seenRow) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.URL(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, pool, ms[:3]); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	msgs := []bot.Message{
		{ID: 1, ContactID: "c1", Direction: bot.In, Address: bot.Address{Channel: bot.SMS, ID: "+447700900001"}, Text: "hi", ProviderID: "SM1"},
		{ID: 2, ContactID: "c1", Direction: bot.Out, Address: bot.Address{Channel: bot.SMS, ID: "+447700900001"}, Text: "hello", ProviderID: "SMout"},
		// A zero byte in the words: read as json, not jsonb, which refuses it.
		{ID: 3, ContactID: "c1", Direction: bot.In, Address: bot.Address{Channel: bot.SMS, ID: "+447700900001"}, Text: "a\x00b", ProviderID: "SM3"},
		{ID: 4, ContactID: "c2", Direction: bot.In, Address: bot.Address{Channel: bot.Telegram, ID: "77"}, Text: "/start", ProviderID: "5001"},
		{ID: 5, ContactID: "c2", Direction: bot.In, Address: bot.Address{Channel: bot.Telegram, ID: "77"}, Text: "no id"},
	}
	for _, m := range msgs {
		data, err := encode(&m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "INSERT INTO messages (contact_id, id, inbound, data) VALUES ($1, $2, $3, $4)",
			m.ContactID, m.ID, m.Direction == bot.In, data); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range []string{"sms:SM1", "sms:SMout", "sms:SM3", "telegram:5001", "sms:SMgone"} {
		if _, err := pool.Exec(ctx, "INSERT INTO seen (provider_id, at_ns) VALUES ($1, $2)", id, ns(t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	// The outbound message's id and the one whose transcript is gone
	// have no sender to go to.
	want := []seenRow{
		{"c1", "sms:SM1", ns(t0)},
		{"c1", "sms:SM3", ns(t0.Add(2 * time.Minute))},
		{"c2", "telegram:5001", ns(t0.Add(3 * time.Minute))},
	}
	return pool, url, want
}

type seenRow struct {
	contact, provider string
	at                int64
}

func seenRows(t *testing.T, pool *pgxpool.Pool) []seenRow {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT contact_id, provider_id, at_ns FROM seen ORDER BY 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (seenRow, error) {
		var s seenRow
		err := r.Scan(&s.contact, &s.provider, &s.at)
		return s, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestMigrateSeenByContact: Open moves the provider ids of a schema 3
// database to the contacts who sent them, and drops those no inbound
// message names.
func TestMigrateSeenByContact(t *testing.T) {
	t.Parallel()
	pool, url, want := schema3(t)
	db := openTest(t, url)
	defer db.Close()
	if got := seenRows(t, pool); !reflect.DeepEqual(got, want) {
		t.Errorf("seen after the migration = %v, want %v", got, want)
	}
	ctx := context.Background()
	err := db.Update(ctx, func(tx bot.Tx) error {
		for _, c := range []struct {
			contact, id string
			seen        bool
		}{{"c1", "sms:SM1", true}, {"c2", "telegram:5001", true}, {"c2", "sms:SM1", false}, {"c1", "sms:SMgone", false}} {
			if seen, err := tx.MarkSeen(c.contact, c.id, time.Now()); err != nil || seen != c.seen {
				t.Errorf("MarkSeen(%s, %s) = %v, %v; want %v", c.contact, c.id, seen, err, c.seen)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var idx []string
	rows, err := pool.Query(ctx, "SELECT indexname FROM pg_indexes WHERE tablename = 'seen' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	if idx, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || !slices.Equal(idx, []string{"seen_at", "seen_pkey"}) {
		t.Errorf("indexes of seen = %v, %v; want seen_at and seen_pkey", idx, err)
	}
}

// TestMigrateSeenFailsWhole: a migration that fails part way leaves the
// database as schema 3 left it.
func TestMigrateSeenFailsWhole(t *testing.T) {
	t.Parallel()
	pool, url, _ := schema3(t)
	ctx := context.Background()
	before := oldSeen(t, pool)
	// A transcript row that is not JSON: the migration cannot read it.
	if _, err := pool.Exec(ctx, "INSERT INTO messages (contact_id, id, inbound, data) VALUES ('c9', 9, true, 'not json')"); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(ctx, url, Options{}); err == nil {
		db.Close()
		t.Fatal("Open migrated a database whose transcript it cannot read")
	}
	var v int
	if err := pool.QueryRow(ctx, "SELECT max(version) FROM linkline_schema").Scan(&v); err != nil || v != 3 {
		t.Errorf("schema after a failed migration = %d, %v; want 3", v, err)
	}
	if after := oldSeen(t, pool); !slices.Equal(after, before) {
		t.Errorf("seen after a failed migration = %v, want %v as it was", after, before)
	}
}

// oldSeen reads a schema 3 seen table.
func oldSeen(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT provider_id || ' ' || at_ns FROM seen ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return got
}

package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres/pgtest"
	"github.com/linkline/linkline/store/storetest"
)

func openTest(t testing.TB, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) bot.Store { return openTest(t, pgtest.URL(t)) })
}

// TestStoreShared: two pools on one database, as two Linkline processes.
func TestStoreShared(t *testing.T) {
	t.Parallel()
	storetest.RunShared(t, func(t *testing.T) (bot.Store, bot.Store) {
		url := pgtest.URL(t)
		return openTest(t, url), openTest(t, url)
	})
}

// TestOpenTogether: processes starting at once apply the schema once.
func TestOpenTogether(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(context.Background(), url, Options{})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	db := openTest(t, url)
	defer db.Close()
	var n int
	if err := db.pool.QueryRow(context.Background(), "SELECT count(*) FROM linkline_schema").Scan(&n); err != nil || n != SchemaVersion() {
		t.Errorf("schema rows = %d, %v; want %d, one per migration", n, err, SchemaVersion())
	}
}

func TestOpenNewerSchema(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	db := openTest(t, url)
	if _, err := db.pool.Exec(context.Background(), "INSERT INTO linkline_schema (version, name) VALUES ($1, 'from the future')", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(context.Background(), url, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	want := fmt.Sprintf("written by a newer Linkline (schema %d; this binary knows up to %d)", SchemaVersion()+1, SchemaVersion())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

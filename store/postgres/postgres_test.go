package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
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

// TestRetriesCounted: a transaction that loses a race runs again, and
// /metrics says how often and why.
func TestRetriesCounted(t *testing.T) {
	t.Parallel()
	db := openTest(t, pgtest.URL(t))
	defer db.Close()
	lost := []string{"40001", "40P01", "23505"}
	runs := 0
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		runs++
		if runs <= len(lost) {
			pe := &pgconn.PgError{Code: lost[runs-1]}
			if pe.Code == "23505" {
				pe.ConstraintName = "users_email_key" // a race on a unique key
			}
			return pe
		}
		return tx.PutSetting("retried", "yes")
	})
	if err != nil || runs != 4 {
		t.Fatalf("Update = %v after %d runs, want nil after 4", err, runs)
	}
	var b strings.Builder
	db.WritePrometheus(&b)
	for _, want := range []string{`linkline_store_retries_total{reason="serialization"} 1`,
		`linkline_store_retries_total{reason="deadlock"} 1`, `linkline_store_retries_total{reason="unique"} 1`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, b.String())
		}
	}
	// A unique violation on a constraint that is not a race is the caller's
	// error: not run again, not counted.
	err = db.Update(context.Background(), func(tx bot.Tx) error {
		return &pgconn.PgError{Code: "23505", ConstraintName: "some_other_key"}
	})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("Update = %v, want the unique violation back", err)
	}
	b.Reset()
	db.WritePrometheus(&b)
	if !strings.Contains(b.String(), `linkline_store_retries_total{reason="unique"} 1`) {
		t.Errorf("a plain unique violation was counted as a retry:\n%s", b.String())
	}
}

// TestLazyCommit: an Update marked bot.WithLazyCommit commits with
// synchronous_commit off, in READ COMMITTED as any Update, and only it:
// the setting does not outlive the transaction on its connection.
func TestLazyCommit(t *testing.T) {
	t.Parallel()
	db := openTest(t, pgtest.URL(t))
	defer db.Close()
	setting := func(ctx context.Context) (syncMode, iso string) {
		t.Helper()
		err := db.Update(ctx, func(btx bot.Tx) error {
			tx := btx.(*Tx)
			if err := tx.row("SHOW synchronous_commit", nil, &syncMode); err != nil {
				return err
			}
			if err := tx.row("SHOW transaction_isolation", nil, &iso); err != nil {
				return err
			}
			return tx.PutSetting("lazy", syncMode)
		})
		if err != nil {
			t.Fatal(err)
		}
		return syncMode, iso
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"lazy", bot.WithLazyCommit(context.Background()), "off"},
		{"plain after lazy", context.Background(), "on"},
		{"lazy again", bot.WithLazyCommit(context.Background()), "off"},
	} {
		if syncMode, iso := setting(tc.ctx); syncMode != tc.want || iso != "read committed" {
			t.Errorf("%s: synchronous_commit %s in %s, want %s in read committed", tc.name, syncMode, iso, tc.want)
		}
	}
}

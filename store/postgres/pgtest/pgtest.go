// Package pgtest gives tests a fresh PostgreSQL database of their own.
//
// Tests connect to the server LINKLINE_TEST_PG names (a postgres:// URL;
// default postgres://postgres@127.0.0.1:5432/test?sslmode=disable). When
// it cannot be reached the test is skipped, unless LINKLINE_REQUIRE_PG=1,
// when it fails: CI sets that, so a missing server is never a silent pass.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tests use when LINKLINE_TEST_PG is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var counter atomic.Int64

// ServerURL returns the URL of the test server, skipping t (or failing
// it, under LINKLINE_REQUIRE_PG=1) when the server cannot be reached.
func ServerURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("LINKLINE_TEST_PG")
	if base == "" {
		base = DefaultURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if os.Getenv("LINKLINE_REQUIRE_PG") == "1" {
			t.Fatalf("PostgreSQL is required (LINKLINE_REQUIRE_PG=1) but %s cannot be reached: %v", redact(base), err)
		}
		t.Skipf("PostgreSQL at %s cannot be reached (set LINKLINE_TEST_PG, or LINKLINE_REQUIRE_PG=1 to fail): %v", redact(base), err)
	}
	conn.Close(ctx)
	return base
}

// URL creates an empty database on the test server and returns its URL;
// the database is dropped when t ends. Tests using one each are isolated
// and may run in parallel.
func URL(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("linkline_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, counter.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("LINKLINE_TEST_PG must be a postgres:// URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

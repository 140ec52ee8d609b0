// Package teststore opens the database a test of another package runs
// on: a bbolt file by default, or, when LINKLINE_TEST_PG is set to a
// PostgreSQL URL, a fresh database of the test's own on that server
// (store/postgres/pgtest makes it and drops it when the test ends). So
// the bot, console and cmd/linkline suites can run on either backend:
//
//	LINKLINE_TEST_PG=postgres://postgres@127.0.0.1:5432/test go test ./bot/ ./console/ ./cmd/linkline/
//
// A path opened again in the same test (a restart) opens the same
// database.
package teststore

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// Postgres reports whether tests run on PostgreSQL (LINKLINE_TEST_PG is
// set).
func Postgres() bool { return os.Getenv("LINKLINE_TEST_PG") != "" }

var (
	mu   sync.Mutex
	urls = map[string]string{} // bbolt path → the PostgreSQL database standing in for it
)

// DB returns what a test passes as --db or LINKLINE_DB for the bbolt
// file path: path itself, or on PostgreSQL the URL of a database made
// for it (the same one each time path is asked for).
func DB(t testing.TB, path string) string {
	t.Helper()
	if !Postgres() || strings.HasPrefix(path, "postgres://") {
		return path
	}
	mu.Lock()
	defer mu.Unlock()
	if u, ok := urls[path]; ok {
		return u
	}
	u := pgtest.URL(t)
	urls[path] = u
	t.Cleanup(func() {
		mu.Lock()
		delete(urls, path)
		mu.Unlock()
	})
	return u
}

// Open opens the store for the bbolt file path (see DB). The caller
// closes it.
func Open(t testing.TB, path string) bot.Store {
	t.Helper()
	db := DB(t, path)
	var s bot.Store
	var err error
	if strings.HasPrefix(db, "postgres://") {
		s, err = postgres.Open(context.Background(), db, postgres.Options{})
	} else {
		s, err = bolt.Open(context.Background(), db, bolt.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

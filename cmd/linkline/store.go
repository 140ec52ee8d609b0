package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
)

// isPostgres reports whether db (LINKLINE_DB, --db) names a PostgreSQL
// database, a postgres:// or postgresql:// URL, rather than a bbolt file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens the database db names: PostgreSQL for a URL, else the
// bbolt file at that path.
func openStore(ctx context.Context, db string) (bot.Store, error) {
	if isPostgres(db) {
		return postgres.Open(ctx, db, postgres.Options{})
	}
	return bolt.Open(ctx, db, bolt.Options{})
}

// dbLabel is db as logs and messages may show it: a URL without its
// password.
func dbLabel(db string) string {
	if isPostgres(db) {
		return postgres.Redact(db)
	}
	return db
}

// boltOnly refuses a command that works on the bbolt file itself when db
// is PostgreSQL, saying what to do instead.
func boltOnly(db, command, instead string) error {
	if isPostgres(db) {
		return fmt.Errorf("linkline %s works on a bbolt file; %s is PostgreSQL: %s (see docs/postgres.md)", command, dbLabel(db), instead)
	}
	return nil
}

package engine_test

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/store/teststore"
)

// notPersonalPG is notPersonal for the PostgreSQL store's tables: those
// that hold nothing about a person, or only keys no one can read back.
var notPersonalPG = []string{"linkline_schema", "users", "sessions", "settings", "leases",
	"dir_services", "dir_feed", "dir_terms", "postcodes", "token_buckets", "signin_limits"}

// rawScanPG is rawScan on PostgreSQL: every row of every table in the
// test's database, the row as JSON text, keyed by its first column.
func (w *world) rawScanPG(fn func(bucket string, k, v []byte)) {
	w.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, teststore.DB(w.t, w.path))
	if err != nil {
		w.t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
	if err != nil {
		w.t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		w.t.Fatal(err)
	}
	for _, table := range tables {
		fn(table, nil, nil)
		rows, err := conn.Query(ctx, fmt.Sprintf("SELECT row_to_json(t)::text FROM %s t", pgx.Identifier{table}.Sanitize()))
		if err != nil {
			w.t.Fatal(err)
		}
		vals, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			w.t.Fatal(err)
		}
		for i, v := range vals {
			fn(table, fmt.Appendf(nil, "%d", i), []byte(v))
		}
	}
}

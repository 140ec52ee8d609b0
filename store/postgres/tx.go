package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// Tx is one transaction on a DB. It implements bot.Tx.
type Tx struct {
	ctx      context.Context
	tx       pgx.Tx
	writable bool
	undo     *[]func() // nil in a read-only transaction
	// failed is the first database error a statement met; PostgreSQL
	// refuses every later statement of the transaction, so it is what
	// Update returns whatever fn made of it.
	failed error
	// xid and events are this transaction's id and how many events it
	// has added (events.go).
	xid    int64
	events int64
	// calls counts statements sent, so a scan knows when fn wrote.
	calls int
}

var _ bot.Tx = (*Tx)(nil)

var errReadOnly = errors.New("store: write in a read-only transaction")

// check fails in a read-only transaction, before anything is assigned.
func (t *Tx) check() error {
	if !t.writable {
		return errReadOnly
	}
	return nil
}

// onUndo registers how to reverse a change made to a caller's record if
// this run of the transaction does not commit.
func (t *Tx) onUndo(f func()) {
	if t.undo != nil {
		*t.undo = append(*t.undo, f)
	}
}

// note records a database error as the transaction's failure and returns
// it wrapped.
func (t *Tx) note(err error) error {
	if err == nil || errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if t.failed == nil {
		t.failed = fmt.Errorf("store: %w", err)
	}
	return t.failed
}

// exec runs a statement and returns how many rows it touched.
func (t *Tx) exec(sql string, args ...any) (int64, error) {
	if t.failed != nil {
		return 0, t.failed
	}
	if zeroByte(args) {
		return 0, nil // no row holds one (writes refuse them first)
	}
	t.calls++
	tag, err := t.tx.Exec(t.ctx, sql, args...)
	if err != nil {
		return 0, t.note(err)
	}
	return tag.RowsAffected(), nil
}

// row scans the one row a query returns into dest; no row is
// pgx.ErrNoRows.
func (t *Tx) row(sql string, args []any, dest ...any) error {
	if t.failed != nil {
		return t.failed
	}
	if zeroByte(args) {
		return pgx.ErrNoRows // no row holds one (writes refuse them first)
	}
	t.calls++
	return t.note(t.tx.QueryRow(t.ctx, sql, args...).Scan(dest...))
}

// forUpdate is the locking clause of a point read: in a writable
// transaction the row read stays locked until commit, so what fn decides
// from it still holds when it writes.
func (t *Tx) forUpdate() string {
	if t.writable {
		return " FOR UPDATE"
	}
	return ""
}

// get decodes the JSON record one query returns into v, or returns a
// not-found error naming what.
func (t *Tx) get(v any, what, sql string, args ...any) error {
	var data []byte
	err := t.row(sql, args, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, bot.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("store: decode %s: %w", what, err)
	}
	return nil
}

// jsonDecode decodes a record, naming what in its error.
func jsonDecode(data []byte, v any, what string) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("store: decode %s: %w", what, err)
	}
	return nil
}

func encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %T: %w", v, err)
	}
	return data, nil
}

// pageSize is how many rows a scan reads at a time. Between pages fn may
// use the transaction (a pgx connection reads one result at a time). The
// next page starts after the last row passed, so a row fn moves past the
// scan's end (a retry later) is not passed again, as on bbolt; a row fn
// deletes or changes later in the same page is still passed as it was
// read.
const pageSize = 100

// page is one batch of a scan: the rows' JSON and each row's key for
// seeking past it.
type page struct {
	data [][]byte
	keys [][]any
}

// scan calls next(key) for pages of rows after key (nil: from the start),
// decodes each row into a new T and passes it to fn until fn returns false
// or the rows run out. next returns the query and its arguments; the
// query selects data followed by nkeys key columns, ordered by them.
func scan[T any](t *Tx, what string, nkeys int, next func(after []any) (string, []any), fn func(*T) bool) error {
	var after []any
	for {
		sql, args := next(after)
		p, err := t.page(sql, args, nkeys)
		if err != nil {
			return err
		}
		full := len(p.data) == pageSize
		for i, data := range p.data {
			v := new(T)
			if err := json.Unmarshal(data, v); err != nil {
				return fmt.Errorf("store: decode %s: %w", what, err)
			}
			calls := t.calls
			if !fn(v) {
				return nil
			}
			after = p.keys[i]
			if t.writable && t.calls != calls {
				// fn wrote (or may have): the rest of this page may be
				// deleted or changed, so read on from here afresh.
				full = true
				break
			}
		}
		if !full {
			return nil
		}
	}
}

// page reads one page of a scan.
func (t *Tx) page(sql string, args []any, nkeys int) (page, error) {
	var p page
	if t.failed != nil {
		return p, t.failed
	}
	if zeroByte(args) {
		return p, nil // no row holds one (writes refuse them first)
	}
	rows, err := t.tx.Query(t.ctx, sql, args...)
	if err != nil {
		return p, t.note(err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return p, t.note(err)
		}
		data, ok := vals[0].([]byte)
		if !ok || len(vals) != 1+nkeys {
			return p, fmt.Errorf("store: scan row of %d columns, data %T", len(vals), vals[0])
		}
		p.data = append(p.data, data)
		p.keys = append(p.keys, vals[1:])
	}
	return p, t.note(rows.Err())
}

// ns is t as Unix nanoseconds for a column: order is time order; the zero
// time and times before 1678 are the smallest value, times after 2262 the
// largest (as store/bolt's keys).
func ns(t time.Time) int64 {
	switch {
	case t.IsZero() || !t.After(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case !t.Before(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// newID formats a sequence number as a short string id, as store/bolt
// does, so ids look the same on both stores.
func newID(prefix string, n int64) string { return prefix + strconv.FormatInt(n, 36) }

// nextID takes the next number of a sequence.
func (t *Tx) nextID(seq string) (int64, error) {
	var n int64
	if err := t.row("SELECT nextval('"+seq+"')", nil, &n); err != nil {
		return 0, err
	}
	return n, nil
}

// checkID refuses ids PostgreSQL text cannot hold (a zero byte) or that
// store/bolt refuses, so both stores accept the same records.
func checkID(id, what string) error {
	if id == "" {
		return bot.Errorf(bot.EInvalid, "%s: empty id", what)
	}
	if len(id) > 255 || strings.IndexByte(id, 0) >= 0 {
		return bot.Errorf(bot.EInvalid, "%s: id %q is longer than 255 bytes or holds a zero byte", what, id)
	}
	return nil
}

// text refuses a zero byte in a value kept in a text column.
func text(s, what string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return bot.Errorf(bot.EInvalid, "%s holds a zero byte", what)
	}
	return nil
}

// LockKey holds a transaction-scoped advisory lock on key until the
// transaction ends: another transaction locking the same key waits.
func (t *Tx) LockKey(key string) error {
	if err := t.check(); err != nil {
		return err
	}
	if key == "" {
		return bot.Errorf(bot.EInvalid, "lock: empty key")
	}
	_, err := t.exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
	return err
}

// zeroByte reports whether a text argument holds a zero byte, which
// PostgreSQL text cannot: a lookup by one finds nothing rather than
// failing the transaction.
func zeroByte(args []any) bool {
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if strings.IndexByte(v, 0) >= 0 {
				return true
			}
		case []string:
			for _, s := range v {
				if strings.IndexByte(s, 0) >= 0 {
					return true
				}
			}
		}
	}
	return false
}

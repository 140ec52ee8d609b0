// Package postgres keeps Linkline's records in PostgreSQL, so that several
// Linkline processes can serve one organisation from one database. It
// implements bot.Store and passes store/storetest, as store/bolt does.
//
// Update runs fn in a READ COMMITTED transaction. Point reads lock the
// row they read (SELECT ... FOR UPDATE), so a read-modify-write of one
// record is never lost to another process; the uniqueness rules (one
// owner per address, one active handoff per person, one user per email, a
// provider message id seen once) are constraints. When two transactions
// race for the same unique key, or deadlock, or fail to serialize, the
// loser is rolled back and fn runs again from the start, up to
// maxAttempts times: bot.Store allows Update to run fn more than once.
//
// View runs fn in a REPEATABLE READ, READ ONLY transaction: one snapshot
// for all of fn's reads, as a bbolt read transaction is.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/linkline/linkline/bot"
)

// maxAttempts is how many times Update runs fn when its transaction keeps
// losing races; the last loss is returned.
const maxAttempts = 8

// defaultMaxConns is the pool's size unless the URL or Options say: a
// server's webhooks, its dispatcher's 16 workers and its scheduler's
// lanes each hold a connection for a transaction's round trips, and with
// pgxpool's own default (4 on a 2-core machine) they queued for one:
// at 100 messages a second the reply lag's p99 was 667 ms with 4 and
// 107 ms with 16 (docs/benchmarks.md). Two instances use 34 of
// PostgreSQL's default 100 (each also LISTENs on one).
const defaultMaxConns = 16

// DB is a Linkline store in a PostgreSQL database. It is safe for
// concurrent use, and any number of DBs, in any number of processes, may
// share one database.
type DB struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	// Wake-ups (wake.go): a coalescing sender per channel, stopped by Close.
	wakeMu sync.Mutex
	wakes  map[string]chan struct{}
	closed bool
	done   chan struct{}
	wakeWG sync.WaitGroup

	// retries counts Update's runs again after a lost race, by reason
	// (retryReasons), for /metrics (WritePrometheus).
	retries [len(retryReasons)]atomic.Int64
}

// retryReasons are the lost races Update runs fn again for, as counted.
var retryReasons = [...]string{"serialization", "deadlock", "unique"}

var _ bot.Store = (*DB)(nil)

// Options tune Open. The zero value is the production setting.
type Options struct {
	// MaxConns is the most connections the pool opens. Default: the URL's
	// pool_max_conns, else defaultMaxConns.
	MaxConns int32
	// Log receives what goes wrong in the background (wake-ups). Default:
	// slog.Default().
	Log *slog.Logger
}

// Open connects to the database url names (a postgres:// URL or a
// key=value connection string), brings its schema up to date under an
// advisory lock (several processes may start at once), and refuses a
// database a newer Linkline has written.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(url, "pool_max_conns"):
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", Redact(url), err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", Redact(url), err)
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return &DB{pool: pool, log: opts.Log, wakes: map[string]chan struct{}{}, done: make(chan struct{})}, nil
}

// Redact returns url without its password, for messages and logs.
func Redact(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "(unreadable connection string)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Pool is the connection pool, for what the store does not cover
// (health checks, leader leases).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close stops sending wake-ups and closes every connection. Closing twice
// is harmless.
func (db *DB) Close() error {
	db.wakeMu.Lock()
	if !db.closed {
		db.closed = true
		close(db.done)
	}
	db.wakeMu.Unlock()
	db.wakeWG.Wait()
	db.pool.Close()
	return nil
}

// Update runs fn in a read-write transaction and returns once it has
// committed. fn runs again, in a new transaction, when its transaction
// loses a race another transaction won (a unique key, a deadlock, a
// serialization failure); IDs assigned to fn's records in a run that did
// not commit are cleared again, as store/bolt does. With ctx marked
// bot.WithLazyCommit it commits with synchronous_commit off.
func (db *DB) Update(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var undo []func()
	var err error
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	if bot.LazyCommit(ctx) {
		// In the same round trip as BEGIN: the commit does not wait for
		// the WAL to be flushed (a crash of the server may lose the last
		// fraction of a second of such commits; never a torn one).
		opts.BeginQuery = "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL synchronous_commit = off"
	}
	for attempt := 1; ; attempt++ {
		revert(undo)
		undo = undo[:0]
		err = db.run(ctx, opts, func(t *Tx) error {
			t.undo = &undo
			if f, ok := fenceFrom(ctx); ok { // a leader's work (fence.go)
				if err := Fence(t, f.name, f.holder, f.epoch); err != nil {
					return err
				}
			}
			return fn(t)
		})
		if err == nil || !retryable(err) || attempt == maxAttempts || ctx.Err() != nil {
			break
		}
		db.retries[retryReason(err)].Add(1)
		// Let the winner finish before trying again, spread so that the
		// losers do not collide once more.
		backoff := time.Duration(rand.Int64N(int64(attempt) * int64(2*time.Millisecond)))
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
	}
	if err != nil {
		revert(undo)
	}
	return err
}

func revert(undo []func()) {
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
}

// View runs fn in a read-only transaction on one snapshot.
func (db *DB) View(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(t *Tx) error { return fn(t) })
}

// run runs fn in one transaction and commits it if fn succeeds. A
// database error fn's statements met (which aborts the transaction in
// PostgreSQL, whatever fn then did with it) is returned in preference to
// fn's own.
func (db *DB) run(ctx context.Context, opts pgx.TxOptions, fn func(*Tx) error) error {
	ptx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &Tx{ctx: ctx, tx: ptx, writable: opts.AccessMode != pgx.ReadOnly}
	// Roll back unless committed, a panic in fn included. The rollback's
	// own error adds nothing: the transaction ends either way, and a
	// broken connection leaves the pool. (After a commit it does nothing.)
	defer func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) }()
	ferr := fn(t)
	if t.failed != nil {
		return t.failed
	}
	if ferr != nil {
		return ferr
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Constraints whose violation means another transaction won a race this
// one then retries (and, on the retry, sees what the winner wrote).
var raceConstraints = map[string]bool{
	"contact_addresses_pkey": true,
	"handoffs_one_active":    true,
	"users_email_key":        true,
	"seen_pkey":              true,
	"token_buckets_pkey":     true,
}

// retryReason is the index in retryReasons of a retryable err.
func retryReason(err error) int {
	var pe *pgconn.PgError
	errors.As(err, &pe)
	switch pe.Code {
	case "40001":
		return 0
	case "40P01":
		return 1
	}
	return 2
}

// WritePrometheus writes linkline_store_retries_total: how often Update
// ran a transaction again after losing a race, by reason. A rising count
// means instances contend for the same rows (docs/postgres.md).
func (db *DB) WritePrometheus(w io.Writer) {
	fmt.Fprintln(w, "# HELP linkline_store_retries_total Store transactions run again after losing a race, by reason.")
	fmt.Fprintln(w, "# TYPE linkline_store_retries_total counter")
	for i, r := range retryReasons {
		fmt.Fprintf(w, "linkline_store_retries_total{reason=%q} %d\n", r, db.retries[i].Load())
	}
}

// retryable reports whether err is a lost race that running fn again
// can win.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	case "23505": // unique_violation
		return raceConstraints[pe.ConstraintName]
	}
	return false
}

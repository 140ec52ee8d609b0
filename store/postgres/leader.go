package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// Leadership: work that one instance should do at a time (Telegram long
// polling, which Telegram refuses to a second poller; retention sweeps)
// runs on the holder of a named lease. Times are the database server's
// (now()), so the instances' clocks do not matter.

// ErrFenced is returned by Fence when the lease has passed to another
// holder (or a later epoch) since the caller acquired it.
var ErrFenced = errors.New("store: lease lost to another holder")

// Acquire takes or renews the lease name for holder for d and returns its
// epoch, or ok false while another holder's lease has not run out. The
// epoch rises whenever the lease changes hands or lapses.
func (db *DB) Acquire(ctx context.Context, name, holder string, d time.Duration) (epoch int64, ok bool, err error) {
	err = db.pool.QueryRow(ctx, `INSERT INTO leases (name, holder, epoch, until) VALUES ($1, $2, 1, now() + $3 * interval '1 microsecond')
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until,
			epoch = CASE WHEN leases.holder = EXCLUDED.holder AND leases.until > now() THEN leases.epoch ELSE leases.epoch + 1 END
		WHERE leases.holder = EXCLUDED.holder OR leases.until <= now()
		RETURNING epoch`, name, holder, d.Microseconds()).Scan(&epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: lease %s: %w", name, err)
	}
	return epoch, true, nil
}

// Release gives the lease up at once if holder has it, so another may
// take it without waiting for it to run out.
func (db *DB) Release(ctx context.Context, name, holder string) error {
	_, err := db.pool.Exec(ctx, "UPDATE leases SET until = now() WHERE name = $1 AND holder = $2", name, holder)
	return err
}

// Fence fails with ErrFenced unless holder still holds lease name at
// epoch, and otherwise keeps the lease from changing hands until tx ends:
// a leader calls it in each transaction whose writes must not land after
// it has been deposed. It works only in a PostgreSQL transaction.
func Fence(tx bot.Tx, name, holder string, epoch int64) error {
	t, ok := tx.(*Tx)
	if !ok {
		return fmt.Errorf("store: Fence needs a PostgreSQL transaction, not %T", tx)
	}
	var n int
	err := t.row("SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND until > now() FOR SHARE",
		[]any{name, holder, epoch}, &n)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("lease %s at epoch %d: %w", name, epoch, ErrFenced)
	}
	return err
}

// Lead runs work whenever holder holds lease name, until ctx ends: it
// tries for the lease every d/3, renews it as often while it holds it,
// and cancels work's context when a renewal fails or the lease would run
// out before the next (so the next holder, who takes over once d has
// passed, never overlaps it). work gets the epoch to Fence with. On
// return the lease is released.
func (db *DB) Lead(ctx context.Context, name, holder string, d time.Duration, work func(ctx context.Context, epoch int64)) {
	every := d / 3
	defer func() { _ = db.Release(context.WithoutCancel(ctx), name, holder) }()
	for ctx.Err() == nil {
		epoch, ok, err := db.Acquire(ctx, name, holder, d)
		if err != nil && ctx.Err() == nil {
			db.log.Warn("postgres: lease", "lease", name, "err", err)
		}
		if !ok {
			sleep(ctx, every)
			continue
		}
		db.log.Info("leading", "lease", name, "epoch", epoch)
		wctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); work(WithFence(wctx, name, holder, epoch), epoch) }()
		renewed := time.Now()
	renew:
		for {
			sleep(wctx, every)
			if wctx.Err() != nil {
				break
			}
			e, ok, err := db.Acquire(ctx, name, holder, d)
			switch {
			case err == nil && ok && e == epoch:
				renewed = time.Now()
			case err == nil: // another holder has it, or it lapsed
				db.log.Warn("postgres: no longer leading", "lease", name, "epoch", epoch)
				break renew
			case time.Since(renewed)+every >= d:
				// Cannot tell, and it may run out before the next try:
				// stop before another could take over.
				db.log.Warn("postgres: no longer leading", "lease", name, "epoch", epoch, "err", err)
				break renew
			}
		}
		stop()
		<-done
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

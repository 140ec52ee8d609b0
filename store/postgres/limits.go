package postgres

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// The sign-in limiter's state (bot.LimitTx) is the table signin_limits
// (migration 0003). A key is locked with an advisory lock before it is
// read in a read-write transaction, so two processes recording failures
// for one key, stored or not yet, take turns and count each.

// sweepLimits is how many expired keys one PutLimit forgets at most.
const sweepLimits = 16

// Limit returns what is kept under key, unless it expired by now.
func (t *Tx) Limit(key bot.LimitKey, now time.Time) (*bot.Limit, error) {
	if t.writable {
		if err := t.LockKey("signin-limit:" + hex.EncodeToString(key[:])); err != nil {
			return nil, err
		}
	}
	l := new(bot.Limit)
	if err := t.get(l, "sign-in limit", "SELECT data FROM signin_limits WHERE key = $1 AND expires_ns > $2", key[:], ns(now)); err != nil {
		return nil, err
	}
	return l, nil
}

// PutLimit keeps l under key until l.Expires, first forgetting up to
// sweepLimits keys expired by now and, if key is new and the table holds
// most keys, those expiring soonest. Keys another transaction holds are
// passed over, so two puts at once do not wait on each other; the count is
// this transaction's view, so puts of new keys at the same moment can go
// past most by as many, which the next put takes back.
func (t *Tx) PutLimit(key bot.LimitKey, l *bot.Limit, now time.Time, most int) error {
	if err := t.check(); err != nil {
		return err
	}
	if most <= 0 || !l.Expires.After(now) {
		return bot.Errorf(bot.EInvalid, "sign-in limit: needs a positive bound and an expiry after now")
	}
	if _, err := t.exec(`DELETE FROM signin_limits WHERE key IN (
		SELECT key FROM signin_limits WHERE expires_ns <= $1 ORDER BY expires_ns LIMIT $2 FOR UPDATE SKIP LOCKED)`, ns(now), sweepLimits); err != nil {
		return err
	}
	var n, kept int
	if err := t.row("SELECT count(*), count(*) FILTER (WHERE key = $1) FROM signin_limits", []any{key[:]}, &n, &kept); err != nil {
		return err
	}
	if over := n - kept + 1 - most; over > 0 {
		if _, err := t.exec(`DELETE FROM signin_limits WHERE key IN (
			SELECT key FROM signin_limits WHERE key <> $1 ORDER BY expires_ns LIMIT $2 FOR UPDATE SKIP LOCKED)`, key[:], over); err != nil {
			return err
		}
	}
	data, err := encode(l)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO signin_limits (key, expires_ns, data) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET expires_ns = EXCLUDED.expires_ns, data = EXCLUDED.data`, key[:], ns(l.Expires), data)
	return err
}

// DeleteLimit forgets key.
func (t *Tx) DeleteLimit(key bot.LimitKey) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM signin_limits WHERE key = $1", key[:])
	return err
}

// LimitCount is how many keys are kept.
func (t *Tx) LimitCount() (int, error) {
	var n int
	err := t.row("SELECT count(*) FROM signin_limits", nil, &n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("count sign-in limits: %w", err)
	}
	return n, nil
}

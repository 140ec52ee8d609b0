package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

// The sign-in limiter's state (bot.LimitTx): a record per key, an index
// by expiry to forget them in order, and a count so a put knows the
// table's size without walking it.
var (
	bLimits    = []byte("limits")     // key (32 bytes) → bot.Limit; kLimitCount → count
	bLimitsExp = []byte("limits_exp") // expires, key → nil
)

// kLimitCount holds how many keys bLimits keeps; it cannot be a key, whose
// length is 32.
var kLimitCount = []byte("n")

// sweepLimits is how many expired keys one PutLimit forgets at most, so
// the work is spread over puts.
const sweepLimits = 16

func ensureLimits(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bLimits, bLimitsExp} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Limit returns what is kept under key, unless it expired by now. bbolt
// has one writer, so a read-write transaction holds every key already.
func (t *Tx) Limit(key bot.LimitKey, now time.Time) (*bot.Limit, error) {
	l := new(bot.Limit)
	if err := t.get(bLimits, key[:], l, "sign-in limit"); err != nil {
		return nil, err
	}
	if !now.Before(l.Expires) {
		return nil, fmt.Errorf("sign-in limit: expired: %w", bot.ErrNotFound)
	}
	return l, nil
}

// PutLimit keeps l under key until l.Expires, first forgetting up to
// sweepLimits keys expired by now and, if key is new and the table holds
// most keys, those expiring soonest.
func (t *Tx) PutLimit(key bot.LimitKey, l *bot.Limit, now time.Time, most int) error {
	if err := t.writable(); err != nil {
		return err
	}
	if most <= 0 || !l.Expires.After(now) {
		return bot.Errorf(bot.EInvalid, "sign-in limit: needs a positive bound and an expiry after now")
	}
	n := t.limitCount()
	old, err := t.dropLimit(key[:])
	if err != nil {
		return err
	}
	if old {
		n--
	}
	// Forget the expired, then, to make room, those expiring soonest.
	c := t.b(bLimitsExp).Cursor()
	var drop [][]byte
	for k, _ := c.First(); k != nil && len(k) == 8+len(key); k, _ = c.Next() {
		expired := bytes.Compare(k[:8], timeKey(now)) <= 0 && len(drop) < sweepLimits
		if !expired && n-len(drop) < most {
			break
		}
		drop = append(drop, bytes.Clone(k[8:]))
	}
	for _, k := range drop {
		if _, err := t.dropLimit(k); err != nil {
			return err
		}
		n--
	}
	if err := t.b(bLimitsExp).Put(join(timeKey(l.Expires), key[:]), nil); err != nil {
		return err
	}
	if err := t.put(bLimits, key[:], l); err != nil {
		return err
	}
	return t.b(bLimits).Put(kLimitCount, u64(uint64(n+1)))
}

// DeleteLimit forgets key.
func (t *Tx) DeleteLimit(key bot.LimitKey) error {
	if err := t.writable(); err != nil {
		return err
	}
	dropped, err := t.dropLimit(key[:])
	if err != nil || !dropped {
		return err
	}
	return t.b(bLimits).Put(kLimitCount, u64(uint64(max(t.limitCount()-1, 0))))
}

// LimitCount is how many keys are kept.
func (t *Tx) LimitCount() (int, error) { return t.limitCount(), nil }

func (t *Tx) limitCount() int {
	if v := t.b(bLimits).Get(kLimitCount); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

// dropLimit removes key and its expiry entry, leaving the count to the
// caller, and reports whether it was kept.
func (t *Tx) dropLimit(key []byte) (bool, error) {
	data := t.b(bLimits).Get(key)
	if data == nil {
		return false, nil
	}
	var l bot.Limit
	if err := decodeRecord(data, &l); err != nil {
		return false, fmt.Errorf("store: decode sign-in limit: %w", err)
	}
	err := errors.Join(t.b(bLimitsExp).Delete(join(timeKey(l.Expires), key)), t.b(bLimits).Delete(key))
	return err == nil, err
}

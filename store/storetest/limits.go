package storetest

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func limitKey(s string) bot.LimitKey { return sha256.Sum256([]byte(s)) }

// testLimits: a sign-in limit is kept until it expires, replaced by a
// put, forgotten by a delete, and refused in a View.
func testLimits(t *testing.T, s bot.Store) {
	a := limitKey("account:ann@example.org")
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Limit(a, t0)
		wantNotFound(t, "Limit before any put", err)
		if err := tx.PutLimit(a, &bot.Limit{Fails: 1, Expires: t0.Add(time.Hour)}, t0, 10); err == nil {
			t.Error("PutLimit in a View succeeded")
		}
		return nil
	})
	want := bot.Limit{Fails: 3, Last: t0, Until: t0.Add(4 * time.Second), Expires: t0.Add(time.Hour)}
	update(t, s, func(tx bot.Tx) error { return tx.PutLimit(a, &want, t0, 10) })
	get := func(at time.Time) (*bot.Limit, error) {
		var l *bot.Limit
		var err error
		view(t, s, func(tx bot.Tx) error { l, err = tx.Limit(a, at); return nil })
		return l, err
	}
	if l, err := get(t0.Add(time.Minute)); err != nil || *l != want {
		t.Errorf("Limit = %+v, %v; want %+v", l, err, want)
	}
	_, err := get(t0.Add(time.Hour))
	wantNotFound(t, "Limit at its expiry", err)
	// A put replaces; a count counts the key once.
	want.Fails, want.Expires = 4, t0.Add(2*time.Hour)
	update(t, s, func(tx bot.Tx) error { return tx.PutLimit(a, &want, t0, 10) })
	if l, err := get(t0.Add(90 * time.Minute)); err != nil || l.Fails != 4 {
		t.Errorf("Limit after a second put = %+v, %v; want 4 failures kept to the new expiry", l, err)
	}
	if n := limitCount(t, s); n != 1 {
		t.Errorf("LimitCount = %d, want 1", n)
	}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutLimit(a, &bot.Limit{Expires: t0}, t0, 10); bot.ErrorCode(err) != bot.EInvalid {
			t.Errorf("PutLimit expiring at now: %v, want EInvalid", err)
		}
		if err := tx.PutLimit(a, &want, t0, 0); bot.ErrorCode(err) != bot.EInvalid {
			t.Errorf("PutLimit with no bound: %v, want EInvalid", err)
		}
		if err := tx.DeleteLimit(a); err != nil {
			return err
		}
		return tx.DeleteLimit(limitKey("never kept"))
	})
	_, err = get(t0)
	wantNotFound(t, "Limit after DeleteLimit", err)
	if n := limitCount(t, s); n != 0 {
		t.Errorf("LimitCount after delete = %d, want 0", n)
	}
}

// testLimitsBounded: keys past the bound push out those expiring soonest;
// expired keys are forgotten as new ones are put; however many keys are
// tried, the count stays at the bound.
func testLimitsBounded(t *testing.T, s bot.Store) {
	const most = 20
	// A key being slowed (expiring last) and 60 tried once each, every
	// one expiring a second later than the one before.
	guarded := limitKey("account:ann@example.org")
	update(t, s, func(tx bot.Tx) error {
		return tx.PutLimit(guarded, &bot.Limit{Fails: 9, Expires: t0.Add(24 * time.Hour)}, t0, most)
	})
	for i := range 60 {
		update(t, s, func(tx bot.Tx) error {
			return tx.PutLimit(limitKey(fmt.Sprint("ip:", i)), &bot.Limit{Fails: 1, Expires: t0.Add(time.Hour + time.Duration(i)*time.Second)}, t0, most)
		})
		if n := limitCount(t, s); n > most {
			t.Fatalf("after %d keys LimitCount = %d, want at most %d", i+2, n, most)
		}
	}
	view(t, s, func(tx bot.Tx) error {
		if _, err := tx.Limit(guarded, t0); err != nil {
			t.Errorf("the key expiring last was pushed out: %v", err)
		}
		if _, err := tx.Limit(limitKey("ip:59"), t0); err != nil {
			t.Errorf("the newest key was pushed out: %v", err)
		}
		_, err := tx.Limit(limitKey("ip:0"), t0)
		wantNotFound(t, "the key expiring first, past the bound", err)
		return nil
	})
	// Two hours on, every ip key has expired: new puts forget them a few
	// at a time, without needing the bound.
	later := t0.Add(2 * time.Hour)
	for i := range 10 {
		update(t, s, func(tx bot.Tx) error {
			return tx.PutLimit(limitKey(fmt.Sprint("later:", i)), &bot.Limit{Fails: 1, Expires: later.Add(time.Hour)}, later, 1000)
		})
	}
	if n := limitCount(t, s); n != 11 {
		t.Errorf("LimitCount after the expired keys were swept = %d, want 11 (10 new and the one still kept)", n)
	}
}

func limitCount(t *testing.T, s bot.Store) int {
	t.Helper()
	var n int
	view(t, s, func(tx bot.Tx) error {
		var err error
		n, err = tx.LimitCount()
		return err
	})
	return n
}

// testSharedLimits: sixteen writers on two handles each count failures
// on one key (read, add one, put): none is lost.
func testSharedLimits(t *testing.T, a, b bot.Store) {
	key := limitKey("account:shared@example.org")
	const writers, each = 16, 10
	var wg sync.WaitGroup
	for i := range writers {
		s := []bot.Store{a, b}[i%2]
		wg.Go(func() {
			for range each {
				update(t, s, func(tx bot.Tx) error {
					l, err := tx.Limit(key, t0)
					if bot.ErrorCode(err) == bot.ENotFound {
						l, err = &bot.Limit{Expires: t0.Add(time.Hour)}, nil
					}
					if err != nil {
						return err
					}
					l.Fails++
					return tx.PutLimit(key, l, t0, 100)
				})
			}
		})
	}
	wg.Wait()
	view(t, b, func(tx bot.Tx) error {
		l, err := tx.Limit(key, t0)
		if err != nil || l.Fails != writers*each {
			t.Errorf("after %d failures counted at once: %+v, %v", writers*each, l, err)
		}
		return nil
	})
}

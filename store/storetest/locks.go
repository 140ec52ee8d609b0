package storetest

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
)

// testLockKey: a transaction takes locks, the same one again and others,
// and goes on; an empty key is refused and the transaction's writes are
// not committed when the error is returned.
func testLockKey(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for _, k := range []string{"address:sms:+447700900001", "person:c1", "person:c1", "provider:SM1"} {
			if err := tx.LockKey(k); err != nil {
				t.Errorf("LockKey(%q): %v", k, err)
			}
		}
		return tx.PutSetting("locked", "yes")
	})
	view(t, s, func(tx bot.Tx) error {
		if v, err := tx.Setting("locked"); err != nil || v != "yes" {
			t.Errorf("a write after taking locks: %q, %v; want it committed", v, err)
		}
		return nil
	})
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		if err := tx.PutSetting("after-empty", "yes"); err != nil {
			return err
		}
		return tx.LockKey("")
	})
	if bot.ErrorCode(err) != bot.EInvalid {
		t.Errorf("LockKey(\"\") = %v, want an EInvalid error", err)
	}
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Setting("after-empty")
		wantNotFound(t, "a write in the transaction LockKey(\"\") failed", err)
		return nil
	})
}

// testSharedLocks: transactions through both handles that each read a
// counter and write it back one higher, under one lock, lose no update.
// Without the lock a backend with several writers (PostgreSQL at read
// committed) would lose some.
func testSharedLocks(t *testing.T, a, b bot.Store) {
	const each = 40
	var wg sync.WaitGroup
	for _, s := range []bot.Store{a, b, a, b} {
		wg.Go(func() {
			for range each {
				err := s.Update(context.Background(), func(tx bot.Tx) error {
					if err := tx.LockKey("person:counter"); err != nil {
						return err
					}
					n := 0
					if v, err := tx.Setting("counter"); err == nil {
						n, _ = strconv.Atoi(v)
					} else if bot.ErrorCode(err) != bot.ENotFound {
						return err
					}
					return tx.PutSetting("counter", strconv.Itoa(n+1))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	view(t, b, func(tx bot.Tx) error {
		v, err := tx.Setting("counter")
		if want := strconv.Itoa(4 * each); err != nil || v != want {
			t.Errorf("counter = %q, %v; want %s: an update was lost", v, err, want)
		}
		return nil
	})
}

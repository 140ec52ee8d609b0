package console

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/netip"
	"time"

	"github.com/linkline/linkline/bot"
)

// Sign-in slowing. Only failures count; a correct sign-in is never
// refused for having signed in often. After the free failures, each
// further failure makes the next try wait twice as long as the last
// (1 s, 2 s, 4 s, ...) up to a ceiling:
//
//   - per account: 5 free, at most 30 s. A guesser can make a colleague
//     wait half a minute at most, never lock them out; from many
//     addresses they get two guesses a minute, against passwords that are
//     not common ones and a second factor.
//   - per address: 20 free, at most 15 minutes: one address that guesses
//     at many accounts slows to a crawl. An IPv6 address counts by its
//     /64, which one household or server is handed whole.
//
// Failures are forgotten an hour after the last one.
var (
	accountSlow = slowing{free: 5, ceiling: 30 * time.Second}
	addressSlow = slowing{free: 20, ceiling: 15 * time.Minute}
)

const (
	// forgetAfter is how long a key's failures are kept after its last one.
	forgetAfter = time.Hour
	// maxKeys bounds the keys the store keeps for the limiter. A key is a
	// 32-byte hash whatever was typed and its record is under a hundred
	// bytes, so the limiter's share of the store is a few megabytes at
	// most; past the bound the keys expiring soonest go first (see fail).
	maxKeys = 10000
	// maxEmail is the longest email looked up or limited by (RFC 5321
	// allows 254 characters); a longer one is refused before anything is
	// stored about it.
	maxEmail = 254
)

// slowing is how a kind of key is slowed: free failures, then a delay
// doubling from one second up to ceiling.
type slowing struct {
	free    int
	ceiling time.Duration
}

func (s slowing) delay(fails int) time.Duration {
	over := fails - s.free
	if over <= 0 {
		return 0
	}
	if over > 30 {
		return s.ceiling
	}
	return min(s.ceiling, time.Second<<(over-1))
}

// limiter slows sign-in failures down per key. Its state is in the store
// (bot.LimitTx), so it is the same for every Linkline process on one
// database and survives a restart; this process keeps nothing.
type limiter struct {
	store bot.Store
	clock bot.Clock
	most  int // keys kept at most: maxKeys
}

// limitKey is one key and how it is slowed.
type limitKey struct {
	key  bot.LimitKey
	slow slowing
}

// keyOf is the store's key for a kind and a value ("account" and an
// email, "ip" and an address): its SHA-256, fixed size whatever the
// value's size.
func keyOf(kind, value string) bot.LimitKey { return sha256.Sum256([]byte(kind + ":" + value)) }

// signinKeys are the keys a sign-in from ip for email counts against.
func signinKeys(ip, email string) []limitKey {
	return []limitKey{{keyOf("ip", addressKey(ip)), addressSlow}, {keyOf("account", email), accountSlow}}
}

// addressKey is what an address is counted by: itself, or for IPv6 its
// /64.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Unmap().Is4() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

func newLimiter(store bot.Store, clock bot.Clock) *limiter {
	return &limiter{store: store, clock: clock, most: maxKeys}
}

// wait is how long until every key may be tried again; 0 means now.
func (l *limiter) wait(ctx context.Context, keys []limitKey) (time.Duration, error) {
	now := l.clock.Now()
	var d time.Duration
	err := l.store.View(ctx, func(tx bot.Tx) error {
		d = 0
		for _, k := range keys {
			got, err := tx.Limit(k.key, now)
			if errors.Is(err, bot.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			d = max(d, got.Until.Sub(now))
		}
		return nil
	})
	return d, err
}

// fail records a failed try against every key, in one transaction.
func (l *limiter) fail(ctx context.Context, keys []limitKey) error {
	now := l.clock.Now()
	return l.store.Update(ctx, func(tx bot.Tx) error {
		for _, k := range keys {
			f, err := tx.Limit(k.key, now)
			if errors.Is(err, bot.ErrNotFound) {
				f, err = &bot.Limit{}, nil
			}
			if err != nil {
				return err
			}
			if now.Sub(f.Last) > forgetAfter {
				f.Fails = 0
			}
			f.Fails++
			f.Last = now
			f.Until = now.Add(k.slow.delay(f.Fails))
			// The ceilings are shorter than forgetAfter, so a key is
			// forgotten only after its wait is over. A key being slowed
			// is kept twice as long (its failures still count only for
			// forgetAfter): past the bound the store forgets the keys
			// expiring soonest, so a flood of keys tried once goes
			// before any key being slowed.
			f.Expires = now.Add(forgetAfter)
			if f.Fails > k.slow.free {
				f.Expires = now.Add(2 * forgetAfter)
			}
			if err := tx.PutLimit(k.key, f, now, l.most); err != nil {
				return err
			}
		}
		return nil
	})
}

// succeed forgets the keys' failures.
func (l *limiter) succeed(ctx context.Context, keys []limitKey) error {
	return l.store.Update(ctx, func(tx bot.Tx) error {
		for _, k := range keys {
			if err := tx.DeleteLimit(k.key); err != nil {
				return err
			}
		}
		return nil
	})
}

// size is how many keys the store keeps for the limiter.
func (l *limiter) size(ctx context.Context) (int, error) {
	var n int
	err := l.store.View(ctx, func(tx bot.Tx) error {
		var err error
		n, err = tx.LimitCount()
		return err
	})
	return n, err
}

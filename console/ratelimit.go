package console

import (
	"crypto/sha256"
	"slices"
	"sync"
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
//     at many accounts slows to a crawl.
//
// Failures are forgotten an hour after the last one.
var (
	accountSlow = slowing{free: 5, ceiling: 30 * time.Second}
	addressSlow = slowing{free: 20, ceiling: 15 * time.Minute}
)

const (
	// forgetAfter is how long a key's failures are kept after its last one.
	forgetAfter = time.Hour
	// maxKeys bounds the limiter's table. A key is a 32-byte hash whatever
	// was typed, so the table holds at most a few megabytes.
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

// limiter holds failure counts by key in memory, bounded by maxKeys. It
// resets when the server restarts: the store has no place for it yet (the
// store work of issue 13 adds one), and a restart is not something a
// guesser can cause from the sign-in form.
type limiter struct {
	clock bot.Clock
	mu    sync.Mutex
	b     map[limitKey]*failures
}

// limitKey is the SHA-256 of a kind and a value ("account:" + email,
// "ip:" + address): fixed size whatever the value's size.
type limitKey [sha256.Size]byte

func keyOf(kind, value string) limitKey { return sha256.Sum256([]byte(kind + ":" + value)) }

type failures struct {
	n     int
	last  time.Time // the last failure
	until time.Time // no try before this
}

func newLimiter(clock bot.Clock) *limiter {
	return &limiter{clock: clock, b: map[limitKey]*failures{}}
}

// wait is how long until every key may be tried again; 0 means now.
func (l *limiter) wait(keys ...limitKey) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	var d time.Duration
	for _, k := range keys {
		if f, ok := l.b[k]; ok {
			d = max(d, f.until.Sub(now))
		}
	}
	return d
}

// fail records a failed try for key, slowed as s says.
func (l *limiter) fail(key limitKey, s slowing) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	f, ok := l.b[key]
	if ok && now.Sub(f.last) > forgetAfter {
		f.n = 0
	}
	if !ok {
		if len(l.b) >= maxKeys {
			l.makeRoom(now)
		}
		f = &failures{}
		l.b[key] = f
	}
	f.n++
	f.last = now
	f.until = now.Add(s.delay(f.n))
}

// succeed forgets key's failures.
func (l *limiter) succeed(key limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.b, key)
}

// size is how many keys the limiter holds.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.b)
}

// makeRoom forgets keys past forgetAfter and, if the table is still full,
// the tenth of keys whose last failure is oldest and who may try now.
// Keys still being slowed down are kept, so flooding the table cannot
// free a guessed account; if every key is slowed, the oldest go.
func (l *limiter) makeRoom(now time.Time) {
	for k, f := range l.b {
		if now.Sub(f.last) > forgetAfter {
			delete(l.b, k)
		}
	}
	for pass := 0; len(l.b) >= maxKeys && pass < 2; pass++ {
		// Drop the oldest tenth: find the cut-off by sampling the ages.
		var oldest []time.Time
		for _, f := range l.b {
			if pass == 0 && f.until.After(now) {
				continue
			}
			oldest = append(oldest, f.last)
		}
		if len(oldest) == 0 {
			continue
		}
		cut := nth(oldest, max(len(l.b)/10, 1))
		for k, f := range l.b {
			if (pass == 1 || !f.until.After(now)) && !f.last.After(cut) {
				delete(l.b, k)
			}
		}
	}
}

// nth returns the n-th smallest time in ts (1-based, clamped).
func nth(ts []time.Time, n int) time.Time {
	slices.SortFunc(ts, time.Time.Compare)
	return ts[min(n, len(ts))-1]
}

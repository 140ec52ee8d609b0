package console

import (
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// Sign-in limits: an account may try 5 times, then once a minute; an IP
// address 20 times, then once every 6 seconds.
const (
	accountBurst = 5
	accountEvery = time.Minute
	ipBurst      = 20
	ipEvery      = 6 * time.Second
)

// limiter is a set of in-memory token buckets, one per key. Limits reset
// when the server restarts, which is acceptable for slowing guessing.
type limiter struct {
	clock bot.Clock
	mu    sync.Mutex
	b     map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(clock bot.Clock) *limiter { return &limiter{clock: clock, b: map[string]*bucket{}} }

// allow takes a token from key's bucket, which holds burst tokens and gains
// one every interval, and reports whether there was one.
func (l *limiter) allow(key string, burst int, every time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if len(l.b) > 10000 {
		l.prune(now)
	}
	b, ok := l.b[key]
	if !ok {
		b = &bucket{tokens: float64(burst), at: now}
		l.b[key] = b
	}
	b.tokens = min(float64(burst), b.tokens+float64(now.Sub(b.at))/float64(every))
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune forgets buckets untouched for an hour, which are full again.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.b {
		if now.Sub(b.at) > time.Hour {
			delete(l.b, k)
		}
	}
}

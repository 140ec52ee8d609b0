package twilio

import (
	"context"
	"sync"
	"time"
)

// pacer spaces sends from one number at least 1/rate apart, measured when
// each send is released: after a stall (a GC pause, a busy machine) waiting
// sends go out one interval apart, never in a burst that would fill the
// provider's second. After the provider says "too many requests" it runs at
// four fifths of its current rate, down to a sixteenth of the configured
// one, until slowFor has passed without another such answer: one 429 from a
// second that jitter filled is not worth a minute at half speed.
type pacer struct {
	mu        sync.Mutex
	base      float64 // configured messages per second
	rate      float64 // current messages per second
	last      time.Time
	slowUntil time.Time
}

const slowFor = 15 * time.Second

// headroom is the share of the configured rate the pacer uses. Sends leave
// evenly spaced but reach the provider with network jitter; at exactly the
// provider's limit, any second can then hold one too many and earn a 429.
// 1% below it, they do not: with sends spaced at release, 20,000 sends at
// 500/s saw no 429 (docs/benchmarks.md).
const headroom = 0.99

func newPacer(rate float64) *pacer { return &pacer{base: rate, rate: rate} }

func (p *pacer) interval() time.Duration {
	return time.Duration(float64(time.Second) / (p.rate * headroom))
}

// wait blocks until the next send from this number is allowed, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		if p.rate != p.base && now.After(p.slowUntil) {
			p.rate = p.base
		}
		iv := p.interval()
		due := p.last.Add(iv)
		if d := due.Sub(now); d <= 0 {
			// A wake-up a little late keeps the schedule (so timer lag does
			// not slow the rate); after a longer stall the schedule restarts
			// from now rather than catching up in a burst.
			if now.Sub(due) < iv {
				p.last = due
			} else {
				p.last = now
			}
			p.mu.Unlock()
			return ctx.Err()
		}
		d := due.Sub(now)
		p.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// slowDown cuts the rate and returns how long a caller should wait before
// trying again.
func (p *pacer) slowDown() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rate = max(p.rate*0.8, p.base/16)
	p.slowUntil = time.Now().Add(slowFor)
	return max(time.Second, 2*p.interval())
}

// current returns the rate in force, for tests and logs.
func (p *pacer) current() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rate
}

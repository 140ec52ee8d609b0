package twilio

import (
	"context"
	"sync"
	"time"
)

// pacer spaces sends from one number at most 1/rate apart (a token bucket
// holding one token). After the provider says "too many requests" it runs
// at four fifths of its current rate, down to a sixteenth of the configured
// one, until slowFor has passed without another such answer: one 429 from
// a second that jitter filled is not worth a minute at half speed.
type pacer struct {
	mu        sync.Mutex
	base      float64 // configured messages per second
	rate      float64 // current messages per second
	next      time.Time
	slowUntil time.Time
}

const slowFor = 15 * time.Second

// headroom is the share of the configured rate the pacer uses. Sends leave
// evenly spaced but reach the provider with network jitter; at exactly the
// provider's limit, any second can then hold one too many and earn a 429
// (and a minute at half speed). 2% below it, they do not.
const headroom = 0.98

func newPacer(rate float64) *pacer { return &pacer{base: rate, rate: rate} }

func (p *pacer) interval() time.Duration {
	return time.Duration(float64(time.Second) / (p.rate * headroom))
}

// wait blocks until the next send from this number is allowed, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	if p.rate != p.base && now.After(p.slowUntil) {
		p.rate = p.base
	}
	at := p.next
	if at.Before(now) {
		at = now
	}
	step := p.interval()
	p.next = at.Add(step)
	p.mu.Unlock()

	d := at.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		if p.next.Equal(at.Add(step)) { // nobody queued behind us: give the slot back
			p.next = at
		}
		p.mu.Unlock()
		return ctx.Err()
	}
}

// slowDown halves the rate and returns how long a caller should wait before
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

package twilio

import (
	"context"
	"math"
	"sync"
	"time"
)

// pacer keeps one number's sends within the provider's rate. It enforces
// two rules when it releases a send:
//
//   - Spacing: sends are released at least 1/rate apart, measured at each
//     release, so after a stall (a GC pause, a busy machine) waiting sends
//     go out one interval apart, never in a burst.
//   - A window: the provider counts requests as they arrive, and a request
//     arrives some time after its release and before its answer. A send is
//     released only while fewer than the provider's per-second limit are
//     in flight or were answered within the last second. Then no second of
//     arrivals can hold more than the limit, however late the network or
//     the scheduler delivers them: of the requests arriving within any one
//     second, the last released found all the others in flight or answered
//     within the second before its release.
//
// The window has a price where the provider is far away: a request counts
// against it from release to answer, so with a round trip of R seconds a
// number sends at most limit/(1+R) a second — with a 0.2 s round trip, a
// sixth under the rate, and at the default rate of 1 a second, one
// message per answer plus a second. That is the cost of never sending one
// more than the rate within any second; a 429 costs more (the retry, and
// 15 s at four fifths of the rate).
//
// After the provider says "too many requests" (which the window makes rare:
// another client of the same account can still cause it) the pacer runs at
// four fifths of its current rate, down to a sixteenth of the configured
// one, until slowFor has passed without another such answer.
type pacer struct {
	mu        sync.Mutex
	base      float64 // configured messages per second
	rate      float64 // current messages per second
	last      time.Time
	slowUntil time.Time

	limit    int         // requests the provider accepts in any one second
	inflight int         // released, not yet answered
	answered []time.Time // answers within the last second, oldest first
	freed    chan struct{}
}

const slowFor = 15 * time.Second

// headroom is the share of the configured rate the spacing uses, so that
// the window rule, which only ever delays a send, rarely has to. The
// window, not the headroom, is what keeps the provider's count within the
// rate, so the headroom can be small.
const headroom = 0.995

func newPacer(rate float64) *pacer {
	return &pacer{base: rate, rate: rate, limit: max(1, int(math.Floor(rate))), freed: make(chan struct{})}
}

func (p *pacer) interval() time.Duration {
	return time.Duration(float64(time.Second) / (p.rate * headroom))
}

// wait blocks until the next send from this number is allowed, or ctx
// ends. On success the caller must call done once the provider has answered
// or the attempt has ended.
func (p *pacer) wait(ctx context.Context) (done func(), err error) {
	for {
		p.mu.Lock()
		now := time.Now()
		if p.rate != p.base && now.After(p.slowUntil) {
			p.rate = p.base
		}
		cut := 0
		for cut < len(p.answered) && now.Sub(p.answered[cut]) >= time.Second {
			cut++
		}
		p.answered = p.answered[cut:]
		var d time.Duration
		var freed <-chan struct{}
		if p.inflight+len(p.answered) >= p.limit {
			// The window is full: wait for an answer to age out of it, or
			// for one in flight to be answered.
			d, freed = time.Hour, p.freed
			if len(p.answered) > 0 {
				d = p.answered[0].Add(time.Second).Sub(now)
			}
		} else {
			iv := p.interval()
			due := p.last.Add(iv)
			if d = due.Sub(now); d <= 0 {
				// A wake-up a little late keeps the schedule (so timer lag
				// does not slow the rate); after a longer stall the
				// schedule restarts from now rather than catching up in a
				// burst.
				if now.Sub(due) < iv {
					p.last = due
				} else {
					p.last = now
				}
				p.inflight++
				p.mu.Unlock()
				if err := ctx.Err(); err != nil {
					p.answer()
					return nil, err
				}
				return sync.OnceFunc(p.answer), nil
			}
		}
		p.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-freed:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// answer records that a released send was answered (or given up) now.
func (p *pacer) answer() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	p.answered = append(p.answered, time.Now())
	close(p.freed)
	p.freed = make(chan struct{})
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

package bot

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// SharedPace paces a sending identity (one SMS number) across every
// process sending from it. Each process's PacedSender keeps its own
// sends within the provider's rate; two processes sharing a number (two
// instances on one PostgreSQL database) would together send twice it, and
// the provider answers the excess "429 Too Many Requests". SharedPace
// makes each send also take a token from a bucket kept in the store
// (Tx.TakeToken, one token, refilled at Rate times Headroom a second), so
// the processes together keep within the rate. The bucket is decided in
// the store, as DESIGN.md asks of anything that must hold across
// processes; the process's own pacer still spaces its sends.
//
// Each token costs one write transaction, so use it only where several
// processes send (on bbolt one process owns the file, and the sender's
// own pace is enough). The processes' clocks must agree (NTP): the bucket
// counts from the times they give it.
type SharedPace struct {
	PacedSender
	Store Store
	// Key names the bucket, one per sending identity ("pace:sms").
	Key string
	// Rate is the identity's sends per second, as the provider allows.
	Rate float64
	// Headroom is the share of Rate the bucket gives out (default 0.9):
	// a token is taken before the request travels, and requests from two
	// processes may arrive closer together than their tokens were taken.
	Headroom float64
	// Clock defaults to the system clock.
	Clock Clock

	mu sync.Mutex
	// spare sends are left of the last token taken (batch).
	spare int
}

// every is the time between tokens.
func (p *SharedPace) every() time.Duration {
	h := p.Headroom
	if h <= 0 || h > 1 {
		h = 0.9
	}
	return time.Duration(float64(time.Second) / (p.Rate * h))
}

// Pace waits for this process's pace and then for a shared token.
func (p *SharedPace) Pace(ctx context.Context) (release func(), err error) {
	release, err = p.PacedSender.Pace(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.take(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// Send is Pace then SendPaced, so that an unpaced send takes a token too.
func (p *SharedPace) Send(ctx context.Context, o *Outbound) (string, error) {
	release, err := p.Pace(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return p.PacedSender.SendPaced(ctx, o)
}

// batch is how many sends one token of the bucket is worth: a fortieth
// of a second's worth (one at the rates SMS numbers have; at high rates a
// transaction per send would cap the rate at the database's round trips).
// The bucket holds one such token and gains one every batch intervals, so
// in any second the processes send at most Headroom times the rate plus
// one batch: under the rate.
func (p *SharedPace) batch() int { return max(1, int(p.Rate/40)) }

// take waits for a send from the shared bucket: one left of the last
// token, or a new token. A refused take sleeps half a token's interval:
// waiting longer only gives another process the next one.
func (p *SharedPace) take(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.spare > 0 {
		p.spare--
		return nil
	}
	clock := p.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	k := p.batch()
	every := p.every() * time.Duration(k)
	for {
		var ok bool
		err := p.Store.Update(ctx, func(tx Tx) error {
			var err error
			ok, err = tx.TakeToken(p.Key, 1, every, clock.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("shared pace %s: %w", p.Key, err)
		}
		if ok {
			p.spare = k - 1
			return nil
		}
		t := time.NewTimer(every / 2)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

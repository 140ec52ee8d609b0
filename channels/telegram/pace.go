package telegram

import (
	"context"
	"sync"
	"time"
)

// bucket is a token bucket that hands out reservations: a caller takes a
// token now and is told how long to wait until it is really there.
type bucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func (b *bucket) reserve(now time.Time) time.Duration {
	b.fill(now)
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

func (b *bucket) fill(now time.Time) {
	if b.last.IsZero() {
		b.tokens, b.last = b.burst, now
	}
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(b.burst, b.tokens+el.Seconds()*b.rate)
		b.last = now
	}
}

// hold empties the bucket so that the next token is due in d.
func (b *bucket) hold(now time.Time, d time.Duration) {
	b.fill(now)
	b.tokens = min(b.tokens, 0) - d.Seconds()*b.rate + 1
}

// idle reports whether the bucket is full again, so forgetting it loses
// nothing.
func (b *bucket) idle(now time.Time) bool {
	b.fill(now)
	return b.tokens >= b.burst
}

// pacer paces sends: at most rate per second overall and chatRate per
// second to any one chat. Waiting for one chat's turn does not hold up
// others.
type pacer struct {
	mu       sync.Mutex
	all      bucket
	chatRate float64
	chats    map[int64]*bucket
}

func newPacer(rate, chatRate float64) *pacer {
	return &pacer{all: bucket{rate: rate, burst: 1}, chatRate: chatRate, chats: map[int64]*bucket{}}
}

func (p *pacer) chat(id int64) *bucket {
	c, ok := p.chats[id]
	if !ok {
		if len(p.chats) > 4096 {
			now := time.Now()
			for k, v := range p.chats {
				if v.idle(now) {
					delete(p.chats, k)
				}
			}
		}
		c = &bucket{rate: p.chatRate, burst: 1}
		p.chats[id] = c
	}
	return c
}

// waitChat blocks until chat's own rate allows a message, or ctx ends.
func (p *pacer) waitChat(ctx context.Context, chat int64) error {
	p.mu.Lock()
	d := p.chat(chat).reserve(time.Now())
	p.mu.Unlock()
	return sleep(ctx, d)
}

// waitAll blocks until the bot's overall rate allows a message, or ctx
// ends.
func (p *pacer) waitAll(ctx context.Context) error {
	p.mu.Lock()
	d := p.all.reserve(time.Now())
	p.mu.Unlock()
	return sleep(ctx, d)
}

// hold keeps chat quiet for d, after Telegram said "retry after".
func (p *pacer) hold(chat int64, d time.Duration) {
	p.mu.Lock()
	p.chat(chat).hold(time.Now(), d)
	p.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

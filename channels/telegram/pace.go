package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// pacer paces sends: at most rate per second overall and chatRate per
// second to any one chat, each a token bucket of one (bot.TokenBucket)
// that hands out reservations: a send takes its token now and waits until
// it is really there. Waiting for one chat's turn does not hold up others.
type pacer struct {
	mu        sync.Mutex
	all       bot.TokenBucket
	allEvery  time.Duration
	chatEvery time.Duration
	chats     map[int64]*bot.TokenBucket
}

func newPacer(rate, chatRate float64) *pacer {
	return &pacer{allEvery: every(rate), chatEvery: every(chatRate), chats: map[int64]*bot.TokenBucket{}}
}

// every is the interval between tokens at rate per second.
func every(rate float64) time.Duration { return time.Duration(float64(time.Second) / rate) }

func (p *pacer) chat(id int64) *bot.TokenBucket {
	c, ok := p.chats[id]
	if !ok {
		if len(p.chats) > 4096 {
			now := time.Now()
			for k, v := range p.chats {
				if !v.FullAt(1, p.chatEvery).After(now) { // full again: forgetting it loses nothing
					delete(p.chats, k)
				}
			}
		}
		c = &bot.TokenBucket{}
		p.chats[id] = c
	}
	return c
}

// waitChat blocks until chat's own rate allows a message, or ctx ends.
func (p *pacer) waitChat(ctx context.Context, chat int64) error {
	p.mu.Lock()
	d := p.chat(chat).Reserve(time.Now(), 1, p.chatEvery)
	p.mu.Unlock()
	return sleep(ctx, d)
}

// waitAll blocks until the bot's overall rate allows a message, or ctx
// ends.
func (p *pacer) waitAll(ctx context.Context) error {
	p.mu.Lock()
	d := p.all.Reserve(time.Now(), 1, p.allEvery)
	p.mu.Unlock()
	return sleep(ctx, d)
}

// hold keeps chat quiet for d, after Telegram said "retry after".
func (p *pacer) hold(chat int64, d time.Duration) {
	p.mu.Lock()
	p.chat(chat).Hold(time.Now(), 1, p.chatEvery, d)
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

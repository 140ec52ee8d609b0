// Package sim is the in-process channel: `linkline chat` and the console's
// "try the bot" talk to the real engine through it, and see exactly the
// words a person would, with choices as numbered lines like SMS.
package sim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/linkline/linkline/bot"
)

// Sender delivers outbound sim messages to a function in the same process.
type Sender struct {
	deliver func(to bot.Address, text string)
	n       atomic.Uint64
}

// NewSender returns a Sender that calls deliver with each message as a
// person would read it. deliver must be safe for concurrent use.
func NewSender(deliver func(to bot.Address, text string)) *Sender {
	return &Sender{deliver: deliver}
}

// Send delivers o at once; it never fails.
func (s *Sender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.deliver(o.To, Render(o))
	return fmt.Sprintf("sim-%d", s.n.Add(1)), nil
}

// Render shows an outbound message as text, choices as numbered lines.
func Render(o *bot.Outbound) string { return o.PlainText() }

// Inbox collects delivered messages per address, for tests and scripts.
type Inbox struct {
	mu   sync.Mutex
	msgs map[bot.Address][]string
}

// Deliver records a message; pass it to NewSender.
func (b *Inbox) Deliver(to bot.Address, text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.msgs == nil {
		b.msgs = map[bot.Address][]string{}
	}
	b.msgs[to] = append(b.msgs[to], text)
}

// Take returns and forgets the messages delivered to a so far.
func (b *Inbox) Take(a bot.Address) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.msgs[a]
	delete(b.msgs, a)
	return out
}

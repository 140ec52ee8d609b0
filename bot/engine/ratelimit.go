package engine

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// FloodLimit is how many messages one address may send before the bot
// stops answering it: Burst at once, then one more every Every. A message
// over the limit is never dropped: it is stored, screened for risk (the
// crisis reply and urgent handoff still happen, see Engine.Handle) and
// shown in the console marked Limited, but the flow takes no step and the
// bot sends no reply. The zero value is no limit.
type FloodLimit struct {
	Burst int
	Every time.Duration
}

func (l FloodLimit) on() bool { return l.Burst > 0 && l.Every > 0 }

// String is the limit as an operator reads it, e.g. "20 then 1 per 10s".
func (l FloodLimit) String() string {
	if !l.on() {
		return "off"
	}
	return fmt.Sprintf("%d then 1 per %s", l.Burst, l.Every)
}

// defaultMaxWaiting is Config.MaxWaiting's default.
const defaultMaxWaiting = 64

// floodGate holds the in-memory per-address count of requests waiting
// for that address's turn (Config.MaxWaiting). The flood limit's buckets
// live on the contact record (Contact.Flood): exact, and kept across
// restarts.
type floodGate struct {
	limit      FloodLimit
	maxWaiting int

	mu      sync.Mutex
	waiting map[string]int
}

// floodVerdict is what the flood limit decided about one message.
type floodVerdict struct {
	over   bool // over the limit: no flow step, no reply
	first  bool // the first message over the limit in this stretch
	crisis bool // over the limit, but a crisis reply may still go out
}

func newFloodGate(l FloodLimit, maxWaiting int) *floodGate {
	if maxWaiting <= 0 {
		maxWaiting = defaultMaxWaiting
	}
	return &floodGate{limit: l, maxWaiting: maxWaiting, waiting: map[string]int{}}
}

// enter counts a request waiting for key's turn, or returns ErrBusy if
// maxWaiting already are. leave must be called when the request is done.
func (g *floodGate) enter(key string) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waiting[key] >= g.maxWaiting {
		return nil, bot.ErrBusy
	}
	g.waiting[key]++
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.waiting[key]--; g.waiting[key] <= 0 {
			delete(g.waiting, key)
		}
	}, nil
}

// crisisEvery is how often a crisis reply may go to an address over the
// limit: once per time the bucket takes to fill again.
func (g *floodGate) crisisEvery() time.Duration {
	return time.Duration(g.limit.Burst) * g.limit.Every
}

// take spends one of a's tokens at now from bucket b (nil: a full one)
// and returns the verdict and the bucket as it is after. The simulator
// (the console's "try the bot", linkline chat) is not limited.
func (g *floodGate) take(b *bot.FloodBucket, a bot.Address, now time.Time) (floodVerdict, *bot.FloodBucket) {
	if !g.limit.on() || a.Channel == bot.Sim {
		return floodVerdict{}, nil
	}
	var nb bot.FloodBucket
	if b != nil {
		nb = *b
	}
	if nb.Take(now, g.limit.Burst, g.limit.Every) {
		nb.Over = false
		return floodVerdict{}, &nb
	}
	// Over is set by settleFlood once the message is handled: a
	// transaction that fails must not use up "the first over the limit",
	// which tells a link worker. (A provider's repeat of a message already
	// handled is dropped before take.)
	return floodVerdict{over: true, first: !nb.Over,
		crisis: nb.CrisisAt.IsZero() || now.Sub(nb.CrisisAt) >= g.crisisEvery()}, &nb
}

// takeFlood makes the flood limit's verdict on a message from a, spending
// from the bucket on t.contact's record.
func (t *turn) takeFlood(a bot.Address) error {
	key := a.String()
	var old *bot.FloodBucket
	if t.contact.Flood != nil {
		old = t.contact.Flood[key]
	}
	v, b := t.e.flood.take(old, a, t.now)
	t.flood = v
	if b == nil {
		return nil
	}
	flood := maps.Clone(t.contact.Flood)
	if flood == nil {
		flood = map[string]*bot.FloodBucket{}
	}
	flood[key] = b
	t.contact.Flood = flood
	// process saves the contact next (once, with the message's other
	// changes to it); nothing reads it from the store before then.
	t.contactChanged = true
	return nil
}

// settleFlood records on the contact's bucket for a what the message over
// the limit led to: the stretch over the limit has begun, and when a
// crisis reply went out.
func (t *turn) settleFlood(a bot.Address) error {
	if !t.flood.over || t.contact == nil {
		return nil
	}
	c, err := t.tx.Contact(t.contact.ID)
	if err != nil {
		return err
	}
	b := c.Flood[a.String()]
	if b == nil {
		return nil
	}
	nb := *b
	if t.wasLimited {
		nb.Over = true
	}
	if t.risk {
		nb.CrisisAt = t.now
	}
	if nb == *b {
		return nil
	}
	c.Flood = maps.Clone(c.Flood)
	c.Flood[a.String()] = &nb
	if err := t.tx.PutContact(c); err != nil {
		return err
	}
	t.contact = c
	return nil
}

// overLimit reports whether in, from t.contact, is over the flood limit and
// so gets no flow step. STOP and START are always honoured: opting out and
// back in must work even mid-flood. HELP over the limit is not answered
// (it would answer a flood of HELPs); the link worker who is told of the
// flood sees it.
func (t *turn) overLimit(in *bot.Inbound) bool {
	if !t.flood.over {
		return false
	}
	switch t.e.cfg.Templates.Keyword(t.locale(), strings.TrimSpace(in.Text)) {
	case "stop", "start":
		return false
	}
	return true
}

// limited handles a message over the flood limit that showed no risk: it
// is already in the transcript (marked Limited); the bot says nothing. The
// first one of a stretch is recorded and opens an ordinary handoff, so that
// a link worker reads what the bot has stopped answering.
func (t *turn) limited() error {
	t.wasLimited = true
	if !t.flood.first || t.contact.OptedOut {
		return nil
	}
	if err := t.event(bot.EventRateLimited, nil); err != nil {
		return err
	}
	_, err := t.openHandoff(bot.ReasonFlood, "", false)
	return err
}

// riskLimited handles a message over the flood limit that showed risk. The
// risk is always recorded and the handoff made urgent. The crisis reply
// (with its alert) goes out as for any message unless one already went to
// this address over the limit within the last Burst×Every; then link
// workers, already alerted to an urgent handoff that re-alerts on its own
// timer, are not alerted again for every message of the flood.
func (t *turn) riskLimited(r bot.Risk, msgID uint64, text string) error {
	t.wasLimited = true
	if t.flood.crisis {
		return t.onRisk(r, msgID, text)
	}
	if err := t.riskEvent(r, msgID, text, nil); err != nil {
		return err
	}
	h, err := t.tx.ActiveHandoff(t.contact.ID)
	switch {
	case err == nil && h.Urgent:
		return nil
	case err != nil && !errors.Is(err, bot.ErrNotFound):
		return err
	}
	_, err = t.openHandoff(bot.ReasonRisk, r.Rule, true)
	return err
}

// afterFlood counts, after a committed turn, a message over the limit.
func (e *Engine) afterFlood(a bot.Address, t *turn) {
	if t != nil && t.wasLimited {
		e.cfg.Metrics.InboundLimited(a.Channel)
	}
}

package bot

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
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

// ReasonFlood is the reason of the handoff opened when an address first
// goes over its FloodLimit: the bot has stopped answering, so a link
// worker should look.
const ReasonFlood = "flood"

// EventRateLimited records that a contact went over the flood limit (once
// per stretch of messages over it).
const EventRateLimited = "contact.rate_limited"

// EBusy is the code of ErrBusy.
const EBusy = "busy"

// ErrBusy is what Handle returns, before storing anything, when too many
// messages from one address are already waiting to be handled
// (Config.MaxWaiting). The channel should answer so that the provider
// sends the message again later (Telegram does; see the channel's docs for
// Twilio).
var ErrBusy = &Error{Code: EBusy, Message: "too many messages from this address are waiting; send it again later"}

// defaultMaxWaiting is Config.MaxWaiting's default.
const defaultMaxWaiting = 64

// floodGate holds the in-memory per-address state: the token buckets of
// the flood limit and the count of requests waiting for each address's
// turn. Limits reset when the server restarts, which only ever lets a
// person be answered sooner.
type floodGate struct {
	limit      FloodLimit
	maxWaiting int

	mu      sync.Mutex
	buckets map[string]*floodBucket
	pruneAt int
	waiting map[string]int
}

// floodBucket is one address's token bucket.
type floodBucket struct {
	tokens float64
	at     time.Time
	// over is set while the address's messages are over the limit; the
	// first message of such a stretch opens a handoff.
	over bool
	// crisisAt is when the last crisis reply went out to a message over the
	// limit.
	crisisAt time.Time
}

// floodVerdict is what the gate decided about one message, before its
// transaction.
type floodVerdict struct {
	over   bool // over the limit: no flow step, no reply
	first  bool // the first message over the limit in this stretch
	crisis bool // over the limit, but a crisis reply may still go out
}

const minPruneAt = 10_000

func newFloodGate(l FloodLimit, maxWaiting int) *floodGate {
	if maxWaiting <= 0 {
		maxWaiting = defaultMaxWaiting
	}
	return &floodGate{limit: l, maxWaiting: maxWaiting, buckets: map[string]*floodBucket{},
		waiting: map[string]int{}, pruneAt: minPruneAt}
}

// enter counts a request waiting for key's turn, or returns ErrBusy if
// maxWaiting already are. leave must be called when the request is done.
func (g *floodGate) enter(key string) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waiting[key] >= g.maxWaiting {
		return nil, ErrBusy
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

// take spends one of a's tokens at now. The caller holds a's lock, so an
// address's verdicts are made in the order its messages are handled. The
// simulator (the console's "try the bot", linkline chat) is not limited.
func (g *floodGate) take(a Address, now time.Time) floodVerdict {
	if !g.limit.on() || a.Channel == Sim {
		return floodVerdict{}
	}
	key := a.String()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.buckets) >= g.pruneAt {
		g.prune(now)
	}
	b, ok := g.buckets[key]
	if !ok {
		b = &floodBucket{tokens: float64(g.limit.Burst), at: now}
		g.buckets[key] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(float64(g.limit.Burst), b.tokens+float64(d)/float64(g.limit.Every))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		b.over = false
		return floodVerdict{}
	}
	// b.over is set by markOver once the message is stored: a repeat of a
	// message already handled, or a transaction that fails, must not use
	// up "the first over the limit", which tells a link worker.
	return floodVerdict{over: true, first: !b.over,
		crisis: b.crisisAt.IsZero() || now.Sub(b.crisisAt) >= g.crisisEvery()}
}

// refund gives back the allowance take spent on a message that turned out
// to be a provider's retry of one already handled.
func (g *floodGate) refund(a Address, v floodVerdict) {
	if !g.limit.on() || v.over {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if b, ok := g.buckets[a.String()]; ok {
		b.tokens = min(float64(g.limit.Burst), b.tokens+1)
	}
}

// markOver records that a message from a over the limit was stored.
func (g *floodGate) markOver(a Address) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if b, ok := g.buckets[a.String()]; ok {
		b.over = true
	}
}

// crisisSent records that a crisis reply went to a over the limit at now.
func (g *floodGate) crisisSent(a Address, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if b, ok := g.buckets[a.String()]; ok {
		b.crisisAt = now
	}
}

// prune forgets buckets that are full again and past their crisis window:
// forgetting them changes nothing. The next prune waits until the map has
// doubled, so a server with many active senders does not scan on every
// message.
func (g *floodGate) prune(now time.Time) {
	full := g.crisisEvery()
	for k, b := range g.buckets {
		if now.Sub(b.at) >= full && now.Sub(b.crisisAt) >= full {
			delete(g.buckets, k)
		}
	}
	g.pruneAt = max(minPruneAt, 2*len(g.buckets))
}

// overLimit reports whether in, from t.contact, is over the flood limit and
// so gets no flow step. STOP and START are always honoured: opting out and
// back in must work even mid-flood. HELP over the limit is not answered
// (it would answer a flood of HELPs); the link worker who is told of the
// flood sees it.
func (t *turn) overLimit(in *Inbound) bool {
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
	if err := t.event(EventRateLimited, nil); err != nil {
		return err
	}
	_, err := t.openHandoff(ReasonFlood, "", false)
	return err
}

// riskLimited handles a message over the flood limit that showed risk. The
// risk is always recorded and the handoff made urgent. The crisis reply
// (with its alert) goes out as for any message unless one already went to
// this address over the limit within the last Burst×Every; then link
// workers, already alerted to an urgent handoff that re-alerts on its own
// timer, are not alerted again for every message of the flood.
func (t *turn) riskLimited(r Risk, msgID uint64, text string) error {
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
	case err != nil && !errors.Is(err, ErrNotFound):
		return err
	}
	_, err = t.openHandoff(ReasonRisk, r.Rule, true)
	return err
}

// afterFlood records, after a committed turn, what the flood gate needs to
// know and counts a limited message.
func (e *Engine) afterFlood(a Address, t *turn) {
	if t == nil || !t.flood.over {
		return
	}
	if t.wasLimited {
		e.flood.markOver(a)
	}
	if t.risk {
		e.flood.crisisSent(a, t.now)
	}
	if t.wasLimited {
		e.cfg.Metrics.inboundLimited(a.Channel)
	}
}

// floodCounts are the flood limit's counters in Metrics.
type floodCounts struct {
	mu      sync.Mutex
	limited map[Channel]int64
	busy    int64
}

func (m *Metrics) inboundLimited(ch Channel) {
	if m == nil {
		return
	}
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	if m.flood.limited == nil {
		m.flood.limited = map[Channel]int64{}
	}
	m.flood.limited[ch]++
}

func (m *Metrics) inboundBusy() {
	if m == nil {
		return
	}
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	m.flood.busy++
}

// Limited returns how many messages from ch were over the flood limit, and
// how many requests (any channel) were refused with ErrBusy.
func (m *Metrics) Limited(ch Channel) (limited, busy int64) {
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	return m.flood.limited[ch], m.flood.busy
}

func (m *Metrics) writeFlood(w io.Writer) {
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	fmt.Fprintln(w, "# HELP linkline_inbound_limited_total Inbound messages over the per-address flood limit (stored and screened, not answered), by channel.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_limited_total counter")
	for _, ch := range []Channel{SMS, Telegram} {
		fmt.Fprintf(w, "linkline_inbound_limited_total{channel=%q} %d\n", ch, m.flood.limited[ch])
	}
	fmt.Fprintln(w, "# HELP linkline_inbound_busy_total Inbound requests refused (for the provider to retry) because too many from one address were waiting.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_busy_total counter")
	fmt.Fprintf(w, "linkline_inbound_busy_total %d\n", m.flood.busy)
}

// Package metrics counts what the engine and the dispatcher do and writes
// it, with gauges read from the store, as a Prometheus text page. It holds
// counts only: never message text or personal details.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/bot"
)

// Metrics counts what the engine and dispatcher do, for a Prometheus
// /metrics page. The zero value is ready to use and safe for concurrent
// use. It holds counts only: never message text or personal details.
type Metrics struct {
	mu       sync.Mutex
	inbound  map[bot.Channel]*atomic.Int64
	outbound map[string]*atomic.Int64 // "channel/status"
	handle   histogram
	flood    floodCounts
	// countries counts messages not answered for their country.
	countries countryCounts
}

// latencyBuckets are the upper bounds, in seconds, of the handler latency
// histogram.
var latencyBuckets = []float64{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

type histogram struct {
	counts [12]atomic.Int64 // one per bucket, then +Inf
	sumNS  atomic.Int64
	n      atomic.Int64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i].Add(1)
	h.sumNS.Add(int64(d))
	h.n.Add(1)
}

func (m *Metrics) counter(mp *map[bot.Channel]*atomic.Int64, key bot.Channel) *atomic.Int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if *mp == nil {
		*mp = map[bot.Channel]*atomic.Int64{}
	}
	c, ok := (*mp)[key]
	if !ok {
		c = new(atomic.Int64)
		(*mp)[key] = c
	}
	return c
}

// InboundHandled counts one inbound message and how long Handle took.
func (m *Metrics) InboundHandled(ch bot.Channel, d time.Duration) {
	if m == nil {
		return
	}
	m.counter(&m.inbound, ch).Add(1)
	m.handle.observe(d)
}

// OutboundDone counts one send outcome.
func (m *Metrics) OutboundDone(ch bot.Channel, status bot.OutStatus) {
	if m == nil {
		return
	}
	m.mu.Lock()
	if m.outbound == nil {
		m.outbound = map[string]*atomic.Int64{}
	}
	key := string(ch) + "/" + string(status)
	c, ok := m.outbound[key]
	if !ok {
		c = new(atomic.Int64)
		m.outbound[key] = c
	}
	m.mu.Unlock()
	c.Add(1)
}

// Gauges are readings taken from the store when metrics are scraped.
type Gauges struct {
	HandoffsOpen, HandoffsUrgent int
	// OldestUnclaimed is how long the oldest open, unclaimed handoff has
	// waited (0 if none).
	OldestUnclaimed time.Duration
	OutboxDepth     int
	// TimerLag is how far behind the earliest due timer is (0 if none due).
	TimerLag time.Duration
}

// ReadGauges reads the gauges in one read-only transaction. The outbox
// depth counts at most limit rows (it is only a health signal).
func ReadGauges(tx bot.Tx, now time.Time, limit int) (Gauges, error) {
	var g Gauges
	err := tx.ActiveHandoffs(func(h *bot.Handoff) bool {
		g.HandoffsOpen++
		if h.Urgent {
			g.HandoffsUrgent++
		}
		if h.Status == bot.HandoffOpen {
			g.OldestUnclaimed = max(g.OldestUnclaimed, now.Sub(h.OpenedAt))
		}
		return true
	})
	if err != nil {
		return g, err
	}
	if err := tx.PendingIDs(now.Add(100*365*24*time.Hour), func(uint64) bool {
		g.OutboxDepth++
		return g.OutboxDepth < limit
	}); err != nil {
		return g, err
	}
	next, ok, err := tx.NextTimer()
	if err != nil {
		return g, err
	}
	if ok && next.Before(now) {
		g.TimerLag = now.Sub(next)
	}
	return g, nil
}

// WritePrometheus writes the counters and g in the Prometheus text format.
func (m *Metrics) WritePrometheus(w io.Writer, g Gauges) {
	m.mu.Lock()
	var inb, outb []string
	inCounts := map[string]int64{}
	for ch, c := range m.inbound {
		inb = append(inb, string(ch))
		inCounts[string(ch)] = c.Load()
	}
	outCounts := map[string]int64{}
	for k, c := range m.outbound {
		outb = append(outb, k)
		outCounts[k] = c.Load()
	}
	m.mu.Unlock()
	sort.Strings(inb)
	sort.Strings(outb)

	fmt.Fprintln(w, "# HELP linkline_inbound_total Inbound messages handled, by channel.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_total counter")
	for _, ch := range inb {
		fmt.Fprintf(w, "linkline_inbound_total{channel=%q} %d\n", ch, inCounts[ch])
	}
	fmt.Fprintln(w, "# HELP linkline_outbound_total Outbound send outcomes, by channel and status.")
	fmt.Fprintln(w, "# TYPE linkline_outbound_total counter")
	for _, k := range outb {
		ch, st, _ := strings.Cut(k, "/")
		fmt.Fprintf(w, "linkline_outbound_total{channel=%q,status=%q} %d\n", ch, st, outCounts[k])
	}
	fmt.Fprintln(w, "# HELP linkline_handle_seconds Time to handle one inbound message durably.")
	fmt.Fprintln(w, "# TYPE linkline_handle_seconds histogram")
	var cum int64
	for i, le := range latencyBuckets {
		cum += m.handle.counts[i].Load()
		fmt.Fprintf(w, "linkline_handle_seconds_bucket{le=\"%g\"} %d\n", le, cum)
	}
	cum += m.handle.counts[len(latencyBuckets)].Load()
	fmt.Fprintf(w, "linkline_handle_seconds_bucket{le=\"+Inf\"} %d\n", cum)
	fmt.Fprintf(w, "linkline_handle_seconds_sum %g\n", time.Duration(m.handle.sumNS.Load()).Seconds())
	fmt.Fprintf(w, "linkline_handle_seconds_count %d\n", m.handle.n.Load())

	m.writeFlood(w)
	m.writeCountries(w)

	gauge := func(name, help string, v float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, v)
	}
	gauge("linkline_handoffs_open", "Open or claimed handoffs.", float64(g.HandoffsOpen))
	gauge("linkline_handoffs_urgent", "Open or claimed urgent handoffs.", float64(g.HandoffsUrgent))
	gauge("linkline_handoff_oldest_unclaimed_seconds", "How long the oldest unclaimed handoff has waited.", g.OldestUnclaimed.Seconds())
	gauge("linkline_outbox_depth", "Messages waiting to be sent.", float64(g.OutboxDepth))
	gauge("linkline_timer_lag_seconds", "How far behind the earliest due timer is.", g.TimerLag.Seconds())
}

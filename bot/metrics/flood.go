package metrics

import (
	"fmt"
	"io"
	"sync"

	"github.com/linkline/linkline/bot"
)

// floodCounts are the flood limit's counters in Metrics.
type floodCounts struct {
	mu      sync.Mutex
	limited map[bot.Channel]int64
	busy    int64
}

// InboundLimited counts one message from ch over the flood limit.
func (m *Metrics) InboundLimited(ch bot.Channel) {
	if m == nil {
		return
	}
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	if m.flood.limited == nil {
		m.flood.limited = map[bot.Channel]int64{}
	}
	m.flood.limited[ch]++
}

// InboundBusy counts one request refused with bot.ErrBusy.
func (m *Metrics) InboundBusy() {
	if m == nil {
		return
	}
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	m.flood.busy++
}

// Limited returns how many messages from ch were over the flood limit, and
// how many requests (any channel) were refused with ErrBusy.
func (m *Metrics) Limited(ch bot.Channel) (limited, busy int64) {
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	return m.flood.limited[ch], m.flood.busy
}

func (m *Metrics) writeFlood(w io.Writer) {
	m.flood.mu.Lock()
	defer m.flood.mu.Unlock()
	fmt.Fprintln(w, "# HELP linkline_inbound_limited_total Inbound messages over the per-address flood limit (stored and screened, not answered), by channel.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_limited_total counter")
	for _, ch := range []bot.Channel{bot.SMS, bot.Telegram} {
		fmt.Fprintf(w, "linkline_inbound_limited_total{channel=%q} %d\n", ch, m.flood.limited[ch])
	}
	fmt.Fprintln(w, "# HELP linkline_inbound_busy_total Inbound requests refused (for the provider to retry) because too many from one address were waiting.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_busy_total counter")
	fmt.Fprintf(w, "linkline_inbound_busy_total %d\n", m.flood.busy)
}

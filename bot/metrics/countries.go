package metrics

import (
	"fmt"
	"io"
	"sync"

	"github.com/linkline/linkline/bot"
)

// countryCounts counts messages not answered because of their country.
type countryCounts struct {
	mu      sync.Mutex
	refused map[bot.Channel]int64
}

// InboundOutsideCountries counts one message from ch stored but not
// answered because of its country.
func (m *Metrics) InboundOutsideCountries(ch bot.Channel) {
	if m == nil {
		return
	}
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	if m.countries.refused == nil {
		m.countries.refused = map[bot.Channel]int64{}
	}
	m.countries.refused[ch]++
}

// OutsideCountries returns how many messages from ch were stored but not
// answered because the number is outside the allowed country codes.
func (m *Metrics) OutsideCountries(ch bot.Channel) int64 {
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	return m.countries.refused[ch]
}

func (m *Metrics) writeCountries(w io.Writer) {
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	fmt.Fprintln(w, "# HELP linkline_inbound_outside_countries_total Inbound messages from numbers outside the allowed country codes (stored, not answered), by channel.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_outside_countries_total counter")
	fmt.Fprintf(w, "linkline_inbound_outside_countries_total{channel=%q} %d\n", bot.SMS, m.countries.refused[bot.SMS])
}

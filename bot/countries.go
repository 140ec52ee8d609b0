package bot

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// DefaultCountryCodes are the calling codes a service answers by default:
// the UK's. A message from a number outside them is stored (a link worker
// can see it) but not answered, so a stranger abroad cannot run up the
// service's SMS bill.
var DefaultCountryCodes = []string{"+44"}

// AnyCountry in Config.CountryCodes answers numbers from every country.
const AnyCountry = "any"

// ParseCountryCodes reads a comma-separated list of calling codes such as
// "+44,+353", or "any". Empty means DefaultCountryCodes.
func ParseCountryCodes(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			continue
		case strings.EqualFold(f, AnyCountry):
			out = append(out, AnyCountry)
			continue
		}
		code := strings.TrimPrefix(f, "+")
		if code == "" || len(code) > 4 || strings.Trim(code, "0123456789") != "" || code[0] == '0' {
			return nil, Errorf(EInvalid, "country code %q: want a calling code such as +44, or %q", f, AnyCountry)
		}
		out = append(out, "+"+code)
	}
	if len(out) == 0 {
		return DefaultCountryCodes, nil
	}
	return out, nil
}

// phoneChannel reports whether ch's addresses are phone numbers, which
// cost the service money to answer.
func phoneChannel(ch Channel) bool { return ch == SMS }

// countryAllowed reports whether the engine answers a. Only
// international numbers (E.164, "+..." as Twilio sends them) are judged; a
// number in a national form ("07700 900123", typed into linkline chat)
// has no country to judge.
func (e *Engine) countryAllowed(a Address) bool {
	if !phoneChannel(a.Channel) || !strings.HasPrefix(a.ID, "+") {
		return true
	}
	for _, c := range e.cfg.CountryCodes {
		if c == AnyCountry || strings.HasPrefix(a.ID, c) {
			return true
		}
	}
	return false
}

// countryCounts counts messages not answered because of their country.
type countryCounts struct {
	mu      sync.Mutex
	refused map[Channel]int64
}

func (m *Metrics) inboundOutsideCountries(ch Channel) {
	if m == nil {
		return
	}
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	if m.countries.refused == nil {
		m.countries.refused = map[Channel]int64{}
	}
	m.countries.refused[ch]++
}

// OutsideCountries returns how many messages from ch were stored but not
// answered because the number is outside the allowed country codes.
func (m *Metrics) OutsideCountries(ch Channel) int64 {
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	return m.countries.refused[ch]
}

func (m *Metrics) writeCountries(w io.Writer) {
	m.countries.mu.Lock()
	defer m.countries.mu.Unlock()
	fmt.Fprintln(w, "# HELP linkline_inbound_outside_countries_total Inbound messages from numbers outside the allowed country codes (stored, not answered), by channel.")
	fmt.Fprintln(w, "# TYPE linkline_inbound_outside_countries_total counter")
	fmt.Fprintf(w, "linkline_inbound_outside_countries_total{channel=%q} %d\n", SMS, m.countries.refused[SMS])
}

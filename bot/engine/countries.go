package engine

import (
	"strings"

	"github.com/linkline/linkline/bot"
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
			return nil, bot.Errorf(bot.EInvalid, "country code %q: want a calling code such as +44, or %q", f, AnyCountry)
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
func phoneChannel(ch bot.Channel) bool { return ch == bot.SMS }

// countryAllowed reports whether the engine answers a. Only
// international numbers (E.164, "+..." as Twilio sends them) are judged; a
// number in a national form ("07700 900123", typed into linkline chat)
// has no country to judge.
func (e *Engine) countryAllowed(a bot.Address) bool {
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

package twilio

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestUKE164MatchesPhonenumbers: every number the fast path passes through
// unchanged is one phonenumbers also gives back unchanged, and what it
// refuses is left to phonenumbers.
func TestUKE164MatchesPhonenumbers(t *testing.T) {
	cases := []string{"+447700900123", "+442079460000", "+4420794600001", "+441632960000",
		"+4407700900123", "+44770090012", "+44770090012345", "+44 7700 900123", "07700900123",
		"+447700 900123", "+15555550123", "+44", "+44x700900123", "+4417009001234"}
	r := rand.New(rand.NewPCG(13, 13))
	for range 2000 {
		digits := 8 + r.IntN(4) // 8 to 11, around the 9 and 10 it passes
		n := fmt.Sprint(r.IntN(10))
		for range digits - 1 {
			n += fmt.Sprint(r.IntN(10))
		}
		cases = append(cases, "+44"+n)
	}
	for _, s := range cases {
		if !ukE164(s) {
			continue
		}
		p, err := phonenumbers.Parse(s, "GB")
		if err != nil {
			t.Errorf("ukE164(%q) but phonenumbers: %v", s, err)
			continue
		}
		if got := phonenumbers.Format(p, phonenumbers.E164); got != s {
			t.Errorf("ukE164(%q) but phonenumbers gives %q", s, got)
		}
	}
	for _, s := range []string{"+4407700900123", "+4477009001", "+44 7700 900123", "07700900123", "+15555550123"} {
		if ukE164(s) {
			t.Errorf("ukE164(%q) = true, want it left to phonenumbers", s)
		}
	}
}

package flows

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets below prove that no parser panics on any message and
// that what each returns keeps its promise. Seeds are realistic answers,
// including emoji, invalid UTF-8 and long text (kept to 2,000 characters so
// that the fuzzer minimises quickly; TestParseLongMessages has 10,000).

// fuzzSeeds are answers of every kind, added to every target.
var fuzzSeeds = []string{
	"", " ", "yes", "No thanks", "👍", "👍🏽", "😊", "\xff\xfe\xfd", "yes\xff", "12/03/1958", "12th march 58",
	"SW1A 1AA", "sw1a1aa", "07700 900123", "+44 7700 900123", "7/10", "6 out of 10", "seven", "1, 3",
	"housing and money", "2,housing", "option 2", "#2", "i don't know", "twenty-one", "-3", "7.5",
	"\u00a0\u200b", "ＳＷ１Ａ", "٣", "0044 (0) 20 7946 0958", "29/02/2000", "31/02/1990", "1958-03-12",
	strings.Repeat("a", 2000), strings.Repeat("9", 2000), strings.Repeat("1 ", 1000), strings.Repeat("👍", 500),
}

func addSeeds(f *testing.F, more ...string) {
	for _, s := range append(slices.Clone(fuzzSeeds), more...) {
		f.Add(s)
	}
}

func FuzzParseDate(f *testing.F) {
	addSeeds(f, "12-3-58", "12.03.1958", "March 12, 1958", "12 mar 1958", "16/06/26", "120358", "12031958",
		"born 5th nov 1983 🎂", "1/1/1900", "00/01/1990", "12/13/1990", "12 Febuary 1960")
	now := testNow
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, now)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) && !errors.Is(err, ErrImpossibleDate) && !errors.Is(err, ErrFutureDate) {
				t.Fatalf("ParseDate(%q): unexpected error %v", s, err)
			}
			return
		}
		if d.After(now) || d.Year() < 1900 || d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour)) {
			t.Fatalf("ParseDate(%q) = %v: want midnight UTC, from 1900 on, not after %v", s, d, now)
		}
		if again, err := ParseDate(d.Format("02/01/2006"), now); err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, but its own dd/mm/yyyy reads as %v, %v", s, d, again, err)
		}
	})
}

func FuzzParsePostcode(f *testing.F) {
	addSeeds(f, "M1 1AE", "B33 8TH", "W1A 0AX", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "GIR 0AA", "sw1a 1oa", "SW1A 1AA.")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePostcode(s)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("ParsePostcode(%q): unexpected error %v", s, err)
			}
			return
		}
		if len(p) < 6 || len(p) > 8 || p[len(p)-4] != ' ' || strings.Count(p, " ") != 1 || strings.ToUpper(p) != p {
			t.Fatalf("ParsePostcode(%q) = %q: not an upper-case postcode with one space", s, p)
		}
		if again, err := ParsePostcode(p); err != nil || again != p {
			t.Fatalf("ParsePostcode(%q) = %q, which reads as %q, %v", s, p, again, err)
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range append(slices.Clone(fuzzSeeds), "about 6", "i'd say 8", "10!", "6 or 7", "7️⃣", "99999999999999999999") {
		f.Add(s, 0, 10)
		f.Add(s, -5, 100)
	}
	f.Fuzz(func(t *testing.T, s string, min, max int) {
		n, err := ParseNumber(s, min, max)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("ParseNumber(%q): unexpected error %v", s, err)
			}
			return
		}
		if n < min || n > max {
			t.Fatalf("ParseNumber(%q, %d, %d) = %d, outside the bounds", s, min, max, n)
		}
	})
}

// fuzzChoices tries s against each list of options.
func fuzzChoices(t *testing.T, s string, parse func(string, []Candidate) ([]string, error)) {
	for _, cands := range [][]Candidate{needs, times, contactWays} {
		vs, err := parse(s, cands)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("parse(%q): unexpected error %v", s, err)
			}
			continue
		}
		if len(vs) == 0 {
			t.Fatalf("parse(%q) returned no values and no error", s)
		}
		last := -1
		for _, v := range vs {
			i := slices.IndexFunc(cands, func(c Candidate) bool { return c.Value == v })
			if i <= last {
				t.Fatalf("parse(%q) = %q: not candidate values in candidate order without duplicates", s, vs)
			}
			last = i
		}
	}
}

func FuzzParseChoice(f *testing.F) {
	addSeeds(f, "morning", "aft", "2.", "I'd prefer a phone call please", "any time in the afternoon", "bereave")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzChoices(t, s, func(s string, cands []Candidate) ([]string, error) {
			v, err := ParseChoice(s, cands)
			if err != nil {
				return nil, err
			}
			return []string{v}, nil
		})
	})
}

func FuzzParseChoices(f *testing.F) {
	addSeeds(f, "1 and 3", "1 3", "1&3", "Money, debt or benefits and housing", "hous and bereave", "1, 11")
	f.Fuzz(func(t *testing.T, s string) { fuzzChoices(t, s, ParseChoices) })
}

func FuzzParseYesNo(f *testing.F) {
	addSeeds(f, "yes please", "yesss", "nah", "i do", "I don't", "not sure", "yeah nah", "no thanks, I'm ok", "✅", "👎")
	f.Fuzz(func(t *testing.T, s string) {
		yes, err := ParseYesNo(s)
		if err != nil && !errors.Is(err, ErrUnreadable) {
			t.Fatalf("ParseYesNo(%q): unexpected error %v", s, err)
		}
		if err == nil && strings.TrimSpace(s) == "" {
			t.Fatalf("ParseYesNo(%q) = %v for a blank message", s, yes)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	addSeeds(f, "07911 123456", "+44 (0) 7911 123456", "020 7946 0958", "+1 415 555 2671", "tel: 07911123456", "+")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("ParsePhone(%q): unexpected error %v", s, err)
			}
			return
		}
		if len(p) < 3 || p[0] != '+' || strings.Trim(p[1:], "0123456789") != "" {
			t.Fatalf("ParsePhone(%q) = %q: not E.164", s, p)
		}
		if again, err := ParsePhone(p); err != nil || again != p {
			t.Fatalf("ParsePhone(%q) = %q, which reads as %q, %v", s, p, again, err)
		}
	})
}

func FuzzParseText(f *testing.F) {
	addSeeds(f, "Getting out more 🌳", "?!", "line one\nline two")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseText(s)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("ParseText(%q): unexpected error %v", s, err)
			}
			return
		}
		if got == "" || !utf8.ValidString(got) || strings.TrimSpace(got) != got {
			t.Fatalf("ParseText(%q) = %q: want trimmed, valid, non-empty text", s, got)
		}
	})
}

package flows

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ParseHours reads an option's hours, "17-22": from 17:00 up to, not
// including, 22:00, whole hours from 0 to 24.
func ParseHours(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if ok {
		from, err = strconv.Atoi(strings.TrimSpace(a))
		if err == nil {
			to, err = strconv.Atoi(strings.TrimSpace(b))
		}
	}
	if !ok || err != nil || from < 0 || to > 24 || from >= to {
		return 0, 0, fmt.Errorf("hours %q: want from-to in whole hours, e.g. 17-22", s)
	}
	return from, to, nil
}

// clockTime is a time of day a person wrote with am or pm ("6.30pm",
// "9 am", "12pm") or on the 24-hour clock past noon ("18:30"). A bare
// hour ("after 7") says nothing certain and is not read.
var clockTime = regexp.MustCompile(`(?i)\b(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?\s?m\b\.?|\b(\d{1,2})[:.](\d{2})\b`)

// clockHours returns the hours of the day (with fractions for minutes) of
// every clock time in s.
func clockHours(s string) []float64 {
	var out []float64
	for _, m := range clockTime.FindAllStringSubmatch(s, -1) {
		if m[3] != "" {
			h, _ := strconv.Atoi(m[1])
			min, _ := strconv.Atoi(m[2])
			if h < 1 || h > 12 || min > 59 {
				continue
			}
			if h == 12 {
				h = 0
			}
			if strings.EqualFold(m[3], "p") {
				h += 12
			}
			out = append(out, float64(h)+float64(min)/60)
			continue
		}
		h, _ := strconv.Atoi(m[4])
		min, _ := strconv.Atoi(m[5])
		if h < 13 || h > 23 || min > 59 {
			continue // "6.30" could be morning or evening; "3.5" is a number
		}
		out = append(out, float64(h)+float64(min)/60)
	}
	return out
}

// byClock reads which candidate the clock times in s fall in, by the
// candidates' hours: one only, or none (-1) when s gives no time, a time
// in no candidate's hours, or times in two.
func byClock(s string, cands []Candidate) int {
	hs := clockHours(s)
	if len(hs) == 0 {
		return -1
	}
	found := -1
	for _, h := range hs {
		in := -1
		for i, c := range cands {
			if c.Hours == "" {
				continue
			}
			from, to, err := ParseHours(c.Hours)
			if err == nil && h >= float64(from) && h < float64(to) {
				in = i
				break
			}
		}
		if in < 0 || found >= 0 && in != found {
			return -1
		}
		found = in
	}
	return found
}

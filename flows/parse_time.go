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

// timeSaid is a clock time with the words that may lead it ("not after
// 5pm", "before 9am").
var timeSaid = regexp.MustCompile(`(?i)\b(?:(?:not|never|no|except|until|till|before|after|from|around|about|at|by)\s+){0,3}(?:` + clockTime.String() + `)`)

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
			} else if h < 5 {
				continue // "12am", "2am": no time to be called
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

// hasHours reports whether any of cands is a time of day.
func hasHours(cands []Candidate) bool {
	for _, c := range cands {
		if c.Hours != "" {
			return true
		}
	}
	return false
}

// hoursOf is the hours of the candidate whose value is v.
func hoursOf(cands []Candidate, v string) string {
	for _, c := range cands {
		if c.Value == v {
			return c.Hours
		}
	}
	return ""
}

// limitsTime reports whether words around a clock time limit it rather than
// name it: "before 5pm", "not after 5pm", "except 7pm".
func limitsTime(ws []string) bool {
	for _, w := range ws {
		switch w {
		case "before", "not", "never", "except", "until", "till", "til", "no", "dont", "cant", "cannot", "busy", "avoid", "but":
			return true
		}
	}
	return false
}

// timeFiller are words beside a clock time that name no option ("after"
// would be the start of "afternoon").
func timeFiller(w string) bool {
	switch w {
	case "after", "from", "around", "about", "at", "by", "or", "ish", "onwards", "is", "best", "fine", "good", "please":
		return true
	}
	return false
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

package bot

import (
	"fmt"
	"strings"
	"time"
)

// Hours are when link workers work: weekly opening times in a time zone,
// less closed dates (bank holidays). They decide what a person waiting for
// a human is told, and when "working hours" SLAs count.
type Hours struct {
	// Spec is the opening times as given to ParseHours.
	Spec string
	Loc  *time.Location
	// Week holds each weekday's opening spans, as minutes after midnight.
	Week [7][]span
	// Closed dates, as YYYY-MM-DD in Loc.
	Closed map[string]bool
}

type span struct{ from, to int }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseHours reads opening times such as "Mon-Fri 09:00-17:00" or
// "Mon-Thu 09:00-17:00, Fri 09:00-16:30", in zone (e.g. "Europe/London"),
// with closed dates as YYYY-MM-DD.
func ParseHours(spec, zone string, closed []string) (*Hours, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, Errorf(EInvalid, "time zone %q: %v", zone, err)
	}
	h := &Hours{Spec: strings.TrimSpace(spec), Loc: loc, Closed: map[string]bool{}}
	for _, part := range strings.Split(spec, ",") {
		days, times, ok := strings.Cut(strings.TrimSpace(part), " ")
		if !ok {
			return nil, Errorf(EInvalid, "hours %q: want e.g. Mon-Fri 09:00-17:00", part)
		}
		first, last, _ := strings.Cut(strings.ToLower(days), "-")
		if last == "" {
			last = first
		}
		d0, ok0 := weekdays[first]
		d1, ok1 := weekdays[last]
		from, to, okt := parseSpan(strings.TrimSpace(times))
		if !ok0 || !ok1 || !okt {
			return nil, Errorf(EInvalid, "hours %q: want e.g. Mon-Fri 09:00-17:00", part)
		}
		for d := d0; ; d = (d + 1) % 7 {
			h.Week[d] = append(h.Week[d], span{from, to})
			if d == d1 {
				break
			}
		}
	}
	for _, c := range closed {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, c); err != nil {
			return nil, Errorf(EInvalid, "closed date %q: want YYYY-MM-DD", c)
		}
		h.Closed[c] = true
	}
	return h, nil
}

func parseSpan(s string) (from, to int, ok bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false
	}
	ta, err1 := time.Parse("15:04", strings.TrimSpace(a))
	tb, err2 := time.Parse("15:04", strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	from, to = ta.Hour()*60+ta.Minute(), tb.Hour()*60+tb.Minute()
	return from, to, from < to
}

// Open reports whether the team is working at t.
func (h *Hours) Open(t time.Time) bool {
	t = t.In(h.Loc)
	if h.Closed[t.Format(time.DateOnly)] {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.Week[t.Weekday()] {
		if m >= s.from && m < s.to {
			return true
		}
	}
	return false
}

// NextOpen returns the first moment at or after t when the team is
// working, or the zero time if it never is (no hours set).
func (h *Hours) NextOpen(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	t = t.In(h.Loc)
	for day := 0; day < 366; day++ {
		d := time.Date(t.Year(), t.Month(), t.Day()+day, 0, 0, 0, 0, h.Loc)
		if h.Closed[d.Format(time.DateOnly)] {
			continue
		}
		for _, s := range h.Week[d.Weekday()] {
			start := time.Date(d.Year(), d.Month(), d.Day(), s.from/60, s.from%60, 0, 0, h.Loc)
			end := time.Date(d.Year(), d.Month(), d.Day(), s.to/60, s.to%60, 0, 0, h.Loc)
			if end.After(t) {
				if start.Before(t) {
					return t
				}
				return start
			}
		}
	}
	return time.Time{}
}

// AddWorking returns the time d of working hours after t: "4 working
// hours" from Friday 15:00 is Monday 11:00 with Mon-Fri 09:00-17:00.
func (h *Hours) AddWorking(t time.Time, d time.Duration) time.Time {
	for d > 0 {
		t = h.NextOpen(t)
		if t.IsZero() {
			return t
		}
		lt := t.In(h.Loc)
		m := lt.Hour()*60 + lt.Minute()
		var end time.Time
		for _, s := range h.Week[lt.Weekday()] {
			if m >= s.from && m < s.to {
				end = time.Date(lt.Year(), lt.Month(), lt.Day(), s.to/60, s.to%60, 0, 0, h.Loc)
			}
		}
		if left := end.Sub(t); left >= d {
			return t.Add(d)
		} else {
			d -= left
			t = end
		}
	}
	return t
}

// Describe says when the team is next in, for a person reading a text:
// "today at 9am", "tomorrow at 9am", "on Monday at 9am", "on 2 January at 9am".
func (h *Hours) Describe(now, at time.Time) string {
	now, at = now.In(h.Loc), at.In(h.Loc)
	clock := at.Format("3pm")
	if at.Minute() != 0 {
		clock = at.Format("3:04pm")
	}
	y1, m1, d1 := now.Date()
	y2, m2, d2 := at.Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0:
		return "today at " + clock
	case days == 1:
		return "tomorrow at " + clock
	case days < 7:
		return fmt.Sprintf("on %s at %s", at.Weekday(), clock)
	}
	return fmt.Sprintf("on %d %s at %s", at.Day(), at.Month(), clock)
}

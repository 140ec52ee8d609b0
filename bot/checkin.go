package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Every is how often a check-in schedule runs.
type Every string

// Schedule frequencies. Weekly and fortnightly runs fall on the schedule's
// weekday, counted from its start date; monthly runs on the first such
// weekday of each month; once runs on the start date, whatever its weekday.
const (
	Weekly      Every = "weekly"
	Fortnightly Every = "fortnightly"
	Monthly     Every = "monthly"
	// Once runs on the start date only (a survey's follow-up).
	Once Every = "once"
)

// DefaultZone is the time zone of a schedule that names none.
const DefaultZone = "Europe/London"

// TimerCheckin starts a scheduled check-in; its Ref is the schedule id.
const TimerCheckin TimerKind = "checkin"

// Schedule runs a flow (a check-in or a survey) for a contact on a regular
// day and local time. It is kept as a timer, so it survives restarts.
type Schedule struct {
	ID        string `json:"id"`
	ContactID string `json:"contact_id"`
	Flow      string `json:"flow"`
	Every     Every  `json:"every"`
	// Weekday and LocalTime ("HH:MM", 24-hour) are in Zone (an IANA name;
	// default Europe/London), so a run stays at the same wall-clock time
	// across the clock changes.
	Weekday   time.Weekday `json:"weekday"`
	LocalTime string       `json:"local_time"`
	Zone      string       `json:"zone,omitempty"`
	// Start and End are the first and last days runs may fall on; only
	// their dates in Zone count. A zero End means no end.
	Start  time.Time `json:"start"`
	End    time.Time `json:"end,omitzero"`
	Paused bool      `json:"paused,omitempty"`
	// Next is the next run; zero when the schedule has ended.
	Next time.Time `json:"next,omitzero"`
	// Missed counts check-ins that went unanswered in a row.
	Missed    int       `json:"missed,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ParseEvery reads "weekly", "fortnightly" or "monthly".
func ParseEvery(s string) (Every, error) {
	switch e := Every(strings.ToLower(strings.TrimSpace(s))); e {
	case Weekly, Fortnightly, Monthly, Once:
		return e, nil
	}
	return "", Errorf(EInvalid, "how often %q: want weekly, fortnightly, monthly or once", s)
}

// ParseWeekday reads a day name or its first three letters ("mon").
func ParseWeekday(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if len(s) >= 3 && strings.HasPrefix(name, s) {
			return d, nil
		}
	}
	return 0, Errorf(EInvalid, "day %q: want a day of the week, e.g. mon", s)
}

func parseClock(s string) (h, m int, err error) {
	hs, ms, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) != 2 {
		return 0, 0, Errorf(EInvalid, "time %q: want HH:MM, e.g. 10:30", s)
	}
	return h, m, nil
}

// Location is the schedule's time zone (DefaultZone when it has none).
func (s *Schedule) Location() (*time.Location, error) {
	zone := s.Zone
	if zone == "" {
		zone = DefaultZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, Errorf(EInvalid, "time zone %q: %v", zone, err)
	}
	return loc, nil
}

// Validate reports what is wrong with a schedule's fields, as an EInvalid
// error.
func (s *Schedule) Validate() error {
	if s.ContactID == "" || s.Flow == "" {
		return Errorf(EInvalid, "schedule: needs a contact and a flow")
	}
	if _, err := ParseEvery(string(s.Every)); err != nil {
		return err
	}
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		return Errorf(EInvalid, "schedule: weekday %d out of range", s.Weekday)
	}
	if _, _, err := parseClock(s.LocalTime); err != nil {
		return err
	}
	if _, err := s.Location(); err != nil {
		return err
	}
	if !s.End.IsZero() && s.End.Before(s.Start) {
		return Errorf(EInvalid, "schedule: ends before it starts")
	}
	return nil
}

// day is a calendar date as midnight UTC, so adding days is exact.
func day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NextRun returns the schedule's first run strictly after after, or the
// zero time when the schedule has ended. Runs are at LocalTime on their
// day in Zone, whatever the offset from UTC is that day.
func (s *Schedule) NextRun(after time.Time) (time.Time, error) {
	if err := s.Validate(); err != nil {
		return time.Time{}, err
	}
	loc, _ := s.Location()
	hh, mm, _ := parseClock(s.LocalTime)
	start := day(s.Start, loc)
	var end time.Time
	if !s.End.IsZero() {
		end = day(s.End, loc)
	}
	at := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, loc) }
	from := day(after, loc)
	if s.Every == Once {
		if t := at(start); t.After(after) {
			return t, nil
		}
		return time.Time{}, nil
	}
	if s.Every == Monthly {
		y, m := start.Year(), start.Month()
		if from.After(start) {
			y, m = from.Year(), from.Month()-1
		}
		for i := 0; i < 16; i++ {
			first := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			d := first.AddDate(0, 0, (int(s.Weekday)-int(first.Weekday())+7)%7)
			switch {
			case d.Before(start):
				continue
			case !end.IsZero() && d.After(end):
				return time.Time{}, nil
			}
			if t := at(d); t.After(after) {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("schedule %s: no monthly run found", s.ID)
	}
	period := 7
	if s.Every == Fortnightly {
		period = 14
	}
	first := start.AddDate(0, 0, (int(s.Weekday)-int(start.Weekday())+7)%7)
	k := 0
	if from.After(first) {
		k = max(int(from.Sub(first).Hours()/24)/period-1, 0)
	}
	for ; ; k++ {
		d := first.AddDate(0, 0, k*period)
		if !end.IsZero() && d.After(end) {
			return time.Time{}, nil
		}
		if t := at(d); t.After(after) {
			return t, nil
		}
	}
}

// QuietHours is the time of night nothing scheduled is sent. From and To
// are "HH:MM" local times; From after To spans midnight. From equal to To
// means no quiet hours.
type QuietHours struct {
	From, To string
}

// DefaultQuiet is 21:00 to 08:00.
var DefaultQuiet = QuietHours{From: "21:00", To: "08:00"}

// Until reports whether t falls in quiet hours in loc and, if so, when
// they end.
func (q QuietHours) Until(t time.Time, loc *time.Location) (time.Time, bool, error) {
	fh, fm, err := parseClock(q.From)
	if err != nil {
		return time.Time{}, false, err
	}
	th, tm, err := parseClock(q.To)
	if err != nil {
		return time.Time{}, false, err
	}
	from, to := fh*60+fm, th*60+tm
	lt := t.In(loc)
	now := lt.Hour()*60 + lt.Minute()
	end := func(days int) time.Time {
		return time.Date(lt.Year(), lt.Month(), lt.Day()+days, th, tm, 0, 0, loc)
	}
	switch {
	case from == to:
		return time.Time{}, false, nil
	case from > to && now >= from:
		return end(1), true, nil
	case from > to && now < to, from < to && now >= from && now < to:
		return end(0), true, nil
	}
	return time.Time{}, false, nil
}

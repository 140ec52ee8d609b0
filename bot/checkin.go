package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
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

// Check-in event kinds.
const (
	// EventCheckinSkipped: a scheduled run did not start (Data "reason").
	EventCheckinSkipped EventKind = "checkin.skipped"
	// EventCheckinMissed: a started check-in expired unanswered (Data
	// "missed": how many in a row).
	EventCheckinMissed EventKind = "checkin.missed"
)

// MissedCheckinsDetail is the handoff detail when a contact has missed
// checkinsFlag check-ins in a row.
const MissedCheckinsDetail = "missed check-ins"

// checkinsFlag is how many unanswered check-ins in a row flag a contact
// for a link worker.
const checkinsFlag = 2

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

func (s *Schedule) location() (*time.Location, error) {
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
	if _, err := s.location(); err != nil {
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
	loc, _ := s.location()
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

func (e *Engine) quiet() QuietHours {
	if e.cfg.Quiet != nil {
		return *e.cfg.Quiet
	}
	return DefaultQuiet
}

func (e *Engine) checkinWindow() time.Duration {
	if e.cfg.CheckinWindow > 0 {
		return e.cfg.CheckinWindow
	}
	return 6 * time.Hour
}

// spreadOffset is a schedule's fixed place in a window of length spread,
// to the second: the same for every run, different between schedules.
func spreadOffset(scheduleID string, spread time.Duration) time.Duration {
	secs := int64(spread / time.Second)
	if secs <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(scheduleID))
	return time.Duration(h.Sum64()%uint64(secs)) * time.Second
}

// AddSchedule checks s, stores it (assigning s.ID) and sets the timer for
// its first run on or after its start date. The contact and flow must exist.
func (e *Engine) AddSchedule(ctx context.Context, s *Schedule) error {
	if s.Zone == "" {
		s.Zone = DefaultZone
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if _, ok := e.cfg.Flows.Flow(s.Flow); !ok {
		return Errorf(EInvalid, "schedule: no flow %q", s.Flow)
	}
	return e.onContact(ctx, s.ContactID, func(t *turn) error {
		s.CreatedAt = t.now
		if s.Start.IsZero() {
			s.Start = t.now
		}
		if err := t.tx.PutSchedule(s); err != nil {
			return err
		}
		return t.setNextRun(s, t.now)
	})
}

// scheduleContact returns whose schedule id is, so the change can take
// that person's lock first.
func (e *Engine) scheduleContact(ctx context.Context, id string) (string, error) {
	var contactID string
	err := e.cfg.Store.View(ctx, func(tx Tx) error {
		s, err := tx.Schedule(id)
		if err == nil {
			contactID = s.ContactID
		}
		return err
	})
	return contactID, err
}

// PauseSchedule pauses a schedule (no runs, its timer removed) or, with
// paused false, resumes it from the next run after now.
func (e *Engine) PauseSchedule(ctx context.Context, id string, paused bool) error {
	contactID, err := e.scheduleContact(ctx, id)
	if err != nil {
		return err
	}
	return e.onContact(ctx, contactID, func(t *turn) error {
		s, err := t.tx.Schedule(id)
		if err != nil {
			return err
		}
		s.Paused = paused
		return t.setNextRun(s, t.now)
	})
}

// RemoveSchedule deletes a schedule and its timer. Removing an absent
// schedule is an ENotFound error.
func (e *Engine) RemoveSchedule(ctx context.Context, id string) error {
	contactID, err := e.scheduleContact(ctx, id)
	if err != nil {
		return err
	}
	return e.cfg.Store.Update(ctx, func(tx Tx) error {
		if err := LockPerson(tx, contactID); err != nil {
			return err
		}
		if _, err := tx.Schedule(id); err != nil {
			return err
		}
		if err := tx.DeleteTimer(checkinTimerID(id)); err != nil {
			return err
		}
		return tx.DeleteSchedule(id)
	})
}

// StartFlow starts flowID for a contact now, as a scheduled check-in does:
// the flow's first messages are queued. It does not start (and reports
// false, recording why) while the contact has opted out, a link worker
// holds their conversation, or they are in the middle of another flow.
func (e *Engine) StartFlow(ctx context.Context, contactID, flowID string) (bool, error) {
	if _, ok := e.cfg.Flows.Flow(flowID); !ok {
		return false, Errorf(EInvalid, "no flow %q", flowID)
	}
	var started bool
	err := e.onContact(ctx, contactID, func(t *turn) error {
		var why string
		var err error
		started, why, err = t.beginFlow(flowID)
		if err != nil || started {
			return err
		}
		return t.event(EventCheckinSkipped, map[string]string{"flow": flowID, "reason": why})
	})
	return started, err
}

// setNextRun stores s with its next run after `after` and sets, moves or
// removes its timer. A run in quiet hours is held until they end.
func (t *turn) setNextRun(s *Schedule, after time.Time) error {
	next, err := s.NextRun(after)
	if err != nil {
		return err
	}
	s.Next = next
	if err := t.tx.PutSchedule(s); err != nil {
		return err
	}
	t.timers = true
	if s.Paused || next.IsZero() {
		return t.tx.DeleteTimer(checkinTimerID(s.ID))
	}
	loc, _ := s.location()
	due := next.Add(spreadOffset(s.ID, t.e.cfg.CheckinSpread))
	if end, quiet, err := t.e.quiet().Until(due, loc); err != nil {
		return err
	} else if quiet {
		due = end
	}
	return t.tx.PutTimer(&Timer{ID: checkinTimerID(s.ID), Due: due, Kind: TimerCheckin, ContactID: s.ContactID, Ref: s.ID})
}

// runCheckin fires a schedule's timer: it starts the check-in unless the
// run is too late (the server was down), it is quiet hours (then it waits
// for the morning) or the contact cannot have one now; then it sets the
// next run.
func (t *turn) runCheckin(tm Timer) error {
	s, err := t.tx.Schedule(tm.Ref)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if s.Paused {
		return nil
	}
	skip := func(reason string) error {
		if err := t.event(EventCheckinSkipped, map[string]string{"schedule": s.ID, "flow": s.Flow,
			"reason": reason, "due": tm.Due.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		return t.setNextRun(s, t.now)
	}
	if t.now.Sub(tm.Due) > t.e.checkinWindow() {
		return skip("missed run")
	}
	loc, err := s.location()
	if err != nil {
		return err
	}
	if end, quiet, err := t.e.quiet().Until(t.now, loc); err != nil {
		return err
	} else if quiet {
		tm.Due = end
		t.timers = true
		return t.tx.PutTimer(&tm)
	}
	if t.conv != nil && t.conv.FlowID == s.Flow && t.conv.Status == ConvDone && s.Missed > 0 {
		s.Missed = 0 // the last one was answered
		if err := t.tx.PutSchedule(s); err != nil {
			return err
		}
	}
	started, why, err := t.beginFlow(s.Flow)
	if err != nil {
		return err
	}
	if s, err = t.tx.Schedule(s.ID); err != nil { // beginFlow may have counted a miss
		return err
	}
	if !started {
		return skip(why)
	}
	return t.setNextRun(s, t.now)
}

// beginFlow starts flowID for t.contact if it may start now, and says why
// not otherwise. An unanswered earlier run of the same flow counts as
// missed.
func (t *turn) beginFlow(flowID string) (bool, string, error) {
	if t.contact.OptedOut {
		return false, "opted out", nil
	}
	if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
		return false, "handoff active", nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, "", err
	}
	if t.conv != nil && t.conv.Status == ConvActive {
		if t.conv.FlowID != flowID {
			return false, "in another conversation", nil
		}
		t.conv.Status, t.conv.UpdatedAt = ConvExpired, t.now
		if err := t.event(EventConvExpired, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State}); err != nil {
			return false, "", err
		}
		if err := t.checkinExpired(); err != nil {
			return false, "", err
		}
		if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
			return false, "handoff active", t.tx.PutConversation(t.conv)
		} else if !errors.Is(err, ErrNotFound) {
			return false, "", err
		}
	}
	return true, "", t.startFlow(flowID)
}

// checkinExpired runs when a conversation expires: if a schedule runs its
// flow, an unanswered one is a missed check-in, and two in a row open a
// handoff so a link worker looks in on the person.
func (t *turn) checkinExpired() error {
	if t.conv == nil {
		return nil
	}
	var s *Schedule
	if err := t.tx.Schedules(t.contact.ID, func(x *Schedule) bool {
		if x.Flow == t.conv.FlowID {
			s = x
		}
		return s == nil
	}); err != nil || s == nil {
		return err
	}
	if len(t.conv.Answers) > 0 {
		s.Missed = 0 // they answered some of it
		return t.tx.PutSchedule(s)
	}
	s.Missed++
	if err := t.tx.PutSchedule(s); err != nil {
		return err
	}
	if err := t.event(EventCheckinMissed, map[string]string{"schedule": s.ID, "flow": s.Flow, "missed": strconv.Itoa(s.Missed)}); err != nil {
		return err
	}
	if s.Missed < checkinsFlag {
		return nil
	}
	_, err := t.openHandoff(ReasonFlow, MissedCheckinsDetail, false)
	return err
}

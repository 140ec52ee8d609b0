package engine

import (
	"context"
	"errors"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/linkline/linkline/bot"
)

// MissedCheckinsDetail is the handoff detail when a contact has missed
// checkinsFlag check-ins in a row.
const MissedCheckinsDetail = "missed check-ins"

// checkinsFlag is how many unanswered check-ins in a row flag a contact
// for a link worker.
const checkinsFlag = 2

func (e *Engine) quiet() bot.QuietHours {
	if e.cfg.Quiet != nil {
		return *e.cfg.Quiet
	}
	return bot.DefaultQuiet
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
func (e *Engine) AddSchedule(ctx context.Context, s *bot.Schedule) error {
	if s.Zone == "" {
		s.Zone = bot.DefaultZone
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if _, ok := e.cfg.Flows.Flow(s.Flow); !ok {
		return bot.Errorf(bot.EInvalid, "schedule: no flow %q", s.Flow)
	}
	return e.onContact(ctx, s.ContactID, func(t *turn) error {
		s.CreatedAt = t.now
		if s.Start.IsZero() {
			s.Start = t.now
		}
		if s.Every == bot.Once {
			// A run that happens once at a time already gone would never
			// run, with nothing said (session 42's trials).
			if next, err := s.NextRun(t.now); err != nil {
				return err
			} else if next.IsZero() {
				return bot.Errorf(bot.EInvalid, "schedule: a once-only run at %s on %s has already passed; choose a later time", s.LocalTime, s.Start.Format(time.DateOnly))
			}
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
	err := e.cfg.Store.View(ctx, func(tx bot.Tx) error {
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
	return e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockPerson(tx, contactID); err != nil {
			return err
		}
		if _, err := tx.Schedule(id); err != nil {
			return err
		}
		if err := tx.DeleteTimer(bot.CheckinTimerID(id)); err != nil {
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
		return false, bot.Errorf(bot.EInvalid, "no flow %q", flowID)
	}
	var started bool
	err := e.onContact(ctx, contactID, func(t *turn) error {
		var why string
		var err error
		started, why, err = t.beginFlow(flowID)
		if err != nil || started {
			return err
		}
		return t.event(bot.EventCheckinSkipped, map[string]string{"flow": flowID, "reason": why})
	})
	return started, err
}

// setNextRun stores s with its next run after `after` and sets, moves or
// removes its timer. A run in quiet hours is held until they end.
func (t *turn) setNextRun(s *bot.Schedule, after time.Time) error {
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
		return t.tx.DeleteTimer(bot.CheckinTimerID(s.ID))
	}
	loc, _ := s.Location()
	due := next.Add(spreadOffset(s.ID, t.e.cfg.CheckinSpread))
	if end, quiet, err := t.e.quiet().Until(due, loc); err != nil {
		return err
	} else if quiet {
		due = end
	}
	return t.tx.PutTimer(&bot.Timer{ID: bot.CheckinTimerID(s.ID), Due: due, Kind: bot.TimerCheckin, ContactID: s.ContactID, Ref: s.ID})
}

// runCheckin fires a schedule's timer: it starts the check-in unless the
// run is too late (the server was down), it is quiet hours (then it waits
// for the morning) or the contact cannot have one now; then it sets the
// next run.
func (t *turn) runCheckin(tm bot.Timer) error {
	s, err := t.tx.Schedule(tm.Ref)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if s.Paused {
		return nil
	}
	skip := func(reason string) error {
		if err := t.event(bot.EventCheckinSkipped, map[string]string{"schedule": s.ID, "flow": s.Flow,
			"reason": reason, "due": tm.Due.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		return t.setNextRun(s, t.now)
	}
	if t.now.Sub(tm.Due) > t.e.checkinWindow() {
		return skip("missed run")
	}
	loc, err := s.Location()
	if err != nil {
		return err
	}
	if end, quiet, err := t.e.quiet().Until(t.now, loc); err != nil {
		return err
	} else if quiet {
		// A retry is due after the run's own time (its spread offset
		// aside); a first run firing late is held as before (a review).
		first := s.Next.Add(spreadOffset(s.ID, t.e.cfg.CheckinSpread))
		if retried := tm.Due.After(first); retried && end.Sub(s.Next) > t.e.checkinWindow() {
			// A retry (the person was in another conversation) fired late,
			// in quiet hours: its window ends before they do, so it is not
			// held to the morning (it went out at 8 the next day).
			return skip(InAnotherConversation + ", until quiet hours")
		}
		tm.Due = end
		t.timers = true
		return t.tx.PutTimer(&tm)
	}
	if t.conv != nil && t.conv.FlowID == s.Flow && !s.Next.IsZero() && !t.conv.StartedAt.Before(s.Next) {
		// This run has been had: started from the console while a retry
		// waited (a review). Not again, and not counted as missed.
		return t.setNextRun(s, t.now)
	}
	if t.conv != nil && t.conv.FlowID == s.Flow && t.conv.Status == bot.ConvDone && s.Missed > 0 {
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
	if !started && why == NoAddressYet && s.Every == bot.Once {
		// A run that happens once waits for the person to open their
		// enrolment link, tried again each day, rather than being lost (a
		// review); the schedule can be removed as any other.
		if err := t.event(bot.EventCheckinSkipped, map[string]string{"schedule": s.ID, "flow": s.Flow,
			"reason": why + ", tried again tomorrow", "due": tm.Due.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		tm.Due = t.now.Add(24 * time.Hour)
		t.timers = true
		return t.tx.PutTimer(&tm)
	}
	retry := t.now.Add(checkinRetry)
	_, quietThen, err := t.e.quiet().Until(retry, loc)
	if err != nil {
		return err
	}
	if !started && why == InAnotherConversation && retry.Sub(s.Next) <= t.e.checkinWindow() && !quietThen {
		// Half way through a survey or a referral: the check-in waits an
		// hour and tries again, within its window and not into quiet hours
		// (a review: it went out at 8 the next morning), rather than being
		// lost for the week (session 42's trials).
		if err := t.event(bot.EventCheckinSkipped, map[string]string{"schedule": s.ID, "flow": s.Flow,
			"reason": why + ", tried again in an hour", "due": tm.Due.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
		tm.Due = retry
		t.timers = true
		return t.tx.PutTimer(&tm)
	}
	if !started {
		return skip(why)
	}
	return t.setNextRun(s, t.now)
}

// checkinRetry is how long a check-in that found the person in another
// conversation waits before it tries again.
const checkinRetry = time.Hour

// InAnotherConversation is why a flow did not start for a contact half
// way through another.
const InAnotherConversation = "in another conversation"

// beginFlow starts flowID for t.contact if it may start now, and says why
// not otherwise. An unanswered earlier run of the same flow counts as
// missed.
func (t *turn) beginFlow(flowID string) (bool, string, error) {
	if len(t.contact.Addresses) == 0 {
		// Enrolled, but the link was never opened: nothing can reach them,
		// and an unsent check-in must not count as one they missed
		// (session 42's trials: two "missed" check-ins opened a handoff
		// about a person who never got one).
		return false, NoAddressYet, nil
	}
	if t.contact.OptedOut {
		return false, "opted out", nil
	}
	if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
		return false, "handoff active", nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return false, "", err
	}
	if t.conv != nil && t.conv.Status == bot.ConvActive {
		if t.conv.FlowID != flowID {
			return false, InAnotherConversation, nil
		}
		t.conv.Status, t.conv.UpdatedAt = bot.ConvExpired, t.now
		if err := t.event(bot.EventConvExpired, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State}); err != nil {
			return false, "", err
		}
		if err := t.checkinExpired(); err != nil {
			return false, "", err
		}
		if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
			return false, "handoff active", t.tx.PutConversation(t.conv)
		} else if !errors.Is(err, bot.ErrNotFound) {
			return false, "", err
		}
	}
	return true, "", t.startFlow(flowID)
}

// NoAddressYet is why a flow did not start for a contact with no address:
// one made by enrolment whose link has not been opened.
const NoAddressYet = "no address yet (enrolment link not opened)"

// checkinExpired runs when a conversation expires: if a schedule runs its
// flow, an unanswered one is a missed check-in, and two in a row open a
// handoff so a link worker looks in on the person.
func (t *turn) checkinExpired() error {
	if t.conv == nil {
		return nil
	}
	var s *bot.Schedule
	if err := t.tx.Schedules(t.contact.ID, func(x *bot.Schedule) bool {
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
	if err := t.event(bot.EventCheckinMissed, map[string]string{"schedule": s.ID, "flow": s.Flow, "missed": strconv.Itoa(s.Missed)}); err != nil {
		return err
	}
	if s.Missed < checkinsFlag {
		return nil
	}
	_, err := t.openHandoff(bot.ReasonFlow, MissedCheckinsDetail, false)
	return err
}

package bolt

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/linkline/linkline/bot"
)

// Buckets of survey results and check-in schedules.
var (
	bSurveys       = []byte("surveys")        // id → SurveyResult
	bSurveyContact = []byte("survey_contact") // contact id, 0, at, len(id), id → nil
	bSchedules     = []byte("schedules")      // id → Schedule
	bSchedContact  = []byte("sched_contact")  // contact id, 0, len(id), id → nil
)

func contactPrefix(contactID string) []byte { return append([]byte(contactID), 0) }

func surveyKey(r *bot.SurveyResult) []byte {
	return join(contactPrefix(r.ContactID), timeKey(r.At), sortable(r.ID))
}

func schedKey(s *bot.Schedule) []byte { return join(contactPrefix(s.ContactID), sortable(s.ID)) }

// PutSurveyResult creates (ID empty: one is assigned) or replaces a survey
// result and keeps the by-contact index in step.
func (t *Tx) PutSurveyResult(r *bot.SurveyResult) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(r.ContactID, "survey result contact"); err != nil {
		return err
	}
	if r.ID == "" {
		n, err := t.nextID(bSurveys)
		if err != nil {
			return err
		}
		r.ID = newID("s", n)
		t.onUndo(func() { r.ID = "" })
	} else if err := checkID(r.ID, "survey result"); err != nil {
		return err
	} else if data := t.b(bSurveys).Get([]byte(r.ID)); data != nil {
		var old bot.SurveyResult
		if err := decodeRecord(data, &old); err != nil {
			return fmt.Errorf("store: decode survey result %s: %w", r.ID, err)
		}
		if err := t.b(bSurveyContact).Delete(surveyKey(&old)); err != nil {
			return err
		}
	}
	if err := t.b(bSurveyContact).Put(surveyKey(r), nil); err != nil {
		return err
	}
	return t.put(bSurveys, []byte(r.ID), r)
}

// SurveyResults calls fn for contactID's results, oldest first, or with
// contactID "" for every contact's, grouped by contact, until fn returns
// false. It reads only the results it passes to fn.
func (t *Tx) SurveyResults(contactID string, fn func(*bot.SurveyResult) bool) error {
	var prefix []byte
	if contactID != "" {
		prefix = contactPrefix(contactID)
	}
	return t.scan(bSurveyContact, prefix, false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		i := bytes.IndexByte(k, 0)
		id := string(k[i+1+8+1:])
		r := new(bot.SurveyResult)
		if err := t.get(bSurveys, []byte(id), r, "survey result "+id); err != nil {
			return false, fmt.Errorf("store: survey index out of step: %w", err)
		}
		return fn(r), nil
	})
}

// PutSchedule creates (ID empty: one is assigned) or replaces a check-in
// schedule and keeps the by-contact index in step.
func (t *Tx) PutSchedule(s *bot.Schedule) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(s.ContactID, "schedule contact"); err != nil {
		return err
	}
	if s.ID == "" {
		n, err := t.nextID(bSchedules)
		if err != nil {
			return err
		}
		s.ID = newID("k", n)
		t.onUndo(func() { s.ID = "" })
	} else if err := checkID(s.ID, "schedule"); err != nil {
		return err
	} else if old, err := t.Schedule(s.ID); err == nil {
		if err := t.b(bSchedContact).Delete(schedKey(old)); err != nil {
			return err
		}
	} else if !errors.Is(err, bot.ErrNotFound) {
		return err
	}
	if err := t.b(bSchedContact).Put(schedKey(s), nil); err != nil {
		return err
	}
	return t.put(bSchedules, []byte(s.ID), s)
}

// Schedule returns the schedule with the given id.
func (t *Tx) Schedule(id string) (*bot.Schedule, error) {
	s := new(bot.Schedule)
	if err := t.get(bSchedules, []byte(id), s, "schedule "+id); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSchedule removes a schedule; removing an absent one is harmless.
// It does not touch the schedule's timer.
func (t *Tx) DeleteSchedule(id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	old, err := t.Schedule(id)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if err := t.b(bSchedContact).Delete(schedKey(old)); err != nil {
		return err
	}
	return t.b(bSchedules).Delete([]byte(id))
}

// Schedules calls fn for contactID's schedules ("" for every contact's,
// grouped by contact) in the order they were created, until fn returns
// false.
func (t *Tx) Schedules(contactID string, fn func(*bot.Schedule) bool) error {
	var prefix []byte
	if contactID != "" {
		prefix = contactPrefix(contactID)
	}
	return t.scan(bSchedContact, prefix, false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		i := bytes.IndexByte(k, 0)
		id := string(k[i+2:])
		s, err := t.Schedule(id)
		if err != nil {
			return false, fmt.Errorf("store: schedule index out of step: %w", err)
		}
		return fn(s), nil
	})
}

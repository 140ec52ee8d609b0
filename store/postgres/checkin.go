package postgres

import (
	"github.com/linkline/linkline/bot"
)

// PutSurveyResult creates (ID empty: one is assigned) or replaces a survey
// result.
func (t *Tx) PutSurveyResult(r *bot.SurveyResult) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(r.ContactID, "survey result contact"); err != nil {
		return err
	}
	if r.ID == "" {
		n, err := t.nextID("surveys_seq")
		if err != nil {
			return err
		}
		r.ID = newID("s", n)
		t.onUndo(func() { r.ID = "" })
	} else if err := checkID(r.ID, "survey result"); err != nil {
		return err
	}
	data, err := encode(r)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO surveys (id, contact_id, at_ns, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET contact_id = EXCLUDED.contact_id, at_ns = EXCLUDED.at_ns, data = EXCLUDED.data`,
		r.ID, r.ContactID, ns(r.At), data)
	return err
}

// SurveyResults calls fn for contactID's results, oldest first, or with
// contactID "" for every contact's, grouped by contact, until fn returns
// false.
func (t *Tx) SurveyResults(contactID string, fn func(*bot.SurveyResult) bool) error {
	return scan(t, "survey result", 4, func(after []any) (string, []any) {
		const cols = "SELECT data, contact_id, at_ns, length(id), id FROM surveys WHERE ($1 = '' OR contact_id = $1)"
		const order = " ORDER BY contact_id, at_ns, length(id), id LIMIT $2"
		if after == nil {
			return cols + order, []any{contactID, pageSize}
		}
		return cols + " AND (contact_id, at_ns, length(id), id) > ($3, $4, $5, $6)" + order,
			[]any{contactID, pageSize, after[0], after[1], after[2], after[3]}
	}, fn)
}

// PutSchedule creates (ID empty: one is assigned) or replaces a check-in
// schedule.
func (t *Tx) PutSchedule(s *bot.Schedule) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(s.ContactID, "schedule contact"); err != nil {
		return err
	}
	if s.ID == "" {
		n, err := t.nextID("schedules_seq")
		if err != nil {
			return err
		}
		s.ID = newID("k", n)
		t.onUndo(func() { s.ID = "" })
	} else if err := checkID(s.ID, "schedule"); err != nil {
		return err
	}
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO schedules (id, contact_id, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET contact_id = EXCLUDED.contact_id, data = EXCLUDED.data`, s.ID, s.ContactID, data)
	return err
}

// Schedule returns the schedule with the given id.
func (t *Tx) Schedule(id string) (*bot.Schedule, error) {
	s := new(bot.Schedule)
	if err := t.get(s, "schedule "+id, "SELECT data FROM schedules WHERE id = $1"+t.forUpdate(), id); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSchedule removes a schedule; removing an absent one is harmless.
// It does not touch the schedule's timer.
func (t *Tx) DeleteSchedule(id string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM schedules WHERE id = $1", id)
	return err
}

// Schedules calls fn for contactID's schedules ("" for every contact's,
// grouped by contact) in the order they were created, until fn returns
// false.
func (t *Tx) Schedules(contactID string, fn func(*bot.Schedule) bool) error {
	return scan(t, "schedule", 3, func(after []any) (string, []any) {
		const cols = "SELECT data, contact_id, length(id), id FROM schedules WHERE ($1 = '' OR contact_id = $1)"
		const order = " ORDER BY contact_id, length(id), id LIMIT $2"
		if after == nil {
			return cols + order, []any{contactID, pageSize}
		}
		return cols + " AND (contact_id, length(id), id) > ($3, $4, $5)" + order,
			[]any{contactID, pageSize, after[0], after[1], after[2]}
	}, fn)
}

package postgres

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// PutTimer sets a timer, replacing one with the same ID.
func (t *Tx) PutTimer(tm *bot.Timer) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(tm.ID, "timer"); err != nil {
		return err
	}
	data, err := encode(tm)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO timers (id, due_ns, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET due_ns = EXCLUDED.due_ns, data = EXCLUDED.data`, tm.ID, ns(tm.Due), data)
	return err
}

// ArmTimer sets tm unless a timer with its id is already due at or before
// tm.Due, and reports whether it wrote: one statement, so two instances
// arming one timer leave the earlier due time.
func (t *Tx) ArmTimer(tm *bot.Timer) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if err := checkID(tm.ID, "timer"); err != nil {
		return false, err
	}
	data, err := encode(tm)
	if err != nil {
		return false, err
	}
	n, err := t.exec(`INSERT INTO timers (id, due_ns, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET due_ns = EXCLUDED.due_ns, data = EXCLUDED.data
		WHERE timers.due_ns > EXCLUDED.due_ns`, tm.ID, ns(tm.Due), data)
	return n == 1, err
}

// DeleteTimer removes the timer with the given id. Removing a timer that
// is not there is not an error.
func (t *Tx) DeleteTimer(id string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM timers WHERE id = $1", id)
	return err
}

// TakeTimer removes the timer id if it is still the one that fell due at
// due, and reports whether it did: a compare-and-delete. The row lock
// makes a second taker wait for the first, then find the timer gone (or
// set again with another due time) and take nothing.
func (t *Tx) TakeTimer(id string, due time.Time) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	old := new(bot.Timer)
	err := t.get(old, "timer "+id, "SELECT data FROM timers WHERE id = $1 FOR UPDATE", id)
	if errors.Is(err, bot.ErrNotFound) || errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil || !old.Due.Equal(due) {
		return false, err
	}
	n, err := t.exec("DELETE FROM timers WHERE id = $1", id)
	return n == 1, err
}

// DueTimers calls fn for timers due at or before now, by due time then id,
// until fn returns false.
func (t *Tx) DueTimers(now time.Time, fn func(*bot.Timer) bool) error {
	limit := ns(now)
	return scan(t, "timer", 2, func(after []any) (string, []any) {
		if after == nil {
			return "SELECT data, due_ns, id FROM timers WHERE due_ns <= $1 ORDER BY due_ns, id LIMIT $2", []any{limit, pageSize}
		}
		return "SELECT data, due_ns, id FROM timers WHERE due_ns <= $1 AND (due_ns, id) > ($3, $4) ORDER BY due_ns, id LIMIT $2",
			[]any{limit, pageSize, after[0], after[1]}
	}, fn)
}

// NextTimer returns the earliest due time of any timer.
func (t *Tx) NextTimer() (time.Time, bool, error) {
	tm := new(bot.Timer)
	err := t.get(tm, "next timer", "SELECT data FROM timers ORDER BY due_ns, id LIMIT 1")
	if errors.Is(err, bot.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return tm.Due, true, nil
}

// Timers calls fn for every timer, by id, until fn returns false.
func (t *Tx) Timers(fn func(*bot.Timer) bool) error {
	return scan(t, "timer", 1, keyset("timers", "id", ""), fn)
}

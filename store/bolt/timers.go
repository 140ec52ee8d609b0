package bolt

import (
	"bytes"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
)

func dueKey(tm *bot.Timer) []byte { return join(timeKey(tm.Due), []byte(tm.ID)) }

// oldTimer returns the stored timer with the given id, or nil.
func (t *Tx) oldTimer(id string) (*bot.Timer, error) {
	data := t.b(bTimers).Get([]byte(id))
	if data == nil {
		return nil, nil
	}
	old := new(bot.Timer)
	if err := decodeRecord(data, old); err != nil {
		return nil, fmt.Errorf("store: decode timer %s: %w", id, err)
	}
	return old, nil
}

// PutTimer sets a timer, replacing one with the same ID (whose due time
// then no longer counts).
func (t *Tx) PutTimer(tm *bot.Timer) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(tm.ID, "timer"); err != nil {
		return err
	}
	old, err := t.oldTimer(tm.ID)
	if err != nil {
		return err
	}
	return t.putTimer(tm, old)
}

// putTimer sets tm in place of old (nil: none).
func (t *Tx) putTimer(tm, old *bot.Timer) error {
	if old != nil {
		if err := t.b(bDue).Delete(dueKey(old)); err != nil {
			return err
		}
	}
	if err := t.b(bDue).Put(dueKey(tm), nil); err != nil {
		return err
	}
	return t.put(bTimers, []byte(tm.ID), tm)
}

// ArmTimer sets tm unless a timer with its id is already due at or before
// tm.Due, and reports whether it wrote.
func (t *Tx) ArmTimer(tm *bot.Timer) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	// Most calls find the timer already due sooner.
	old, err := t.oldTimer(tm.ID)
	if err != nil {
		return false, err
	}
	if old != nil && !old.Due.After(tm.Due) {
		return false, nil
	}
	if err := checkID(tm.ID, "timer"); err != nil {
		return false, err
	}
	return true, t.putTimer(tm, old)
}

// DeleteTimer removes the timer with the given id. Removing a timer that
// is not there is not an error.
func (t *Tx) DeleteTimer(id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	old, err := t.oldTimer(id)
	if err != nil || old == nil {
		return err
	}
	if err := t.b(bDue).Delete(dueKey(old)); err != nil {
		return err
	}
	return t.b(bTimers).Delete([]byte(id))
}

// TakeTimer removes the timer id if its due time is still due and reports
// whether it did: a compare-and-delete, so a fire that read the timer
// before it was set again leaves the new one alone.
func (t *Tx) TakeTimer(id string, due time.Time) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	old, err := t.oldTimer(id)
	if err != nil || old == nil || !old.Due.Equal(due) {
		return false, err
	}
	if err := t.b(bDue).Delete(dueKey(old)); err != nil {
		return false, err
	}
	return true, t.b(bTimers).Delete([]byte(id))
}

// DueTimers calls fn for timers due at or before now, by due time then id,
// until fn returns false. It reads only the timers it passes to fn.
func (t *Tx) DueTimers(now time.Time, fn func(*bot.Timer) bool) error {
	limit := timeKey(now)
	return t.scan(bDue, nil, false, func(k, _ []byte) (bool, error) {
		if bytes.Compare(k[:8], limit) > 0 {
			return false, nil
		}
		tm := new(bot.Timer)
		if err := t.get(bTimers, k[8:], tm, "timer "+string(k[8:])); err != nil {
			return false, fmt.Errorf("store: due index out of step: %w", err)
		}
		return fn(tm), nil
	})
}

// NextTimer returns the earliest due time of any timer.
func (t *Tx) NextTimer() (time.Time, bool, error) {
	k, _ := t.b(bDue).Cursor().First()
	if k == nil {
		return time.Time{}, false, nil
	}
	tm := new(bot.Timer)
	if err := t.get(bTimers, k[8:], tm, "timer "+string(k[8:])); err != nil {
		return time.Time{}, false, fmt.Errorf("store: due index out of step: %w", err)
	}
	return tm.Due, true, nil
}

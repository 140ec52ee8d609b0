package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
)

func pendingKey(o *bot.Outbound) []byte { return join(timeKey(o.NextAttempt), u64(o.ID)) }

// index adds o's pending and provider index entries.
func (t *Tx) indexOutbound(o *bot.Outbound) error {
	if o.Status == bot.StatusPending {
		if err := t.b(bPending).Put(pendingKey(o), nil); err != nil {
			return err
		}
	}
	if o.ProviderID != "" {
		return t.b(bProvider).Put([]byte(o.ProviderID), u64(o.ID))
	}
	return nil
}

// Enqueue adds a message to the outbox, assigning o.ID. An empty Status is
// set to pending.
func (t *Tx) Enqueue(o *bot.Outbound) error {
	if err := t.writable(); err != nil {
		return err
	}
	n, err := t.nextID(bOutbox)
	if err != nil {
		return err
	}
	oldID, oldStatus := o.ID, o.Status
	o.ID = n
	if o.Status == "" {
		o.Status = bot.StatusPending
	}
	t.onUndo(func() { o.ID, o.Status = oldID, oldStatus })
	if err := t.indexOutbound(o); err != nil {
		return err
	}
	return t.put(bOutbox, u64(o.ID), o)
}

// Outbound returns the outbox row with the given id.
func (t *Tx) Outbound(id uint64) (*bot.Outbound, error) {
	o := new(bot.Outbound)
	if err := t.get(bOutbox, u64(id), o, fmt.Sprintf("outbound %d", id)); err != nil {
		return nil, err
	}
	return o, nil
}

// PutOutbound replaces an existing outbox row and keeps the pending and
// provider indexes in step. A row that is not there is bot.ErrNotFound.
func (t *Tx) PutOutbound(o *bot.Outbound) error {
	if err := t.writable(); err != nil {
		return err
	}
	old, err := t.Outbound(o.ID)
	if err != nil {
		return err
	}
	if old.Status == bot.StatusPending {
		if err := t.b(bPending).Delete(pendingKey(old)); err != nil {
			return err
		}
	}
	if old.ProviderID != "" && old.ProviderID != o.ProviderID {
		k := []byte(old.ProviderID)
		if id := t.b(bProvider).Get(k); len(id) == 8 && binary.BigEndian.Uint64(id) == o.ID {
			if err := t.b(bProvider).Delete(k); err != nil {
				return err
			}
		}
	}
	if err := t.indexOutbound(o); err != nil {
		return err
	}
	return t.put(bOutbox, u64(o.ID), o)
}

// OutboundByProviderID finds an outbox row by the provider's message id.
func (t *Tx) OutboundByProviderID(providerID string) (*bot.Outbound, error) {
	id := t.b(bProvider).Get([]byte(providerID))
	if len(id) != 8 {
		return nil, fmt.Errorf("outbound with provider id %s: %w", providerID, bot.ErrNotFound)
	}
	return t.Outbound(binary.BigEndian.Uint64(id))
}

// Pending calls fn for pending outbox rows whose NextAttempt is at or
// before now, by NextAttempt then id, until fn returns false. It reads only
// the rows it passes to fn.
func (t *Tx) Pending(now time.Time, fn func(*bot.Outbound) bool) error {
	limit := timeKey(now)
	return t.scan(bPending, nil, false, func(k, _ []byte) (bool, error) {
		if bytes.Compare(k[:8], limit) > 0 {
			return false, nil
		}
		o, err := t.Outbound(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return false, fmt.Errorf("store: pending index out of step: %w", err)
		}
		return fn(o), nil
	})
}

// PendingIDs calls fn with the id of each pending row whose NextAttempt is
// at or before now, oldest first, until fn returns false. It reads only
// the pending index.
func (t *Tx) PendingIDs(now time.Time, fn func(id uint64) bool) error {
	limit := timeKey(now)
	return t.scan(bPending, nil, false, func(k, _ []byte) (bool, error) {
		if bytes.Compare(k[:8], limit) > 0 {
			return false, nil
		}
		return fn(binary.BigEndian.Uint64(k[8:])), nil
	})
}

// NextPendingAfter returns the earliest NextAttempt of any pending row due
// strictly after t.
func (t *Tx) NextPendingAfter(after time.Time) (time.Time, bool, error) {
	from := timeKey(after)
	c := t.b(bPending).Cursor()
	k, _ := c.Seek(from)
	for k != nil && bytes.Equal(k[:8], from) {
		k, _ = c.Next()
	}
	return t.pendingAt(k)
}

// pendingAt returns the NextAttempt of the row pending index key k names,
// or false for no key.
func (t *Tx) pendingAt(k []byte) (time.Time, bool, error) {
	if k == nil {
		return time.Time{}, false, nil
	}
	o, err := t.Outbound(binary.BigEndian.Uint64(k[8:]))
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: pending index out of step: %w", err)
	}
	return o.NextAttempt, true, nil
}

// NextPending returns the earliest NextAttempt of any pending row.
func (t *Tx) NextPending() (time.Time, bool, error) {
	k, _ := t.b(bPending).Cursor().First()
	return t.pendingAt(k)
}

// AddEvent records an event, assigning e.ID. IDs increase.
func (t *Tx) AddEvent(e *bot.Event) error {
	if err := t.writable(); err != nil {
		return err
	}
	n, err := t.nextID(bEvents)
	if err != nil {
		return err
	}
	e.ID = n
	t.onUndo(func() { e.ID = 0 })
	return t.put(bEvents, u64(n), e)
}

// Events calls fn for events from oldest to newest until fn returns false.
func (t *Tx) Events(fn func(*bot.Event) bool) error {
	return t.scan(bEvents, nil, false, func(k, v []byte) (bool, error) {
		e := new(bot.Event)
		if err := json.Unmarshal(v, e); err != nil {
			return false, fmt.Errorf("store: decode event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		return fn(e), nil
	})
}

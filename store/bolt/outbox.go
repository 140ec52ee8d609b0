package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
)

func pendingKey(o *bot.Outbound) []byte { return join(timeKey(o.NextAttempt), u64(o.ID)) }

// queuePrefix is the start of the sending identity's keys in the queue
// index at one rank.
func queuePrefix(ch bot.Channel, rank bot.Priority) []byte {
	return join([]byte(ch), []byte{0, byte(rank)})
}

// queueKey is o's key in the queue index: by sending identity, then the
// order ClaimOutbound claims in.
func queueKey(o *bot.Outbound) []byte {
	return join(queuePrefix(o.To.Channel, o.Rank()), pendingKey(o))
}

// unindexPending removes a pending row's entries from the pending and
// queue indexes.
func (t *Tx) unindexPending(o *bot.Outbound) error {
	if err := t.b(bPending).Delete(pendingKey(o)); err != nil {
		return err
	}
	return t.b(bQueue).Delete(queueKey(o))
}

// index adds o's pending, queue and provider index entries.
func (t *Tx) indexOutbound(o *bot.Outbound) error {
	if o.Status == bot.StatusPending {
		if err := t.b(bPending).Put(pendingKey(o), nil); err != nil {
			return err
		}
		if err := t.b(bQueue).Put(queueKey(o), nil); err != nil {
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
	return t.putOutbound(o, old)
}

// putOutbound replaces the stored row old with o (the same id), touching
// only the index entries that change: a claim or a retry's bookkeeping
// leaves the pending and queue keys as they were, and rewriting them cost
// a delete and a put each.
func (t *Tx) putOutbound(o, old *bot.Outbound) error {
	samePending := old.Status == bot.StatusPending && o.Status == bot.StatusPending &&
		bytes.Equal(pendingKey(old), pendingKey(o)) && bytes.Equal(queueKey(old), queueKey(o))
	if old.Status == bot.StatusPending && !samePending {
		if err := t.unindexPending(old); err != nil {
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
	if o.Status == bot.StatusPending && !samePending {
		if err := t.b(bPending).Put(pendingKey(o), nil); err != nil {
			return err
		}
		if err := t.b(bQueue).Put(queueKey(o), nil); err != nil {
			return err
		}
	}
	if o.ProviderID != "" {
		k, id := []byte(o.ProviderID), u64(o.ID)
		if !bytes.Equal(t.b(bProvider).Get(k), id) {
			if err := t.b(bProvider).Put(k, id); err != nil {
				return err
			}
		}
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

// ClaimOutbound claims c.Channel's due rows for c.Owner, rank by rank,
// each rank oldest first. It reads the rows it passes over; those are the
// rows other owners hold and those c.Skip turns down, both few.
func (t *Tx) ClaimOutbound(c bot.OutboxClaim) ([]*bot.Outbound, error) {
	if err := t.writable(); err != nil {
		return nil, err
	}
	if c.Owner == "" || c.Lease <= 0 {
		return nil, bot.Errorf(bot.EInvalid, "a claim needs an owner and a lease")
	}
	var out []*bot.Outbound
	limit := timeKey(c.Now)
	for rank := bot.PriorityCrisis; rank <= bot.PriorityScheduled && len(out) < c.Limit; rank++ {
		if c.Before != 0 && rank >= c.Before {
			break
		}
		prefix := queuePrefix(c.Channel, rank)
		// Rows are collected first: claiming rewrites the row, and bbolt
		// cursors must not run over a bucket being written.
		var rows []*bot.Outbound
		cur := t.b(bQueue).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			at := k[len(prefix) : len(prefix)+8]
			if bytes.Compare(at, limit) > 0 {
				break
			}
			o, err := t.Outbound(binary.BigEndian.Uint64(k[len(prefix)+8:]))
			if err != nil {
				return nil, fmt.Errorf("store: queue index out of step: %w", err)
			}
			if o.Owner != "" && (o.Owner != c.Owner || c.SkipOwn) && o.LeaseUntil.After(c.Now) {
				continue // another dispatcher holds it (or, with SkipOwn, this one)
			}
			if c.Skip != nil && c.Skip(o) {
				continue
			}
			rows = append(rows, o)
			if len(out)+len(rows) >= c.Limit {
				break
			}
		}
		// The rows read above are this transaction's own copies: claim
		// them without reading them again.
		for _, o := range rows {
			old := *o
			o.Owner, o.LeaseUntil = c.Owner, c.Now.Add(c.Lease)
			if err := t.putOutbound(o, &old); err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	return out, nil
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
	if err := t.indexEventKind(e); err != nil {
		return err
	}
	return t.put(bEvents, u64(n), e)
}

// Events calls fn for events from oldest to newest until fn returns false.
func (t *Tx) Events(fn func(*bot.Event) bool) error {
	return t.scan(bEvents, nil, false, func(k, v []byte) (bool, error) {
		e := new(bot.Event)
		if err := decodeRecord(v, e); err != nil {
			return false, fmt.Errorf("store: decode event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		return fn(e), nil
	})
}

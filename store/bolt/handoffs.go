package bolt

import (
	"bytes"
	"fmt"

	"github.com/linkline/linkline/bot"
)

// activeKey orders active handoffs: urgent first, then oldest first, then
// in the order they were created.
func activeKey(h *bot.Handoff) []byte {
	rank := []byte{1}
	if h.Urgent {
		rank[0] = 0
	}
	return join(rank, timeKey(h.OpenedAt), sortable(h.ID))
}

// PutHandoff creates (ID empty: one is assigned) or replaces a handoff and
// keeps the active indexes in step. A contact has at most one active
// handoff: making a second one active is a conflict (bot.EConflict) and
// nothing is written.
func (t *Tx) PutHandoff(h *bot.Handoff) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(h.ContactID, "handoff contact"); err != nil {
		return err
	}
	if h.ID != "" {
		if err := checkID(h.ID, "handoff"); err != nil {
			return err
		}
	}
	byContact := t.b(bHandoffContact)
	if owner := byContact.Get([]byte(h.ContactID)); h.Active() && owner != nil && string(owner) != h.ID {
		return bot.Errorf(bot.EConflict, "contact %s already has active handoff %s", h.ContactID, owner)
	}
	if h.ID == "" {
		n, err := t.nextID(bHandoffs)
		if err != nil {
			return err
		}
		h.ID = newID("h", n)
		t.onUndo(func() { h.ID = "" })
	} else if data := t.b(bHandoffs).Get([]byte(h.ID)); data != nil {
		var old bot.Handoff
		if err := decodeRecord(data, &old); err != nil {
			return fmt.Errorf("store: decode handoff %s: %w", h.ID, err)
		}
		if old.Active() {
			if err := t.b(bHandoffActive).Delete(activeKey(&old)); err != nil {
				return err
			}
			if bytes.Equal(byContact.Get([]byte(old.ContactID)), []byte(h.ID)) {
				if err := byContact.Delete([]byte(old.ContactID)); err != nil {
					return err
				}
			}
		}
	}
	if h.Active() {
		if err := t.b(bHandoffActive).Put(activeKey(h), nil); err != nil {
			return err
		}
		if err := byContact.Put([]byte(h.ContactID), []byte(h.ID)); err != nil {
			return err
		}
	}
	return t.put(bHandoffs, []byte(h.ID), h)
}

// Handoff returns the handoff with the given id.
func (t *Tx) Handoff(id string) (*bot.Handoff, error) {
	h := new(bot.Handoff)
	if err := t.get(bHandoffs, []byte(id), h, "handoff "+id); err != nil {
		return nil, err
	}
	return h, nil
}

// ActiveHandoff returns the contact's open or claimed handoff.
func (t *Tx) ActiveHandoff(contactID string) (*bot.Handoff, error) {
	id := t.b(bHandoffContact).Get([]byte(contactID))
	if id == nil {
		return nil, fmt.Errorf("active handoff of %s: %w", contactID, bot.ErrNotFound)
	}
	return t.Handoff(string(id))
}

// ActiveHandoffs calls fn for open and claimed handoffs, urgent ones first,
// then oldest first, until fn returns false. It reads only active handoffs.
func (t *Tx) ActiveHandoffs(fn func(*bot.Handoff) bool) error {
	return t.scan(bHandoffActive, nil, false, func(k, _ []byte) (bool, error) {
		h, err := t.Handoff(string(k[10:]))
		if err != nil {
			return false, fmt.Errorf("store: active handoff index out of step: %w", err)
		}
		return fn(h), nil
	})
}

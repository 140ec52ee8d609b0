package bolt

import (
	"encoding/binary"
	"fmt"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
)

// The deletions and full scans that subject access, erasure and retention
// need (bot/privacy.go). Each deletion removes the record and every index
// entry that names it, so no index is left pointing at nothing.

// DeleteContact removes the contact, the address index entries that point
// to it and its search terms. Its other records (transcript, referrals,
// handoffs...) are the caller's to remove or keep; the search terms of a
// kept referral still name the contact, so a contact with referrals must
// not be deleted. Removing an absent contact is harmless.
func (t *Tx) DeleteContact(id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	data := t.b(bContacts).Get([]byte(id))
	if data == nil {
		return nil
	}
	var old bot.Contact
	if err := decodeContact(data, &old); err != nil {
		return fmt.Errorf("store: decode contact %s: %w", id, err)
	}
	addrs := t.b(bAddrs)
	for _, a := range old.Addresses {
		k := []byte(a.String())
		if string(addrs.Get(k)) == id {
			if err := addrs.Delete(k); err != nil {
				return err
			}
		}
	}
	if err := deleteTerms(t, terms.Contact(&old), id, id); err != nil {
		return err
	}
	return t.b(bContacts).Delete([]byte(id))
}

// DeleteConversation removes the contact's conversation; removing an
// absent one is harmless.
func (t *Tx) DeleteConversation(contactID string) error {
	if err := t.writable(); err != nil {
		return err
	}
	return t.b(bContacts).Delete(convKey(contactID))
}

// DeleteMessage removes message id from the contact's transcript; removing
// an absent one is harmless.
func (t *Tx) DeleteMessage(contactID string, id uint64) error {
	if err := t.writable(); err != nil {
		return err
	}
	return t.b(bMessages).Delete(join(msgPrefix(contactID), u64(id)))
}

// DeleteOutbound removes an outbox row with its pending and provider index
// entries; removing an absent row is harmless.
func (t *Tx) DeleteOutbound(id uint64) error {
	if err := t.writable(); err != nil {
		return err
	}
	data := t.b(bOutbox).Get(u64(id))
	if data == nil {
		return nil
	}
	var old bot.Outbound
	if err := decodeRecord(data, &old); err != nil {
		return fmt.Errorf("store: decode outbound %d: %w", id, err)
	}
	if old.Status == bot.StatusPending {
		if err := t.unindexPending(&old); err != nil {
			return err
		}
	}
	if old.ProviderID != "" {
		k := []byte(old.ProviderID)
		if v := t.b(bProvider).Get(k); len(v) == 8 && binary.BigEndian.Uint64(v) == id {
			if err := t.b(bProvider).Delete(k); err != nil {
				return err
			}
		}
	}
	return t.b(bOutbox).Delete(u64(id))
}

// DeleteEvent removes an event and its entry in the index of events by
// contact; removing an absent event is harmless.
func (t *Tx) DeleteEvent(id uint64) error {
	if err := t.writable(); err != nil {
		return err
	}
	data := t.b(bEvents).Get(u64(id))
	if data == nil {
		return nil
	}
	var old bot.Event
	if err := decodeRecord(data, &old); err != nil {
		return fmt.Errorf("store: decode event %d: %w", id, err)
	}
	if old.ContactID != "" && len(old.ContactID) <= 255 {
		if err := t.b(bEventContact).Delete(join(sortable(old.ContactID), u64(id))); err != nil {
			return err
		}
	}
	if err := t.unindexEventKind(&old); err != nil {
		return err
	}
	return t.b(bEvents).Delete(u64(id))
}

// DeleteEnrolment removes an enrolment token; removing an absent one is
// harmless.
func (t *Tx) DeleteEnrolment(token string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if token == "" {
		return nil
	}
	return t.b(bEnrolments).Delete([]byte(token))
}

// Outbox calls fn for every outbox row, oldest first, until fn returns
// false. It reads every row.
func (t *Tx) Outbox(fn func(*bot.Outbound) bool) error {
	return scanAll(t, bOutbox, "outbound", fn)
}

// Timers calls fn for every timer, by id, until fn returns false. It
// reads every timer.
func (t *Tx) Timers(fn func(*bot.Timer) bool) error {
	return scanAll(t, bTimers, "timer", fn)
}

// Enrolments calls fn for every enrolment, by token, until fn returns
// false. It reads every enrolment.
func (t *Tx) Enrolments(fn func(*bot.Enrolment) bool) error {
	return scanAll(t, bEnrolments, "enrolment", fn)
}

// Handoffs calls fn for every handoff, active or not, by id, until fn
// returns false. It reads every handoff.
func (t *Tx) Handoffs(fn func(*bot.Handoff) bool) error {
	return scanAll(t, bHandoffs, "handoff", fn)
}

// scanAll decodes every record of bucket in key order and passes it to fn
// until fn returns false.
func scanAll[T any](t *Tx, bucket []byte, what string, fn func(*T) bool) error {
	return t.scan(bucket, nil, false, func(k, v []byte) (bool, error) {
		r := new(T)
		if err := decodeRecord(v, r); err != nil {
			return false, fmt.Errorf("store: decode %s %x: %w", what, k, err)
		}
		return fn(r), nil
	})
}

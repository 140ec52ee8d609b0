package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
)

// MarkSeen records that the contact sent the message with providerID;
// seen reports whether it had already been recorded for that contact (its
// first time is kept). The marker is kept beside the contact (seenKey), on
// the page a turn writes for the contact anyway. The index ForgetSeen reads
// (seenHourKey) names the contact once an hour: written by the contact's
// first message of the hour, not by every one.
func (t *Tx) MarkSeen(contactID, providerID string, at time.Time) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	if err := checkID(contactID, "seen contact"); err != nil {
		return false, err
	}
	key := seenKey(contactID, providerID)
	contacts := t.b(bContacts)
	if contacts.Get(key) != nil {
		return true, nil
	}
	tk := timeKey(at)
	if err := contacts.Put(key, tk); err != nil {
		return false, err
	}
	return false, t.indexSeen(seenHourKey(tk, contactID))
}

// indexSeen adds an entry to the hour index unless it is there: a put of
// an entry already there would still dirty its page.
func (t *Tx) indexSeen(hk []byte) error {
	idx := t.b(bSeenHour)
	if k, _ := idx.Cursor().Seek(hk); bytes.Equal(k, hk) {
		return nil
	}
	return idx.Put(hk, nil)
}

// seenHourKey is the hour index's entry for a provider id first seen at tk
// by a contact: the hour it falls in (timeKey), then the contact's id.
func seenHourKey(tk []byte, contactID string) []byte {
	hour := timeKey(keyTime(tk).Truncate(time.Hour))
	if len(tk) == 8 && binary.BigEndian.Uint64(tk) == math.MaxUint64 {
		hour = tk // after 2262: timeKey's last key, as it is
	}
	return append(hour, contactID...)
}

// ForgetSeen removes provider ids recorded before cutoff and returns how
// many it removed. It reads the hour index up to cutoff's hour, a page of
// entries at a time, and the ids of each contact named there once; it
// holds no cursor while it deletes. An entry of an hour wholly before
// cutoff goes with the ids; one of cutoff's own hour stays for what is
// newer.
func (t *Tx) ForgetSeen(cutoff time.Time) (int, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	limit := seenHourKey(timeKey(cutoff), "")
	byHour := t.b(bSeenHour)
	done := map[string]bool{}
	n := 0
	var after []byte
	for {
		var page [][]byte
		c := byHour.Cursor()
		k, _ := c.First()
		if after != nil {
			k, _ = c.Seek(after)
		}
		for ; k != nil && len(page) < scanPage && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
			page = append(page, bytes.Clone(k))
		}
		for _, k := range page {
			if contactID := string(k[8:]); !done[contactID] {
				done[contactID] = true
				m, err := t.forgetSeenOf(contactID, timeKey(cutoff))
				n += m
				if err != nil {
					return n, err
				}
			}
			if bytes.Compare(k[:8], limit) < 0 {
				if err := byHour.Delete(k); err != nil {
					return n, err
				}
			}
		}
		if len(page) < scanPage {
			return n, nil
		}
		after = append(page[len(page)-1], 0) // the next key after it
	}
}

// forgetSeenOf removes the contact's provider ids first seen before limit
// (a timeKey) and returns how many it removed, a page of keys at a time.
func (t *Tx) forgetSeenOf(contactID string, limit []byte) (int, error) {
	prefix := seenPrefix(contactID)
	contacts := t.b(bContacts)
	n := 0
	from := prefix
	for {
		var old [][]byte
		c := contacts.Cursor()
		k, v := c.Seek(from)
		read := 0
		for ; k != nil && read < scanPage && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			read++
			if bytes.Compare(v, limit) < 0 {
				old = append(old, bytes.Clone(k))
			}
			from = append(bytes.Clone(k), 0)
		}
		for _, k := range old {
			if err := contacts.Delete(k); err != nil {
				return n, err
			}
			n++
		}
		if read < scanPage {
			return n, nil
		}
	}
}

// SeenIDs calls fn with each provider id recorded for the contact, by id,
// until fn returns false.
func (t *Tx) SeenIDs(contactID string, fn func(*bot.SeenID) bool) error {
	prefix := seenPrefix(contactID)
	return t.scan(bContacts, prefix, false, func(k, v []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		_, id := splitSeenKey(k)
		return fn(&bot.SeenID{ID: id, At: keyTime(v)}), nil
	})
}

// DeleteSeen removes every provider id recorded for the contact, a page
// of keys at a time; removing none is harmless.
func (t *Tx) DeleteSeen(contactID string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(contactID, "seen contact"); err != nil {
		return err
	}
	prefix := seenPrefix(contactID)
	contacts, byHour := t.b(bContacts), t.b(bSeenHour)
	for {
		var keys, times [][]byte
		c := contacts.Cursor()
		for k, v := c.Seek(prefix); k != nil && len(keys) < scanPage && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			keys, times = append(keys, bytes.Clone(k)), append(times, bytes.Clone(v))
		}
		for i, k := range keys {
			if err := byHour.Delete(seenHourKey(times[i], contactID)); err != nil {
				return err
			}
			if err := contacts.Delete(k); err != nil {
				return err
			}
		}
		if len(keys) < scanPage {
			return nil
		}
	}
}

// Contact returns the contact with the given id.
func (t *Tx) Contact(id string) (*bot.Contact, error) {
	data := t.b(bContacts).Get([]byte(id))
	if data == nil {
		return nil, fmt.Errorf("contact %s: %w", id, bot.ErrNotFound)
	}
	c := new(bot.Contact)
	if err := decodeContact(data, c); err != nil {
		return nil, fmt.Errorf("store: decode contact %s: %w", id, err)
	}
	return c, nil
}

// ContactByAddress returns the contact reached at a.
func (t *Tx) ContactByAddress(a bot.Address) (*bot.Contact, error) {
	id := t.b(bAddrs).Get([]byte(a.String()))
	if id == nil {
		return nil, fmt.Errorf("contact at %s: %w", a.Channel, bot.ErrNotFound)
	}
	return t.Contact(string(id))
}

// ContactIDAt returns the id of the contact reached at a.
func (t *Tx) ContactIDAt(a bot.Address) (string, error) {
	id := t.b(bAddrs).Get([]byte(a.String()))
	if id == nil {
		return "", fmt.Errorf("contact at %s: %w", a.Channel, bot.ErrNotFound)
	}
	return string(id), nil
}

// PutContact creates (ID empty: one is assigned) or replaces a contact and
// keeps the address and search indexes in step. An address that belongs to another
// contact is a conflict (bot.EConflict) and nothing is written.
func (t *Tx) PutContact(c *bot.Contact) error {
	if err := t.writable(); err != nil {
		return err
	}
	if c.ID != "" {
		if err := checkID(c.ID, "contact"); err != nil {
			return err
		}
	}
	addrs := t.b(bAddrs)
	keep := make(map[string]bool, len(c.Addresses))
	for _, a := range c.Addresses {
		k := a.String()
		if owner := addrs.Get([]byte(k)); owner != nil && string(owner) != c.ID {
			return bot.Errorf(bot.EConflict, "a %s address of contact %q already belongs to contact %s", a.Channel, c.ID, owner)
		}
		keep[k] = true
	}
	var old contactKeys
	if c.ID == "" {
		n, err := t.nextID(bContacts)
		if err != nil {
			return err
		}
		c.ID = newID("c", n)
		t.onUndo(func() { c.ID = "" })
	} else if data := t.b(bContacts).Get([]byte(c.ID)); data != nil {
		if err := decodeContactKeys(data, &old); err != nil {
			return fmt.Errorf("store: decode contact %s: %w", c.ID, err)
		}
	}
	for _, a := range old.Addresses {
		k := []byte(a.String())
		if !keep[string(k)] && string(addrs.Get(k)) == c.ID {
			if err := addrs.Delete(k); err != nil {
				return err
			}
		}
	}
	for k := range keep {
		if string(addrs.Get([]byte(k))) == c.ID {
			continue // already this contact's: most saves change no address
		}
		if err := addrs.Put([]byte(k), []byte(c.ID)); err != nil {
			return err
		}
	}
	// Index only what changed: a contact is saved on every message, and a
	// number alone has a dozen search terms that almost never change.
	if old.Name != c.Name || !slices.Equal(old.Addresses, c.Addresses) {
		gone, added := termsDiff(terms.Contact(&bot.Contact{Name: old.Name, Addresses: old.Addresses}), terms.Contact(c))
		if err := deleteTerms(t, gone, c.ID, c.ID); err != nil {
			return err
		}
		if err := putTerms(t, added, c.ID, c.ID); err != nil {
			return err
		}
	}
	return t.putEncoded(bContacts, []byte(c.ID), encodeContact(make([]byte, 0, 512), c))
}

// contactKeys is what a contact's indexes are made from (terms.Contact reads
// only its name and addresses). Saving a contact decodes only this much of
// the one it replaces: the whole record (flood buckets, times, recent
// messages) was a third of the cost of a save.
type contactKeys struct {
	Name      string        `json:"name"`
	Addresses []bot.Address `json:"addresses"`
}

// The contacts bucket holds each contact with what a turn writes about
// them beside it, under keys that start with the contact's id (contact ids
// never hold a zero byte):
//
//	id                      the contact
//	id, 0                   its conversation (convKey)
//	id, 0, 's', provider id when the provider's message was first seen (seenKey)
//
// "c1", "c1\x00", "c1\x00sSM...", "c10" sort in that order, so the records
// of one person are side by side and usually on one page, which the commit
// then writes once instead of a page in each of three buckets.

// convKey is where a contact's conversation is kept.
func convKey(contactID string) []byte { return append([]byte(contactID), 0) }

// seenTag marks a provider id's key in the contacts bucket.
const seenTag = 's'

// seenPrefix is the start of the keys of the provider ids recorded for a
// contact.
func seenPrefix(contactID string) []byte { return append([]byte(contactID), 0, seenTag) }

// seenKey is where a provider id recorded for a contact is kept; its value
// is the time it was first seen (timeKey).
func seenKey(contactID, providerID string) []byte {
	return append(seenPrefix(contactID), providerID...)
}

// contactsKey is what a key of the contacts bucket holds.
type contactsKey int

const (
	keyContact contactsKey = iota
	keyConversation
	keySeen
	keyUnknown
)

// kindOf tells the keys of the contacts bucket apart.
func kindOf(k []byte) contactsKey {
	i := bytes.IndexByte(k, 0)
	switch {
	case i < 0:
		return keyContact
	case i == len(k)-1:
		return keyConversation
	case k[i+1] == seenTag:
		return keySeen
	}
	return keyUnknown
}

// splitSeenKey returns the contact id and provider id of a seenKey.
func splitSeenKey(k []byte) (contactID, providerID string) {
	i := bytes.IndexByte(k, 0)
	return string(k[:i]), string(k[i+2:])
}

// Conversation returns the contact's conversation.
func (t *Tx) Conversation(contactID string) (*bot.Conversation, error) {
	data := t.b(bContacts).Get(convKey(contactID))
	if data == nil {
		return nil, fmt.Errorf("conversation of %s: %w", contactID, bot.ErrNotFound)
	}
	c := new(bot.Conversation)
	if err := decodeConversation(data, c); err != nil {
		return nil, fmt.Errorf("store: decode conversation of %s: %w", contactID, err)
	}
	return c, nil
}

// PutConversation creates or replaces the contact's conversation.
func (t *Tx) PutConversation(c *bot.Conversation) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(c.ContactID, "conversation contact"); err != nil {
		return err
	}
	return t.putEncoded(bContacts, convKey(c.ContactID), encodeConversation(make([]byte, 0, 256), c))
}

// msgPrefix is the key prefix of one contact's transcript. Contact ids
// never hold a zero byte, so one contact's prefix is never another's.
func msgPrefix(contactID string) []byte { return append([]byte(contactID), 0) }

// AppendMessage adds m to its contact's transcript, assigning m.ID. IDs
// increase across all transcripts.
func (t *Tx) AppendMessage(m *bot.Message) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(m.ContactID, "message contact"); err != nil {
		return err
	}
	n, err := t.nextID(bMessages)
	if err != nil {
		return err
	}
	m.ID = n
	t.onUndo(func() { m.ID = 0 })
	return t.put(bMessages, join(msgPrefix(m.ContactID), u64(n)), m)
}

// Messages calls fn with the contact's transcript from oldest to newest
// until fn returns false. It reads only that contact's messages.
func (t *Tx) Messages(contactID string, fn func(*bot.Message) bool) error {
	prefix := msgPrefix(contactID)
	return t.scan(bMessages, prefix, false, func(k, v []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
			return false, nil
		}
		m := new(bot.Message)
		if err := decodeRecord(v, m); err != nil {
			return false, fmt.Errorf("store: decode message %d: %w", binary.BigEndian.Uint64(k[len(prefix):]), err)
		}
		return fn(m), nil
	})
}

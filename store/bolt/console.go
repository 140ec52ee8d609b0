package bolt

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

// PutUser creates (ID empty: one is assigned) or replaces a console user and
// keeps the email index in step. An email another user has is a conflict
// (bot.EConflict) and nothing is written.
func (t *Tx) PutUser(u *bot.User) error {
	if err := t.writable(); err != nil {
		return err
	}
	email := bot.NormalizeEmail(u.Email)
	if email == "" {
		return bot.Errorf(bot.EInvalid, "user: empty email")
	}
	if u.ID != "" {
		if err := checkID(u.ID, "user"); err != nil {
			return err
		}
	}
	byEmail := t.b(bUserEmail)
	if owner := byEmail.Get([]byte(email)); owner != nil && string(owner) != u.ID {
		return bot.Errorf(bot.EConflict, "another user has the email %s", email)
	}
	if u.ID == "" {
		n, err := t.nextID(bUsers)
		if err != nil {
			return err
		}
		u.ID = newID("u", n)
		t.onUndo(func() { u.ID = "" })
	} else if old, err := t.User(u.ID); err == nil && bot.NormalizeEmail(old.Email) != email {
		if err := byEmail.Delete([]byte(bot.NormalizeEmail(old.Email))); err != nil {
			return err
		}
	}
	if u.Email != email {
		old := u.Email
		u.Email = email
		t.onUndo(func() { u.Email = old })
	}
	if err := byEmail.Put([]byte(email), []byte(u.ID)); err != nil {
		return err
	}
	return t.put(bUsers, []byte(u.ID), u)
}

// User returns the user with the given id.
func (t *Tx) User(id string) (*bot.User, error) {
	u := new(bot.User)
	if id == "" {
		return nil, fmt.Errorf("user: %w", bot.ErrNotFound)
	}
	if err := t.get(bUsers, []byte(id), u, "user "+id); err != nil {
		return nil, err
	}
	return u, nil
}

// UserByEmail finds a user by email, compared as bot.NormalizeEmail does.
func (t *Tx) UserByEmail(email string) (*bot.User, error) {
	id := t.b(bUserEmail).Get([]byte(bot.NormalizeEmail(email)))
	if id == nil {
		return nil, fmt.Errorf("user by email: %w", bot.ErrNotFound)
	}
	return t.User(string(id))
}

// Users calls fn for every user in the order they were created until fn
// returns false. Users are few; it reads them all.
func (t *Tx) Users(fn func(*bot.User) bool) error {
	var all []*bot.User
	err := t.scan(bUsers, nil, false, func(k, v []byte) (bool, error) {
		u := new(bot.User)
		if err := decodeRecord(v, u); err != nil {
			return false, fmt.Errorf("store: decode user %s: %w", k, err)
		}
		all = append(all, u)
		return true, nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b *bot.User) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(len(a.ID), len(b.ID)), cmp.Compare(a.ID, b.ID))
	})
	for _, u := range all {
		if !fn(u) {
			break
		}
	}
	return nil
}

// PutSession stores a console session under s.Token.
func (t *Tx) PutSession(s *bot.Session) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(s.Token, "session"); err != nil {
		return err
	}
	return t.put(bSessions, []byte(s.Token), s)
}

// Session returns the session stored under token, expired or not.
func (t *Tx) Session(token string) (*bot.Session, error) {
	s := new(bot.Session)
	if token == "" {
		return nil, fmt.Errorf("session: %w", bot.ErrNotFound)
	}
	if err := t.get(bSessions, []byte(token), s, "session"); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSession removes a session; removing an absent one is harmless.
func (t *Tx) DeleteSession(token string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if token == "" {
		return nil
	}
	return t.b(bSessions).Delete([]byte(token))
}

// DeleteSessions removes every session for which drop returns true (for
// example, expired ones, or all of a user's after a password change) and
// reports how many. It reads every session; there are few.
func (t *Tx) DeleteSessions(drop func(*bot.Session) bool) (int, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	var doomed [][]byte
	err := t.scan(bSessions, nil, false, func(k, v []byte) (bool, error) {
		s := new(bot.Session)
		if err := decodeRecord(v, s); err != nil {
			return false, fmt.Errorf("store: decode session: %w", err)
		}
		if drop(s) {
			doomed = append(doomed, k)
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed {
		if err := t.b(bSessions).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// AddAudit appends to the audit log, assigning a.ID. IDs increase.
func (t *Tx) AddAudit(a *bot.AuditEntry) error {
	if err := t.writable(); err != nil {
		return err
	}
	n, err := t.nextID(bAudit)
	if err != nil {
		return err
	}
	a.ID = n
	t.onUndo(func() { a.ID = 0 })
	return t.put(bAudit, u64(n), a)
}

// Audit calls fn for audit entries from newest to oldest until fn returns
// false.
func (t *Tx) Audit(fn func(*bot.AuditEntry) bool) error {
	return t.scan(bAudit, nil, true, func(k, v []byte) (bool, error) {
		a := new(bot.AuditEntry)
		if err := decodeRecord(v, a); err != nil {
			return false, fmt.Errorf("store: decode audit entry %d: %w", binary.BigEndian.Uint64(k), err)
		}
		return fn(a), nil
	})
}

// EventsSince calls fn for the events after cursor c, oldest first, until
// fn returns false. bbolt has one writer and assigns ids as it commits, so
// ids commit in order and the cursor is the last id seen, in decimal.
func (t *Tx) EventsSince(c bot.EventCursor, fn func(*bot.Event, bot.EventCursor) bool) error {
	id, err := t.eventCursor(c)
	if err != nil {
		return err
	}
	return t.eventsAfter(id, func(e *bot.Event) bool { return fn(e, eventCursorOf(e.ID)) })
}

// EventsCursor returns the cursor after the newest event: the last id
// assigned, so that a newest event erased since still counts as seen.
func (t *Tx) EventsCursor() (bot.EventCursor, error) {
	return eventCursorOf(t.b(bEvents).Sequence()), nil
}

func eventCursorOf(id uint64) bot.EventCursor { return bot.EventCursor(strconv.FormatUint(id, 10)) }

// eventCursor reads a cursor back as the last event id seen.
func (t *Tx) eventCursor(c bot.EventCursor) (uint64, error) {
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(string(c), 10, 64)
	if err != nil {
		return 0, bot.Errorf(bot.EInvalid, "event cursor %q is not one this store made", c)
	}
	if id > t.b(bEvents).Sequence() {
		return 0, bot.Errorf(bot.EInvalid, "event cursor %q is beyond the newest event", c)
	}
	return id, nil
}

// eventsAfter calls fn for events whose ID is greater than id, oldest
// first, until fn returns false. It reads only those events.
func (t *Tx) eventsAfter(id uint64, fn func(*bot.Event) bool) error {
	if id == ^uint64(0) {
		return nil
	}
	return t.scan(bEvents, u64(id+1), false, func(k, v []byte) (bool, error) {
		e := new(bot.Event)
		if err := decodeRecord(v, e); err != nil {
			return false, fmt.Errorf("store: decode event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		return fn(e), nil
	})
}

// Contacts calls fn for every contact, by id, until fn returns false. It
// reads every contact, and seeks past what is kept beside each (its
// conversation and provider ids) rather than reading it. No cursor is held
// while fn runs, so fn may write.
func (t *Tx) Contacts(fn func(*bot.Contact) bool) error {
	var from []byte
	for {
		cur := t.b(bContacts).Cursor()
		k, v := cur.First()
		if from != nil {
			k, v = cur.Seek(from)
		}
		for k != nil && kindOf(k) != keyContact {
			k, v = cur.Next() // records of a contact no longer there
		}
		if k == nil {
			return nil
		}
		c := new(bot.Contact)
		if err := decodeContact(v, c); err != nil {
			return fmt.Errorf("store: decode contact %s: %w", k, err)
		}
		// The contact's own keys are k, 0, ...; the next contact's sorts
		// after k, 1.
		from = append(bytes.Clone(k), 1)
		if !fn(c) {
			return nil
		}
	}
}

// The index of events by contact is kept up by IndexEvents rather than by
// AddEvent, so that recording an event costs what it always has; the
// events after the index's cursor are read from the log itself.
var kEventCursor = []byte{0} // in bEventContact: id of the last event indexed

// IndexEvents adds up to max events (0: all) that are not yet in the index
// of events by contact, oldest first, and reports how many it added.
// ContactEvents is correct whether or not it has run; it keeps
// ContactEvents fast.
func (t *Tx) IndexEvents(max int) (int, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	idx := t.b(bEventContact)
	upto := eventCursor(idx)
	n := 0
	var failed error
	err := t.eventsAfter(upto, func(e *bot.Event) bool {
		if e.ContactID != "" {
			if failed = idx.Put(join(sortable(e.ContactID), u64(e.ID)), nil); failed != nil {
				return false
			}
		}
		upto, n = e.ID, n+1
		return max <= 0 || n < max
	})
	if err == nil {
		err = failed
	}
	if err != nil {
		return 0, err
	}
	return n, idx.Put(kEventCursor, u64(upto))
}

func eventCursor(idx *bbolt.Bucket) uint64 {
	if v := idx.Get(kEventCursor); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// ContactEvents calls fn for contactID's events, oldest first, until fn
// returns false. It reads the indexed events of that contact and every
// event IndexEvents has not reached yet.
func (t *Tx) ContactEvents(contactID string, fn func(*bot.Event) bool) error {
	if contactID == "" || len(contactID) > 255 {
		return nil
	}
	idx := t.b(bEventContact)
	upto := eventCursor(idx)
	prefix := sortable(contactID)
	more := true
	err := t.scan(bEventContact, prefix, false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
			return false, nil
		}
		id := binary.BigEndian.Uint64(k[len(prefix):])
		e := new(bot.Event)
		if err := t.get(bEvents, u64(id), e, fmt.Sprint("event ", id)); err != nil {
			return false, fmt.Errorf("store: event index out of step: %w", err)
		}
		more = fn(e)
		return more, nil
	})
	if err != nil || !more {
		return err
	}
	return t.eventsAfter(upto, func(e *bot.Event) bool {
		if e.ContactID == contactID {
			more = fn(e)
		}
		return more
	})
}

// Console buckets.
var (
	bUsers     = []byte("users")      // id → User
	bUserEmail = []byte("user_email") // normalised email → user id
	bSessions  = []byte("sessions")   // token hash → Session
	bAudit     = []byte("audit")      // id → AuditEntry

	bEventContact = []byte("event_contact") // len(contact id), contact id, event id → nil; {0} → cursor
)

package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// testUsers: ids assigned, email unique and found whatever its case,
// replacing a user's email moves the index, Users in creation order.
func testUsers(t *testing.T, s bot.Store) {
	a := &bot.User{Email: " Ann@Example.org ", Name: "Ann", PasswordHash: "x", Admin: true, CreatedAt: t0}
	b := &bot.User{Email: "bob@example.org", Name: "Bob", PasswordHash: "y", CreatedAt: t0.Add(time.Minute)}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutUser(a); err != nil {
			return err
		}
		return tx.PutUser(b)
	})
	if a.ID == "" || b.ID == "" || a.ID == b.ID {
		t.Fatalf("user ids = %q, %q; want two different ids", a.ID, b.ID)
	}
	if a.Email != "ann@example.org" {
		t.Errorf("stored email = %q, want it normalised", a.Email)
	}
	err := s.Update(t.Context(), func(tx bot.Tx) error {
		return tx.PutUser(&bot.User{Email: "ANN@example.org", CreatedAt: t0})
	})
	if bot.ErrorCode(err) != bot.EConflict {
		t.Errorf("second user with Ann's email: err = %v, want EConflict", err)
	}
	view(t, s, func(tx bot.Tx) error {
		for _, email := range []string{"ann@example.org", "ANN@EXAMPLE.ORG", " ann@example.org"} {
			got, err := tx.UserByEmail(email)
			if err != nil || !reflect.DeepEqual(got, a) {
				t.Errorf("UserByEmail(%q) = %+v, %v; want %+v", email, got, err, a)
			}
		}
		got, err := tx.User(b.ID)
		if err != nil || !reflect.DeepEqual(got, b) {
			t.Errorf("User(%s) = %+v, %v; want %+v", b.ID, got, err, b)
		}
		_, err = tx.User("nope")
		wantNotFound(t, "unknown user", err)
		_, err = tx.User("")
		wantNotFound(t, "empty user id", err)
		_, err = tx.UserByEmail("carol@example.org")
		wantNotFound(t, "unknown email", err)
		if err := tx.PutUser(&bot.User{Email: "x@example.org"}); err == nil {
			t.Error("PutUser in a View succeeded")
		}
		return nil
	})
	// Bob changes his email: the old one is free, the new one finds him.
	update(t, s, func(tx bot.Tx) error {
		b.Email, b.Disabled = "robert@example.org", true
		return tx.PutUser(b)
	})
	update(t, s, func(tx bot.Tx) error {
		_, err := tx.UserByEmail("bob@example.org")
		wantNotFound(t, "old email after change", err)
		if got, err := tx.UserByEmail("robert@example.org"); err != nil || got.ID != b.ID || !got.Disabled {
			t.Errorf("new email finds %+v, %v; want disabled %s", got, err, b.ID)
		}
		return tx.PutUser(&bot.User{Email: "bob@example.org", Name: "Another Bob", CreatedAt: t0.Add(2 * time.Minute)})
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, tx.Users)
		names := ids(got, func(u *bot.User) string { return u.Name })
		if err != nil || !reflect.DeepEqual(names, []string{"Ann", "Bob", "Another Bob"}) {
			t.Errorf("Users = %v, %v; want Ann, Bob, Another Bob", names, err)
		}
		got, err = collect(1, tx.Users)
		if err != nil || len(got) != 1 {
			t.Errorf("Users stopping after 1: %d, %v", len(got), err)
		}
		return nil
	})
}

// testSessions: stored by token, deleted, deleting twice harmless.
func testSessions(t *testing.T, s bot.Store) {
	sess := &bot.Session{Token: "hash1", UserID: "u1", CreatedAt: t0, Expires: t0.Add(8 * time.Hour)}
	update(t, s, func(tx bot.Tx) error { return tx.PutSession(sess) })
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Session("hash1")
		if err != nil || *got != *sess {
			t.Errorf("Session = %+v, %v; want %+v", got, err, sess)
		}
		_, err = tx.Session("other")
		wantNotFound(t, "unknown session", err)
		_, err = tx.Session("")
		wantNotFound(t, "empty session token", err)
		if err := tx.DeleteSession("hash1"); err == nil {
			t.Error("DeleteSession in a View succeeded")
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		if err := tx.DeleteSession("hash1"); err != nil {
			return err
		}
		return tx.DeleteSession("hash1")
	})
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Session("hash1")
		wantNotFound(t, "deleted session", err)
		return nil
	})
}

// testAudit: ids increase, Audit reads newest first, a rolled-back entry
// is gone and its ID cleared.
func testAudit(t *testing.T, s bot.Store) {
	var all []*bot.AuditEntry
	for i := range 3 {
		update(t, s, func(tx bot.Tx) error {
			a := &bot.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), UserID: "u1", Action: bot.AuditView, ContactID: fmt.Sprint("c", i)}
			all = append(all, a)
			return tx.AddAudit(a)
		})
	}
	lost := &bot.AuditEntry{At: t0, UserID: "u1", Action: bot.AuditReply}
	err := s.Update(t.Context(), func(tx bot.Tx) error {
		if err := tx.AddAudit(lost); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) || lost.ID != 0 {
		t.Errorf("rolled back AddAudit: err = %v, ID = %d; want errBoom and 0", err, lost.ID)
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, tx.Audit)
		want := []*bot.AuditEntry{all[2], all[1], all[0]}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Audit = %v, %v\nwant newest first %v", got, err, want)
		}
		if got, _ := collect(1, tx.Audit); len(got) != 1 || got[0].ID != all[2].ID {
			t.Errorf("Audit stopping after 1 = %v", got)
		}
		if err := tx.AddAudit(&bot.AuditEntry{}); err == nil {
			t.Error("AddAudit in a View succeeded")
		}
		return nil
	})
}

// testEventCursor: a reader resumes from any event's cursor and gets only
// what came after it, oldest first; the cursor of "now" is after the newest
// event and still good when that event is erased; a cursor the store did
// not make, or one from its future, is EInvalid.
func testEventCursor(t *testing.T, s bot.Store) {
	var empty bot.EventCursor
	view(t, s, func(tx bot.Tx) error {
		var err error
		empty, err = tx.EventsCursor()
		if got, _, err2 := eventsSince(tx, empty, 0); err != nil || err2 != nil || len(got) != 0 {
			t.Errorf("an empty store: cursor %q (%v), events after it %d (%v); want none", empty, err, len(got), err2)
		}
		return nil
	})
	var evs []*bot.Event
	update(t, s, func(tx bot.Tx) error {
		for i := range 5 {
			e := &bot.Event{At: t0, Kind: bot.EventKind(fmt.Sprint("k", i))}
			if err := tx.AddEvent(e); err != nil {
				return err
			}
			evs = append(evs, e)
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		all, at, err := eventsSince(tx, "", 0)
		if err != nil || !reflect.DeepEqual(all, evs) {
			t.Fatalf("EventsSince(start) = %v, %v; want %v", all, err, evs)
		}
		fromEmpty, _, err := eventsSince(tx, empty, 0)
		if err != nil || !reflect.DeepEqual(fromEmpty, evs) {
			t.Errorf("EventsSince(the empty store's cursor) = %v, %v; want every event", fromEmpty, err)
		}
		for i := range evs {
			got, _, err := eventsSince(tx, at[i], 0)
			if want := evs[i+1:]; err != nil || len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("EventsSince(cursor after event %d) = %v, %v; want %v", i, got, err, evs[i+1:])
			}
		}
		now, err := tx.EventsCursor()
		if err != nil || now != at[4] {
			t.Errorf("EventsCursor = %q, %v; want the cursor after the newest event, %q", now, err, at[4])
		}
		got, _, err := eventsSince(tx, "", 2)
		if err != nil || len(got) != 2 {
			t.Errorf("EventsSince stopping after 2: %d, %v", len(got), err)
		}
		// A cursor from the future (a database restored from an older
		// backup): ten times past the newest, whatever a store keeps in it.
		for _, bad := range []bot.EventCursor{"not a cursor", now + "9"} {
			err := tx.EventsSince(bad, func(*bot.Event, bot.EventCursor) bool { return true })
			if bot.ErrorCode(err) != bot.EInvalid {
				t.Errorf("EventsSince(%q) = %v, want an EInvalid error", bad, err)
			}
		}
		return nil
	})
	// The newest event erased: a reader that had seen it resumes cleanly,
	// and gets the next event.
	update(t, s, func(tx bot.Tx) error { return tx.DeleteEvent(evs[4].ID) })
	view(t, s, func(tx bot.Tx) error {
		_, at, err := eventsSince(tx, "", 0)
		if err != nil || len(at) != 4 {
			t.Fatalf("after deleting the newest: %d events, %v", len(at), err)
		}
		now, err := tx.EventsCursor()
		if err != nil {
			return err
		}
		got, _, err := eventsSince(tx, now, 0)
		if err != nil || len(got) != 0 {
			t.Errorf("EventsSince(EventsCursor) after deleting the newest = %d events, %v; want none", len(got), err)
		}
		return nil
	})
	var next *bot.Event
	update(t, s, func(tx bot.Tx) error { next = &bot.Event{At: t0, Kind: "next"}; return tx.AddEvent(next) })
	view(t, s, func(tx bot.Tx) error {
		_, at, err := eventsSince(tx, "", 3)
		if err != nil {
			return err
		}
		got, _, err := eventsSince(tx, at[2], 0)
		if err != nil || len(got) != 2 || got[0].ID != evs[3].ID || got[1].ID != next.ID {
			t.Errorf("EventsSince past an erased event = %v, %v; want events k3 and next", got, err)
		}
		return nil
	})
}

// eventsSince gathers up to limit (0: all) events after c, with the cursor
// after each.
func eventsSince(tx bot.Tx, c bot.EventCursor, limit int) ([]*bot.Event, []bot.EventCursor, error) {
	var evs []*bot.Event
	var at []bot.EventCursor
	err := tx.EventsSince(c, func(e *bot.Event, next bot.EventCursor) bool {
		evs, at = append(evs, e), append(at, next)
		return limit == 0 || len(evs) < limit
	})
	return evs, at, err
}

// testContactsScan: every contact once; stopping works.
func testContactsScan(t *testing.T, s bot.Store) {
	want := map[string]bool{}
	update(t, s, func(tx bot.Tx) error {
		for i := range 5 {
			c := &bot.Contact{Name: fmt.Sprint("n", i), CreatedAt: t0,
				Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprint("+4477009000", i)}}}
			if err := tx.PutContact(c); err != nil {
				return err
			}
			want[c.ID] = true
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, tx.Contacts)
		seen := map[string]bool{}
		for _, c := range got {
			if !want[c.ID] || seen[c.ID] {
				t.Errorf("Contacts passed %s unexpectedly or twice", c.ID)
			}
			seen[c.ID] = true
		}
		if err != nil || len(seen) != len(want) {
			t.Errorf("Contacts = %d contacts, %v; want %d", len(seen), err, len(want))
		}
		if got, err := collect(2, tx.Contacts); err != nil || len(got) != 2 {
			t.Errorf("Contacts stopping after 2: %d, %v", len(got), err)
		}
		return nil
	})
}

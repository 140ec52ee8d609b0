package storetest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func testSeen(t *testing.T, s bot.Store) {
	for i, want := range []bool{false, true} {
		update(t, s, func(tx bot.Tx) error {
			seen, err := tx.MarkSeen("seen-1", "sms:SM1", t0)
			if err != nil {
				return err
			}
			if seen != want {
				t.Errorf("MarkSeen call %d: seen = %v, want %v", i+1, seen, want)
			}
			// Within one transaction too.
			if seen, err := tx.MarkSeen("seen-1", "sms:SM1", t0); err != nil || !seen {
				t.Errorf("MarkSeen again in the same tx: seen = %v, err = %v; want true", seen, err)
			}
			return nil
		})
	}
	update(t, s, func(tx bot.Tx) error {
		if seen, err := tx.MarkSeen("seen-1", "sms:SM2", t0); err != nil || seen {
			t.Errorf("MarkSeen of another id: seen = %v, err = %v; want false", seen, err)
		}
		// Ids are kept per contact.
		if seen, err := tx.MarkSeen("seen-2", "sms:SM1", t0); err != nil || seen {
			t.Errorf("MarkSeen of another contact's id: seen = %v, err = %v; want false", seen, err)
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		for contact, want := range map[string][]string{"seen-1": {"sms:SM1", "sms:SM2"}, "seen-2": {"sms:SM1"}, "c-none": nil} {
			seen, err := collect(0, func(fn func(*bot.SeenID) bool) error { return tx.SeenIDs(contact, fn) })
			var got []string
			for _, s := range seen {
				if !s.At.Equal(t0) {
					t.Errorf("SeenIDs(%s): %s at %v, want %v", contact, s.ID, s.At, t0)
				}
				got = append(got, s.ID)
			}
			slices.Sort(got)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("SeenIDs(%s) = %v, %v; want %v", contact, got, err, want)
			}
		}
		if got, err := collect(1, func(fn func(*bot.SeenID) bool) error { return tx.SeenIDs("seen-1", fn) }); err != nil || len(got) != 1 {
			t.Errorf("SeenIDs stopping after one = %d, %v", len(got), err)
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		if err := tx.DeleteSeen("seen-1"); err != nil {
			return err
		}
		return tx.DeleteSeen("c-none") // none recorded: harmless
	})
	update(t, s, func(tx bot.Tx) error {
		for _, c := range []struct {
			contact, id string
			seen        bool
		}{{"seen-1", "sms:SM1", false}, {"seen-1", "sms:SM2", false}, {"seen-2", "sms:SM1", true}} {
			if seen, err := tx.MarkSeen(c.contact, c.id, t0); err != nil || seen != c.seen {
				t.Errorf("after DeleteSeen(seen-1), MarkSeen(%s, %s) = %v, %v; want %v", c.contact, c.id, seen, err, c.seen)
			}
		}
		return nil
	})
	// A contact's ids are no contact, no conversation and no message of
	// theirs, and go with DeleteSeen while the contact's records stay.
	var id string
	update(t, s, func(tx bot.Tx) error {
		c := &bot.Contact{Name: "Seen", Addresses: []bot.Address{sms("+447700900555")}, CreatedAt: t0}
		if err := tx.PutContact(c); err != nil {
			return err
		}
		id = c.ID
		if err := tx.PutConversation(&bot.Conversation{ContactID: id, State: "start"}); err != nil {
			return err
		}
		for i := range 3 {
			if _, err := tx.MarkSeen(id, fmt.Sprint("sms:SM-c", i), t0); err != nil {
				return err
			}
		}
		return nil
	})
	check := func(when string, wantIDs int) {
		t.Helper()
		view(t, s, func(tx bot.Tx) error {
			all, err := collect(0, tx.Contacts)
			if err != nil || len(all) != 1 || all[0].ID != id {
				t.Errorf("%s: Contacts = %d contacts, %v; want only %s", when, len(all), err, id)
			}
			if conv, err := tx.Conversation(id); err != nil || conv.State != "start" {
				t.Errorf("%s: Conversation = %+v, %v", when, conv, err)
			}
			msgs, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages(id, fn) })
			if err != nil || len(msgs) != 0 {
				t.Errorf("%s: Messages = %d, %v; want none", when, len(msgs), err)
			}
			seen, err := collect(0, func(fn func(*bot.SeenID) bool) error { return tx.SeenIDs(id, fn) })
			if err != nil || len(seen) != wantIDs {
				t.Errorf("%s: SeenIDs = %d, %v; want %d", when, len(seen), err, wantIDs)
			}
			return nil
		})
	}
	check("with provider ids", 3)
	update(t, s, func(tx bot.Tx) error { return tx.DeleteSeen(id) })
	check("after DeleteSeen", 0)
	update(t, s, func(tx bot.Tx) error {
		if seen, err := tx.MarkSeen(id, "sms:SM-c0", t0); err != nil || seen {
			t.Errorf("after DeleteSeen, MarkSeen = %v, %v; want false", seen, err)
		}
		return nil
	})
}

func testForgetSeen(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for i, id := range []string{"p0", "p1", "p2", "p3"} {
			if _, err := tx.MarkSeen("c1", id, t0.Add(time.Duration(i)*time.Hour)); err != nil {
				return err
			}
		}
		_, err := tx.MarkSeen("c2", "p1", t0.Add(3*time.Hour)) // kept: another contact's, later
		return err
	})
	update(t, s, func(tx bot.Tx) error {
		n, err := tx.ForgetSeen(t0.Add(2 * time.Hour)) // p0, p1: strictly before
		if err != nil || n != 2 {
			t.Errorf("ForgetSeen = %d, %v; want 2", n, err)
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		for _, c := range []struct {
			contact, id string
			seen        bool
		}{{"c1", "p0", false}, {"c1", "p1", false}, {"c1", "p2", true}, {"c1", "p3", true}, {"c2", "p1", true}} {
			if seen, err := tx.MarkSeen(c.contact, c.id, t0.Add(5*time.Hour)); err != nil || seen != c.seen {
				t.Errorf("after ForgetSeen, MarkSeen(%s, %s) = %v, %v; want %v", c.contact, c.id, seen, err, c.seen)
			}
		}
		if n, err := tx.ForgetSeen(t0); err != nil || n != 0 {
			t.Errorf("ForgetSeen with nothing older = %d, %v; want 0", n, err)
		}
		return nil
	})
	// Ids deleted with their contact are not in the time index either.
	update(t, s, func(tx bot.Tx) error { return tx.DeleteSeen("c1") })
	update(t, s, func(tx bot.Tx) error {
		if n, err := tx.ForgetSeen(t0.Add(24 * time.Hour)); err != nil || n != 1 {
			t.Errorf("ForgetSeen after DeleteSeen(c1) = %d, %v; want 1 (c2's)", n, err)
		}
		return nil
	})
}

// testForgetSeenOverTime: ids first seen at many times, minutes apart and
// in the same hours, by several contacts, forgotten in steps: after each
// step exactly those recorded before its cutoff are gone (SeenIDs), and
// ForgetSeen counts them.
func testForgetSeenOverTime(t *testing.T, s bot.Store) {
	r := rand.New(rand.NewPCG(13, 4))
	type rec struct {
		contact, id string
		at          time.Time
	}
	var all []rec
	update(t, s, func(tx bot.Tx) error {
		for i := range 300 {
			x := rec{fmt.Sprint("seen-", r.IntN(9)), fmt.Sprint("sms:SM", i), t0.Add(time.Duration(r.IntN(10*60)) * time.Minute)}
			all = append(all, x)
			if _, err := tx.MarkSeen(x.contact, x.id, x.at); err != nil {
				return err
			}
		}
		return nil
	})
	left := func(cutoff time.Time) map[string][]string {
		want := map[string][]string{}
		for _, x := range all {
			if !x.at.Before(cutoff) {
				want[x.contact] = append(want[x.contact], x.id)
			}
		}
		return want
	}
	before := len(all)
	for _, step := range []time.Duration{-time.Minute, 0, 7 * time.Minute, 15 * time.Minute, 15 * time.Minute, time.Hour + 30*time.Minute,
		4*time.Hour + time.Second, 4*time.Hour + 59*time.Minute, 9*time.Hour + 59*time.Minute, 11 * time.Hour} {
		cutoff := t0.Add(step)
		want := left(cutoff)
		wantN := 0
		for _, ids := range want {
			wantN += len(ids)
		}
		update(t, s, func(tx bot.Tx) error {
			n, err := tx.ForgetSeen(cutoff)
			if err != nil || n != before-wantN {
				t.Errorf("ForgetSeen(t0%+v) = %d, %v; want %d", step, n, err, before-wantN)
			}
			return nil
		})
		before = wantN
		view(t, s, func(tx bot.Tx) error {
			for c := range 9 {
				contact := fmt.Sprint("seen-", c)
				got, err := collect(0, func(fn func(*bot.SeenID) bool) error { return tx.SeenIDs(contact, fn) })
				var ids []string
				for _, x := range got {
					ids = append(ids, x.ID)
				}
				slices.Sort(ids)
				w := slices.Sorted(slices.Values(want[contact]))
				if err != nil || !slices.Equal(ids, w) {
					t.Errorf("after ForgetSeen(t0%+v): %s keeps %d ids, %v; want %d", step, contact, len(ids), err, len(w))
				}
			}
			return nil
		})
	}
}

func sms(n string) bot.Address { return bot.Address{Channel: bot.SMS, ID: n} }

func testContacts(t *testing.T, s bot.Store) {
	full := &bot.Contact{
		Addresses: []bot.Address{sms("+447700900001"), {Channel: bot.Telegram, ID: "42"}},
		Name:      "Ann", Locale: "cy", CreatedAt: t0, OptedOut: true, OptedOutAt: t0.Add(time.Minute),
		Recent: []string{"hi", "help"}, Unreachable: []bot.Channel{bot.Telegram},
	}
	other := &bot.Contact{Addresses: []bot.Address{sms("+447700900002")}, CreatedAt: t0}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutContact(full); err != nil {
			return err
		}
		return tx.PutContact(other)
	})
	if full.ID == "" || other.ID == "" || full.ID == other.ID {
		t.Fatalf("assigned ids %q, %q: want two different non-empty ids", full.ID, other.ID)
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Contact(full.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, full) {
			t.Errorf("Contact = %+v\nwant %+v", got, full)
		}
		for _, a := range full.Addresses {
			if got, err := tx.ContactByAddress(a); err != nil || got.ID != full.ID {
				t.Errorf("ContactByAddress(%v) = %v, %v; want %s", a, got, err, full.ID)
			}
			if id, err := tx.ContactIDAt(a); err != nil || id != full.ID {
				t.Errorf("ContactIDAt(%v) = %q, %v; want %s", a, id, err, full.ID)
			}
		}
		_, err = tx.Contact("nobody")
		wantNotFound(t, "Contact(unknown)", err)
		_, err = tx.ContactByAddress(sms("+447700900999"))
		wantNotFound(t, "ContactByAddress(unknown)", err)
		_, err = tx.ContactIDAt(sms("+447700900999"))
		wantNotFound(t, "ContactIDAt(unknown)", err)
		return nil
	})
	// Replace: the stored record is the new one.
	full.Name, full.OptedOut, full.OptedOutAt = "Anne", false, time.Time{}
	update(t, s, func(tx bot.Tx) error { return tx.PutContact(full) })
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Contact(full.ID)
		if err != nil || got.Name != "Anne" || got.OptedOut {
			t.Errorf("after replace: %+v, %v", got, err)
		}
		return nil
	})
}

func testContactAddressIndex(t *testing.T, s bot.Store) {
	a1, a2, a3 := sms("+447700900001"), sms("+447700900002"), sms("+447700900003")
	c := &bot.Contact{Addresses: []bot.Address{a1, a2}, CreatedAt: t0}
	update(t, s, func(tx bot.Tx) error { return tx.PutContact(c) })
	steps := []struct {
		name  string
		addrs []bot.Address
	}{
		{"change one address", []bot.Address{a1, a3}},
		{"remove an address", []bot.Address{a3}},
		{"reorder and re-add", []bot.Address{a2, a3}},
		{"remove all", nil},
	}
	all := []bot.Address{a1, a2, a3}
	for _, st := range steps {
		c.Addresses = st.addrs
		update(t, s, func(tx bot.Tx) error { return tx.PutContact(c) })
		view(t, s, func(tx bot.Tx) error {
			for _, a := range all {
				got, err := tx.ContactByAddress(a)
				id, idErr := tx.ContactIDAt(a)
				if slices.Contains(st.addrs, a) {
					if err != nil || got.ID != c.ID {
						t.Errorf("%s: ContactByAddress(%v) = %v, %v; want %s", st.name, a, got, err, c.ID)
					}
					if idErr != nil || id != c.ID {
						t.Errorf("%s: ContactIDAt(%v) = %q, %v; want %s", st.name, a, id, idErr, c.ID)
					}
				} else {
					wantNotFound(t, st.name+": ContactByAddress("+a.String()+")", err)
					wantNotFound(t, st.name+": ContactIDAt("+a.String()+")", idErr)
				}
			}
			return nil
		})
	}
}

func testContactAddressConflict(t *testing.T, s bot.Store) {
	a1, a2 := sms("+447700900001"), sms("+447700900002")
	ann := &bot.Contact{Addresses: []bot.Address{a1}, CreatedAt: t0}
	bob := &bot.Contact{Addresses: []bot.Address{a2}, CreatedAt: t0}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutContact(ann); err != nil {
			return err
		}
		return tx.PutContact(bob)
	})
	for _, c := range []*bot.Contact{
		{ID: bob.ID, Addresses: []bot.Address{a2, a1}, CreatedAt: t0},       // bob takes ann's address
		{Addresses: []bot.Address{sms("+447700900003"), a1}, CreatedAt: t0}, // a new contact does
	} {
		var perr error
		update(t, s, func(tx bot.Tx) error { perr = tx.PutContact(c); return nil })
		if bot.ErrorCode(perr) != bot.EConflict {
			t.Errorf("PutContact with another contact's address: err = %v, want code %s", perr, bot.EConflict)
		}
	}
	view(t, s, func(tx bot.Tx) error {
		if got, err := tx.ContactByAddress(a1); err != nil || got.ID != ann.ID {
			t.Errorf("after conflicts, ContactByAddress(a1) = %v, %v; want %s", got, err, ann.ID)
		}
		if got, err := tx.Contact(bob.ID); err != nil || len(got.Addresses) != 1 {
			t.Errorf("after conflict, bob = %+v, %v; want unchanged", got, err)
		}
		_, err := tx.ContactByAddress(sms("+447700900003"))
		wantNotFound(t, "address of the refused contact", err)
		return nil
	})
}

func testConversations(t *testing.T, s bot.Store) {
	conv := &bot.Conversation{ContactID: "c1", FlowID: "self_referral", FlowVersion: 2, State: "ask_name",
		Answers: map[string]string{"consent": "yes"}, Status: bot.ConvActive, Step: 3, Invalid: 1,
		NeedsHuman: true, ReturnTo: "review", Reminded: true, StartedAt: t0, UpdatedAt: t0.Add(time.Minute)}
	update(t, s, func(tx bot.Tx) error { return tx.PutConversation(conv) })
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Conversation("c1")
		if err != nil || !reflect.DeepEqual(got, conv) {
			t.Errorf("Conversation = %+v, %v\nwant %+v", got, err, conv)
		}
		_, err = tx.Conversation("c2")
		wantNotFound(t, "Conversation(unknown)", err)
		return nil
	})
	conv.State, conv.Status = "done", bot.ConvDone
	update(t, s, func(tx bot.Tx) error { return tx.PutConversation(conv) })
	view(t, s, func(tx bot.Tx) error {
		if got, err := tx.Conversation("c1"); err != nil || got.State != "done" || got.Status != bot.ConvDone {
			t.Errorf("after replace: %+v, %v", got, err)
		}
		return nil
	})
}

func testMessages(t *testing.T, s bot.Store) {
	// "c1" is a prefix of "c10": one transcript must not leak into the other.
	var mine []*bot.Message
	update(t, s, func(tx bot.Tx) error {
		for i := range 5 {
			m := &bot.Message{ContactID: "c1", Direction: bot.In, Author: bot.AuthorPerson,
				Address: sms("+447700900001"), Text: string(rune('a' + i)), At: t0.Add(time.Duration(i) * time.Second),
				Media: []string{"m"}, ProviderID: "SM" + string(rune('a'+i)), OutboxID: uint64(i)}
			if err := tx.AppendMessage(m); err != nil {
				return err
			}
			mine = append(mine, m)
			if err := tx.AppendMessage(&bot.Message{ContactID: "c10", Text: "other"}); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error { // a later transaction continues the order
		m := &bot.Message{ContactID: "c1", Text: "f", At: t0}
		mine = append(mine, m)
		return tx.AppendMessage(m)
	})
	for i := 1; i < len(mine); i++ {
		if mine[i].ID <= mine[i-1].ID {
			t.Fatalf("message ids not increasing: %d then %d", mine[i-1].ID, mine[i].ID)
		}
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages("c1", fn) })
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, mine) {
			t.Errorf("Messages(c1) = %v\nwant %v", got, mine)
		}
		got, err = collect(2, func(fn func(*bot.Message) bool) error { return tx.Messages("c1", fn) })
		if err != nil || len(got) != 2 || got[1].ID != mine[1].ID {
			t.Errorf("Messages stopping after 2: got %d messages, %v", len(got), err)
		}
		got, err = collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages("c", fn) })
		if err != nil || len(got) != 0 {
			t.Errorf("Messages(unknown contact) = %d messages, %v; want none", len(got), err)
		}
		return nil
	})
}

func testReferrals(t *testing.T, s bot.Store) {
	full := &bot.Referral{ContactID: "c1", Status: bot.ReferralNew, Method: bot.ReferralMethodSelf,
		CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour), Name: "Ann", DateOfBirth: "1960-01-02",
		Postcode: "LS1 1AA", GPPractice: "Park", Carer: "no", WhatMatters: "my garden",
		Needs: []string{"loneliness", "money"}, NeedsOther: "x", ContactMethod: "phone", ContactTime: "am",
		ConsentToRecord: true, ConsentToShare: true, ConsentNote: "yes but not my GP", ReasonOwnWords: "my garden", Answers: map[string]string{"a": "b"}}
	// Created out of time order; two share a time (the later created is newer).
	refs := []*bot.Referral{
		full,
		{ContactID: "c2", Status: bot.ReferralNew, CreatedAt: t0},
		{ContactID: "c3", Status: bot.ReferralNew, CreatedAt: t0.Add(2 * time.Hour)},
		{ContactID: "c4", Status: bot.ReferralNew, CreatedAt: t0},
	}
	update(t, s, func(tx bot.Tx) error {
		for _, r := range refs {
			if err := tx.PutReferral(r); err != nil {
				return err
			}
		}
		return nil
	})
	seen := map[string]bool{}
	for _, r := range refs {
		if r.ID == "" || seen[r.ID] {
			t.Fatalf("referral ids %v: want distinct non-empty ids", ids(refs, func(r *bot.Referral) string { return r.ID }))
		}
		seen[r.ID] = true
	}
	byContact := func(rs []*bot.Referral) []string { return ids(rs, func(r *bot.Referral) string { return r.ContactID }) }
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Referral(full.ID)
		if err != nil || !reflect.DeepEqual(got, full) {
			t.Errorf("Referral = %+v, %v\nwant %+v", got, err, full)
		}
		_, err = tx.Referral("nope")
		wantNotFound(t, "Referral(unknown)", err)
		all, err := collect(0, tx.Referrals)
		if want := []string{"c3", "c1", "c4", "c2"}; err != nil || !slices.Equal(byContact(all), want) {
			t.Errorf("Referrals = %v, %v; want newest first %v", byContact(all), err, want)
		}
		two, err := collect(2, tx.Referrals)
		if err != nil || len(two) != 2 {
			t.Errorf("Referrals stopping after 2: got %d, %v", len(two), err)
		}
		return nil
	})
	// Replacing keeps one row per referral.
	full.Status, full.UpdatedAt = bot.ReferralContacted, t0.Add(3*time.Hour)
	update(t, s, func(tx bot.Tx) error { return tx.PutReferral(full) })
	view(t, s, func(tx bot.Tx) error {
		all, err := collect(0, tx.Referrals)
		if want := []string{"c3", "c1", "c4", "c2"}; err != nil || !slices.Equal(byContact(all), want) {
			t.Errorf("after replace, Referrals = %v, %v; want %v", byContact(all), err, want)
		}
		if got, err := tx.Referral(full.ID); err != nil || got.Status != bot.ReferralContacted {
			t.Errorf("after replace, Referral = %+v, %v", got, err)
		}
		return nil
	})
}

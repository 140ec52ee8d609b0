package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// The deletions and scans erasure, export and retention use: each removes
// its record and every index entry, so that lookups through any index stop
// finding it and the freed keys can be used again.

func testDeleteContact(t *testing.T, s bot.Store) {
	tg := bot.Address{Channel: bot.Telegram, ID: "4242"}
	gone := &bot.Contact{Addresses: []bot.Address{sms("+447700900111"), tg}, Name: "Nia Evans", CreatedAt: t0}
	stays := &bot.Contact{Addresses: []bot.Address{sms("+447700900222")}, Name: "Nia Other", CreatedAt: t0}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutContact(gone); err != nil {
			return err
		}
		return tx.PutContact(stays)
	})
	update(t, s, func(tx bot.Tx) error {
		if err := tx.DeleteContact(gone.ID); err != nil {
			return err
		}
		return tx.DeleteContact("no-such-contact") // harmless
	})
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Contact(gone.ID)
		wantNotFound(t, "Contact after DeleteContact", err)
		for _, a := range gone.Addresses {
			_, err := tx.ContactByAddress(a)
			wantNotFound(t, "ContactByAddress("+a.String()+") after DeleteContact", err)
		}
		all, err := collect(0, tx.Contacts)
		if err != nil {
			return err
		}
		if got := ids(all, func(c *bot.Contact) string { return c.ID }); !slices.Equal(got, []string{stays.ID}) {
			t.Errorf("Contacts after DeleteContact = %v, want [%s]", got, stays.ID)
		}
		if c, err := tx.ContactByAddress(stays.Addresses[0]); err != nil || c.ID != stays.ID {
			t.Errorf("the other contact by address = %v, %v", c, err)
		}
		return nil
	})
	// The addresses are free: a new contact may have them.
	again := &bot.Contact{Addresses: []bot.Address{tg}, CreatedAt: t0}
	update(t, s, func(tx bot.Tx) error { return tx.PutContact(again) })
	if again.ID == gone.ID || again.ID == "" {
		t.Errorf("new contact at a freed address got id %q (the deleted one was %q)", again.ID, gone.ID)
	}
	if err := s.View(t.Context(), func(tx bot.Tx) error { return tx.DeleteContact(stays.ID) }); err == nil {
		t.Error("DeleteContact in a read-only transaction succeeded")
	}
}

func testDeleteRecords(t *testing.T, s bot.Store) {
	const cid = "c-del"
	var msgs [3]*bot.Message
	waiting := &bot.Outbound{ContactID: cid, To: sms("+447700900333"), Text: "a", NextAttempt: t0, CreatedAt: t0}
	sent := &bot.Outbound{ContactID: cid, To: sms("+447700900333"), Text: "b", NextAttempt: t0, CreatedAt: t0}
	var ev [2]*bot.Event
	update(t, s, func(tx bot.Tx) error {
		for i := range msgs {
			msgs[i] = &bot.Message{ContactID: cid, Direction: bot.In, Text: "m", At: t0.Add(time.Duration(i) * time.Minute)}
			if err := tx.AppendMessage(msgs[i]); err != nil {
				return err
			}
		}
		if err := tx.PutConversation(&bot.Conversation{ContactID: cid, FlowID: "f", State: "s", Status: bot.ConvExpired}); err != nil {
			return err
		}
		for _, o := range []*bot.Outbound{waiting, sent} {
			if err := tx.Enqueue(o); err != nil {
				return err
			}
		}
		sent.Status, sent.ProviderID = bot.StatusSent, "SM-del"
		if err := tx.PutOutbound(sent); err != nil {
			return err
		}
		for i := range ev {
			ev[i] = &bot.Event{At: t0, Kind: "k", ContactID: cid}
			if err := tx.AddEvent(ev[i]); err != nil {
				return err
			}
		}
		return tx.PutEnrolment(&bot.Enrolment{Token: "tok-del", ContactID: cid, CreatedAt: t0, Expires: t0.Add(time.Hour)})
	})
	update(t, s, func(tx bot.Tx) error {
		return errors.Join(
			tx.DeleteMessage(cid, msgs[1].ID),
			tx.DeleteMessage(cid, 999999), // absent: harmless
			tx.DeleteConversation(cid),
			tx.DeleteConversation(cid),
			tx.DeleteOutbound(waiting.ID),
			tx.DeleteOutbound(sent.ID),
			tx.DeleteOutbound(999999),
			tx.DeleteEvent(ev[0].ID),
			tx.DeleteEvent(999999),
			tx.DeleteEnrolment("tok-del"),
			tx.DeleteEnrolment(""),
		)
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages(cid, fn) })
		if err != nil {
			return err
		}
		var gotIDs []uint64
		for _, m := range got {
			gotIDs = append(gotIDs, m.ID)
		}
		if !slices.Equal(gotIDs, []uint64{msgs[0].ID, msgs[2].ID}) {
			t.Errorf("transcript after DeleteMessage = %v, want [%d %d]", gotIDs, msgs[0].ID, msgs[2].ID)
		}
		_, err = tx.Conversation(cid)
		wantNotFound(t, "Conversation after DeleteConversation", err)
		_, err = tx.Outbound(waiting.ID)
		wantNotFound(t, "Outbound after DeleteOutbound", err)
		_, err = tx.OutboundByProviderID("SM-del")
		wantNotFound(t, "OutboundByProviderID after DeleteOutbound", err)
		if p := pending(t, tx, t0.Add(time.Hour), 0); len(p) != 0 {
			t.Errorf("Pending after DeleteOutbound = %v, want none", p)
		}
		if _, ok, err := tx.NextPendingAfter(longAgo); err != nil || ok {
			t.Errorf("NextPendingAfter after DeleteOutbound: ok = %v, err = %v; want none", ok, err)
		}
		evs, err := collect(0, tx.Events)
		if err != nil {
			return err
		}
		if len(evs) != 1 || evs[0].ID != ev[1].ID {
			t.Errorf("events after DeleteEvent = %v, want only %d", ids(evs, func(e *bot.Event) string { return string(e.Kind) }), ev[1].ID)
		}
		_, err = tx.Enrolment("tok-del")
		wantNotFound(t, "Enrolment after DeleteEnrolment", err)
		return nil
	})
	// The live feed after the delete: only the other event, never the
	// deleted one. On PostgreSQL the feed hands out only settled events
	// (see store/postgres/events.go), and a transaction elsewhere on the
	// server can hold a settled event back for a moment: wait for it.
	var after []*bot.Event
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		view(t, s, func(tx bot.Tx) error {
			var err error
			after, _, err = eventsSince(tx, "", 0)
			return err
		})
		for _, e := range after {
			if e.ID == ev[0].ID {
				t.Fatalf("EventsSince(\"\") after DeleteEvent still has the deleted event %d", e.ID)
			}
		}
		if len(after) >= 1 || time.Now().After(deadline) {
			break
		}
	}
	if len(after) != 1 || after[0].ID != ev[1].ID {
		t.Errorf("EventsSince(\"\") after DeleteEvent = %d events; want only %d", len(after), ev[1].ID)
	}
	// A deleted outbox row's provider id and pending slot are free again.
	update(t, s, func(tx bot.Tx) error {
		o := &bot.Outbound{ContactID: cid, To: sms("+447700900333"), Text: "c", NextAttempt: t0, CreatedAt: t0}
		if err := tx.Enqueue(o); err != nil {
			return err
		}
		if o.ID == waiting.ID || o.ID == sent.ID {
			t.Errorf("a new outbox row reused the deleted id %d", o.ID)
		}
		o.ProviderID = "SM-del"
		if err := tx.PutOutbound(o); err != nil {
			return err
		}
		if got, err := tx.OutboundByProviderID("SM-del"); err != nil || got.ID != o.ID {
			t.Errorf("provider id of a new row = %v, %v", got, err)
		}
		return nil
	})
	for name, del := range map[string]func(bot.Tx) error{
		"DeleteMessage":      func(tx bot.Tx) error { return tx.DeleteMessage(cid, msgs[0].ID) },
		"DeleteConversation": func(tx bot.Tx) error { return tx.DeleteConversation(cid) },
		"DeleteOutbound":     func(tx bot.Tx) error { return tx.DeleteOutbound(1) },
		"DeleteEvent":        func(tx bot.Tx) error { return tx.DeleteEvent(ev[1].ID) },
		"DeleteEnrolment":    func(tx bot.Tx) error { return tx.DeleteEnrolment("x") },
	} {
		if err := s.View(t.Context(), del); err == nil {
			t.Errorf("%s in a read-only transaction succeeded", name)
		}
	}
}

func testPrivacyScans(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error {
		for i, cid := range []string{"c1", "c2"} {
			o := &bot.Outbound{ContactID: cid, To: sms("+447700900444"), Text: "x", NextAttempt: t0, CreatedAt: t0}
			if err := tx.Enqueue(o); err != nil {
				return err
			}
			if err := tx.PutTimer(&bot.Timer{ID: "remind:" + cid, Due: t0.Add(time.Duration(i) * time.Hour), Kind: bot.TimerRemind, ContactID: cid}); err != nil {
				return err
			}
			if err := tx.PutEnrolment(&bot.Enrolment{Token: "t" + cid, ContactID: cid, CreatedAt: t0, Expires: t0}); err != nil {
				return err
			}
			h := &bot.Handoff{ContactID: cid, Status: bot.HandoffResolved, Reason: bot.ReasonAsked, OpenedAt: t0}
			if i == 1 {
				h.Status = bot.HandoffOpen
			}
			if err := tx.PutHandoff(h); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		out, err := collect(0, tx.Outbox)
		if err != nil {
			return err
		}
		if len(out) != 2 || out[0].ContactID != "c1" || out[1].ContactID != "c2" || out[0].ID >= out[1].ID {
			t.Errorf("Outbox = %v, want c1's row then c2's", ids(out, func(o *bot.Outbound) string { return o.ContactID }))
		}
		contacts := func(got []string) []string { slices.Sort(got); return got }
		tm, err := collect(0, tx.Timers)
		if err != nil {
			return err
		}
		if got := contacts(ids(tm, func(x *bot.Timer) string { return x.ContactID })); !slices.Equal(got, []string{"c1", "c2"}) {
			t.Errorf("Timers by contact = %v", got)
		}
		en, err := collect(0, tx.Enrolments)
		if err != nil {
			return err
		}
		if got := contacts(ids(en, func(x *bot.Enrolment) string { return x.ContactID })); !slices.Equal(got, []string{"c1", "c2"}) {
			t.Errorf("Enrolments by contact = %v", got)
		}
		hs, err := collect(0, tx.Handoffs)
		if err != nil {
			return err
		}
		if got := contacts(ids(hs, func(x *bot.Handoff) string { return x.ContactID })); !slices.Equal(got, []string{"c1", "c2"}) {
			t.Errorf("Handoffs (active and resolved) by contact = %v", got)
		}
		if one, err := collect(1, tx.Handoffs); err != nil || len(one) != 1 {
			t.Errorf("Handoffs did not stop when fn returned false: %d, %v", len(one), err)
		}
		return nil
	})
}

package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// writeOne makes one write of every kind.
func writeOne(tx bot.Tx, tag string) error {
	c := &bot.Contact{ID: "c-" + tag, Addresses: []bot.Address{{Channel: bot.Sim, ID: tag}}, CreatedAt: t0}
	if err := tx.PutContact(c); err != nil {
		return fmt.Errorf("put contact: %w", err)
	}
	if _, err := tx.MarkSeen(c.ID, "seen-"+tag, t0); err != nil {
		return fmt.Errorf("mark seen: %w", err)
	}
	if err := tx.PutConversation(&bot.Conversation{ContactID: c.ID, State: "start"}); err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	if err := tx.AppendMessage(&bot.Message{ContactID: c.ID, Text: tag}); err != nil {
		return fmt.Errorf("append message: %w", err)
	}
	if err := tx.PutReferral(&bot.Referral{ContactID: c.ID, Status: bot.ReferralNew, CreatedAt: t0}); err != nil {
		return fmt.Errorf("put referral: %w", err)
	}
	if err := tx.Enqueue(&bot.Outbound{ContactID: c.ID, Status: bot.StatusPending, NextAttempt: t0}); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	if err := tx.PutTimer(&bot.Timer{ID: "timer-" + tag, Due: t0}); err != nil {
		return fmt.Errorf("put timer: %w", err)
	}
	if err := tx.PutHandoff(&bot.Handoff{ContactID: c.ID, Status: bot.HandoffOpen, OpenedAt: t0}); err != nil {
		return fmt.Errorf("put handoff: %w", err)
	}
	if err := tx.AddEvent(&bot.Event{Kind: bot.EventKind(tag), At: t0}); err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return nil
}

// assertEmpty fails if the store holds anything writeOne writes.
func assertEmpty(t *testing.T, s bot.Store, tag string) {
	t.Helper()
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.ContactByAddress(bot.Address{Channel: bot.Sim, ID: tag})
		wantNotFound(t, "ContactByAddress after rollback", err)
		refs, err := collect(0, tx.Referrals)
		if err != nil || len(refs) != 0 {
			t.Errorf("Referrals after rollback = %d, %v; want none", len(refs), err)
		}
		out, err := collect(0, func(fn func(*bot.Outbound) bool) error { return tx.Pending(t0.Add(24*time.Hour), fn) })
		if err != nil || len(out) != 0 {
			t.Errorf("Pending after rollback = %d, %v; want none", len(out), err)
		}
		if _, ok, err := tx.NextPendingAfter(longAgo); ok || err != nil {
			t.Errorf("NextPendingAfter after rollback: ok = %v, err = %v; want false, nil", ok, err)
		}
		if _, ok, err := tx.NextTimer(); ok || err != nil {
			t.Errorf("NextTimer after rollback: ok = %v, err = %v; want false, nil", ok, err)
		}
		evs, err := collect(0, tx.Events)
		if err != nil || len(evs) != 0 {
			t.Errorf("Events after rollback = %d, %v; want none", len(evs), err)
		}
		hs, err := collect(0, tx.ActiveHandoffs)
		if err != nil || len(hs) != 0 {
			t.Errorf("ActiveHandoffs after rollback = %d, %v; want none", len(hs), err)
		}
		return nil
	})
	// Seen ids are only readable by writing: look, then roll the look back.
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		seen, err := tx.MarkSeen("c-"+tag, "seen-"+tag, t0)
		if err != nil {
			return err
		}
		if seen {
			t.Errorf("MarkSeen after rollback: seen = true, want false")
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Errorf("update returning errBoom: err = %v", err)
	}
}

func testRollback(t *testing.T, s bot.Store) {
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		if err := writeOne(tx, "a"); err != nil {
			t.Errorf("writeOne: %v", err)
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	assertEmpty(t, s, "a")

	// A panic in fn rolls back too, and does not break the store.
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(context.Background(), func(tx bot.Tx) error {
			if err := writeOne(tx, "b"); err != nil {
				t.Errorf("writeOne: %v", err)
			}
			panic("boom")
		})
	}()
	assertEmpty(t, s, "b")
	update(t, s, func(tx bot.Tx) error { return writeOne(tx, "c") })
}

func testReadOnlyView(t *testing.T, s bot.Store) {
	update(t, s, func(tx bot.Tx) error { return writeOne(tx, "x") })
	writes := map[string]func(tx bot.Tx) error{
		"MarkSeen":        func(tx bot.Tx) error { _, err := tx.MarkSeen("c-ro", "new", t0); return err },
		"ForgetSeen":      func(tx bot.Tx) error { _, err := tx.ForgetSeen(t0.Add(time.Hour)); return err },
		"DeleteSeen":      func(tx bot.Tx) error { return tx.DeleteSeen("c-ro") },
		"PutContact":      func(tx bot.Tx) error { return tx.PutContact(&bot.Contact{CreatedAt: t0}) },
		"PutConversation": func(tx bot.Tx) error { return tx.PutConversation(&bot.Conversation{ContactID: "c-ro"}) },
		"AppendMessage":   func(tx bot.Tx) error { return tx.AppendMessage(&bot.Message{ContactID: "c-ro"}) },
		"PutReferral":     func(tx bot.Tx) error { return tx.PutReferral(&bot.Referral{ContactID: "c-ro"}) },
		"Enqueue":         func(tx bot.Tx) error { return tx.Enqueue(&bot.Outbound{Status: bot.StatusPending}) },
		"PutOutbound": func(tx bot.Tx) error {
			var o *bot.Outbound
			if err := tx.Pending(t0, func(p *bot.Outbound) bool { o = p; return false }); err != nil || o == nil {
				return fmt.Errorf("no pending row to rewrite (%v)", err)
			}
			o.Status = bot.StatusSent
			return tx.PutOutbound(o)
		},
		"LockKey":     func(tx bot.Tx) error { return tx.LockKey("person:c-ro") },
		"PutTimer":    func(tx bot.Tx) error { return tx.PutTimer(&bot.Timer{ID: "ro", Due: t0}) },
		"DeleteTimer": func(tx bot.Tx) error { return tx.DeleteTimer("timer-x") },
		"ArmTimer":    func(tx bot.Tx) error { _, err := tx.ArmTimer(&bot.Timer{ID: "ro", Due: t0}); return err },
		"AddEvent":    func(tx bot.Tx) error { return tx.AddEvent(&bot.Event{Kind: "ro"}) },
		"PutHandoff":  func(tx bot.Tx) error { return tx.PutHandoff(&bot.Handoff{ContactID: "c-ro", Status: bot.HandoffOpen}) },
	}
	for name, w := range writes {
		var werr error
		view(t, s, func(tx bot.Tx) error { werr = w(tx); return nil })
		if werr == nil {
			t.Errorf("%s in View: no error", name)
		}
	}
	// Nothing changed: one referral, one pending row, one timer, one event.
	view(t, s, func(tx bot.Tx) error {
		refs, _ := collect(0, tx.Referrals)
		out, _ := collect(0, func(fn func(*bot.Outbound) bool) error { return tx.Pending(t0, fn) })
		evs, _ := collect(0, tx.Events)
		hs, _ := collect(0, tx.ActiveHandoffs)
		_, hasTimer, _ := tx.NextTimer()
		if len(refs) != 1 || len(out) != 1 || len(evs) != 1 || len(hs) != 1 || !hasTimer {
			t.Errorf("after writes in View: %d referrals, %d pending, %d events, %d handoffs, timer %v; want 1, 1, 1, 1, true",
				len(refs), len(out), len(evs), len(hs), hasTimer)
		}
		return nil
	})
}

// testConcurrentUpdates runs many Updates at once: every one lands, and
// read-modify-write of one record loses no update.
func testConcurrentUpdates(t *testing.T, s bot.Store) {
	const workers, each = 50, 20
	update(t, s, func(tx bot.Tx) error { return tx.PutConversation(&bot.Conversation{ContactID: "shared"}) })
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			contact := fmt.Sprintf("w%d", w)
			for i := range each {
				err := s.Update(context.Background(), func(tx bot.Tx) error {
					c, err := tx.Conversation("shared")
					if err != nil {
						return err
					}
					c.Step++
					if err := tx.PutConversation(c); err != nil {
						return err
					}
					return tx.AppendMessage(&bot.Message{ContactID: contact, Text: fmt.Sprint(i)})
				})
				if err != nil {
					t.Errorf("worker %d update %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	view(t, s, func(tx bot.Tx) error {
		c, err := tx.Conversation("shared")
		if err != nil {
			return err
		}
		if c.Step != workers*each {
			t.Errorf("shared counter = %d, want %d", c.Step, workers*each)
		}
		for w := range workers {
			msgs, err := collect(0, func(fn func(*bot.Message) bool) error { return tx.Messages(fmt.Sprintf("w%d", w), fn) })
			if err != nil {
				return err
			}
			got := ids(msgs, func(m *bot.Message) string { return m.Text })
			want := make([]string, each)
			for i := range want {
				want[i] = fmt.Sprint(i)
			}
			if !slices.Equal(got, want) {
				t.Errorf("worker %d transcript = %v, want %v", w, got, want)
			}
		}
		return nil
	})
}

package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
)

func withQuiet(from, to string) option {
	return func(c *engine.Config) { c.Quiet = &bot.QuietHours{From: from, To: to} }
}

// TestReminderHeldForQuietHours: a reminder due in quiet hours waits for
// them to end, and the conversation's expiry moves with it, whether a
// check-in or the person started the conversation.
func TestReminderHeldForQuietHours(t *testing.T) {
	type step struct {
		at       time.Time
		sent     int // messages sent by then (a reminder is two: it and the question again)
		status   bot.ConvStatus
		reminder bool // the messages are the reminder
	}
	tests := []struct {
		name  string
		setup func(w *world) string // returns the address
		opts  []option
		steps []step
	}{{
		// A Saturday 20:30 check-in the day before the clocks go forward
		// was reminded at 21:30 BST; now it waits until 08:00, and expires
		// 48 hours after that, not after 20:30.
		name: "check-in across the clock change",
		setup: func(w *world) string {
			c := w.newContact("sms:+447700900001", "Pat")
			s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Saturday,
				LocalTime: "20:30", Start: ldn(2027, 3, 27, 0, 0)}
			if err := w.engine.AddSchedule(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			return c.Primary().String()
		},
		steps: []step{
			{ldn(2027, 3, 27, 20, 30), 2, bot.ConvActive, false},
			{ldn(2027, 3, 28, 21, 30), 0, bot.ConvActive, false},
			{ldn(2027, 3, 29, 7, 59), 0, bot.ConvActive, false},
			{ldn(2027, 3, 29, 8, 0), 2, bot.ConvActive, true},
			{ldn(2027, 3, 31, 7, 59), 0, bot.ConvActive, false},
			{ldn(2027, 3, 31, 8, 0), 0, bot.ConvExpired, false},
		},
	}, {
		// The person texted at 10:00; the reminder would be at 10:00 the
		// next day, inside quiet hours of 09:30-11:00, so it waits until
		// 11:00, and the 72-hour expiry counts from then.
		name: "conversation the person started",
		opts: []option{withQuiet("09:30", "11:00")},
		setup: func(w *world) string {
			const addr = "sms:+447700900002"
			if got := w.send(addr, "hello"); len(got) == 0 {
				t.Fatal("no reply to hello")
			}
			return addr
		},
		steps: []step{
			{ldn(2026, 11, 28, 10, 0), 0, bot.ConvActive, false},
			{ldn(2026, 11, 28, 10, 59), 0, bot.ConvActive, false},
			{ldn(2026, 11, 28, 11, 0), 2, bot.ConvActive, true},
			{ldn(2026, 12, 1, 10, 59), 0, bot.ConvActive, false},
			{ldn(2026, 12, 1, 11, 0), 0, bot.ConvExpired, false},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.opts...)
			addr := tt.setup(w)
			a, _ := bot.ParseAddress(addr)
			c := &bot.Contact{Addresses: []bot.Address{a}}
			for _, s := range tt.steps {
				got := w.until(s.at, c)
				if len(got) != s.sent {
					t.Fatalf("by %s: sent %q, want %d messages", s.at, got, s.sent)
				}
				if s.reminder && !containsStr(got[0], "still here") {
					t.Errorf("by %s: sent %q, want the reminder", s.at, got)
				}
				if st := w.conversation(addr).Status; st != s.status {
					t.Fatalf("by %s: conversation %s, want %s", s.at, st, s.status)
				}
			}
		})
	}
}

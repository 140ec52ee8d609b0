package engine_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/privacy"
)

func TestRetentionRemovesOnlyAbandonedTranscripts(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const (
		abandoned = "sms:+447700900201" // said hi, never answered again
		returned  = "sms:+447700900202" // abandoned once, back this week
		referred  = "sms:+447700900203" // submitted a referral
		handed    = "sms:+447700900204" // talked to a link worker
		noted     = "sms:+447700900205" // a link worker wrote a note about them
	)
	w.send(abandoned, "hi")
	w.send(abandoned, "my name is Old Abandoned")
	w.send(returned, "hi")
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery", "yes",
		"Getting out more", "1, 3", "2", "morning", "1", "no"} {
		w.send(referred, text)
	}
	w.send(handed, "hi")
	w.send(noted, "hi")
	err := w.store.Update(ctx, func(tx bot.Tx) error {
		return tx.AddEvent(&bot.Event{At: w.clock.Now(), Kind: "contact.note", ContactID: w.contact(noted).ID,
			Data: map[string]string{"text": "phoned; will call back"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	hc := w.contact(handed)
	h, err := w.engine.TakeOver(ctx, hc.ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "u1", "done", false); err != nil {
		t.Fatal(err)
	}
	w.replies(hc.Primary())
	// The reminders and expiries fire and are sent; forty days pass.
	fiveDays(t, w)
	w.clock.Advance(40 * 24 * time.Hour)
	// The returned person is back, mid-conversation, during a sweep.
	w.send(returned, "hi again")
	before := map[string]int{}
	for _, a := range []string{abandoned, returned, referred, handed, noted} {
		before[a] = len(w.transcript(a))
	}
	r := &privacy.Retention{Store: w.store, Clock: w.clock, After: 30 * 24 * time.Hour, Batch: 2}
	first, err := r.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(w.transcript(abandoned)); got != 0 {
		t.Errorf("abandoned transcript has %d messages after retention, want 0", got)
	}
	if c := w.contact(abandoned); len(c.Recent) != 0 {
		t.Errorf("abandoned contact keeps its recent messages %q", c.Recent)
	}
	err = w.store.View(ctx, func(tx bot.Tx) error {
		_, err := tx.Conversation(w.contact(abandoned).ID)
		if bot.ErrorCode(err) != bot.ENotFound {
			t.Errorf("abandoned conversation after retention: %v, want removed", err)
		}
		return tx.Outbox(func(o *bot.Outbound) bool {
			if o.ContactID == w.contact(abandoned).ID {
				t.Errorf("outbox row %d of the abandoned contact kept", o.ID)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(w.transcript(returned)); got != before[returned] {
		t.Errorf("a sweep trimmed a running conversation: %d of %d messages left", got, before[returned])
	}
	if first.Contacts != 1 || first.Messages != before[abandoned] || first.Conversations != 1 || first.Outbox == 0 {
		t.Errorf("first sweep = %+v, want the abandoned person's %d messages and conversation", first, before[abandoned])
	}

	// The returned person's conversation lapses too: its old start goes,
	// this week's messages stay.
	fiveDays(t, w)
	all := len(w.transcript(returned))
	second, err := r.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr := w.transcript(returned)
	if len(tr) == 0 || tr[0].Text != "hi again" || second.Contacts != 1 || second.Messages != all-len(tr) || second.Conversations != 0 {
		t.Errorf("second sweep = %+v; returned person's transcript: %d of %d messages left, first %q; want only this week's",
			second, len(tr), all, tr[0].Text)
	}
	if c := w.conversation(returned); c.Status != bot.ConvExpired {
		t.Errorf("returned person's recent conversation was touched: %+v", c)
	}
	for _, a := range []string{referred, handed, noted} {
		if got := len(w.transcript(a)); got != before[a] {
			t.Errorf("%s: %d of %d messages left; a care record's transcript must stay", a, got, before[a])
		}
	}
	again, err := r.Sweep(ctx)
	if err != nil || again != (privacy.RetentionResult{}) {
		t.Errorf("third sweep = %+v, %v; want nothing left to do", again, err)
	}
	var b strings.Builder
	r.WritePrometheus(&b)
	for _, want := range []string{"linkline_retention_sweeps_total 3", "linkline_retention_contacts_total 2",
		"linkline_retention_messages_removed_total " + strconv.Itoa(first.Messages+second.Messages), "linkline_retention_conversations_removed_total 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("metrics lack %q:\n%s", want, b.String())
		}
	}
}

func TestRetentionOff(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.clock.Advance(1000 * 24 * time.Hour)
	r := &privacy.Retention{Store: w.store, Clock: w.clock}
	if res, err := r.Sweep(context.Background()); err != nil || res != (privacy.RetentionResult{}) {
		t.Errorf("sweep with retention off = %+v, %v", res, err)
	}
	r.Run(context.Background()) // returns at once when off
	if len(w.transcript(person)) == 0 {
		t.Error("retention off removed a transcript")
	}
}

// fiveDays lets five days pass a day at a time, firing the timers due and
// sending what they queue (reminders, then expiries).
func fiveDays(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	for range 5 {
		w.clock.Advance(24 * time.Hour)
		if _, err := w.sched.FireDue(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.disp.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

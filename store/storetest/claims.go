package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// testClaimOutbound checks the claims the dispatchers share the outbox
// by: one sending identity's rows, most pressing first, each held by one
// owner until its lease runs out.
func testClaimOutbound(t *testing.T, s bot.Store) {
	type row struct {
		ch     bot.Channel
		prio   bot.Priority
		urgent bool
		at     time.Duration
	}
	rows := []row{
		{bot.SMS, bot.PriorityScheduled, false, -time.Hour},       // 0: oldest, least pressing
		{bot.SMS, bot.PriorityConversation, false, 0},             // 1
		{bot.SMS, 0, false, -time.Minute},                         // 2: unset ranks as a conversation reply
		{bot.SMS, bot.PriorityWorker, false, 0},                   // 3
		{bot.SMS, bot.PriorityConversation, true, 0},              // 4: urgent is the crisis text
		{bot.Telegram, bot.PriorityCrisis, false, 0},              // 5: another identity
		{bot.SMS, bot.PriorityConversation, false, time.Minute},   // 6: not due yet
		{bot.SMS, bot.PriorityScheduled, false, -2 * time.Minute}, // 7
	}
	ids := make([]uint64, len(rows))
	update(t, s, func(tx bot.Tx) error {
		for i, r := range rows {
			o := &bot.Outbound{ContactID: "c1", To: bot.Address{Channel: r.ch, ID: "1"}, Priority: r.prio, Urgent: r.urgent,
				Status: bot.StatusPending, NextAttempt: t0.Add(r.at)}
			if err := tx.Enqueue(o); err != nil {
				return err
			}
			ids[i] = o.ID
		}
		return nil
	})
	claim := func(c bot.OutboxClaim) []uint64 {
		t.Helper()
		var got []*bot.Outbound
		update(t, s, func(tx bot.Tx) error {
			var err error
			got, err = tx.ClaimOutbound(c)
			return err
		})
		out := []uint64{}
		for _, o := range got {
			if o.Owner != c.Owner || !o.LeaseUntil.Equal(c.Now.Add(c.Lease)) {
				t.Errorf("claimed row %d: owner %q lease %v, want %q %v", o.ID, o.Owner, o.LeaseUntil, c.Owner, c.Now.Add(c.Lease))
			}
			out = append(out, o.ID)
		}
		return out
	}
	at := func(i ...int) []uint64 {
		out := []uint64{}
		for _, n := range i {
			out = append(out, ids[n])
		}
		return out
	}
	sms := func(owner string, now time.Time, limit int) bot.OutboxClaim {
		return bot.OutboxClaim{Owner: owner, Channel: bot.SMS, Now: now, Lease: time.Minute, Limit: limit}
	}
	steps := []struct {
		name  string
		claim bot.OutboxClaim
		want  []uint64
	}{
		{"only rows more pressing than a conversation reply",
			bot.OutboxClaim{Owner: "a", Channel: bot.SMS, Now: t0, Lease: time.Minute, Limit: 10, Before: bot.PriorityConversation}, at(4, 3)},
		{"most pressing first, then oldest; skipped rows left",
			bot.OutboxClaim{Owner: "b", Channel: bot.SMS, Now: t0, Lease: time.Minute, Limit: 3,
				Skip: func(o *bot.Outbound) bool { return o.ID == ids[1] }}, at(2, 0, 7)},
		{"held by others until their lease runs out", sms("c", t0.Add(30*time.Second), 10), at(1)},
		{"an owner gets its own claims back", sms("a", t0.Add(40*time.Second), 10), at(4, 3)},
		{"with SkipOwn, not its live claims, but others' run out and rows newly due",
			bot.OutboxClaim{Owner: "a", Channel: bot.SMS, Now: t0.Add(65 * time.Second), Lease: time.Minute, Limit: 10, SkipOwn: true}, at(2, 6, 0, 7)},
		{"a lease run out passes to another", sms("d", t0.Add(3*time.Minute), 10), at(4, 3, 2, 1, 6, 0, 7)},
		{"another identity's rows are its own",
			bot.OutboxClaim{Owner: "a", Channel: bot.Telegram, Now: t0, Lease: time.Minute, Limit: 10}, at(5)},
	}
	for _, st := range steps {
		if got := claim(st.claim); !slices.Equal(got, st.want) {
			t.Errorf("%s: claimed %v, want %v", st.name, got, st.want)
		}
	}
	// A row no longer pending is never claimed.
	update(t, s, func(tx bot.Tx) error {
		o, err := tx.Outbound(ids[0])
		if err != nil {
			return err
		}
		o.Status = bot.StatusSent
		return tx.PutOutbound(o)
	})
	if got := claim(sms("e", t0.Add(time.Hour), 10)); slices.Contains(got, ids[0]) {
		t.Errorf("a sent row was claimed: %v", got)
	}
	view(t, s, func(tx bot.Tx) error {
		if _, err := tx.ClaimOutbound(sms("f", t0, 1)); err == nil {
			t.Error("ClaimOutbound in a View succeeded")
		}
		return nil
	})
}

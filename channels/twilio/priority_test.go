package twilio_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
)

// At the default TWILIO_RATE of 1 SMS/s with 10,000 check-ins waiting, a
// person who texts risk gets the crisis text as the next message or the
// one after it that the number sends (the one already released by the
// pace may be on its way). It used to wait behind the 16 sends already
// waiting for the pace, or not leave at all while the backlog lasted.
func TestCrisisTextLeavesNextAtOneSMSASecond(t *testing.T) {
	ctx := context.Background()
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	store, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	const backlog, people = 10_000, 500
	err = store.Update(ctx, func(tx bot.Tx) error {
		ids := make([]string, people)
		for i := range people {
			c := &bot.Contact{Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i)}}}
			if err := tx.PutContact(c); err != nil {
				return err
			}
			ids[i] = c.ID
		}
		for i := range backlog {
			if err := tx.Enqueue(&bot.Outbound{ContactID: ids[i%people], To: bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i%people)},
				Text: "How are you this week?", Priority: bot.PriorityScheduled, NextAttempt: time.Now().Add(-time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sender, err := twilio.NewSender(twilio.Config{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken, From: fake.Number,
		APIURL: fake.URL(), Rate: 1})
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.SMS: sender}, outbox.DispatchOptions{})
	cfg := bottest.Config(t, store)
	cfg.OnOutbox = disp.Wake
	eng, err := engine.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- disp.Run(rctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if _, err := fake.WaitMessages(wctx, 1); err != nil {
		t.Fatalf("the backlog did not start: %v", err)
	}
	person := "+447700999001"
	if err := eng.Handle(ctx, bot.Inbound{Address: bot.Address{Channel: bot.SMS, ID: person}, Text: "i want to end it all", ProviderID: "SM-risk"}); err != nil {
		t.Fatal(err)
	}
	before := len(fake.Messages())
	for n := before + 1; ; n++ {
		msgs, err := fake.WaitMessages(wctx, n)
		if err != nil {
			t.Fatalf("the crisis text did not reach Twilio: %v", err)
		}
		for i, m := range msgs[before:] {
			if m.To == person {
				if m.Body != risk.CrisisText {
					t.Fatalf("first message to the person = %q, want the crisis text", m.Body)
				}
				if i > 1 {
					t.Fatalf("the crisis text was message %d after the webhook, want 1st or 2nd", i+1)
				}
				return
			}
		}
		if len(msgs) > before+2 {
			t.Fatalf("%d backlog messages left before the crisis text", len(msgs)-before)
		}
	}
}

package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// TestInstancesOnPostgres: on PostgreSQL, serve's dispatcher shares the
// SMS rate through the database, claims rows under a name no other
// process uses (two on one host must not share one), and looks at the
// outbox often enough to pick up a dead instance's rows; on bbolt
// nothing changes.
func TestInstancesOnPostgres(t *testing.T) {
	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgtest.URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	bs, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "l.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()
	sms, err := twilio.NewSender(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken,
		From: twiliotest.Number, APIURL: "http://127.0.0.1:1", PublicURL: "http://127.0.0.1", Rate: 5})
	if err != nil {
		t.Fatal(err)
	}
	fake := telegramtest.New()
	defer fake.Close()
	tg, err := telegram.New(ctx, telegram.Config{Token: telegramtest.Token, APIURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	c := &config{channels: channelConfig{TwilioRate: 5}}
	senders := map[bot.Channel]bot.Sender{bot.SMS: sms, bot.Telegram: tg}

	sp, ok := c.sharePace(pg, senders)[bot.SMS].(*bot.SharedPace)
	if !ok || sp.Rate != 5 || sp.Key != "pace:sms" {
		t.Fatalf("on PostgreSQL the SMS sender is %T %+v, want a SharedPace at rate 5", c.sharePace(pg, senders)[bot.SMS], sp)
	}
	tp, ok := c.sharePace(pg, senders)[bot.Telegram].(*bot.SharedPace)
	if !ok || tp.Rate != telegram.DefaultRate || tp.Key != "pace:telegram" {
		t.Fatalf("on PostgreSQL the Telegram sender is %T %+v, want a SharedPace at Telegram's rate", c.sharePace(pg, senders)[bot.Telegram], tp)
	}
	if got := c.sharePace(bs, senders)[bot.SMS]; got != bot.Sender(sms) {
		t.Fatalf("on bbolt the SMS sender is %T, want it as it was", got)
	}
	if a, b := claimOwner(pg), claimOwner(pg); a == "" || a == b {
		t.Fatalf("claim owners %q and %q: want a different name for each process start", a, b)
	}
	if claimOwner(bs) != "" || claimLease(bs) != 0 || claimIdle(bs) != 0 {
		t.Fatal("bbolt's dispatcher keeps its defaults")
	}
	if claimLease(pg) <= 0 || claimIdle(pg) <= 0 || claimLease(pg)+claimIdle(pg) > leaderLease+15e9 {
		t.Fatalf("PostgreSQL claim lease %s and idle %s", claimLease(pg), claimIdle(pg))
	}
}

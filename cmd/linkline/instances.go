package main

import (
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/store/postgres"
)

// sharePace, on PostgreSQL, makes the instances sending from one Twilio
// number (or WhatsApp sender) share its rate through a token bucket in the
// database (bot.SharedPace), so that two instances do not together send
// twice TWILIO_RATE and meet Twilio's 429s. On bbolt one process sends,
// and senders are returned as they are. Telegram keeps its per-instance
// pace: its limits are per chat and per bot at 30 a second, and its 429
// names the wait, which the sender honours.
func (c *config) sharePace(store bot.Store, senders map[bot.Channel]bot.Sender) map[bot.Channel]bot.Sender {
	if _, ok := store.(*postgres.DB); !ok {
		return senders
	}
	// A Telegram bot's overall rate is Telegram's limit on the bot, so
	// instances sharing one bot share it too; its per-chat rate stays with
	// each instance.
	rates := map[bot.Channel]float64{bot.SMS: c.channels.TwilioRate, bot.WhatsApp: c.channels.WhatsAppRate, bot.Telegram: telegram.DefaultRate}
	out := make(map[bot.Channel]bot.Sender, len(senders))
	for ch, s := range senders {
		out[ch] = s
		if p, ok := s.(bot.PacedSender); ok && rates[ch] > 0 {
			out[ch] = &bot.SharedPace{PacedSender: p, Store: store, Key: "pace:" + string(ch), Rate: rates[ch]}
		}
	}
	return out
}

// claimLease is how long a dispatcher's claim on an outbox row lasts
// before another may send the row: on bbolt the dispatcher's default (one
// process: a claim outlives only a crash, and the restarted process takes
// its own rows back at once); on PostgreSQL 30 seconds, so that when an
// instance dies the others send the rows it had claimed within half a
// minute. A claim is renewed before each send when it runs low.
func claimLease(store bot.Store) time.Duration {
	if _, ok := store.(*postgres.DB); ok {
		return 30 * time.Second
	}
	return 0
}

// claimOwner names this process's dispatcher in its claims on outbox
// rows. On bbolt it is the dispatcher's default, the host's name, the
// same after a restart, so that a restarted server takes its own rows
// back at once. On PostgreSQL every instance needs a name of its own,
// also when several run on one host (a dispatcher treats rows claimed
// under its own name as its own): the host, the process and its start.
// A restarted instance's old rows then go out once their claim runs out,
// and, as no row under its name predates it, its claims pass over the
// rows it holds rather than lock them (DispatchOptions.OwnerPerProcess).
func claimOwner(store bot.Store) string {
	if _, ok := store.(*postgres.DB); ok {
		return leaseHolder()
	}
	return ""
}

// claimIdle is the longest a dispatcher waits before looking at the
// outbox again unwoken: the default minute on bbolt; on PostgreSQL 10
// seconds, because nothing wakes an instance when another's claims run
// out (the other has died), so the rows a dead instance had claimed go
// out within claimLease plus this.
func claimIdle(store bot.Store) time.Duration {
	if _, ok := store.(*postgres.DB); ok {
		return 10 * time.Second
	}
	return 0
}

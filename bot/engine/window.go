package engine

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
)

// outKind is the Kind of the messages this turn queues.
func (t *turn) outKind() string {
	switch {
	case strings.HasPrefix(t.author, "worker:"):
		return bot.OutWorker
	case t.timerKind != "":
		return string(t.timerKind)
	}
	return bot.OutReply
}

// recordOptIn records, for a person whose first message to the service
// came on WhatsApp, that they opted in by writing first: WhatsApp's policy
// asks a business to keep that record before it sends templates.
func recordOptIn(tx bot.Tx, c *bot.Contact, a bot.Address, now time.Time) error {
	if a.Channel != bot.WhatsApp {
		return nil
	}
	return tx.AddEvent(&bot.Event{At: now, Kind: bot.EventOptIn, ContactID: c.ID,
		Data: map[string]string{"by": "first message", "channel": string(a.Channel)}})
}

// maxProfileName bounds the WhatsApp name kept: WhatsApp's own limit is
// far below it.
const maxProfileName = 100

// profileName is the WhatsApp profile name an inbound message carries,
// made safe to keep and show: valid text on one line, cut short; "" for
// other channels.
func profileName(in *bot.Inbound) string {
	if in.Address.Channel != bot.WhatsApp {
		return ""
	}
	name := strings.Join(strings.Fields(strings.ToValidUTF8(in.ProfileName, "")), " ")
	if utf8.RuneCountInString(name) > maxProfileName {
		name = string([]rune(name)[:maxProfileName])
	}
	return name
}

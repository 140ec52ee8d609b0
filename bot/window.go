package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of outbound message that are not sent by a timer (timers use their
// TimerKind as the Kind).
const (
	// OutReply is the bot's answer to a message the person just sent.
	OutReply = "reply"
	// OutWorker is a link worker's message from the console.
	OutWorker = "worker"
)

// WhatsAppWindow is how long after a person's last message WhatsApp lets a
// business send free-form messages; after it only approved templates go.
const WhatsAppWindow = 24 * time.Hour

// CodeOutsideWindow is Twilio's error for a free-form WhatsApp message sent
// outside the 24-hour window.
const CodeOutsideWindow = "63016"

// outKind is the Kind of the messages this turn queues.
func (t *turn) outKind() string {
	switch {
	case strings.HasPrefix(t.author, "worker:"):
		return OutWorker
	case t.timerKind != "":
		return string(t.timerKind)
	}
	return OutReply
}

// retryAsTemplate handles a report that a free-form WhatsApp message was
// refused because the 24-hour window had closed: the row goes back to the
// outbox marked Template, so the channel sends the approved template for
// its kind instead (or fails it at once, saying none is configured). It
// reports whether it took the report; a row already sent as a template is
// left to fail as usual.
func retryAsTemplate(tx Tx, o *Outbound, status OutStatus, errorCode string, now time.Time) (bool, error) {
	if errorCode != CodeOutsideWindow || o.To.Channel != WhatsApp || o.Template ||
		(status != StatusFailed && status != StatusUndelivered) {
		return false, nil
	}
	o.Template, o.Status, o.NextAttempt, o.UpdatedAt = true, StatusPending, now, now
	o.ErrorCode, o.Error = errorCode, "outside WhatsApp's 24-hour window: sending the approved template"
	if err := tx.PutOutbound(o); err != nil {
		return false, err
	}
	return true, tx.AddEvent(&Event{At: now, Kind: EventDeliveryFailed, ContactID: o.ContactID,
		Data: map[string]string{"outbox_id": fmt.Sprint(o.ID), "code": errorCode, "then": "template"}})
}

// recordOptIn records, for a person whose first message to the service
// came on WhatsApp, that they opted in by writing first: WhatsApp's policy
// asks a business to keep that record before it sends templates.
func recordOptIn(tx Tx, c *Contact, a Address, now time.Time) error {
	if a.Channel != WhatsApp {
		return nil
	}
	return tx.AddEvent(&Event{At: now, Kind: EventOptIn, ContactID: c.ID,
		Data: map[string]string{"by": "first message", "channel": string(a.Channel)}})
}

// maxProfileName bounds the WhatsApp name kept: WhatsApp's own limit is
// far below it.
const maxProfileName = 100

// profileName is the WhatsApp profile name an inbound message carries,
// made safe to keep and show: valid text on one line, cut short; "" for
// other channels.
func profileName(in *Inbound) string {
	if in.Address.Channel != WhatsApp {
		return ""
	}
	name := strings.Join(strings.Fields(strings.ToValidUTF8(in.ProfileName, "")), " ")
	if utf8.RuneCountInString(name) > maxProfileName {
		name = string([]rune(name)[:maxProfileName])
	}
	return name
}

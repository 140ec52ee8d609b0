package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// EarlyStatusKey is the setting that holds a delivery report that came
// before the dispatcher recorded its provider id.
func EarlyStatusKey(providerID string) string { return "early-status:" + providerID }

// ApplyEarlyStatus applies a report that arrived before o's provider id
// was recorded.
func ApplyEarlyStatus(tx Tx, o *Outbound, now time.Time) error {
	v, err := tx.Setting(EarlyStatusKey(o.ProviderID))
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	status, code, _ := strings.Cut(v, " ")
	if err := tx.PutSetting(EarlyStatusKey(o.ProviderID), ""); err != nil {
		return err
	}
	return ApplyStatus(tx, o, OutStatus(status), code, now)
}

// ApplyStatus records a provider's delivery report on o, with what follows
// from it: a retry as a WhatsApp template, an opt-out (Twilio 21610), or
// the address marked unreachable.
func ApplyStatus(tx Tx, o *Outbound, status OutStatus, errorCode string, now time.Time) error {
	// Reports arrive out of order: delivered is final, and a late "sent"
	// does not undo a failure.
	switch {
	case o.Status == StatusDelivered:
		return nil
	case (o.Status == StatusFailed || o.Status == StatusUndelivered) && status == StatusSent:
		return nil
	}
	if retried, err := retryAsTemplate(tx, o, status, errorCode, now); retried || err != nil {
		return err
	}
	o.Status, o.UpdatedAt = status, now
	if errorCode != "" {
		o.ErrorCode = errorCode
	}
	if err := tx.PutOutbound(o); err != nil {
		return err
	}
	if status == StatusFailed || status == StatusUndelivered {
		if err := tx.AddEvent(&Event{At: now, Kind: EventDeliveryFailed, ContactID: o.ContactID,
			Data: map[string]string{"outbox_id": fmt.Sprint(o.ID), "code": errorCode}}); err != nil {
			return err
		}
	}
	if errorCode == "21610" {
		return OptOut(tx, o.ContactID, now, "provider")
	}
	if unreachableCodes[errorCode] && (status == StatusFailed || status == StatusUndelivered) {
		return MarkUnreachable(tx, o.ContactID, o.To.Channel, errorCode, now)
	}
	return nil
}

// OptOut records that the contact asked (or their provider said) to get
// no more messages; by says who.
func OptOut(tx Tx, contactID string, now time.Time, by string) error {
	c, err := tx.Contact(contactID)
	if err != nil {
		return err
	}
	if c.OptedOut {
		return nil
	}
	c.OptedOut, c.OptedOutAt = true, now
	if err := tx.PutContact(c); err != nil {
		return err
	}
	return tx.AddEvent(&Event{At: now, Kind: EventOptOut, ContactID: c.ID, Data: map[string]string{"by": by}})
}

// unreachableCodes are provider codes, reported in delivery callbacks,
// which mean the address can never be reached on that channel: Twilio
// 30005 (unknown destination), 30006 (landline or unreachable carrier),
// 21614 (not a mobile number), 63003 (not a WhatsApp user).
var unreachableCodes = map[string]bool{"30005": true, "30006": true, "21614": true, "63003": true}

// MarkUnreachable marks the contact's channel unreachable, so nothing more
// is tried on it (the dispatcher suppresses), and records why.
func MarkUnreachable(tx Tx, contactID string, ch Channel, code string, now time.Time) error {
	c, err := tx.Contact(contactID)
	if err != nil {
		return err
	}
	if slices.Contains(c.Unreachable, ch) {
		return nil
	}
	c.Unreachable = append(c.Unreachable, ch)
	if err := tx.PutContact(c); err != nil {
		return err
	}
	return tx.AddEvent(&Event{At: now, Kind: EventUnreachable, ContactID: contactID,
		Data: map[string]string{"channel": string(ch), "code": code}})
}

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

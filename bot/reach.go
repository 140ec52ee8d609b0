package bot

import (
	"slices"
	"time"
)

// EventUnreachable records that a channel reported a person cannot be
// reached on it; Data holds the channel and the provider's code.
const EventUnreachable = "contact.unreachable"

// unreachableCodes are provider codes, reported in delivery callbacks,
// which mean the address can never be reached on that channel: Twilio
// 30005 (unknown destination), 30006 (landline or unreachable carrier),
// 21614 (not a mobile number), 63003 (not a WhatsApp user).
var unreachableCodes = map[string]bool{"30005": true, "30006": true, "21614": true, "63003": true}

// markUnreachable marks the contact's channel unreachable, so nothing more
// is tried on it (the dispatcher suppresses), and records why.
func markUnreachable(tx Tx, contactID string, ch Channel, code string, now time.Time) error {
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

// reachable is what a person writing on ch proves: ch reaches them again
// (they unblocked the bot, or a number reported unknown works after all).
func reachable(c *Contact, ch Channel) {
	c.Unreachable = slices.DeleteFunc(slices.Clone(c.Unreachable), func(x Channel) bool { return x == ch })
	if len(c.Unreachable) == 0 {
		c.Unreachable = nil
	}
}

package bot

import (
	"context"
	"errors"
	"slices"
	"time"
)

// EventUnreachable records that a channel reported a person cannot be
// reached on it; Data holds the channel and the provider's code.
const EventUnreachable EventKind = "contact.unreachable"

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

// SetReachable records what a channel says about whether an address
// reaches its person: Telegram tells a bot at once when the person blocks
// it (reachable false: nothing more is tried on that channel) and when
// they unblock it (true). why is the channel's reason, for the record. An
// address no contact has is ignored.
func (e *Engine) SetReachable(ctx context.Context, a Address, ok bool, why string) error {
	defer e.lock(a.String())() // in turn with the address's messages
	return e.cfg.Store.Update(ctx, func(tx Tx) error {
		if err := lockAddress(tx, a); err != nil {
			return err
		}
		c, err := lockContactAt(tx, a)
		if errors.Is(err, ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if !ok {
			return markUnreachable(tx, c.ID, a.Channel, why, e.cfg.Clock.Now())
		}
		if !slices.Contains(c.Unreachable, a.Channel) {
			return nil
		}
		reachable(c, a.Channel)
		if err := tx.PutContact(c); err != nil {
			return err
		}
		return tx.AddEvent(&Event{At: e.cfg.Clock.Now(), Kind: EventReachable, ContactID: c.ID,
			Data: map[string]string{"channel": string(a.Channel), "why": why}})
	})
}

// EventReachable records that a channel reaches a person again.
const EventReachable EventKind = "contact.reachable"

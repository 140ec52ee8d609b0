package engine

import (
	"context"
	"errors"
	"slices"

	"github.com/linkline/linkline/bot"
)

// reachable is what a person writing on ch proves: ch reaches them again
// (they unblocked the bot, or a number reported unknown works after all).
func reachable(c *bot.Contact, ch bot.Channel) {
	c.Unreachable = slices.DeleteFunc(slices.Clone(c.Unreachable), func(x bot.Channel) bool { return x == ch })
	if len(c.Unreachable) == 0 {
		c.Unreachable = nil
	}
}

// SetReachable records what a channel says about whether an address
// reaches its person: Telegram tells a bot at once when the person blocks
// it (reachable false: nothing more is tried on that channel) and when
// they unblock it (true). why is the channel's reason, for the record. An
// address no contact has is ignored.
func (e *Engine) SetReachable(ctx context.Context, a bot.Address, ok bool, why string) error {
	defer e.lock(a.String())() // in turn with the address's messages
	return e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockAddress(tx, a); err != nil {
			return err
		}
		c, err := bot.LockContactAt(tx, a)
		if errors.Is(err, bot.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if !ok {
			return bot.MarkUnreachable(tx, c.ID, a.Channel, why, e.cfg.Clock.Now())
		}
		if !slices.Contains(c.Unreachable, a.Channel) {
			return nil
		}
		reachable(c, a.Channel)
		if err := tx.PutContact(c); err != nil {
			return err
		}
		return tx.AddEvent(&bot.Event{At: e.cfg.Clock.Now(), Kind: bot.EventReachable, ContactID: c.ID,
			Data: map[string]string{"channel": string(a.Channel), "why": why}})
	})
}

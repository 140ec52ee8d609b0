package console

import (
	"context"
	"time"

	"github.com/linkline/linkline/bot"
)

// Sign-in limits: an account may try 5 times, then once a minute; an IP
// address 20 times, then once every 6 seconds.
const (
	accountBurst = 5
	accountEvery = time.Minute
	ipBurst      = 20
	ipEvery      = 6 * time.Second
)

// allowSignIn takes a sign-in attempt from the address's allowance and,
// if there was one, from the account's. The allowances are token buckets
// in the store (Tx.TakeToken): every process shares them and a restart
// does not reset them; the store forgets those full again. Keys are
// hashed, so the store holds no address or email for them.
func (c *Console) allowSignIn(ctx context.Context, ip, email string) (bool, error) {
	var ok bool
	err := c.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		now := c.cfg.Clock.Now()
		var err error
		ok, err = tx.TakeToken("signin:ip:"+bot.HashToken(ip), ipBurst, ipEvery, now)
		if err != nil || !ok {
			return err
		}
		ok, err = tx.TakeToken("signin:account:"+bot.HashToken(email), accountBurst, accountEvery, now)
		return err
	})
	return ok, err
}

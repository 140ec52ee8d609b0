package multitest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// TestLeaderFailover: the leader loses its database (its backends ended
// with pg_terminate_backend, its network cut). The other instance takes
// the lease at a higher epoch, every reply is still sent, no more are
// sent twice than the old leader had claimed and not recorded, and once
// the network is back the old leader's late writes are refused.
func TestLeaderFailover(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	c := newCluster(t)
	// Sends slow enough that a has rows claimed when it is cut off.
	c.rate = 20
	p := newProxy(t, targetOf(t, dbURL))
	quiet := slog.New(slog.DiscardHandler)
	dbA, err := postgres.Open(ctx, p.via(t, dbURL, "linkline-a"), postgres.Options{Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	a := c.start("a", dbA)
	waitFor(t, 10*time.Second, "a to lead", func() bool { return a.epoch.Load() > 0 })
	dbB, err := postgres.Open(ctx, dbURL, postgres.Options{Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	b := c.start("b", dbB)
	num := func(i int) string { return fmt.Sprintf("+4477009005%02d", i) }

	const before, after = 20, 40
	for i := range before {
		[]*instance{a, b}[i%2].say(t, c.fake, num(i), "hello")
	}
	waitFor(t, 30*time.Second, "the first replies", func() bool { return len(c.fake.Messages()) >= 2*before })

	// More people write to b; a's dispatcher joins in sending, and is cut
	// off mid-way.
	for i := before; i < before+after; i++ {
		b.say(t, c.fake, num(i), "hello")
	}
	p.partition()
	terminate(t, dbURL, "linkline-a")
	var inFlight int
	if err := dbB.View(ctx, func(tx bot.Tx) error {
		return tx.Outbox(func(o *bot.Outbound) bool {
			if o.Status == bot.StatusPending && o.Owner == "a" {
				inFlight++
			}
			return true
		})
	}); err != nil {
		t.Fatal(err)
	}

	waitFor(t, 30*time.Second, "b to lead", func() bool { return b.epoch.Load() > a.led.Load() })
	waitFor(t, 30*time.Second, "a to stop leading", func() bool { return a.epoch.Load() == 0 })
	waitFor(t, time.Minute, "every reply", func() bool {
		for i := range before + after {
			if len(counts(c.fake.MessagesTo(num(i)))) < 2 {
				return false
			}
		}
		return true
	})
	waitFor(t, 30*time.Second, "the outbox to empty", func() bool { return pending(t, dbB) == 0 })
	dups := len(c.fake.Messages()) - 2*(before+after)
	if dups > inFlight {
		t.Fatalf("%d replies sent twice, but a had only %d rows in flight", dups, inFlight)
	}
	t.Logf("a had %d rows in flight; %d sent twice; b leads at epoch %d after a's %d", inFlight, dups, b.epoch.Load(), a.led.Load())

	// The network comes back: a's writes under its old epoch are refused.
	p.heal()
	late := postgres.WithFence(ctx, "background", a.holder, a.led.Load())
	err = dbA.Update(late, func(tx bot.Tx) error { return tx.PutSetting("late-write", "from a") })
	if !errors.Is(err, postgres.ErrFenced) {
		t.Fatalf("a's late write: %v, want ErrFenced", err)
	}
	err = dbB.View(ctx, func(tx bot.Tx) error {
		_, err := tx.Setting("late-write")
		return err
	})
	if !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("a's late write landed (%v)", err)
	}
	if a.epoch.Load() != 0 {
		t.Fatal("a leads again while b holds the lease")
	}
}

package console

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/store/bolt"
)

// BenchmarkInboxCounts measures what the inbox's "Resolved today" view,
// its pending safety checks and a week's Reports page cost over event
// logs of growing size. Each log holds the same recent events (20
// handoffs opened and resolved today, 5 people asked "Are you safe?",
// 20 link-worker replies) after older ones of every kind, over the 60
// days before the week the report asks for; only the older ones grow. "indexed" is the console as it is
// (the store seeks by kind and time); "scan" reads the log from its
// start, as the console did before, for comparison. Sizes are
// LINKLINE_BENCH_EVENTS (comma-separated; default 10000,100000):
//
//	go test -run '^$' -bench BenchmarkInboxCounts -benchtime 50x ./console/
func BenchmarkInboxCounts(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if v := os.Getenv("LINKLINE_BENCH_EVENTS"); v != "" {
		sizes = nil
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				b.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, size := range sizes {
		c, now := countsConsole(b, size)
		ctx := context.Background()
		b.Run(fmt.Sprintf("indexed/log=%d", size), func(b *testing.B) {
			for b.Loop() {
				err := c.cfg.Store.View(ctx, func(tx bot.Tx) error {
					rows, err := c.resolvedToday(tx, func(string) string { return "" })
					if err == nil && len(rows) != 20 {
						err = fmt.Errorf("resolved today: %d rows, want 20", len(rows))
					}
					if err != nil {
						return err
					}
					safety, err := c.safetyPending(tx)
					if err == nil && len(safety) != 5 {
						err = fmt.Errorf("safety pending: %d, want 5", len(safety))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.serviceReport(ctx, outcomeRange{From: now.Add(-7 * 24 * time.Hour)}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("scan/log=%d", size), func(b *testing.B) {
			for b.Loop() {
				// The same three reads as the log-from-the-start filter
				// they were.
				err := c.cfg.Store.View(ctx, func(tx bot.Tx) error {
					for _, since := range []time.Time{startOfDay(now, time.UTC), now.Add(-safetyWindow), now.Add(-7 * 24 * time.Hour)} {
						n := 0
						if err := tx.Events(func(e *bot.Event) bool {
							if !e.At.Before(since) {
								n++
							}
							return true
						}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// countsConsole is a console over a new bbolt store holding size older
// events and the same recent ones whatever the size.
func countsConsole(b *testing.B, size int) (*Console, time.Time) {
	b.Helper()
	ctx := context.Background()
	store, err := bolt.Open(ctx, filepath.Join(b.TempDir(), "counts.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	kinds := []bot.EventKind{bot.EventConvStarted, bot.EventConvDone, bot.EventHandoffOpened, bot.EventHandoffResolved,
		bot.EventRisk, bot.EventWorkerReply, bot.EventReferralCreated}
	const batch = 5000
	for lo := 0; lo < size; lo += batch {
		err := store.Update(ctx, func(tx bot.Tx) error {
			for i := lo; i < min(lo+batch, size); i++ {
				// Spread over the 60 days before the week the report
				// asks for, oldest first.
				at := now.Add(-68*24*time.Hour + time.Duration(i)*(60*24*time.Hour/time.Duration(size)))
				e := &bot.Event{At: at, Kind: kinds[i%len(kinds)], ContactID: fmt.Sprint("old", i%5000),
					Data: map[string]string{"handoff": "h-old", "tier": "concern"}}
				if err := tx.AddEvent(e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	err = store.Update(ctx, func(tx bot.Tx) error {
		for i := range 20 {
			at := now.Add(-time.Duration(i+1) * 10 * time.Minute)
			ct := &bot.Contact{Name: fmt.Sprint("Person ", i), CreatedAt: at, Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprintf("+44770090%04d", i)}}}
			if i < 5 {
				ct.SafetyAsked = at
			}
			if err := tx.PutContact(ct); err != nil {
				return err
			}
			h := &bot.Handoff{ContactID: ct.ID, Reason: bot.ReasonAsked, OpenedAt: at, ClaimedAt: at.Add(time.Minute), ResolvedAt: at.Add(5 * time.Minute)}
			if err := tx.PutHandoff(h); err != nil {
				return err
			}
			for _, e := range []*bot.Event{
				{At: at, Kind: bot.EventHandoffOpened, ContactID: ct.ID, Data: map[string]string{"handoff": h.ID}},
				{At: at.Add(2 * time.Minute), Kind: bot.EventWorkerReply, ContactID: ct.ID},
				{At: at.Add(5 * time.Minute), Kind: bot.EventHandoffResolved, ContactID: ct.ID, Data: map[string]string{"handoff": h.ID}},
			} {
				if err := tx.AddEvent(e); err != nil {
					return err
				}
			}
			if i < 5 {
				if err := tx.AddEvent(&bot.Event{At: at, Kind: bot.EventRisk, ContactID: ct.ID, Data: map[string]string{"tier": string(bot.RiskConcern)}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ecfg := bottest.Config(b, store)
	clock := bot.NewManualClock(now)
	ecfg.Clock = clock
	eng, err := engine.NewEngine(ecfg)
	if err != nil {
		b.Fatal(err)
	}
	return New(Config{Store: store, Engine: eng, Clock: clock}), now
}

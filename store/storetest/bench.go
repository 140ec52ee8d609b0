package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// BenchEventsOfKind measures Tx.EventsOfKind reading today's 20 events of
// one kind from logs of each size in sizes, whose older events (of seven
// kinds, over the 60 days before) are all that grows: a store that seeks
// by kind and time costs the same at every size. open returns a new,
// empty store. A backend runs it from a benchmark of its own:
//
//	func BenchmarkEventsOfKind(b *testing.B) {
//		storetest.BenchEventsOfKind(b, []int{10_000, 100_000}, open)
//	}
func BenchEventsOfKind(b *testing.B, sizes []int, open func(b *testing.B) bot.Store) {
	ctx := context.Background()
	kinds := []bot.EventKind{bot.EventConvStarted, bot.EventConvDone, bot.EventHandoffOpened, bot.EventHandoffResolved,
		bot.EventRisk, bot.EventWorkerReply, bot.EventReferralCreated}
	today := t0.Truncate(24 * time.Hour)
	for _, size := range sizes {
		s := open(b)
		const batch = 2000
		for lo := 0; lo < size; lo += batch {
			err := s.Update(ctx, func(tx bot.Tx) error {
				for i := lo; i < min(lo+batch, size); i++ {
					at := today.Add(-61*24*time.Hour + time.Duration(i)*(60*24*time.Hour/time.Duration(size)))
					if err := tx.AddEvent(&bot.Event{At: at, Kind: kinds[i%len(kinds)], ContactID: fmt.Sprint("c", i%5000)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		err := s.Update(ctx, func(tx bot.Tx) error {
			for i := range 20 {
				if err := tx.AddEvent(&bot.Event{At: today.Add(time.Duration(i) * time.Minute), Kind: bot.EventHandoffResolved, ContactID: "today"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("log=%d", size), func(b *testing.B) {
			for b.Loop() {
				n := 0
				err := s.View(ctx, func(tx bot.Tx) error {
					return tx.EventsOfKind(bot.EventHandoffResolved, today, func(*bot.Event) bool { n++; return true })
				})
				if err != nil || n != 20 {
					b.Fatalf("EventsOfKind passed %d events, %v; want 20", n, err)
				}
			}
		})
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

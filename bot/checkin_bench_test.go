package bot_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// seedCheckins stores n contacts, each with a weekly check-in due at
// 10:00 on Monday 30 November 2026, in transactions of 1000.
func seedCheckins(tb testing.TB, w *world, n int) {
	tb.Helper()
	ctx := context.Background()
	due := ldn(2026, 11, 30, 10, 0)
	for start := 0; start < n; start += 1000 {
		err := w.store.Update(ctx, func(tx bot.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				c := &bot.Contact{Addresses: []bot.Address{benchAddr(i)}, Name: "Pat", Locale: "en", CreatedAt: w.clock.Now()}
				if err := tx.PutContact(c); err != nil {
					return err
				}
				s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday,
					LocalTime: "10:00", Zone: bot.DefaultZone, Start: w.clock.Now(), Next: due, CreatedAt: w.clock.Now()}
				if err := tx.PutSchedule(s); err != nil {
					return err
				}
				if err := tx.PutTimer(&bot.Timer{ID: "checkin:" + s.ID, Due: due, Kind: bot.TimerCheckin, ContactID: c.ID, Ref: s.ID}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// runningClock runs in real time from base.
type runningClock struct{ base, start time.Time }

func (c runningClock) Now() time.Time { return c.base.Add(time.Since(c.start)) }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// peakHeap samples the heap in use until stop is closed and returns the
// largest sample, in MiB.
func peakHeap(stop <-chan struct{}) <-chan float64 {
	out := make(chan float64, 1)
	go func() {
		var peak uint64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- float64(peak) / (1 << 20)
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// BenchmarkCheckinsDue is the large-send benchmark of docs/benchmarks.md:
// LINKLINE_BENCH_CHECKINS contacts (default 10,000) whose check-ins all
// fall due at the same minute, started by the scheduler (phase 1) and then
// sent through the real Twilio sender, paced at LINKLINE_BENCH_RATE
// messages a second (default 500), to the fake Twilio, which answers 429
// to anything faster than that rate (phase 2). It reports each phase's
// time and peak heap, the achieved send rate and the 429s.
func BenchmarkCheckinsDue(b *testing.B) {
	n := envInt("LINKLINE_BENCH_CHECKINS", 10_000)
	rate := envInt("LINKLINE_BENCH_RATE", 500)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b)
		seedCheckins(b, w, n)
		w.clock.Advance(ldn(2026, 11, 30, 10, 0).Sub(w.clock.Now()))
		runtime.GC()

		// Phase 1: start every check-in; each queues two messages.
		stop := make(chan struct{})
		peak := peakHeap(stop)
		b.StartTimer()
		start := time.Now()
		fired, err := w.sched.FireDue(ctx)
		fire := time.Since(start)
		b.StopTimer()
		close(stop)
		firePeak := <-peak
		if err != nil || fired != n {
			b.Fatalf("fired %d of %d: %v", fired, n, err)
		}

		// Phase 2: send them, paced, to a fake that refuses excess.
		fake := twiliotest.New()
		fake.SetRateLimit(float64(rate))
		sender, err := twilio.NewSender(twilio.Config{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
			From: "+447700900000", APIURL: fake.URL(), Rate: float64(rate)})
		if err != nil {
			b.Fatal(err)
		}
		// Real time from the world's "now", so that retries fall due.
		disp := bot.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: sender},
			bot.DispatchOptions{Clock: runningClock{base: w.clock.Now(), start: time.Now()}, Workers: 32, BaseBackoff: time.Second})
		runtime.GC()
		stop = make(chan struct{})
		peak = peakHeap(stop)
		dctx, cancel := context.WithCancel(ctx)
		go func() { _ = disp.Run(dctx) }()
		b.StartTimer()
		start = time.Now()
		want := 2 * n
		last, lastAt := 0, time.Now()
		for got := fake.Stats().Accepted; got < want; got = fake.Stats().Accepted {
			if got != last {
				last, lastAt = got, time.Now()
			} else if time.Since(lastAt) > time.Minute {
				b.Fatalf("sending stalled at %d of %d: %+v", got, want, fake.Stats())
			}
			time.Sleep(20 * time.Millisecond)
		}
		send := time.Since(start)
		b.StopTimer()
		cancel()
		close(stop)
		sendPeak := <-peak
		st := fake.Stats()
		// The fake Twilio runs in this process and keeps every message it
		// accepted: measure its share of the heap by dropping it.
		heapNow := func() float64 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return float64(ms.HeapInuse) / (1 << 20)
		}
		withFake := heapNow()
		fake.Close()
		fake = nil
		b.ReportMetric(withFake-heapNow(), "fake-twilio-heap-MiB")

		b.ReportMetric(fire.Seconds(), "fire-s")
		b.ReportMetric(float64(n)/fire.Seconds(), "checkins/s")
		b.ReportMetric(firePeak, "fire-peak-heap-MiB")
		b.ReportMetric(send.Seconds(), "send-s")
		b.ReportMetric(float64(want)/send.Seconds(), "sent/s")
		b.ReportMetric(float64(rate), "rate/s")
		b.ReportMetric(sendPeak, "send-peak-heap-MiB")
		b.ReportMetric(float64(st.Throttled), "429s")
		b.StartTimer()
	}
}

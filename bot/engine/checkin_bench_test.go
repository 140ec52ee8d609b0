package engine_test

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
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

// peakHeap samples the heap until stop is closed and returns the largest
// samples, in MiB, of the heap in use (live objects and garbage not yet
// collected: what the process holds) and of the live heap (what the last
// collection found reachable).
func peakHeap(stop <-chan struct{}) <-chan [2]float64 {
	out := make(chan [2]float64, 1)
	go func() {
		var inuse, live uint64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			inuse = max(inuse, ms.HeapInuse)
			live = max(live, liveHeap())
			select {
			case <-stop:
				out <- [2]float64{float64(inuse) / (1 << 20), float64(live) / (1 << 20)}
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// liveHeap is the heap the last garbage collection found reachable.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
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
		firePeak := (<-peak)[0]
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
		disp := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: sender},
			outbox.DispatchOptions{Clock: runningClock{base: w.clock.Now(), start: time.Now()}, Workers: 32, BaseBackoff: time.Second})
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
		if path := os.Getenv("LINKLINE_BENCH_HEAPPROFILE"); path != "" {
			writeHeapProfile(b, path)
		}
		cancel()
		close(stop)
		sendPeaks := <-peak
		sendPeak, sendLive := sendPeaks[0], sendPeaks[1]
		st := fake.Stats()
		// The fake Twilio runs in this process and keeps every message it
		// accepted: measure its share of the live heap by dropping it, and
		// report the system's own live heap without it.
		liveNow := func() float64 {
			runtime.GC() // a full collection and sweep: what is allocated is live
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return float64(ms.HeapAlloc) / (1 << 20)
		}
		withFake := liveNow()
		fake.Close()
		fake = nil
		time.Sleep(time.Second) // the fake's connections' goroutines end
		fakeShare := withFake - liveNow()
		if path := os.Getenv("LINKLINE_BENCH_HEAPPROFILE"); path != "" {
			writeHeapProfile(b, path+".nofake")
		}
		b.ReportMetric(fakeShare, "fake-twilio-heap-MiB")
		b.ReportMetric(sendLive, "send-peak-live-MiB")
		b.ReportMetric(withFake-fakeShare, "send-end-live-less-fake-MiB")

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

// writeHeapProfile writes the live heap to path, for finding what the send
// phase keeps (LINKLINE_BENCH_HEAPPROFILE).
func writeHeapProfile(tb testing.TB, path string) {
	tb.Helper()
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		tb.Fatal(err)
	}
}

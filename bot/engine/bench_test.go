package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/flows"
)

// benchFlow keeps every contact mid-flow for ever: two free-text questions
// that lead to each other, so each message is a full flow step.
const benchFlow = `
id: bench
start: ask
states:
  ask: {say: [referral.ask_what_matters], expect: text, save: a, next: again}
  again: {say: [referral.ask_needs_other], expect: text, save: b, next: ask}
`

const benchContacts = 10_000

func benchWorld(b *testing.B, opts ...option) *world {
	set, err := flows.Load(fstest.MapFS{"bench.yaml": {Data: []byte(benchFlow)}})
	if err != nil {
		b.Fatal(err)
	}
	w := newWorld(b, append([]option{func(c *engine.Config) { c.Flows, c.StartFlow = set, "bench" }}, opts...)...)
	// Put 10k contacts mid-flow.
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 64 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < benchContacts; i = next.Add(1) - 1 {
				in := bot.Inbound{Address: benchAddr(int(i)), Text: "hello", ProviderID: fmt.Sprintf("seed-%d", i)}
				if err := w.engine.Handle(context.Background(), in); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return w
}

func benchAddr(i int) bot.Address {
	return bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i)}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkHandleSequential is one sender at a time: every message waits
// for its own fsync.
func BenchmarkHandleSequential(b *testing.B) {
	w := benchWorld(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		in := bot.Inbound{Address: benchAddr(i % benchContacts), Text: "some words", ProviderID: fmt.Sprintf("s-%d", i)}
		if err := w.engine.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	reportLatency(b, lat)
}

// BenchmarkHandleParallel is many people texting at once (256 concurrent
// senders): concurrent messages share commits.
func BenchmarkHandleParallel(b *testing.B) {
	w := benchWorld(b)
	ctx := context.Background()
	var n atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.SetParallelism(128) // × GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			i := n.Add(1)
			start := time.Now()
			in := bot.Inbound{Address: benchAddr(int(i) % benchContacts), Text: "some words", ProviderID: fmt.Sprintf("p-%d", i)}
			if err := w.engine.Handle(ctx, in); err != nil {
				b.Error(err)
				return
			}
			local = append(local, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, local...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	reportLatency(b, lat)
}

// BenchmarkHandlePaced1000 offers messages at a steady 1,000 a second, the
// rate at which the p99 target is set, and reports latency.
func BenchmarkHandlePaced1000(b *testing.B) {
	w := benchWorld(b)
	ctx := context.Background()
	lat := make([]time.Duration, b.N)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var wg sync.WaitGroup
	b.ResetTimer()
	for i := range b.N {
		<-tick.C
		wg.Go(func() {
			start := time.Now()
			in := bot.Inbound{Address: benchAddr(i % benchContacts), Text: "some words", ProviderID: fmt.Sprintf("r-%d", i)}
			if err := w.engine.Handle(ctx, in); err != nil {
				b.Error(err)
			}
			lat[i] = time.Since(start)
		})
	}
	wg.Wait()
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkHandleWrites reports how many bytes (in 4 KiB pages) the store
// writes to its file a message, with one sender (each message its own
// commit) and with 64 (messages share commits). Unlike msgs/s this does
// not depend on what else the machine is doing, so it shows a change in
// the store's layout on a busy machine. Linux only (it reads the process's
// write count from /proc/self/io); on PostgreSQL it counts only the
// client's writes, which says nothing.
//
// The engine reads the wall clock here, as in production. On the tests'
// stopped clock every message has the same time, so an index keyed by
// time then id (provider ids seen, timers due) takes each entry at a
// random place, as it never does in production, where they go at its end.
//
//	go test -run xxx -bench HandleWrites -benchtime 4000x ./bot/engine
func BenchmarkHandleWrites(b *testing.B) {
	if _, err := writtenBytes(); err != nil {
		b.Skip(err)
	}
	wallClock := func(c *engine.Config) { c.Clock = bot.SystemClock{} }
	for _, senders := range []int{1, 64} {
		b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) {
			w := benchWorld(b, wallClock)
			ctx := context.Background()
			before, _ := writtenBytes()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for g := range senders {
				wg.Go(func() {
					// Random people, and provider ids shaped like Twilio's,
					// so the writes land where real ones would.
					r := rand.New(rand.NewPCG(uint64(g), uint64(senders)))
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						in := bot.Inbound{Address: benchAddr(int(r.Uint64() % benchContacts)), Text: "some words",
							ProviderID: fmt.Sprintf("SM%016x%016x", r.Uint64(), r.Uint64())}
						if err := w.engine.Handle(ctx, in); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			after, _ := writtenBytes()
			b.ReportMetric(float64(after-before)/float64(b.N)/4096, "pages/msg")
		})
	}
}

// writtenBytes is how many bytes this process has passed to write calls.
func writtenBytes() (int64, error) {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("no wchar in /proc/self/io")
}

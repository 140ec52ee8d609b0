package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// floodLoad is `linkline loadgen --flood-numbers`: besides the measured
// people, a few numbers each keep --flood-concurrency messages in flight
// for the whole run, as fast as the server answers, so the report shows
// what one flooding number does to everyone else's latency. A nil
// *floodLoad does nothing.
type floodLoad struct {
	done chan string
}

// registerFloodLoad adds loadgen's flood flags to fs.
func registerFloodLoad(fs *flag.FlagSet, o *loadOptions) {
	fs.IntVar(&o.FloodNumbers, "flood-numbers", 0, "numbers that flood the server during the run (not measured), each with --flood-concurrency messages in flight")
	fs.IntVar(&o.FloodConcurrency, "flood-concurrency", 32, "with --flood-numbers: messages each flooding number keeps in flight")
}

// startFlood starts the flooders for o.Duration, on connections of their
// own, or returns nil without --flood-numbers.
func startFlood(ctx context.Context, o loadOptions) *floodLoad {
	if o.FloodNumbers <= 0 {
		return nil
	}
	fl := &floodLoad{done: make(chan string, 1)}
	conc := max(1, o.FloodConcurrency)
	client := &http.Client{Timeout: o.Timeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: o.FloodNumbers * conc, MaxConnsPerHost: o.FloodNumbers * conc,
	}}
	go func() {
		defer client.CloseIdleConnections()
		prefix := sidPrefix()
		target, signFor := o.target(0)
		var mu sync.Mutex
		status := map[int]int{}
		var errs, seq int
		end := time.Now().Add(o.Duration)
		var wg sync.WaitGroup
		for n := range o.FloodNumbers {
			from := fmt.Sprintf("+44771%07d", n)
			for range conc {
				wg.Go(func() {
					for ctx.Err() == nil && time.Now().Before(end) {
						mu.Lock()
						seq++
						sid := fmt.Sprintf("%s%016x", prefix, seq)
						mu.Unlock()
						code, err := post(ctx, client, target, o.AuthToken, signFor, inboundForm(o, sid, from, "flood"))
						mu.Lock()
						if err != nil {
							errs++
						} else {
							status[code]++
						}
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		var b strings.Builder
		for _, c := range slices.Sorted(func(yield func(int) bool) {
			for c := range status {
				if !yield(c) {
					return
				}
			}
		}) {
			fmt.Fprintf(&b, " %d: %d;", c, status[c])
		}
		fl.done <- fmt.Sprintf("flood      %d numbers × %d in flight sent %d messages (answers%s errors: %d); latency above is everyone else's",
			o.FloodNumbers, conc, seq, b.String(), errs)
	}()
	return fl
}

// finish waits for the flood to end and says what it did.
func (fl *floodLoad) finish() string {
	if fl == nil {
		return ""
	}
	return <-fl.done
}

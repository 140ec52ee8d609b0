package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// crisisLoad is `linkline loadgen --crisis N`: during the run, N new
// numbers each text risk language, one every --crisis-every, and the
// report says how long after its webhook was answered each crisis text
// reached the fake Twilio. A nil *crisisLoad does nothing.
type crisisLoad struct {
	mu    sync.Mutex
	asked map[string]time.Time // number → when its webhook was answered 200
	done  chan struct{}
}

// registerCrisisLoad adds loadgen's crisis flags to fs.
func registerCrisisLoad(fs *flag.FlagSet, o *loadOptions) {
	fs.IntVar(&o.Crisis, "crisis", 0, "with a fake Twilio: new numbers that text risk language during the run; the report gives how soon each crisis text reached Twilio")
	fs.DurationVar(&o.CrisisEvery, "crisis-every", 2*time.Second, "with --crisis: time between them")
}

// startCrisis starts the probes, or returns nil without --crisis.
func startCrisis(ctx context.Context, o loadOptions) *crisisLoad {
	if o.Crisis <= 0 {
		return nil
	}
	cl := &crisisLoad{asked: map[string]time.Time{}, done: make(chan struct{})}
	client := &http.Client{Timeout: o.Timeout}
	go func() {
		defer close(cl.done)
		defer client.CloseIdleConnections()
		prefix := sidPrefix()
		target, signFor := o.target(0)
		for i := range o.Crisis {
			select {
			case <-ctx.Done():
				return
			case <-time.After(o.CrisisEvery):
			}
			from := fmt.Sprintf("+44772%07d", i)
			code, err := post(ctx, client, target, o.AuthToken, signFor,
				inboundForm(o, fmt.Sprintf("%s%016x", prefix, i), from, "i cant go on, i want to end it all"))
			if err == nil && code == http.StatusOK {
				cl.mu.Lock()
				cl.asked[from] = time.Now()
				cl.mu.Unlock()
			}
		}
	}()
	return cl
}

// finish waits up to wait for the crisis texts to reach fake and says how
// long each took after its webhook's answer.
func (cl *crisisLoad) finish(ctx context.Context, fake *twiliotest.Server, wait time.Duration) string {
	if cl == nil || fake == nil {
		return ""
	}
	<-cl.done
	deadline := time.Now().Add(wait)
	for {
		arrived := map[string]time.Time{}
		for _, m := range fake.Messages() {
			if _, ok := arrived[m.To]; !ok && m.Body == risk.CrisisText {
				arrived[m.To] = m.At
			}
		}
		cl.mu.Lock()
		var parts []string
		missing := 0
		for i := range len(cl.asked) + 64 {
			from := fmt.Sprintf("+44772%07d", i)
			at, asked := cl.asked[from]
			if !asked {
				continue
			}
			if got, ok := arrived[from]; ok {
				parts = append(parts, fmt.Sprintf("%.2fs", got.Sub(at).Seconds()))
			} else {
				parts = append(parts, "not yet")
				missing++
			}
		}
		n := len(cl.asked)
		cl.mu.Unlock()
		if missing == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Sprintf("crisis     %d of %d crisis texts reached Twilio; after the webhook's answer: %s",
				n-missing, n, strings.Join(parts, ", "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

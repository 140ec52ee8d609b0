package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot/engine"
)

// floodFlags are the per-address flood limit as given on the command line
// or in the environment.
type floodFlags struct {
	Burst, Every string
}

func (f *floodFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Burst, "inbound-burst", env("LINKLINE_INBOUND_BURST", "20"), "messages one address may send at once before the bot stops answering it (they are still stored, screened for risk and shown to link workers); 0 for no limit (LINKLINE_INBOUND_BURST)")
	fs.StringVar(&f.Every, "inbound-every", env("LINKLINE_INBOUND_EVERY", "10s"), "after a burst, the bot answers one more message from that address per this interval (LINKLINE_INBOUND_EVERY)")
}

// parse checks the settings and names the one that is wrong.
func (f *floodFlags) parse() (engine.FloodLimit, error) {
	burst, err := strconv.Atoi(strings.TrimSpace(f.Burst))
	if err != nil || burst < 0 {
		return engine.FloodLimit{}, fmt.Errorf("inbound burst (LINKLINE_INBOUND_BURST) %q: want a whole number, 0 for no limit", f.Burst)
	}
	every, err := parseSpan(f.Every)
	if err != nil || every <= 0 {
		return engine.FloodLimit{}, fmt.Errorf("inbound interval (LINKLINE_INBOUND_EVERY) %q: want a length of time above 0, e.g. 10s", f.Every)
	}
	if burst == 0 {
		return engine.FloodLimit{}, nil
	}
	return engine.FloodLimit{Burst: burst, Every: every}, nil
}

// serverTimeouts bound how long one HTTP client may hold a connection:
// a client that sends its headers or body slowly (slowloris) is cut off.
// Zero fields take the defaults; tests shorten them.
type serverTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

func (t serverTimeouts) withDefaults() serverTimeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 5*time.Second)
	def(&t.Read, 30*time.Second)
	def(&t.Write, 30*time.Second)
	def(&t.Idle, 2*time.Minute)
	return t
}

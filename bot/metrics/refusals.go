package metrics

import (
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// Refusals counts requests refused at the door (a webhook with a bad
// signature, a sign-in slowed down, a number from a country not served)
// and logs them aggregated: the first refusal of a kind is logged at once,
// then at most one line a minute per kind says how many more there were.
// A flood of forged requests makes a few lines a minute, not gigabytes,
// and /metrics counts every one.
//
// Source and reason must come from a small fixed set chosen by the code,
// never from the request. The zero value is not ready: use NewRefusals. A
// nil *Refusals counts nothing and logs nothing.
type Refusals struct {
	log   *slog.Logger
	clock bot.Clock
	every time.Duration

	mu    sync.Mutex
	kinds map[refusalKind]*refusalCount
}

type refusalKind struct{ source, reason string }

type refusalCount struct {
	total    int64
	unlogged int64
	logged   time.Time
}

// NewRefusals returns refusal counts that log to log (nil: nowhere) at
// most once per every (0: a minute) per kind.
func NewRefusals(log *slog.Logger, clock bot.Clock, every time.Duration) *Refusals {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = bot.SystemClock{}
	}
	if every <= 0 {
		every = time.Minute
	}
	return &Refusals{log: log, clock: clock, every: every, kinds: map[refusalKind]*refusalCount{}}
}

// Note counts one refusal, and logs the count so far of its kind if none
// has been logged for a minute.
func (r *Refusals) Note(source, reason string) {
	if r == nil {
		return
	}
	now := r.clock.Now()
	k := refusalKind{source, reason}
	r.mu.Lock()
	c, ok := r.kinds[k]
	if !ok {
		c = &refusalCount{}
		r.kinds[k] = c
	}
	c.total++
	c.unlogged++
	var n int64
	if !ok || now.Sub(c.logged) >= r.every {
		n, c.unlogged, c.logged = c.unlogged, 0, now
	}
	r.mu.Unlock()
	if n > 0 {
		r.log.Warn("requests refused", "source", source, "reason", reason, "count", n, "since", r.every.String())
	}
}

// Count is how many refusals of a kind there have been.
func (r *Refusals) Count(source, reason string) int64 {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.kinds[refusalKind{source, reason}]; ok {
		return c.total
	}
	return 0
}

// WritePrometheus writes linkline_refused_total by source and reason.
func (r *Refusals) WritePrometheus(w io.Writer) {
	if r == nil {
		return
	}
	r.mu.Lock()
	lines := make([]string, 0, len(r.kinds))
	for k, c := range r.kinds {
		lines = append(lines, fmt.Sprintf("linkline_refused_total{source=%q,reason=%q} %d", k.source, k.reason, c.total))
	}
	r.mu.Unlock()
	sort.Strings(lines)
	fmt.Fprintln(w, "# HELP linkline_refused_total Requests refused at the door, by source and reason.")
	fmt.Fprintln(w, "# TYPE linkline_refused_total counter")
	if len(lines) > 0 {
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	}
}

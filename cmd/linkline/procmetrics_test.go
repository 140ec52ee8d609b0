package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// parseProm parses the Prometheus text format strictly enough for a
// scraper: every sample is `name[{labels}] value` with a float value and a
// TYPE line before it. It returns the unlabelled samples by name.
func parseProm(t *testing.T, page string) map[string]float64 {
	t.Helper()
	typed := map[string]bool{}
	got := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSuffix(page, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			typed[strings.Fields(rest)[0]] = true
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			t.Fatalf("sample %q is not `name value`", line)
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatalf("sample %q: %v", line, err)
		}
		name, _, _ := strings.Cut(f[0], "{")
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !typed[name] && !typed[base] {
			t.Errorf("sample %q has no TYPE line before it", line)
		}
		if !strings.Contains(f[0], "{") {
			got[name] = v
		}
	}
	return got
}

// TestMetricsPageHasProcessMetrics reads the whole /metrics page and checks
// it parses and carries the process metrics a soak watches.
func TestMetricsPageHasProcessMetrics(t *testing.T) {
	c := defaultConfig(t)
	c.DB = filepath.Join(t.TempDir(), "m.db")
	log := slog.New(slog.DiscardHandler)
	a, err := c.open(context.Background(), log, map[bot.Channel]bot.Sender{}, logNotifier{log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()
	rec := httptest.NewRecorder()
	a.metricsPage(rec, httptest.NewRequest("GET", "/metrics", nil))
	got := parseProm(t, rec.Body.String())
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_memstats_heap_inuse_bytes",
		"go_memstats_sys_bytes", "process_resident_memory_bytes", "process_open_fds", "linkline_outbox_depth"} {
		if v, ok := got[name]; !ok || v <= 0 && name != "linkline_outbox_depth" {
			t.Errorf("%s = %v (present %v), want a positive reading", name, v, ok)
		}
	}
}

// TestProcessMetricsFollowTheProcess checks the goroutine and open-file
// readings move with what the process really holds.
func TestProcessMetricsFollowTheProcess(t *testing.T) {
	read := func(name string) float64 {
		var b bytes.Buffer
		writeProcessMetrics(&b)
		return parseProm(t, b.String())[name]
	}
	tests := []struct {
		name   string
		metric string
		hold   func(t *testing.T) (release func())
	}{
		{"ten parked goroutines", "go_goroutines", func(t *testing.T) func() {
			stop := make(chan struct{})
			for range 10 {
				go func() { <-stop }()
			}
			return func() { close(stop) }
		}},
		{"ten open files", "process_open_fds", func(t *testing.T) func() {
			var fs []*os.File
			for i := range 10 {
				f, err := os.Create(filepath.Join(t.TempDir(), strconv.Itoa(i)))
				if err != nil {
					t.Fatal(err)
				}
				fs = append(fs, f)
			}
			return func() {
				for _, f := range fs {
					f.Close()
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Other tests in this package run at the same time and open and
			// close their own goroutines and files, so one reading can be
			// pulled down by them: a metric that follows the process shows
			// the ten in at least one of twenty tries.
			var before, during float64
			for try := range 20 {
				if try > 0 {
					time.Sleep(10 * time.Millisecond) // let goroutines other tests left behind finish
				}
				before = read(tc.metric)
				release := tc.hold(t)
				during = read(tc.metric)
				release()
				if during >= before+10 {
					return
				}
			}
			t.Errorf("%s went from %v to %v while holding ten more, want at least %v", tc.metric, before, during, before+10)
		})
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func TestHealthzAndMetrics(t *testing.T) {
	c := defaultConfig(t)
	c.DB = t.TempDir() + "/h.db"
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	a, err := c.open(ctx, log, map[bot.Channel]bot.Sender{}, logNotifier{log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()
	get := func(h http.HandlerFunc) (int, string) {
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequest("GET", "/", nil))
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	if code, body := get(a.healthz); code != 200 || body != "ok\n" {
		t.Fatalf("healthz = %d %q", code, body)
	}
	// Risk over SMS: counted, an urgent handoff open, two replies queued
	// (no dispatcher runs here).
	if err := a.engine.Handle(ctx, bot.Inbound{Address: bot.Address{Channel: bot.SMS, ID: "+447700900123"}, Text: "i want to die"}); err != nil {
		t.Fatal(err)
	}
	_, m := get(a.metricsPage)
	for _, want := range []string{
		`linkline_inbound_total{channel="sms"} 1`,
		`linkline_handle_seconds_count 1`,
		"linkline_handoffs_open 1",
		"linkline_handoffs_urgent 1",
		"linkline_outbox_depth 1",
	} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
	if strings.Contains(m, "die") {
		t.Error("metrics contain message text")
	}
	// A message due more than ten minutes ago and still unsent: stuck.
	err = a.store.Update(ctx, func(tx bot.Tx) error {
		return tx.Enqueue(&bot.Outbound{ContactID: "c1", To: bot.Address{Channel: bot.SMS, ID: "+447700900999"},
			Text: "x", Status: bot.StatusPending, NextAttempt: time.Now().Add(-11 * time.Minute), UpdatedAt: time.Now().Add(-11 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, body := get(a.healthz); code != 503 || !strings.Contains(body, "outbox stuck") {
		t.Fatalf("healthz with a stuck outbox = %d %q", code, body)
	}
	// Liveness is the database only: the load balancer keeps the instance.
	if code, body := get(a.livez); code != 200 || body != "ok\n" {
		t.Fatalf("livez with a stuck outbox = %d %q, want 200", code, body)
	}
	// A closed database is not writable (the next probe writes again).
	a.healthWrote.Store(0)
	a.store.Close()
	if code, body := get(a.healthz); code != 503 || !strings.Contains(body, "not writable") {
		t.Fatalf("healthz on a closed database = %d %q", code, body)
	}
	a.healthWrote.Store(0)
	if code, body := get(a.livez); code != 503 || !strings.Contains(body, "not writable") {
		t.Fatalf("livez on a closed database = %d %q", code, body)
	}
}

func TestMetricsNeedAToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "metrics") })
	cases := []struct {
		name, token, header string
		want                int
	}{
		{"off without a token", "", "Bearer x", 404},
		{"no credentials", "s3cret", "", 401},
		{"wrong token", "s3cret", "Bearer nope", 401},
		{"not bearer", "s3cret", "Basic s3cret", 401},
		{"right token", "s3cret", "Bearer s3cret", 200},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/metrics", nil)
		if c.header != "" {
			req.Header.Set("Authorization", c.header)
		}
		metricsAuth(c.token, ok).ServeHTTP(rec, req)
		if rec.Code != c.want || (c.want == 200) != (rec.Body.String() == "metrics") {
			t.Errorf("%s: %d %q, want %d", c.name, rec.Code, rec.Body.String(), c.want)
		}
	}
}

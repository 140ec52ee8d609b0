package twilio_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestRefusalsAggregated: a flood of forged webhooks makes one log line a
// minute per reason, not one per request, and every refusal is counted.
func TestRefusalsAggregated(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	clock := bot.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	refusals := metrics.NewRefusals(log, clock, time.Minute)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, PublicURL: srv.URL,
		Refusals: refusals}
	mux.Handle("/webhooks/twilio/", twilio.NewHandler(cfg, &recorder{}, log))
	forge := func(n int) {
		for i := range n {
			form := url.Values{"AccountSid": {twiliotest.AccountSID}, "MessageSid": {"SM" + strings.Repeat("0", 31) + string(rune('a'+i%26))},
				"From": {"+447700900123"}, "Body": {"hello"}}
			req, _ := http.NewRequest("POST", srv.URL+twilio.SMSPath, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", "Zm9yZ2Vk")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("forged request: %d, want 403", res.StatusCode)
			}
		}
	}
	forge(300)
	clock.Advance(61 * time.Second)
	forge(200)
	lines := strings.Count(logs.String(), "requests refused")
	if lines != 2 {
		t.Errorf("500 forged requests over two minutes made %d log lines, want 2:\n%s", lines, logs.String())
	}
	if !strings.Contains(logs.String(), "count=300") {
		t.Errorf("the second line does not say how many were refused in the minute before:\n%s", logs.String())
	}
	if n := refusals.Count("twilio", "signature_or_account"); n != 500 {
		t.Errorf("refusals counted %d, want 500", n)
	}
	var m strings.Builder
	refusals.WritePrometheus(&m)
	if !strings.Contains(m.String(), `linkline_refused_total{source="twilio",reason="signature_or_account"} 500`) {
		t.Errorf("metrics:\n%s", m.String())
	}
}

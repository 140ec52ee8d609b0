package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestNumbersOutsideCountriesNotAnswered: by default only UK numbers are
// answered. A message from a US number is stored but gets no reply, and
// /metrics counts it; forged webhooks are counted there too.
func TestNumbersOutsideCountriesNotAnswered(t *testing.T) {
	s := startAbuseServer(t, nil)
	sms := s.public + "/webhooks/twilio/sms"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const abroad, home = "+14155552671", "+447700900777"
	for _, from := range []string{abroad, home} {
		res, err := s.tw.Post(ctx, sms, s.tw.InboundForm(from, "hello"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", from, res.StatusCode)
		}
	}
	for range 5 {
		form := s.tw.InboundForm(home, "forged")
		req, _ := http.NewRequestWithContext(ctx, "POST", sms, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("forged webhook: %d, want 403", res.StatusCode)
		}
	}
	s.drained()
	m := s.metrics()
	for _, want := range []string{
		`linkline_inbound_outside_countries_total{channel="sms"} 1`,
		`linkline_refused_total{source="twilio",reason="signature_or_account"} 5`,
	} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(m, "total"))
		}
	}
	us, uk := bot.Address{Channel: bot.SMS, ID: abroad}, bot.Address{Channel: bot.SMS, ID: home}
	msgs, _, _ := s.transcripts(us, uk)
	if len(msgs[us]) != 1 || msgs[us][0].Direction != bot.In {
		t.Errorf("the US number's transcript = %d messages, want its one message stored and nothing sent", len(msgs[us]))
	}
	replied := false
	for _, m := range msgs[uk] {
		replied = replied || m.Direction == bot.Out
	}
	if !replied {
		t.Error("the UK number got no reply")
	}
}

package main

import (
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

func TestParseTemplates(t *testing.T) {
	const a, b = "HX0123456789abcdef0123456789abcdef", "HXfedcba9876543210fedcba9876543210"
	for _, tc := range []struct {
		in      string
		want    map[string]twilio.Template
		wantErr bool
	}{
		{in: "", want: map[string]twilio.Template{}},
		{in: "worker=" + a, want: map[string]twilio.Template{"worker": {ContentSID: a}}},
		{in: " worker = " + a + " , *=" + b + ",", want: map[string]twilio.Template{"worker": {ContentSID: a}, "*": {ContentSID: b}}},
		{in: "worker", wantErr: true},
		{in: "=" + a, wantErr: true},
		{in: "worker=", wantErr: true},
	} {
		got, err := parseTemplates(tc.in)
		if (err != nil) != tc.wantErr || (!tc.wantErr && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("parseTemplates(%q) = %v, %v", tc.in, got, err)
		}
	}
}

// TestWhatsAppConfig: WhatsApp is a sender of its own when configured, a
// bad template SID stops start-up, and kinds without a template are named
// in a warning.
func TestWhatsAppConfig(t *testing.T) {
	base := channelConfig{TwilioSID: twiliotest.AccountSID, TwilioToken: twiliotest.AuthToken,
		TwilioFrom: twiliotest.Number, TwilioAPI: "http://127.0.0.1:1", TwilioRate: 1, WhatsAppRate: 80}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))

	cc := base
	cc.WhatsAppFrom, cc.WhatsAppTemplates = "whatsapp:"+twiliotest.Number, "worker=HX0123456789abcdef0123456789abcdef"
	cs, err := cc.build(t.Context(), "https://linkline.example.org", log)
	if err != nil {
		t.Fatal(err)
	}
	if cs.senders[bot.WhatsApp] == nil || cs.senders[bot.SMS] == nil {
		t.Fatalf("senders %v: want SMS and WhatsApp", cs.senders)
	}
	if len(cs.notices) != 1 || !strings.Contains(cs.notices[0], "checkin") || strings.Contains(cs.notices[0], "worker,") {
		t.Fatalf("console notices %q: want one naming the kinds without a template", cs.notices)
	}
	if !strings.Contains(logs.String(), "no approved template") || !strings.Contains(logs.String(), "checkin") ||
		strings.Contains(logs.String(), "kinds=worker") {
		t.Fatalf("log %q: want a warning naming the kinds without templates", logs.String())
	}

	cc = base
	if cs, err := cc.build(t.Context(), "https://linkline.example.org", log); err != nil || cs.senders[bot.WhatsApp] != nil {
		t.Fatalf("without TWILIO_WHATSAPP_FROM: %v, %v", cs, err)
	}
	cc.WhatsAppFrom, cc.WhatsAppTemplates = twiliotest.Number, "worker=HX12"
	if _, err := cc.build(t.Context(), "https://linkline.example.org", log); err == nil || !strings.Contains(err.Error(), "Content SID") {
		t.Fatalf("bad template SID: %v", err)
	}
	cc = channelConfig{WhatsAppFrom: twiliotest.Number}
	if _, err := cc.build(t.Context(), "https://linkline.example.org", log); err == nil {
		t.Fatal("WhatsApp without Twilio credentials started")
	}
}

// TestWhatsAppButtonsSetUp: with buttons on, start-up makes the choice
// content through the Content API of the configured Twilio (the fake: the
// Content API follows TWILIO_API_URL, so nothing reaches Twilio); when
// that cannot be reached, start-up goes on and the console says choices
// are typed.
func TestWhatsAppButtonsSetUp(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	log := slog.New(slog.DiscardHandler)
	cc := channelConfig{TwilioSID: twiliotest.AccountSID, TwilioToken: twiliotest.AuthToken, TwilioFrom: twiliotest.Number,
		TwilioAPI: fake.URL(), TwilioRate: 1, WhatsAppRate: 80, WhatsAppFrom: twiliotest.Number,
		WhatsAppTemplates: "*=HX0123456789abcdef0123456789abcdef", WhatsAppButtons: true}
	cs, err := cc.build(t.Context(), "https://linkline.example.org", log)
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Contents()) == 0 || len(cs.notices) != 0 {
		t.Fatalf("%d content resources at the fake, notices %q: want the content made and no notice", len(fake.Contents()), cs.notices)
	}
	cc.TwilioAPI = "http://127.0.0.1:1"
	cs, err = cc.build(t.Context(), "https://linkline.example.org", log)
	if err != nil {
		t.Fatalf("start-up stopped when the Content API could not be reached: %v", err)
	}
	if len(cs.notices) != 1 || !strings.Contains(cs.notices[0], "numbered lines") {
		t.Fatalf("notices %q: want one saying choices are typed", cs.notices)
	}
}

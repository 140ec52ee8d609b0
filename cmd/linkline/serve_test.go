package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/teststore"
)

// TestServeWithProviders runs the whole server as `linkline serve` would,
// with SMS and Telegram (polling) pointed at the fakes, and a link workers'
// alert chat.
func TestServeWithProviders(t *testing.T) {
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "http://" + ln.Addr().String()
	c := defaultConfig(t)
	c.DB, c.PublicURL, c.LogLevel = teststore.DB(t, t.TempDir()+"/serve.db"), public, "debug"
	c.channels = channelConfig{
		TwilioSID: twiliotest.AccountSID, TwilioToken: twiliotest.AuthToken, TwilioFrom: twiliotest.Number,
		TwilioAPI: tw.URL(), TwilioRate: 50,
		TelegramToken: telegramtest.Token, TelegramAPI: tg.URL(), AlertChat: "-100999",
	}
	var logs bytes.Buffer
	log, _ := c.logger(&logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	wait, stop := context.WithTimeout(ctx, 20*time.Second)
	defer stop()

	// SMS: a signed webhook in, replies out through the fake Twilio.
	resp, err := tw.SendSMS(wait, public+"/webhooks/twilio/sms", "07700 900123", "hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("inbound SMS: %d", resp.StatusCode)
	}
	msgs, err := tw.WaitMessages(wait, 2)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[1].To != "+447700900123" || !strings.Contains(msgs[1].Body, "Is that OK?") {
		t.Fatalf("SMS replies = %+v", msgs)
	}
	// Risk inside a STOP over SMS: the exact crisis text, first, and the
	// person is not opted out by it.
	resp, err = tw.SendSMS(wait, public+"/webhooks/twilio/sms", "+447700900125", "STOP I can't do this anymore")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("risk SMS: %d", resp.StatusCode)
	}
	for {
		if got := tw.MessagesTo("+447700900125"); len(got) > 0 {
			if got[0] != risk.CrisisText {
				t.Fatalf("first SMS = %q, want the crisis text", got[0])
			}
			break
		}
		if wait.Err() != nil {
			t.Fatal("no crisis text over SMS")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A forged one (signed for other words) is refused.
	form := tw.InboundForm("+447700900124", "hello")
	sig := twiliotest.Signature(twiliotest.AuthToken, public+"/webhooks/twilio/sms", form)
	form.Set("Body", "tampered")
	req, _ := http.NewRequestWithContext(wait, "POST", public+"/webhooks/twilio/sms", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sig)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("forged SMS: %d", resp.StatusCode)
	}

	// Telegram by polling, and risk: the crisis text, an alert to the link
	// workers' group, then — because the alert reached people — the follow-up.
	if _, err := tg.SendText(4242, "i want to end it all"); err != nil {
		t.Fatal(err)
	}
	sent, err := tg.WaitSent(wait, 4242, 2)
	if err != nil {
		t.Fatalf("telegram replies: %v (logs: %s)", err, logs.String())
	}
	if sent[0].Text != risk.CrisisText || !strings.Contains(sent[1].Text, "We have told the link worker team") {
		t.Fatalf("telegram replies = %q, %q", sent[0].Text, sent[1].Text)
	}
	alerts, err := tg.WaitSent(wait, -100999, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(alerts[0].Text, "URGENT") || !strings.Contains(alerts[0].Text, public+"/console/contacts/") ||
		strings.Contains(alerts[0].Text, "end it all") {
		t.Fatalf("alert = %q", alerts[0].Text)
	}
	// Logs, even at debug, carry no message bodies or phone numbers.
	for _, body := range []string{"hello", "end it all", "Is that OK", "7700900123", "7700900124", "7700900125", "07700 900123"} {
		if strings.Contains(logs.String(), body) {
			t.Fatalf("logs contain a message body %q:\n%s", body, logs.String())
		}
	}
}

func TestEnrolPrintsDeepLink(t *testing.T) {
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	db := existingDB(t, t.TempDir()+"/enrol.db")
	code, out, errs := runCmd(t, "", "enrol", "--db", db, "--name", "Sam Carer", "--telegram-token", telegramtest.Token, "--telegram-api-url", tg.URL())
	if code != 0 || !strings.HasPrefix(out, "https://t.me/"+telegramtest.BotUsername+"?start=") || !strings.Contains(errs, "works once") {
		t.Fatalf("enrol: code %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "enrol", "--db", db, "--name", "Sam"); code == 0 || !strings.Contains(errs, "TELEGRAM_BOT_TOKEN") {
		t.Fatalf("enrol without a token: %d %s", code, errs)
	}
	if code, _, _ := runCmd(t, "", "enrol", "--db", db); code != 2 {
		t.Fatalf("enrol without a name: %d", code)
	}
}

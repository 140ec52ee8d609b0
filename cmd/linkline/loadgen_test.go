package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestLoadgenServe runs the load generator for a second, at a low rate,
// against the real server in-process: correctly signed webhooks are all
// answered 200 and the replies reach the fake Twilio; webhooks signed with
// another token are all refused and nothing is sent.
func TestLoadgenServe(t *testing.T) {
	for _, tc := range []struct {
		name        string
		token       string
		warmup      bool
		wantStatus  int
		wantReplies bool
	}{
		{name: "signed", token: twiliotest.AuthToken, warmup: true, wantStatus: http.StatusOK, wantReplies: true},
		{name: "wrong token", token: "ffffffffffffffffffffffffffffffff", wantStatus: http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defaultConfig(t) // clears LINKLINE_*/TWILIO_* from the environment
			o := loadOptions{Rate: 30, Duration: time.Second, Concurrency: 8, Numbers: 10, Timeout: 10 * time.Second,
				AuthToken: tc.token, AccountSID: twiliotest.AccountSID, To: twiliotest.Number, Drain: 5 * time.Second,
				Warmup: tc.warmup, Serve: true, TwilioRate: 1000, DB: t.TempDir() + "/load.db", ServerLog: "error"}
			var info, serverLog strings.Builder
			rep, err := loadgen(t.Context(), o, &info, &serverLog)
			if err != nil {
				t.Fatal(err)
			}
			if tc.warmup && rep.Warmed != o.Numbers {
				t.Errorf("warm-up put %d of %d numbers mid-flow", rep.Warmed, o.Numbers)
			}
			if rep.Scheduled != 30 || rep.Sent == 0 || rep.Sent+rep.Skipped != rep.Scheduled {
				t.Errorf("scheduled %d, sent %d, skipped %d", rep.Scheduled, rep.Sent, rep.Skipped)
			}
			if rep.Errors != 0 || rep.Status[tc.wantStatus] != rep.Sent || len(rep.Status) != 1 || len(rep.Latency) != rep.Sent {
				t.Errorf("answers %v, errors %d (%s), %d latencies", rep.Status, rep.Errors, rep.FirstErr, len(rep.Latency))
			}
			if got := rep.Replies > 0; got != tc.wantReplies || rep.Replies < rep.RunReplies {
				t.Errorf("replies %d (during the run %d), want some: %v", rep.Replies, rep.RunReplies, tc.wantReplies)
			}
			var out strings.Builder
			rep.print(&out, o)
			for _, want := range []string{"p99", "replies", "sent       " + strconv.Itoa(rep.Sent)} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

// TestLoadgenScript: the script each number follows really completes a
// self-referral and, after RESTART, answers the privacy notice again —
// every load message is a real step of the flow, not a re-ask.
func TestLoadgenScript(t *testing.T) {
	for _, whatsApp := range []bool{false, true} {
		name := "sms"
		if whatsApp {
			name = "whatsapp"
		}
		t.Run(name, func(t *testing.T) { testLoadgenScript(t, whatsApp) })
	}
}

// testLoadgenScript plays the script by SMS or (loadgen --whatsapp) by
// WhatsApp; WhatsApp replies must all go to whatsapp:+44... and none by SMS.
func testLoadgenScript(t *testing.T, whatsApp bool) {
	defaultConfig(t)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	o := loadOptions{AuthToken: fake.AuthToken, AccountSID: fake.AccountSID, To: fake.Number, TwilioRate: 1000,
		DB: t.TempDir() + "/script.db", ServerLog: "error", WhatsApp: whatsApp}
	stop, err := serveInProcess(t.Context(), &o, fake, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("server: %v", err)
		}
	})
	client := &http.Client{Timeout: 10 * time.Second}
	if err := waitHealthy(t.Context(), client, o.URL); err != nil {
		t.Fatal(err)
	}
	const from = "+447700900321"
	to := from
	if whatsApp {
		to = twilio.WhatsAppPrefix + from
		fake.OpenWindow(from, time.Now())
	}
	target := o.URL + twilio.SMSPath
	steps := append(append([]string(nil), script...), script[1]) // the whole script, then "yes" again
	for i, body := range steps {
		form := inboundForm(o, fmt.Sprintf("SM%032x", 1000+i), from, body)
		if status, err := post(t.Context(), client, target, o.AuthToken, o.URL+twilio.SMSPath, form); err != nil || status != http.StatusOK {
			t.Fatalf("step %d %q: status %d, %v", i, body, status, err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var all string
	for ctx.Err() == nil {
		all = strings.Join(fake.MessagesTo(to), "\n")
		if strings.Contains(all, "What is your name?") && strings.Count(all, "What is your name?") == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"Thank you, Sam Jones. We have sent your details", "start again from the beginning"} {
		if !strings.Contains(all, want) {
			t.Errorf("replies lack %q:\n%s", want, all)
		}
	}
	if n := strings.Count(all, "What is your name?"); n != 2 {
		t.Errorf("asked for a name %d times, want 2 (once per pass through the script):\n%s", n, all)
	}
	if strings.Contains(all, "Sorry") {
		t.Errorf("a scripted answer was not understood:\n%s", all)
	}
	if whatsApp && len(fake.MessagesTo(from)) != 0 {
		t.Errorf("a WhatsApp person got SMS: %q", fake.MessagesTo(from))
	}
}

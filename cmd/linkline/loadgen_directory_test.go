package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestLoadgenDirectory: with --directory, a load-test person's referral is
// signposted to services from the fake feed, through the real server.
func TestLoadgenDirectory(t *testing.T) {
	defaultConfig(t)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	o := loadOptions{AuthToken: fake.AuthToken, AccountSID: fake.AccountSID, To: fake.Number, TwilioRate: 1000,
		DB: t.TempDir() + "/dir.db", ServerLog: "error", Directory: 200}
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
	const from = "+447700900654"
	for i := range len(script) - 1 { // up to and including "send"
		form := inboundForm(o, fmt.Sprintf("SM%032x", 5000+i), from, o.say(i))
		if status, err := post(t.Context(), client, o.URL+twilio.SMSPath, o.AuthToken, o.URL+twilio.SMSPath, form); err != nil || status != http.StatusOK {
			t.Fatalf("step %d: status %d, %v", i, status, err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var all string
	for ctx.Err() == nil {
		all = strings.Join(fake.MessagesTo(from), "\n")
		if strings.Contains(all, "4 short questions") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, after, ok := strings.Cut(all, "things near you")
	if !ok || strings.Count(after, "Kendal") < 3 {
		t.Errorf("replies after the referral:\n%s\nwant three Kendal services", all)
	}
}

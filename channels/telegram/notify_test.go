package telegram_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

func TestNotifierPostsAlertsWithoutPersonalDetails(t *testing.T) {
	fake := telegramtest.New()
	t.Cleanup(fake.Close)
	b := newBot(t, fake)
	n := b.Notifier(-100123, "https://linkline.example.nhs.uk/")
	ctx := context.Background()
	alerts := []bot.Alert{
		{Kind: "handoff", Urgent: true, ContactID: "c7", HandoffID: "h1"},
		{Kind: "message", ContactID: "c7"},
		{Kind: "handoff_unclaimed", ContactID: "c8"},
		{Kind: bot.AlertConcern, ContactID: "c9"},
	}
	for _, a := range alerts {
		if err := n.Notify(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sent := fake.Sent(-100123)
	if len(sent) != 3 {
		t.Fatalf("posted %d alerts, want 3: %q", len(sent), texts(sent))
	}
	if !strings.HasPrefix(sent[2].Text, "Possible risk") || !strings.HasSuffix(sent[2].Text, "/console/contacts/c9") {
		t.Fatalf("concern alert = %q", sent[2].Text)
	}
	if !strings.HasPrefix(sent[0].Text, "URGENT") || !strings.HasSuffix(sent[0].Text, "https://linkline.example.nhs.uk/console/contacts/c7") {
		t.Fatalf("urgent alert = %q", sent[0].Text)
	}
	if !strings.Contains(sent[1].Text, "Still waiting") || strings.Contains(sent[1].Text, "URGENT") {
		t.Fatalf("re-alert = %q", sent[1].Text)
	}
	fake.Block(-100123)
	if err := n.Notify(ctx, alerts[0]); err == nil {
		t.Fatal("a failed post reported success")
	}
}

package engine_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestWhatsAppNameKeptNotTrusted: the name on a person's WhatsApp profile
// is kept on their record as WhatsAppName (made one tidy line), updated
// when it changes, never taken as their name, ignored on other channels,
// included in their export and gone after erasure.
func TestWhatsAppNameKeptNotTrusted(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const addr = "whatsapp:+447700900777"
	a, err := bot.ParseAddress(addr)
	if err != nil {
		t.Fatal(err)
	}
	handle := func(id, profile, text string) {
		t.Helper()
		if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: text, ProviderID: id, ProfileName: profile}); err != nil {
			t.Fatal(err)
		}
	}
	handle("wa-1", "  Sammy\n  B ", "hi")
	if c := w.contact(addr); c.WhatsAppName != "Sammy B" || c.Name == "Sammy B" {
		t.Fatalf("contact %+v: want WhatsAppName %q and no confirmed name from it", c, "Sammy B")
	}
	handle("wa-2", "Sam B", "yes")
	if c := w.contact(addr); c.WhatsAppName != "Sam B" {
		t.Fatalf("WhatsAppName %q after the profile changed, want %q", c.WhatsAppName, "Sam B")
	}
	sms, _ := bot.ParseAddress("sms:+447700900778")
	if err := w.engine.Handle(ctx, bot.Inbound{Address: sms, Text: "hi", ProviderID: "sms-1", ProfileName: "Spoofed"}); err != nil {
		t.Fatal(err)
	}
	if c := w.contact("sms:+447700900778"); c.WhatsAppName != "" {
		t.Fatalf("an SMS set a WhatsApp name: %q", c.WhatsAppName)
	}

	c := everything(t, w, addr)
	x, err := w.privacy.Export(ctx, c.ID, "cli")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"whatsapp_name":"Sam B"`) {
		t.Fatal("the export lacks the WhatsApp name")
	}
	h := w.handoff(addr)
	if _, err := w.engine.TakeOver(ctx, c.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "u1", "spoke to Sam, safe", false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.privacy.Erase(ctx, c.ID, "u1", false); err != nil {
		t.Fatal(err)
	}
	w.rawScan(func(bucket string, k, v []byte) {
		if strings.Contains(string(v), "Sam B") {
			t.Errorf("bucket %s key %q still holds the WhatsApp name after erasure", bucket, k)
		}
	})
}

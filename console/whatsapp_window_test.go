package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestOutsideWindowExplained: a WhatsApp message that failed with 63016
// (more than 24 hours since the person wrote) and no template for its
// kind is explained on the transcript in words a link worker can act on,
// not only as a code.
func TestOutsideWindowExplained(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ct := w.send("whatsapp:+447700900123", "hello")
	rows := 0
	w.update(func(tx bot.Tx) error {
		var ids []uint64
		if err := tx.Messages(ct.ID, func(m *bot.Message) bool {
			if m.OutboxID != 0 {
				ids = append(ids, m.OutboxID)
			}
			return true
		}); err != nil {
			return err
		}
		for _, id := range ids {
			o, err := tx.Outbound(id)
			if err != nil {
				return err
			}
			o.Status, o.ErrorCode = bot.StatusFailed, bot.CodeOutsideWindow
			o.Error = `kind "worker": twilio: outside WhatsApp's 24-hour window and no template is configured for this kind of message`
			if err := tx.PutOutbound(o); err != nil {
				return err
			}
			rows++
		}
		return nil
	})
	if rows == 0 {
		t.Fatal("the greeting queued no reply to fail")
	}
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	for _, want := range []string{"code 63016", "more than 24 hours since they last wrote on WhatsApp",
		"none is set up for this kind of message", "Wait for them to write"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestWhatsAppNameShown: the name on a person's WhatsApp profile is shown
// as their "WhatsApp name", marked not checked, and is not used as the
// page's title (their confirmed name).
func TestWhatsAppNameShown(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	a := bot.Address{Channel: bot.WhatsApp, ID: "+447700900124"}
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "hello", ProviderID: "wa-name-1", ProfileName: "Kim <b>K</b>"}); err != nil {
		t.Fatal(err)
	}
	var ct *bot.Contact
	w.view(func(tx bot.Tx) error {
		var err error
		ct, err = tx.ContactByAddress(a)
		return err
	})
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	if !strings.Contains(res.body, "WhatsApp name: Kim &lt;b&gt;K&lt;/b&gt; <small>(from their WhatsApp profile: not checked") {
		t.Error("the WhatsApp name is not shown, escaped and marked not checked")
	}
	if h1 := res.body[strings.Index(res.body, "<h1>"):strings.Index(res.body, "</h1>")]; strings.Contains(h1, "Kim") {
		t.Errorf("the WhatsApp name is the page title: %q", h1)
	}
}

package console_test

import (
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

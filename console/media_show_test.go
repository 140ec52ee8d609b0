package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/console"
)

// TestConversationShowsWhatArrived: a voice note and a shared location
// are shown for what they are, not as empty bubbles, and no provider
// reference or place is on the page; a person who blocked the bot is shown
// as unreachable on that channel.
func TestConversationShowsWhatArrived(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ct := w.send("sim:kim", "hello")
	a := bot.Address{Channel: bot.Sim, ID: "kim"}
	for i, media := range [][]string{{"voice:MMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/MEbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}, {"location"}} {
		if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Media: media, ProviderID: "media-" + string(rune('0'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.engine.SetReachable(context.Background(), a, false, "blocked"); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	for _, want := range []string{"Sent a voice message", "Sent a location (not kept)",
		"Cannot be reached by sim (they blocked the bot)", "Try sim again"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(res.body, "MEbbbb") {
		t.Error("the provider's media reference is on the page")
	}
	if res := c.post("/console/contacts/"+ct.ID+"/reachable", url.Values{"channel": {"sim"}}); res.status != http.StatusSeeOther {
		t.Fatalf("retry: %d %s", res.status, res.body)
	}
	if res := c.get("/console/contacts/" + ct.ID); strings.Contains(res.body, "Cannot be reached") {
		t.Error("still shown unreachable after the retry")
	}
	audited := false
	w.view(func(tx bot.Tx) error {
		return tx.Audit(func(e *bot.AuditEntry) bool {
			audited = audited || (e.Action == bot.AuditReachable && e.ContactID == ct.ID)
			return true
		})
	})
	if !audited {
		t.Error("the retry was not audited")
	}
	if res := c.post("/console/contacts/"+ct.ID+"/reachable", url.Values{"channel": {"whatsapp"}}); res.status != http.StatusBadRequest {
		t.Errorf("retry of a channel the person has no address on: %d, want 400", res.status)
	}
}

// TestNoticesShown: set-up problems (a WhatsApp kind with no template)
// are on every page after sign-in, and not on the sign-in page.
func TestNoticesShown(t *testing.T) {
	const notice = "WhatsApp: no approved template is set up for these messages: checkin."
	w := newWorld(t, func(_ *world, _ *engine.Config, con *console.Config) { con.Notices = []string{notice} })
	w.addUser("ann@example.org", "Ann Worker", false)
	c := w.client()
	if res := c.get("/console/login"); strings.Contains(res.body, "no approved template") {
		t.Error("the notice is on the sign-in page")
	}
	c.login("ann@example.org")
	for _, page := range []string{"/console/", "/console/referrals"} {
		if res := c.get(page); res.status != http.StatusOK || !strings.Contains(res.body, `<p class="notice" role="status">`+notice) {
			t.Errorf("%s: %d, lacks the notice", page, res.status)
		}
	}
}

package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
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
	for _, want := range []string{"Sent a voice message", "Sent a location (not kept)", "Cannot be reached by sim"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(res.body, "MEbbbb") {
		t.Error("the provider's media reference is on the page")
	}
}

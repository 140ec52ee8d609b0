package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestTryTheBot: a link worker chats with the real flows in a sandbox;
// risk words there open no handoff in the real inbox and nothing is
// written to the real store.
func TestTryTheBot(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	w.addUser("bob@example.org", "Bob", false)
	ann, bob := w.client(), w.client()
	ann.login("ann@example.org")
	bob.login("bob@example.org")
	if res := ann.get("/console/try"); res.status != http.StatusOK || !strings.Contains(res.body, "Say hello to start.") {
		t.Fatalf("empty simulator: %d", res.status)
	}
	for _, text := range []string{"hello", "i want to kill myself"} {
		if res := ann.post("/console/try", url.Values{"text": {text}}); res.status != http.StatusSeeOther {
			t.Fatalf("send %q: %d", text, res.status)
		}
	}
	res := ann.get("/console/try")
	for _, want := range []string{"i want to kill myself", "Is that OK?", "call 999"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("simulator transcript lacks %q", want)
		}
	}
	if res := bob.get("/console/try"); !strings.Contains(res.body, "Say hello to start.") {
		t.Error("Bob sees Ann's practice chat")
	}
	if res := ann.get("/console/"); !strings.Contains(res.body, "No one is waiting") {
		t.Error("a practice chat put someone in the real inbox")
	}
	w.view(func(tx bot.Tx) error {
		n, err := tx.LastEventID()
		if n != 0 || err != nil {
			t.Errorf("the real store has %d events after a practice chat, want 0", n)
		}
		return err
	})
	if res := ann.post("/console/try", url.Values{"text": {" "}}); res.status != http.StatusBadRequest {
		t.Errorf("empty message: %d, want 400", res.status)
	}
}

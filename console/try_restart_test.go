package console_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// sandboxChat is what the sandbox holds for the user's practice chat: the
// conversation, whether a handoff holds it, and the bot's messages.
type sandboxChat struct {
	conv    *bot.Conversation
	held    bool
	botSaid []string
}

func (w *world) sandboxChat(userID string) sandboxChat {
	w.t.Helper()
	var sc sandboxChat
	err := w.sandbox.Store.View(context.Background(), func(tx bot.Tx) error {
		ct, err := tx.ContactByAddress(bot.Address{Channel: bot.Sim, ID: "try-" + userID})
		if err != nil {
			return err
		}
		if sc.conv, err = tx.Conversation(ct.ID); err != nil && !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		_, err = tx.ActiveHandoff(ct.ID)
		sc.held = err == nil
		return tx.Messages(ct.ID, func(m *bot.Message) bool {
			if m.Direction == bot.Out {
				sc.botSaid = append(sc.botSaid, m.Text)
			}
			return true
		})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return sc
}

// TestTryStartAgain: a practice chat that opened a handoff (HUMAN, a risk
// phrase) is not stuck: RESTART or the Start again button ends the
// handoff and starts a flow afresh, the one picked if any, and the bot
// answers again.
func TestTryStartAgain(t *testing.T) {
	type step struct {
		path string
		form url.Values
	}
	send := func(text string) step { return step{"/console/try", url.Values{"text": {text}}} }
	start := func(flow string) step { return step{"/console/try/start", url.Values{"flow": {flow}}} }
	tests := []struct {
		name  string
		steps []step
		flow  string // the conversation's flow after the steps
		first string // what that flow says first, which must be the bot's latest words
	}{
		{"HUMAN then RESTART", []step{send("hello"), send("HUMAN"), send("restart")}, "self-referral", "Is that OK?"},
		{"risk then RESTART", []step{send("hello"), send("i want to kill myself"), send("RESTART")}, "self-referral", "Is that OK?"},
		{"risk first then RESTART", []step{send("i want to kill myself"), send("RESTART")}, "self-referral", "Is that OK?"},
		{"RESTART first", []step{send("RESTART")}, "self-referral", "Is that OK?"},
		{"HUMAN then start again", []step{send("hello"), send("HUMAN"), start("")}, "self-referral", "Is that OK?"},
		{"risk then pick a flow", []step{send("hello"), send("i want to kill myself"), start("carer-checkin")}, "carer-checkin", "How have things been"},
		{"pick a flow first", []step{start("carer-checkin")}, "carer-checkin", "How have things been"},
		{"mid-flow pick another", []step{send("hello"), send("yes"), start("carer-checkin")}, "carer-checkin", "How have things been"},
		{"after STOP", []step{send("hello"), send("STOP"), start("self-referral")}, "self-referral", "Is that OK?"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			email := "u" + string(rune('a'+i)) + "@example.org"
			u := w.addUser(email, "Ann", false)
			c := w.client()
			c.login(email)
			for _, s := range tt.steps {
				if res := c.post(s.path, s.form); res.status != http.StatusSeeOther {
					t.Fatalf("POST %s %v: %d\n%s", s.path, s.form, res.status, res.body)
				}
			}
			sc := w.sandboxChat(u.ID)
			if sc.held {
				t.Error("a handoff still holds the practice chat")
			}
			if sc.conv == nil || sc.conv.FlowID != tt.flow || sc.conv.Status != bot.ConvActive {
				t.Fatalf("conversation = %+v, want %s active", sc.conv, tt.flow)
			}
			if n := len(sc.botSaid); n == 0 || !strings.Contains(sc.botSaid[n-1], tt.first) {
				t.Errorf("the bot's latest words %q, want the start of %s (%q)", sc.botSaid, tt.flow, tt.first)
			}
			// And the bot answers again.
			before := len(sc.botSaid)
			c.post("/console/try", url.Values{"text": {"yes"}})
			if after := w.sandboxChat(u.ID); len(after.botSaid) == before {
				t.Error("the bot does not answer after starting again")
			}
		})
	}
	t.Run("picker", func(t *testing.T) {
		w := newWorld(t)
		w.addUser("ann@example.org", "Ann", false)
		c := w.client()
		c.login("ann@example.org")
		page := c.get("/console/try").body
		for _, want := range []string{`action="/console/try/start"`, `<option value="carer-checkin">Carer check-in</option>`, "Start again"} {
			if !strings.Contains(page, want) {
				t.Errorf("the try page lacks %q", want)
			}
		}
		if res := c.post("/console/try/start", url.Values{"flow": {"no-such-flow"}}); res.status != http.StatusBadRequest {
			t.Errorf("unknown flow: %d, want 400", res.status)
		}
	})
}

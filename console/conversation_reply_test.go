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

// TestReplyNotConnected: a person enrolled but not yet connected has no
// address: the page says so instead of offering a reply, and a reply is
// refused with that message, taking nothing over and queueing nothing.
func TestReplyNotConnected(t *testing.T) {
	w := newWorld(t)
	ann := w.addUser("ann@example.org", "Ann", false)
	_, ct, err := w.engine.CreateEnrolment(context.Background(), "Dee Carer", ann.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := w.client()
	c.login("ann@example.org")
	page := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(page.body, "has not connected yet") || strings.Contains(page.body, `id="reply-text"`) {
		t.Errorf("the page of someone not connected offers a reply or does not say why not")
	}
	res := c.post("/console/contacts/"+ct.ID+"/reply", url.Values{"text": {"Hello Dee"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "has not connected yet") {
		t.Errorf("reply: %d, want 400 saying they have not connected yet\n%s", res.status, res.body)
	}
	w.view(func(tx bot.Tx) error {
		if h, err := tx.ActiveHandoff(ct.ID); !errors.Is(err, bot.ErrNotFound) {
			t.Errorf("the refused reply took the conversation over: %+v, %v", h, err)
		}
		return tx.Messages(ct.ID, func(m *bot.Message) bool {
			t.Errorf("a message was recorded for someone with no address: %+v", m)
			return true
		})
	})
}

// TestBlankReplyDoesNotPause: a reply of only spaces (and no canned reply
// picked) is refused before anything happens: the bot is not paused for
// the person, nothing is audited, and the bot still answers them.
func TestBlankReplyDoesNotPause(t *testing.T) {
	for _, text := range []string{"   ", "\t\n ", ""} {
		t.Run("", func(t *testing.T) {
			w := newWorld(t)
			w.addUser("ann@example.org", "Ann", false)
			w.send("sim:pat", "hello")
			ct := w.send("sim:pat", "yes")
			w.drain("sim:pat")
			c := w.client()
			c.login("ann@example.org")
			res := c.post("/console/contacts/"+ct.ID+"/reply", url.Values{"text": {text}})
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Write a reply") {
				t.Errorf("blank reply: %d, want 400 asking for a reply\n%s", res.status, res.body)
			}
			w.view(func(tx bot.Tx) error {
				if h, err := tx.ActiveHandoff(ct.ID); !errors.Is(err, bot.ErrNotFound) {
					t.Errorf("the refused reply paused the bot: %+v, %v", h, err)
				}
				return nil
			})
			for _, a := range w.audit() {
				if a.Action == bot.AuditTakeOver || a.Action == bot.AuditReply {
					t.Errorf("the refused reply was audited: %+v", a)
				}
			}
			w.send("sim:pat", "Sam Taylor")
			if got := w.drain("sim:pat"); len(got) == 0 {
				t.Error("the bot no longer answers the person")
			}
		})
	}
}

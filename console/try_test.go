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
		n := 0
		err := tx.EventsSince("", func(*bot.Event, bot.EventCursor) bool { n++; return true })
		if n != 0 || err != nil {
			t.Errorf("the real store has %d events after a practice chat, want 0", n)
		}
		return err
	})
	if res := ann.post("/console/try", url.Values{"text": {" "}}); res.status != http.StatusBadRequest {
		t.Errorf("empty message: %d, want 400", res.status)
	}
}

// TestContactCreate: a link worker adds a person they met, with consent,
// and the first message goes to their phone; the conversation is theirs.
func TestContactCreate(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no consent", url.Values{"name": {"Dee"}, "phone": {"07700 900555"}}, http.StatusBadRequest},
		{"bad number", url.Values{"name": {"Dee"}, "phone": {"12"}, "consent": {"yes"}}, http.StatusBadRequest},
		{"no name", url.Values{"phone": {"07700 900555"}, "consent": {"yes"}}, http.StatusBadRequest},
		{"added", url.Values{"name": {"Dee Dixon"}, "phone": {"07700 900555"}, "consent": {"yes"}, "first": {"Hello Dee, it's Ann from the surgery."}}, http.StatusSeeOther},
		{"number taken", url.Values{"name": {"Dee again"}, "phone": {"+44 7700 900555"}, "consent": {"yes"}}, http.StatusConflict},
	}
	for _, tt := range tests {
		if res := c.post("/console/contacts", tt.form); res.status != tt.status {
			t.Errorf("%s: %d, want %d\n%s", tt.name, res.status, tt.status, res.body)
		}
	}
	if got := w.drain("sms:+447700900555"); len(got) != 1 || got[0] != "Hello Dee, it's Ann from the surgery." {
		t.Fatalf("Dee received %q", got)
	}
	res := c.get("/console/contacts?q=dee")
	if !strings.Contains(res.body, "Dee Dixon") {
		t.Fatal("the new contact is not found by name")
	}
	// Dee answers: it lands with Ann, not the bot.
	w.send("sms:+447700900555", "Hi Ann, thanks")
	if got := w.drain("sms:+447700900555"); len(got) != 0 {
		t.Errorf("the bot answered Dee: %q", got)
	}
	if res := c.get("/console/"); !strings.Contains(res.body, "Dee Dixon") || !strings.Contains(res.body, ">Yours<") {
		t.Errorf("Dee's reply is not in Ann's inbox as hers")
	}
}

// TestCheckins: a link worker schedules the carer check-in for a person,
// pauses and removes it; bad forms are refused.
func TestCheckins(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sms:+447700900888", "hello")
	c := w.client()
	c.login("ann@example.org")
	path := "/console/contacts/" + ct.ID + "/checkins"
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"unknown flow", url.Values{"flow": {"self-referral"}, "every": {"weekly"}, "day": {"mon"}, "at": {"10:00"}}, http.StatusBadRequest},
		{"bad time", url.Values{"flow": {"carer-checkin"}, "every": {"weekly"}, "day": {"mon"}, "at": {"25:00"}}, http.StatusBadRequest},
		{"bad day", url.Values{"flow": {"carer-checkin"}, "every": {"weekly"}, "day": {"someday"}, "at": {"10:00"}}, http.StatusBadRequest},
		{"weekly carer check-in", url.Values{"flow": {"carer-checkin"}, "every": {"weekly"}, "day": {"tue"}, "at": {"10:30"}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		if res := c.post(path, tt.form); res.status != tt.status {
			t.Errorf("%s: %d, want %d\n%s", tt.name, res.status, tt.status, res.body)
		}
	}
	var scheds []*bot.Schedule
	w.view(func(tx bot.Tx) error {
		return tx.Schedules(ct.ID, func(s *bot.Schedule) bool { scheds = append(scheds, s); return true })
	})
	if len(scheds) != 1 || scheds[0].Flow != "carer-checkin" || scheds[0].LocalTime != "10:30" || scheds[0].Next.IsZero() {
		t.Fatalf("schedules = %+v", scheds)
	}
	page := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(page.body, "Carer check-in: weekly on Tuesdays at 10:30") {
		t.Errorf("the page does not show the schedule")
	}
	if res := c.post("/console/checkins/"+scheds[0].ID, url.Values{"action": {"pause"}}); res.status != http.StatusSeeOther {
		t.Fatalf("pause: %d", res.status)
	}
	if page := c.get("/console/contacts/" + ct.ID); !strings.Contains(page.body, ">paused<") {
		t.Errorf("the page does not show the pause")
	}
	if res := c.post("/console/checkins/"+scheds[0].ID, url.Values{"action": {"remove"}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	if page := c.get("/console/contacts/" + ct.ID); !strings.Contains(page.body, "None scheduled.") {
		t.Errorf("the page still shows a removed schedule")
	}
	if res := c.post("/console/checkins/nope", url.Values{"action": {"pause"}}); res.status != http.StatusNotFound {
		t.Errorf("unknown schedule: %d, want 404", res.status)
	}
}

package console_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/risk"
)

// TestConversation walks a handoff through the console over the real
// engine: the person's risk message, the transcript with delivery status,
// claim, reply (delivered to the sim channel), resolve and resume; every
// step audited.
func TestConversation(t *testing.T) {
	w := newWorld(t)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	w.send("sim:pat", "hello")
	w.drain("sim:pat")
	ct := w.send("sim:pat", "<script>alert(1)</script> i want to kill myself")
	if got := w.drain("sim:pat"); len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("crisis reply = %q", got)
	}
	c := w.client()
	c.login("ann@example.org")
	page := "/console/contacts/" + ct.ID

	res := c.get(page)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; i want to kill myself", // escaped
		`class="msg person"`, `class="msg bot"`, `class="status sent"`,
		"Urgent.", "reason: risk", "<h2>Risk</h2>", "suicide", "<strong>urgent</strong>",
		`kill myself"`, "(rule suicide/", // the words and rule that fired
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("conversation page lacks %q", want)
		}
	}
	if strings.Contains(res.body, "<script>alert") {
		t.Error("the person's <script> is on the page unescaped")
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	m := regexp.MustCompile(`/console/handoffs/(h\w+)/claim`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatal("no claim button on an open handoff")
	}
	hid := m[1]

	steps := []struct {
		name   string
		path   string
		form   url.Values
		status int
	}{
		{"claim", "/console/handoffs/" + hid + "/claim", url.Values{}, http.StatusSeeOther},
		{"empty reply", page + "/reply", url.Values{"text": {"  "}}, http.StatusBadRequest},
		{"reply", page + "/reply", url.Values{"text": {"Hi, this is Ann from the team. Are you safe right now?"}}, http.StatusSeeOther},
		{"resolve without outcome", "/console/handoffs/" + hid + "/resolve", url.Values{"next": {"resume"}}, http.StatusBadRequest},
		{"resolve", "/console/handoffs/" + hid + "/resolve", url.Values{"outcome": {"Spoke, safe, GP called"}, "next": {"resume"}}, http.StatusSeeOther},
		{"resolve again", "/console/handoffs/" + hid + "/resolve", url.Values{"outcome": {"again"}, "next": {"end"}}, http.StatusConflict},
	}
	for _, s := range steps {
		if res := c.post(s.path, s.form); res.status != s.status {
			t.Fatalf("%s: %d, want %d\n%s", s.name, res.status, s.status, res.body)
		}
	}
	got := w.drain("sim:pat")
	if len(got) < 2 || got[0] != "Hi, this is Ann from the team. Are you safe right now?" {
		t.Fatalf("person received %q, want Ann's reply then the bot resuming", got)
	}
	res = c.get(page)
	for _, want := range []string{`class="msg worker"`, "Ann Worker", "Take over"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("after resolving, the page lacks %q", want)
		}
	}
	var actions []string
	for _, a := range w.audit() {
		if a.UserID != ann.ID {
			t.Errorf("audit entry by %q, want Ann", a.UserID)
		}
		if a.Action != bot.AuditLogin && a.ContactID != ct.ID {
			t.Errorf("audit %s names contact %q, want %s", a.Action, a.ContactID, ct.ID)
		}
		actions = append([]string{string(a.Action)}, actions...)
	}
	// A form sent with a mistake comes back on the person's page, which
	// shows their record: that is a view, and audited as one.
	want := "login view claim view reply view resolve view"
	if strings.Join(actions, " ") != want {
		t.Errorf("audit = %v, want %s", actions, want)
	}
}

// notedPast is a past attempt told as over that the screen notes on the
// record without asking (see risk.Result.Noted).
const notedPast = "Twenty years ago I tried to take my life. I'm a grandad now and I'd like to volunteer on a helpline."

// TestNotedRiskOnRecord: a finding the screen only noted is on the
// person's record, marked as not asked.
func TestNotedRiskOnRecord(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	w.send("sim:pat", "hello")
	w.send("sim:pat", "no") // declines: no question is waiting
	w.drain("sim:pat")
	ct := w.send("sim:pat", notedPast)
	for _, m := range w.drain("sim:pat") {
		if strings.Contains(m, "Are you safe?") || m == risk.CrisisText {
			t.Errorf("reply %q to a noted finding, want no safety question", m)
		}
	}
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	for _, want := range []string{"<h2>Risk</h2>", "<strong>noted</strong> (not asked, read as ordinary)", "(rule suicide/own-past-attempt (set aside: model 0."} {
		if !strings.Contains(res.body, want) {
			t.Errorf("record lacks %q", want)
		}
	}
}

// TestReplyTakesOver: replying to a person the bot is handling takes the
// conversation over first, and the bot stops answering them.
func TestReplyTakesOver(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sim:sam", "hello")
	w.drain("sim:sam")
	c := w.client()
	c.login("ann@example.org")
	if res := c.post("/console/contacts/"+ct.ID+"/reply", url.Values{"text": {"Hello Sam, Ann here."}}); res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d\n%s", res.status, res.body)
	}
	if got := w.drain("sim:sam"); len(got) != 1 || got[0] != "Hello Sam, Ann here." {
		t.Fatalf("person received %q", got)
	}
	w.send("sim:sam", "yes")
	if got := w.drain("sim:sam"); len(got) != 0 {
		t.Errorf("the bot answered %q while Ann holds the conversation", got)
	}
	res := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(res.body, "Claimed by you") {
		t.Errorf("page does not show Ann holds the conversation")
	}
	if res := c.get("/console/contacts/nope"); res.status != http.StatusNotFound {
		t.Errorf("unknown contact: %d, want 404", res.status)
	}
}

// TestFailedDeliveryStandsOut: an outbound message the provider reported
// failed is marked on the transcript with its error code.
func TestFailedDeliveryStandsOut(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sms:+447700900123", "hello")
	w.drain("sms:+447700900123")
	var providerID string
	w.view(func(tx bot.Tx) error {
		return tx.Messages(ct.ID, func(m *bot.Message) bool {
			if m.Direction == bot.Out {
				o, err := tx.Outbound(m.OutboxID)
				if err == nil {
					providerID = o.ProviderID
				}
			}
			return providerID == ""
		})
	})
	if err := w.engine.RecordStatus(context.Background(), providerID, bot.StatusUndelivered, "30006"); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	for _, want := range []string{`class="msg bot failed"`, `class="status undelivered"`, "code 30006"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestEventsStream: a new message from a person is announced on the
// stream with the contact it concerns.
func TestEventsStream(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", w.srv.URL+"/console/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(res.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, "retry:") {
		t.Fatalf("first line %q", line)
	}
	ct := w.send("sim:new", "i want to kill myself")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before the refresh: %v", err)
		}
		if line == "data: "+ct.ID+"\n" {
			return
		}
	}
}

// TestOptedOutShown: a person who texted STOP is marked, and a reply to
// them is recorded but not sent.
func TestOptedOutShown(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sms:+447700900777", "hello")
	w.send("sms:+447700900777", "STOP")
	w.drain("sms:+447700900777")
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(res.body, "Opted out") || !strings.Contains(res.body, "a reply is recorded but not sent") {
		t.Fatalf("the page does not show the opt-out")
	}
	if res := c.post("/console/contacts/"+ct.ID+"/reply", url.Values{"text": {"Are you OK?"}}); res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.status)
	}
	if got := w.drain("sms:+447700900777"); len(got) != 0 {
		t.Errorf("an opted-out person received %q", got)
	}
}

// An edited message (Telegram) shows as an edit in the transcript.
func TestConversationShowsEdits(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	ct := w.send("sim:ed", "hello")
	a, _ := bot.ParseAddress("sim:ed")
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "hello again, changed", ProviderID: "edit-1", Edited: true}); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if !strings.Contains(res.body, "edited: new words for an earlier message") || !strings.Contains(res.body, "hello again, changed") {
		t.Errorf("conversation page does not show the edit:\n%s", res.body)
	}
}

// TestRecordSaysWhy: the person's page says why they cannot be reached
// (STOP, from them) and shows a pending "Are you safe?" and its answer
// beside the risk entry with its tier, words and rule.
func TestRecordSaysWhy(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	const kim, lee = "sms:+447700900778", "sms:+447700900779"
	stopped := w.send(kim, "hello")
	w.send(kim, "STOP")
	worried := w.send(lee, "hello")
	w.send(lee, "I don't see a future for me")
	w.drain("")
	c := w.client()
	c.login("ann@example.org")
	if res := c.get("/console/contacts/" + stopped.ID); !strings.Contains(res.body, "(they sent STOP): nothing will be sent until they send START") {
		t.Errorf("the opted-out person's page does not say why:\n%s", res.body)
	}
	page := "/console/contacts/" + worried.ID
	res := c.get(page)
	for _, want := range []string{"<strong>concern</strong>", "(rule ", `Waiting for an answer</strong> to "Are you safe?"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("while the safety check waits the page lacks %q", want)
		}
	}
	w.send(lee, "no")
	w.drain("")
	res = c.get(page)
	if strings.Contains(res.body, "Waiting for an answer") || !strings.Contains(res.body, `Asked "Are you safe?", answered no: the crisis numbers were sent`) {
		t.Errorf("after they answered no the page says:\n%s", res.body)
	}
}

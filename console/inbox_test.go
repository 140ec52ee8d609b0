package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestInbox: urgent first, then longest waiting; the waiting clock turns
// amber at half the SLA and red past it; who claimed what is shown.
func TestInbox(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	w.addUser("bob@example.org", "Bob Worker", false)
	asked := w.send("sim:asker", "HUMAN")
	w.clock.Advance(2*time.Hour + time.Minute) // ordinary SLA 4h: amber from 2h
	urgent := w.send("sim:risky", "i want to kill myself")
	w.clock.Advance(time.Minute)
	c := w.client()
	c.login("ann@example.org")

	res := c.get("/console/")
	if res.status != http.StatusOK {
		t.Fatalf("inbox: %d", res.status)
	}
	iu, ia := strings.Index(res.body, "/console/contacts/"+urgent.ID+`"`), strings.Index(res.body, "/console/contacts/"+asked.ID+`"`)
	if iu < 0 || ia < 0 || iu > ia {
		t.Fatalf("inbox does not list the urgent handoff first (at %d) then the ordinary one (at %d):\n%s", iu, ia, res.body)
	}
	if !strings.Contains(res.body, `class="wait amber"`) || strings.Contains(res.body, `class="wait red"`) {
		t.Errorf("after 2h01 the ordinary handoff should be amber and nothing red:\n%s", res.body)
	}
	for _, want := range []string{">Urgent<", ">risk<", ">asked<", ">sim<", "kill myself", "2h 2m"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	w.clock.Advance(15 * time.Minute) // urgent SLA 15m
	res = c.get("/console/inbox")     // the fragment the script swaps in
	if strings.Count(res.body, `class="wait red"`) != 1 || strings.Contains(res.body, "<html") {
		t.Errorf("fragment after 16 minutes: want the urgent clock red, no page around it:\n%s", res.body)
	}

	// Bob claims the urgent one: Ann sees who has it and no Claim button for it.
	bob := w.client()
	bob.login("bob@example.org")
	handoff := regexp.MustCompile(`/console/handoffs/(h\w+)/claim`).FindStringSubmatch(res.body)
	if handoff == nil {
		t.Fatal("no claim button in the inbox")
	}
	if res := bob.post("/console/handoffs/"+handoff[1]+"/claim", nil); res.status != http.StatusSeeOther || res.location != "/console/contacts/"+urgent.ID {
		t.Fatalf("bob claims: %d %q", res.status, res.location)
	}
	res = c.get("/console/inbox")
	if !strings.Contains(res.body, "Bob Worker") || strings.Contains(res.body, "/console/handoffs/"+handoff[1]+"/claim") {
		t.Errorf("after Bob's claim Ann's inbox should name Bob and offer no claim:\n%s", res.body)
	}
	if res := c.post("/console/handoffs/"+handoff[1]+"/claim", nil); res.status != http.StatusConflict || !strings.Contains(res.body, "already claimed") {
		t.Errorf("Ann claims Bob's handoff: %d, want 409 saying it is claimed", res.status)
	}
	if res := bob.get("/console/inbox"); !strings.Contains(res.body, ">Yours<") {
		t.Errorf("Bob's inbox does not mark the claim as his")
	}
}

// TestInboxWorkingHoursSLA: an ordinary handoff's SLA counts working
// hours (Mon-Fri 09:00-17:00 London), so one opened Friday 16:00 is not
// late over the weekend: amber after two working hours (Monday 10:00),
// red after four (Monday 12:00).
func TestInboxWorkingHoursSLA(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, clock string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, london)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	w.clock.Set(at("2026-11-27", "16:00")) // a Friday
	w.send("sim:asker", "HUMAN")
	cases := []struct {
		now  time.Time
		want string // the clock's class: "" for none
	}{
		{at("2026-11-27", "16:59"), ""},
		{at("2026-11-28", "12:00"), ""}, // Saturday: 20 hours on the wall clock
		{at("2026-11-30", "09:59"), ""},
		{at("2026-11-30", "10:00"), "amber"},
		{at("2026-11-30", "11:59"), "amber"},
		{at("2026-11-30", "12:00"), "red"},
	}
	for _, tc := range cases {
		w.clock.Set(tc.now)
		c := w.client() // a sign-in lasts 12 hours: sign in afresh
		c.login("ann@example.org")
		res := c.get("/console/inbox")
		if res.status != http.StatusOK {
			t.Fatalf("inbox at %s: %d", tc.now, res.status)
		}
		var got string
		for _, class := range []string{"amber", "red"} {
			if strings.Contains(res.body, `class="wait `+class+`"`) {
				got += class
			}
		}
		if got != tc.want {
			t.Errorf("at %s the ordinary handoff's clock is %q, want %q", tc.now.Format("Mon 15:04"), got, tc.want)
		}
	}
}

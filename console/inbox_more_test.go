package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestInboxFilters: the inbox narrows by channel, reason, urgency and a
// search by name or number as typed, on the page and in the live
// fragment, and the view counts follow the filter.
func TestInboxFilters(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	sam := w.send("sms:+447700900111", "i want to kill myself") // urgent, risk, SMS
	w.update(func(tx bot.Tx) error { c, _ := tx.Contact(sam.ID); c.Name = "Sam Jones"; return tx.PutContact(c) })
	kim := w.send("telegram:777", "HUMAN") // asked, Telegram
	lee := w.send("sms:+447700900333", "HUMAN")
	c := w.client()
	c.login("ann@example.org")
	people := map[string]*bot.Contact{"sam": sam, "kim": kim, "lee": lee}
	all := regexp.MustCompile(`All open <span class="count">(\d+)</span>`)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"sam", "kim", "lee"}},
		{"channel=telegram", []string{"kim"}},
		{"channel=sms", []string{"sam", "lee"}},
		{"reason=asked", []string{"kim", "lee"}},
		{"urgent=1", []string{"sam"}},
		{"q=sam+jon", []string{"sam"}},
		{"q=07700+900333", []string{"lee"}},
		{"q=%2B44+7700+900111", []string{"sam"}},
		{"q=777", []string{"kim"}},
		{"q=nobody", nil},
		{"channel=sms&reason=asked", []string{"lee"}},
	}
	for _, tt := range tests {
		for _, path := range []string{"/console/?", "/console/inbox?"} {
			res := c.get(path + tt.query)
			if res.status != http.StatusOK {
				t.Fatalf("%s%s: %d", path, tt.query, res.status)
			}
			for who, ct := range people {
				listed := strings.Contains(res.body, `href="/console/contacts/`+ct.ID+`"`)
				if listed != containsString(tt.want, who) {
					t.Errorf("%s%s: %s listed = %v", path, tt.query, who, listed)
				}
			}
			if m := all.FindStringSubmatch(res.body); m == nil || m[1] != strconv.Itoa(len(tt.want)) {
				t.Errorf("%s%s: All open count %v, want %d", path, tt.query, m, len(tt.want))
			}
		}
	}
}

// TestInboxResolvedTodayAndUnassign: a claimed handoff can be put back in
// Unclaimed (audited, with who held it); one resolved today is listed
// under Resolved today with its outcome; resolved yesterday is not.
func TestInboxResolvedTodayAndUnassign(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	bob := w.addUser("bob@example.org", "Bob Worker", false)
	old := w.send("sim:old", "HUMAN")
	hOld := heldBy(t, w, old.ID, bob)
	if err := w.engine.Resolve(t.Context(), hOld.ID, bob.ID, "sorted yesterday", false); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(24 * time.Hour)
	pat := w.send("sim:pat", "HUMAN")
	h := heldBy(t, w, pat.ID, bob)
	ann := w.client()
	ann.login("ann@example.org")
	if res := ann.get("/console/?view=open"); !strings.Contains(res.body, "/console/handoffs/"+h.ID+"/unassign") {
		t.Fatal("no Unassign on Bob's claimed handoff")
	}
	if res := ann.post("/console/handoffs/"+h.ID+"/unassign", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("unassign: %d\n%s", res.status, res.body)
	}
	if res := ann.get("/console/?view=unclaimed"); !strings.Contains(res.body, `href="/console/contacts/`+pat.ID+`"`) {
		t.Error("after unassign the person is not in Unclaimed")
	}
	var audited bool
	for _, a := range w.audit() {
		audited = audited || (a.Action == "unassign" && a.ContactID == pat.ID && strings.Contains(a.Detail, "from "+bob.ID))
	}
	if !audited {
		t.Error("unassign not audited with who held it")
	}
	if res := ann.post("/console/handoffs/"+h.ID+"/unassign", url.Values{}); res.status != http.StatusConflict {
		t.Errorf("unassigning an unclaimed handoff: %d, want 409", res.status)
	}
	// Cat takes it and resolves it: it shows in Resolved today.
	heldBy(t, w, pat.ID, w.addUser("cat@example.org", "Cat Worker", false))
	var cat *bot.User
	w.view(func(tx bot.Tx) (err error) { cat, err = tx.UserByEmail("cat@example.org"); return err })
	if err := w.engine.Resolve(t.Context(), h.ID, cat.ID, "referred to the food bank", false); err != nil {
		t.Fatal(err)
	}
	res := ann.get("/console/?view=resolved")
	if !strings.Contains(res.body, `href="/console/contacts/`+pat.ID+`"`) || !strings.Contains(res.body, "by Cat Worker: referred to the food bank") {
		t.Errorf("Resolved today lacks today's handoff and its outcome:\n%s", res.body)
	}
	if strings.Contains(res.body, `href="/console/contacts/`+old.ID+`"`) {
		t.Error("Resolved today lists one resolved yesterday")
	}
	if !strings.Contains(res.body, `Resolved today <span class="count">1</span>`) {
		t.Error("Resolved today's count is not 1")
	}
}

// TestInboxUnreadAndSafety: a row is marked until the worker opens the
// person's page, and again when the person writes after that; a person
// asked "Are you safe?" (no handoff yet) is listed apart until they answer.
func TestInboxUnreadAndSafety(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	pat := w.send("sim:pat", "HUMAN")
	w.send("sim:lee", "hello")
	lee := w.send("sim:lee", "I don't see a future for me")
	ann := w.client()
	ann.login("ann@example.org")
	// Every page counts the unclaimed beside Inbox.
	if res := ann.get("/console/referrals"); !strings.Contains(res.body, `Inbox <span class="count">1<`) {
		t.Error("the menu does not count the one person unclaimed")
	}
	marked := func() bool { return strings.Contains(ann.get("/console/").body, "New message") }
	if !marked() {
		t.Error("a new handoff is not marked unread")
	}
	w.clock.Advance(time.Minute)
	ann.get("/console/contacts/" + pat.ID)
	if marked() {
		t.Error("still marked after opening the person's page")
	}
	w.clock.Advance(time.Minute)
	w.send("sim:pat", "are you there?")
	if !marked() {
		t.Error("a message after the worker looked is not marked")
	}
	res := ann.get("/console/")
	if !strings.Contains(res.body, `no answer yet`) || !strings.Contains(res.body, `href="/console/contacts/`+lee.ID+`"`) {
		t.Errorf("the person asked if safe is not in the inbox:\n%s", res.body)
	}
	w.send("sim:lee", "yes")
	if res := ann.get("/console/inbox"); strings.Contains(res.body, `href="/console/contacts/`+lee.ID+`"`) {
		t.Error("still listed after answering yes")
	}
}

package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestInboxViews: Unclaimed, Mine and All open each list their handoffs,
// on the page and in the fragment the live updates fetch, with counts.
func TestInboxViews(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	w.addUser("bob@example.org", "Bob", false)
	ann, bob := w.client(), w.client()
	ann.login("ann@example.org")
	bob.login("bob@example.org")
	people := map[string]*bot.Contact{}
	for _, who := range []string{"anns", "bobs", "nobodys"} {
		people[who] = w.send("sim:"+who, "HUMAN")
	}
	claim := func(c *client, ct *bot.Contact) {
		var h *bot.Handoff
		w.view(func(tx bot.Tx) error {
			var err error
			h, err = tx.ActiveHandoff(ct.ID)
			return err
		})
		if res := c.post("/console/handoffs/"+h.ID+"/claim", url.Values{}); res.status != http.StatusSeeOther {
			t.Fatalf("claim: %d %s", res.status, res.body)
		}
	}
	claim(ann, people["anns"])
	claim(bob, people["bobs"])

	counts := regexp.MustCompile(`(Unclaimed|Mine|All open) <span class="count">(\d+)</span>`)
	tests := []struct {
		view string
		want []string
	}{
		{"unclaimed", []string{"nobodys"}},
		{"mine", []string{"anns"}},
		{"open", []string{"anns", "bobs", "nobodys"}},
		{"", []string{"anns", "bobs", "nobodys"}},
	}
	for _, tt := range tests {
		for _, path := range []string{"/console/?view=" + tt.view, "/console/inbox?view=" + tt.view} {
			res := ann.get(path)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d", path, res.status)
			}
			for who, ct := range people {
				listed := strings.Contains(res.body, `href="/console/contacts/`+ct.ID+`"`)
				if listed != containsString(tt.want, who) {
					t.Errorf("%s: %s listed = %v, want %v", path, who, listed, !listed)
				}
			}
			got := map[string]string{}
			for _, m := range counts.FindAllStringSubmatch(res.body, -1) {
				got[m[1]] = m[2]
			}
			if got["Unclaimed"] != "1" || got["Mine"] != "1" || got["All open"] != "3" {
				t.Errorf("%s: counts %v, want Unclaimed 1, Mine 1, All open 3", path, got)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAssignToColleague: an open handoff given to a named colleague is
// theirs (in their Mine view), and the audit log says who gave it to whom.
func TestAssignToColleague(t *testing.T) {
	w := newWorld(t)
	ann := w.addUser("ann@example.org", "Ann", false)
	bob := w.addUser("bob@example.org", "Bob Builder", false)
	off := w.addUser("old@example.org", "Old", false)
	off.Disabled = true
	w.update(func(tx bot.Tx) error { return tx.PutUser(off) })
	a, b := w.client(), w.client()
	a.login("ann@example.org")
	b.login("bob@example.org")
	ct := w.send("sim:zed", "HUMAN")
	var h *bot.Handoff
	w.view(func(tx bot.Tx) error {
		var err error
		h, err = tx.ActiveHandoff(ct.ID)
		return err
	})
	page := a.get("/console/?view=unclaimed")
	if !strings.Contains(page.body, `action="/console/handoffs/`+h.ID+`/assign"`) || !strings.Contains(page.body, ">Bob Builder</option>") ||
		strings.Contains(page.body, ">Old</option>") {
		t.Fatalf("the inbox has no Assign menu with Bob (and without disabled users):\n%s", page.body)
	}
	if res := a.post("/console/handoffs/"+h.ID+"/assign", url.Values{"to": {off.ID}}); res.status != http.StatusBadRequest {
		t.Errorf("assign to a disabled user: %d, want 400", res.status)
	}
	if res := a.post("/console/handoffs/"+h.ID+"/assign", url.Values{"to": {bob.ID}}); res.status != http.StatusSeeOther {
		t.Fatalf("assign: %d %s", res.status, res.body)
	}
	if mine := b.get("/console/inbox?view=mine"); !strings.Contains(mine.body, `href="/console/contacts/`+ct.ID+`"`) {
		t.Errorf("Bob's Mine view does not list the conversation given to him:\n%s", mine.body)
	}
	if res := a.post("/console/handoffs/"+h.ID+"/assign", url.Values{"to": {ann.ID}}); res.status != http.StatusConflict {
		t.Errorf("assigning a handoff Bob holds: %d, want 409", res.status)
	}
	found := false
	for _, e := range w.audit() {
		found = found || (e.Action == "assign" && e.UserID == ann.ID && e.ContactID == ct.ID && e.Detail == bob.ID)
	}
	if !found {
		t.Error("the assignment is not in the audit log")
	}
}

package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSavedTextStaysOneRate: canned replies and the hours text are saved
// as they will be sent, typographic punctuation as GSM-7 (one SMS rate,
// Welsh letters kept), and a canned reply longer than 3 texts is refused.
func TestSavedTextStaysOneRate(t *testing.T) {
	w := newWorld(t)
	w.addUser("boss@example.org", "Boss", true)
	admin := w.client()
	admin.login("boss@example.org")

	res := admin.post("/console/admin/canned", url.Values{"canned": {"We\u2019re closed today \u2013 back tomorrow\u2026\nDiolch, byddwn yn ffonio\u2019n fuan \u00e2 chi"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save canned: %d\n%s", res.status, res.body)
	}
	page := admin.get("/console/admin/canned").body
	if !strings.Contains(page, "We&#39;re closed today - back tomorrow...\nDiolch, byddwn yn ffonio&#39;n fuan \u00e2 chi</textarea>") {
		t.Errorf("canned replies not saved as sent:\n%s", page)
	}
	long := strings.Repeat("Please call the surgery. ", 20) // 500 characters: 4 texts
	res = admin.post("/console/admin/canned", url.Values{"canned": {"Short one.\n" + long}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Canned reply 2 would be sent as 4 texts: keep each to 3") {
		t.Errorf("a 4-text canned reply: %d, want 400 saying so\n%s", res.status, res.body)
	}
	if !strings.Contains(res.body, "<title>Error: ") {
		t.Errorf("the refusal's title does not start with Error:")
	}

	// A form error says "Error:" first in the title, and the problem at the top.
	res = admin.post("/console/admin/hours", url.Values{"spec": {"Mon-Fry 9-5"}, "zone": {"Europe/London"}, "text": {"weekdays"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "<title>Error: Service hours") || !strings.Contains(res.body, "There is a problem") {
		t.Errorf("hours form error: %d\n%s", res.status, res.body)
	}

	res = admin.post("/console/admin/hours", url.Values{"spec": {"Mon-Fri 09:00-17:00"}, "zone": {"Europe/London"},
		"closed": {""}, "text": {"Monday\u2013Friday, 9am\u00a0to\u00a05pm"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save hours: %d\n%s", res.status, res.body)
	}
	if got := w.engine.Service().Hours; got != "Monday-Friday, 9am to 5pm" {
		t.Errorf("hours text in force %q, want it in GSM-7", got)
	}
}

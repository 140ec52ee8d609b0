package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestCrossSiteLinkDoesNotAuditView: a link on another site to a person's
// record shows a question, not the record, and writes no audit entry; the
// worker's own open of the record (from a console page, or typed in) is
// shown and audited.
func TestCrossSiteLinkDoesNotAuditView(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	ct := w.send("sim:zed", "hello")
	views := func() int {
		n := 0
		for _, a := range w.audit() {
			if a.Action == bot.AuditView && a.ContactID == ct.ID {
				n++
			}
		}
		return n
	}
	tests := []struct {
		site      string
		wantView  bool
		wantAudit int
	}{
		{"cross-site", false, 0},
		{"same-site", false, 0},
		{"same-origin", true, 1},
		{"none", true, 2},
	}
	for _, tt := range tests {
		res := c.do("GET", "/console/contacts/"+ct.ID, nil, "Sec-Fetch-Site", tt.site)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", tt.site, res.status)
		}
		shown := strings.Contains(res.body, "hello")
		if shown != tt.wantView {
			t.Errorf("%s: record shown = %v, want %v", tt.site, shown, tt.wantView)
		}
		if !tt.wantView && !strings.Contains(res.body, `href="/console/contacts/`+ct.ID+`"`) {
			t.Errorf("%s: no link to open the record:\n%s", tt.site, res.body)
		}
		if got := views(); got != tt.wantAudit {
			t.Errorf("after a %s request: %d audited views, want %d", tt.site, got, tt.wantAudit)
		}
	}
}

package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestViewAuditFailsClosed: when the view of a person's record cannot be
// written to the audit log, the record is not shown.
func TestViewAuditFailsClosed(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	const secret = "my neighbour Mrs Example keeps me going"
	w.send("sim:pat", "hello")
	ct := w.send("sim:pat", secret)
	c := w.client()
	c.login("ann@example.org")
	page := "/console/contacts/" + ct.ID
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
		name       string
		failWrites bool
		status     int
		shown      bool
		views      int
	}{
		{"audit log unwritable", true, http.StatusInternalServerError, false, 0},
		{"audit log written", false, http.StatusOK, true, 1},
	}
	for _, tt := range tests {
		w.consoleStore.failWrites.Store(tt.failWrites)
		res := c.get(page)
		if shown := strings.Contains(res.body, secret); res.status != tt.status || shown != tt.shown {
			t.Errorf("%s: %d, record shown %v; want %d, %v", tt.name, res.status, shown, tt.status, tt.shown)
		}
		if got := views(); got != tt.views {
			t.Errorf("%s: %d views audited, want %d", tt.name, got, tt.views)
		}
	}
}

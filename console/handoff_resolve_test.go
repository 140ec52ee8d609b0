package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestResolve: resolving a handoff from the console either ends the
// conversation politely or lets the bot carry on, as the link worker
// chose, and is audited with that choice; only the link worker holding
// the conversation may resolve it.
func TestResolve(t *testing.T) {
	tests := []struct {
		name   string
		by     string // who resolves; Ann holds the handoff
		next   string
		status int
		conv   bot.ConvStatus // the conversation afterwards
		says   string         // the person's last message from the bot
		detail string         // the audit entry's detail after the handoff id
	}{
		{"end", "ann", "end", http.StatusSeeOther, bot.ConvDone, "Thank you for talking to us.", " end"},
		{"resume", "ann", "resume", http.StatusSeeOther, bot.ConvActive, "Is that OK?", " resume"},
		{"not the holder", "bob", "end", http.StatusConflict, bot.ConvActive, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			users := map[string]*bot.User{
				"ann": w.addUser("ann@example.org", "Ann", false),
				"bob": w.addUser("bob@example.org", "Bob", false),
			}
			w.send("sim:pat", "hello")
			ct := w.send("sim:pat", "HUMAN")
			w.drain("sim:pat")
			ann := w.client()
			ann.login("ann@example.org")
			page := "/console/contacts/" + ct.ID
			m := regexp.MustCompile(`/console/handoffs/(h\w+)/claim`).FindStringSubmatch(ann.get(page).body)
			if m == nil {
				t.Fatal("no claim button")
			}
			hid := m[1]
			if res := ann.post("/console/handoffs/"+hid+"/claim", url.Values{}); res.status != http.StatusSeeOther {
				t.Fatalf("claim: %d", res.status)
			}
			c := ann
			if tt.by != "ann" {
				c = w.client()
				c.login(tt.by + "@example.org")
			}
			res := c.post("/console/handoffs/"+hid+"/resolve", url.Values{"outcome": {"Talked it through"}, "next": {tt.next}})
			if res.status != tt.status {
				t.Fatalf("resolve: %d, want %d\n%s", res.status, tt.status, res.body)
			}
			got := w.drain("sim:pat")
			switch {
			case tt.says == "" && len(got) != 0:
				t.Errorf("the person was sent %q", got)
			case tt.says != "" && (len(got) == 0 || !strings.Contains(got[len(got)-1], tt.says)):
				t.Errorf("the person was sent %q, want %q last", got, tt.says)
			}
			var resolved []*bot.AuditEntry
			for _, a := range w.audit() {
				if a.Action == bot.AuditResolve {
					resolved = append(resolved, a)
				}
			}
			w.view(func(tx bot.Tx) error {
				h, err := tx.Handoff(hid)
				if err != nil {
					return err
				}
				if wantActive := tt.status != http.StatusSeeOther; h.Active() != wantActive || (!wantActive && h.Resumed != (tt.next == "resume")) {
					t.Errorf("handoff = %+v", h)
				}
				conv, err := tx.Conversation(ct.ID)
				if err != nil {
					return err
				}
				if conv.Status != tt.conv {
					t.Errorf("conversation %s, want %s", conv.Status, tt.conv)
				}
				return nil
			})
			switch {
			case tt.detail == "" && len(resolved) != 0:
				t.Errorf("a refused resolve was audited: %+v", resolved[0])
			case tt.detail != "" && (len(resolved) != 1 || resolved[0].Detail != hid+tt.detail || resolved[0].UserID != users[tt.by].ID || resolved[0].ContactID != ct.ID):
				t.Errorf("resolve audited as %+v, want one by %s with detail %q", resolved, tt.by, hid+tt.detail)
			}
		})
	}
}

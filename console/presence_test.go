package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// presenceEvents opens c's live-update stream for a person's page and
// returns a function that reads the next "presence" event's names.
func presenceEvents(t *testing.T, c *client, contactID string) func() []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", c.w.srv.URL+"/console/events?contact="+contactID, nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	r := bufio.NewReader(res.Body)
	return func() []string {
		t.Helper()
		presence := false
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended before a presence event: %v", err)
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "event: presence":
				presence = true
			case presence && strings.HasPrefix(line, "data: "):
				var names []string
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &names); err != nil {
					t.Fatalf("presence data %q: %v", line, err)
				}
				return names
			case line == "":
				presence = false
			}
		}
	}
}

// TestPresenceExpires: a page left listed by an instance that stopped
// (its entry no longer renewed) stops counting once it expires, while a
// live one counts; and a worker's own other tab does not make them
// "also viewing".
func TestPresenceExpires(t *testing.T) {
	w := newWorld(t)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	person := w.send("sms:+447700900831", "HUMAN")
	now := w.clock.Now()
	// Cy's instance died a minute ago; Dee's is live; Ann has another tab.
	w.update(func(tx bot.Tx) error {
		return tx.PutSetting("console.presence."+person.ID, `[
			{"page":"p1","user":"cy","name":"Cy Worker","until":"`+now.Add(-time.Second).Format(time.RFC3339Nano)+`"},
			{"page":"p2","user":"dee","name":"Dee Worker","until":"`+now.Add(30*time.Second).Format(time.RFC3339Nano)+`"},
			{"page":"p3","user":"`+ann.ID+`","name":"Ann Worker","until":"`+now.Add(30*time.Second).Format(time.RFC3339Nano)+`"}]`)
	})
	c := w.client()
	c.login("ann@example.org")
	next := presenceEvents(t, c, person.ID)
	if names := next(); len(names) != 1 || names[0] != "Dee Worker" {
		t.Fatalf("Ann hears %q viewing, want only Dee Worker", names)
	}
	// Dee's entry runs out too: the list empties.
	w.clock.Advance(31 * time.Second)
	if names := next(); len(names) != 0 {
		t.Fatalf("after Dee's entry expired Ann hears %q", names)
	}
	// Ann's stream has written her own entry; the expired ones are gone
	// from the store at its next write.
	var v string
	w.view(func(tx bot.Tx) error { v, _ = tx.Setting("console.presence." + person.ID); return nil })
	if !strings.Contains(v, ann.ID) || strings.Contains(v, "Cy Worker") {
		t.Errorf("the store lists %s, want Ann and not Cy's expired page", v)
	}

}

package console_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestEventsStreamEndsWithSession: an open live-update stream ends when
// its session does — sign-out, or an admin disabling the user — instead
// of sending contact ids for up to ten more minutes.
func TestEventsStreamEndsWithSession(t *testing.T) {
	for _, end := range []string{"sign-out", "disabled"} {
		t.Run(end, func(t *testing.T) {
			w := newWorld(t)
			w.addUser("admin@example.org", "Admin", true)
			ann := w.addUser("ann@example.org", "Ann", false)
			c := w.client()
			c.login("ann@example.org")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", w.srv.URL+"/console/events", nil)
			res, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			r := bufio.NewReader(res.Body)
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
			switch end {
			case "sign-out":
				// Sign out from another copy of the session's cookie (a
				// second tab): the stream's own request is still open.
				other := w.client()
				other.http.Jar.SetCookies(mustURL(t, w.srv.URL+"/console/"), c.http.Jar.Cookies(mustURL(t, w.srv.URL+"/console/")))
				if res := other.post("/console/logout", url.Values{}); res.status != http.StatusSeeOther {
					t.Fatalf("logout: %d", res.status)
				}
			case "disabled":
				admin := w.client()
				admin.login("admin@example.org")
				if res := admin.post("/console/admin/users/"+ann.ID, url.Values{"action": {"disable"}}); res.status != http.StatusSeeOther {
					t.Fatalf("disable: %d %s", res.status, res.body)
				}
			}
			w.send("sim:after", "HUMAN") // an event that must not reach Ann
			rest, err := io.ReadAll(r)
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				t.Fatalf("the stream did not end after %s (read %q, %v)", end, rest, err)
			}
			var c2 *bot.Contact
			w.view(func(tx bot.Tx) error {
				c2, err = tx.ContactByAddress(bot.Address{Channel: bot.Sim, ID: "after"})
				return err
			})
			if c2 != nil && len(rest) > 0 && strings.Contains(string(rest), c2.ID) {
				t.Errorf("the stream sent %s's id after %s:\n%s", c2.ID, end, rest)
			}
		})
	}
}

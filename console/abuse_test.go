package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
)

// adminOnly says which console routes only admins may use: everything
// under /console/admin/ and the audit log. A route added later is covered
// by construction: under /console/admin/ it must refuse link workers, and
// anywhere else a 403 to a link worker fails TestEveryRouteByRole until it
// is listed here.
func adminOnly(rt console.Route) bool {
	return strings.HasPrefix(rt.Path, "/console/admin/") || rt.Path == "/console/audit"
}

// concrete fills a route pattern's wildcards.
func concrete(path string) string {
	return strings.NewReplacer("{id}", "c1", "{token}", "t1", "{file}", "app.css", "{$}", "").Replace(path)
}

// TestEveryRouteByRole signs in a link worker and an admin and calls every
// route in the console's route table: admin-only routes refuse the link
// worker with 403 and serve the admin; every other route serves both (it
// may refuse the empty form, but not the role or the session).
func TestEveryRouteByRole(t *testing.T) {
	w := newWorld(t)
	w.send("sms:+447700900111", "hello") // a contact c1 for the {id} routes
	w.addUser("worker@example.org", "Wendy", false)
	w.addUser("admin@example.org", "Ada", true)
	worker, admin := w.client(), w.client()
	worker.login("worker@example.org")
	admin.login("admin@example.org")

	routes := console.Routes()
	// Signing out last, so that the sessions last the whole test.
	slices.SortStableFunc(routes, func(a, b console.Route) int {
		return boolInt(a.Path == "/console/logout") - boolInt(b.Path == "/console/logout")
	})
	var checked int
	for _, rt := range routes {
		if rt.Public {
			continue
		}
		key := rt.Method + " " + rt.Path
		for _, who := range []struct {
			name  string
			c     *client
			admin bool
		}{{"link worker", worker, false}, {"admin", admin, true}} {
			status, location := call(t, who.c, rt.Method, concrete(rt.Path))
			checked++
			switch {
			case status == http.StatusUnauthorized || strings.HasPrefix(location, "/console/login?"):
				t.Errorf("%s as %s: %d %q: the session was not honoured", key, who.name, status, location)
			case adminOnly(rt) && !who.admin && status != http.StatusForbidden:
				t.Errorf("%s as a link worker: %d, want 403 (admin only)", key, status)
			case (!adminOnly(rt) || who.admin) && status == http.StatusForbidden:
				t.Errorf("%s as %s: 403; if it is admin-only, adminOnly must say so", key, who.name)
			}
		}
	}
	if checked < 2*30 {
		t.Errorf("only %d calls made: the route table was not enumerated", checked)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// call makes one same-origin request with an empty form and returns the
// status and Location without reading the body (the event stream never
// ends).
func call(t *testing.T, c *client, method, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, c.w.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// countingBody counts the bytes a handler reads from a request body.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// TestBodyLimitOnEveryPost sends a 10 MB form to every POST route, signed
// in and not, with its Content-Length, and a 1 MB one chunked (no length):
// each is refused with 413, and the console reads at most MaxBody of it —
// none when the length is declared.
func TestBodyLimitOnEveryPost(t *testing.T) {
	w := newWorld(t)
	w.addUser("admin@example.org", "Ada", true)
	var read atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r.Body = countingBody{r.Body, &read}
		w.console.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	admin := w.client()
	admin.login("admin@example.org")
	cookies := admin.http.Jar.Cookies(mustURL(t, w.srv.URL+"/console/"))

	const size = 10 << 20
	big := strings.Repeat("a", size)
	for _, rt := range console.Routes() {
		if rt.Method != http.MethodPost {
			continue
		}
		for _, signedIn := range []bool{false, true} {
			for _, chunked := range []bool{false, true} {
				read.Store(0)
				var body io.Reader = strings.NewReader("note=" + big)
				if chunked {
					// The length hidden, sent chunked: the console must stop
					// reading at MaxBody; 4×MaxBody shows that as well as
					// 10 MB would, and faster.
					body = io.MultiReader(strings.NewReader("note=" + big[:4*console.MaxBody]))
				}
				req, _ := http.NewRequest("POST", srv.URL+concrete(rt.Path), body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				if signedIn {
					for _, ck := range cookies {
						req.AddCookie(ck)
					}
				}
				res, err := srv.Client().Do(req)
				if err == nil {
					res.Body.Close()
					if res.StatusCode != http.StatusRequestEntityTooLarge {
						t.Errorf("%s (signed in %v, chunked %v): %d, want 413", rt.Path, signedIn, chunked, res.StatusCode)
					}
				}
				switch n := read.Load(); {
				case !chunked && n != 0:
					t.Errorf("%s (signed in %v): read %d bytes of a body declared too large", rt.Path, signedIn, n)
				case n > console.MaxBody+1:
					t.Errorf("%s (signed in %v, chunked): read %d bytes, more than MaxBody", rt.Path, signedIn, n)
				}
			}
		}
	}
	// A form of ordinary size still works.
	res := admin.post("/console/contacts/c0/notes", url.Values{"note": {strings.Repeat("a", 1000)}})
	if res.status == http.StatusRequestEntityTooLarge {
		t.Errorf("an ordinary form was refused as too large")
	}
}

// TestLimitedMessageShown: a message over the flood limit is marked on the
// person's page.
func TestLimitedMessageShown(t *testing.T) {
	w := newWorld(t)
	c := w.send("sms:+447700900112", "hello")
	a := c.Addresses[0]
	w.update(func(tx bot.Tx) error {
		return tx.AppendMessage(&bot.Message{ContactID: c.ID, Direction: bot.In, Author: bot.AuthorPerson, Address: a,
			Text: "one of many", At: w.clock.Now(), Limited: true})
	})
	w.addUser("worker@example.org", "Wendy", false)
	cl := w.client()
	cl.login("worker@example.org")
	res := cl.get("/console/contacts/" + c.ID)
	if res.status != http.StatusOK || strings.Count(res.body, "over the message limit") != 1 {
		t.Errorf("conversation page: %d, want the one limited message marked:\n%s", res.status, res.body)
	}
}

package console_test

import (
	"bufio"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// refresh is one refresh event read from the live-update stream.
type refresh struct {
	id      uint64
	contact string
}

// openStream connects c to the live-update stream at path, with a
// Last-Event-ID header if lastID is not empty, and returns a function that
// reads refreshes until one for contact stop arrives.
func openStream(t *testing.T, c *client, path, lastID string) func(stop string) []refresh {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", c.w.srv.URL+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	r := bufio.NewReader(res.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, "retry:") {
		t.Fatalf("first line %q", line)
	}
	return func(stop string) []refresh {
		t.Helper()
		var out []refresh
		var cur refresh
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended before the refresh for %s (got %v): %v", stop, out, err)
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case strings.HasPrefix(line, "id: "):
				if cur.id, err = strconv.ParseUint(strings.TrimPrefix(line, "id: "), 10, 64); err != nil {
					t.Fatalf("bad id line %q", line)
				}
			case strings.HasPrefix(line, "data: "):
				cur.contact = strings.TrimPrefix(line, "data: ")
			case line == "" && cur.contact != "":
				out = append(out, cur)
				if cur.contact == stop {
					return out
				}
				cur = refresh{}
			}
		}
	}
}

// lastEventID is the newest event's id: on bbolt the event cursor is the
// id, which browsers see as Last-Event-ID.
func lastEventID(w *world) uint64 {
	var c bot.EventCursor
	w.view(func(tx bot.Tx) error {
		var err error
		c, err = tx.EventsCursor()
		return err
	})
	n, err := strconv.ParseUint(string(c), 10, 64)
	if err != nil {
		w.t.Fatalf("bbolt's event cursor %q is not an id: %v", c, err)
	}
	return n
}

func refreshed(rs []refresh, contact string) bool {
	for _, r := range rs {
		if r.contact == contact {
			return true
		}
	}
	return false
}

// TestEventsStreamFromRender: what happens between a page's render and
// its stream's connection is announced, because the page carries the event
// id it was rendered at and the stream starts after it.
func TestEventsStreamFromRender(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	for _, page := range []string{"/console/", "/console/contacts/" + w.send("sim:zed", "hello").ID} {
		t.Run(page, func(t *testing.T) {
			m := regexp.MustCompile(`<body [^>]*data-event="(\d+)"`).FindStringSubmatch(c.get(page).body)
			if m == nil {
				t.Fatal("the page does not say which event it was rendered at")
			}
			if m[1] != strconv.FormatUint(lastEventID(w), 10) {
				t.Errorf("data-event=%s, want the newest event %d", m[1], lastEventID(w))
			}
			early := w.send("sim:early-"+m[1], "i want to kill myself") // before the stream connects
			read := openStream(t, c, "/console/events?after="+m[1], "")
			late := w.send("sim:late-"+m[1], "HUMAN")
			got := read(late.ID)
			if !refreshed(got, early.ID) {
				t.Errorf("refreshes %v miss the change made between render and connect", got)
			}
		})
	}
}

// TestEventsStreamReconnect: each refresh carries its event id, and a
// browser reconnecting with Last-Event-ID gets what it missed, and nothing
// it had already seen, whatever its URL's ?after says.
func TestEventsStreamReconnect(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	seen := w.send("sim:seen", "i want to kill myself")
	seenUpTo := lastEventID(w)
	missed := w.send("sim:missed", "HUMAN")
	read := openStream(t, c, "/console/events?after=0", strconv.FormatUint(seenUpTo, 10))
	live := w.send("sim:live", "hello")
	got := read(live.ID)
	if refreshed(got, seen.ID) {
		t.Errorf("refreshes %v repeat what the browser had seen", got)
	}
	if !refreshed(got, missed.ID) {
		t.Errorf("refreshes %v miss what happened while the browser was away", got)
	}
	prev := seenUpTo
	for _, r := range got {
		if r.id <= prev {
			t.Errorf("refresh %v: id not after %d", r, prev)
		}
		prev = r.id
	}
	if prev != lastEventID(w) {
		t.Errorf("last refresh id %d, want the newest event %d", prev, lastEventID(w))
	}
}

// TestEventsStreamUnknownCursor: a Last-Event-ID the store did not make,
// or one from beyond its newest event (a store restored from an older
// backup), starts the stream at the newest event: no replay of the past,
// nothing live missed.
func TestEventsStreamUnknownCursor(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	old := w.send("sim:old", "HUMAN")
	for _, last := range []string{"not-a-cursor", strconv.FormatUint(lastEventID(w)+1000, 10)} {
		t.Run(last, func(t *testing.T) {
			read := openStream(t, c, "/console/events", last)
			live := w.send("sim:live-"+last, "hello")
			got := read(live.ID)
			if refreshed(got, old.ID) {
				t.Errorf("refreshes %v replay the past for Last-Event-ID %q", got, last)
			}
		})
	}
}

// TestEventsStreamFarBehind: a browser more than a thousand events behind
// gets one refresh of everything ("*") at the newest cursor, then live
// refreshes, not the thousand one by one.
func TestEventsStreamFarBehind(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	w.update(func(tx bot.Tx) error {
		for range 1001 {
			if err := tx.AddEvent(&bot.Event{At: time.Now(), Kind: "test.filler", ContactID: "c-filler"}); err != nil {
				return err
			}
		}
		return nil
	})
	newest := lastEventID(w)
	read := openStream(t, c, "/console/events", "0")
	got := read("*")
	if len(got) != 1 || got[0].id != newest {
		t.Fatalf("refreshes %v, want one refresh of everything at %d", got, newest)
	}
	live := w.send("sim:live", "hello")
	if got := read(live.ID); refreshed(got, "c-filler") {
		t.Errorf("after the refresh of everything, the stream replayed the filler: %v", got)
	}
}

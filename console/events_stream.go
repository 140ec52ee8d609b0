package console

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// Stream timings: a comment line keeps proxies from closing a quiet
// stream; a stream ends after maxStream so that a browser reconnects with
// a fresh session check.
const (
	heartbeat = 15 * time.Second
	maxStream = 10 * time.Minute
	// maxBatch bounds the events one poll reads.
	maxBatch = 100
	// maxReplay is how far behind a stream may start and still replay
	// event by event; further behind, one refresh of everything ("*")
	// stands for them all.
	maxReplay = 1000
)

// streamStart is the event cursor a stream starts after: the browser's
// Last-Event-ID on a reconnect, else the page's ?after=, else the newest
// event now. A cursor the store cannot read (or one from beyond the newest
// event: a restored store) starts at the newest. So does one more than
// maxReplay events behind, and then behind is set: one refresh of
// everything stands for what was missed.
func (c *Console) streamStart(r *http.Request) (start bot.EventCursor, behind bool, err error) {
	from := bot.EventCursor(strings.TrimSpace(r.Header.Get("Last-Event-ID")))
	if from == "" {
		from = bot.EventCursor(strings.TrimSpace(r.URL.Query().Get("after")))
	}
	err = c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		newest, err := tx.EventsCursor()
		if err != nil {
			return err
		}
		start = newest
		if from == "" {
			return nil
		}
		n := 0
		err = tx.EventsSince(from, func(*bot.Event, bot.EventCursor) bool { n++; return n <= maxReplay })
		switch {
		case bot.ErrorCode(err) == bot.EInvalid:
			return nil
		case err != nil:
			return err
		}
		if behind = n > maxReplay; !behind {
			start = from
		}
		return nil
	})
	return start, behind, err
}

// cursored is an event with the cursor just after it.
type cursored struct {
	*bot.Event
	next bot.EventCursor
}

// writeRefreshes writes one refresh per contact in batch, at the position
// of that contact's last event and with its cursor as the id, so that a
// browser that reconnects after any of them misses none of the rest.
func writeRefreshes(w io.Writer, batch []cursored) {
	lastOf := map[string]int{}
	for i, e := range batch {
		lastOf[e.ContactID] = i
	}
	for i, e := range batch {
		if lastOf[e.ContactID] == i {
			fmt.Fprintf(w, "id: %s\nevent: refresh\ndata: %s\n\n", e.next, e.ContactID)
		}
	}
}

// eventsStream is a Server-Sent Events stream that says "refresh" (with
// the contact it concerns as data) whenever the engine records an event.
// It polls the store's event log, which needs no coupling to the engine.
// Events carry no personal details: pages fetch what changed themselves.
//
// Each refresh carries the store's event cursor as its SSE id, and the
// stream starts after the browser's Last-Event-ID when it reconnects, or
// else after the cursor the page was rendered at (?after=), so that
// nothing that happened between the page and the stream, or during a
// reconnect, is missed. The cursor is the store's, opaque here: it stays
// right on a store where event ids commit out of order.
func (c *Console) eventsStream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would cut a long stream: lift it here.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		c.cfg.Log.Debug("events stream: cannot lift write deadline", "err", err)
	}
	token := sessionToken(r)
	last, behind, err := c.streamStart(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	if behind {
		fmt.Fprintf(w, "id: %s\nevent: refresh\ndata: *\n\n", last)
	}
	if rc.Flush() != nil {
		return
	}
	poll := time.NewTicker(c.cfg.Poll)
	defer poll.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	end := time.NewTimer(maxStream)
	defer end.Stop()
	// A person's page (?contact=) is listed as viewing them while its
	// stream lasts, and hears who else is (presence.go).
	var here *presence
	if id := r.URL.Query().Get("contact"); id != "" {
		if here = c.newPresence(r.Context(), id, userFrom(r.Context())); here != nil {
			defer here.leave()
		}
	}
	var renew <-chan time.Time
	if here != nil {
		t := time.NewTicker(presenceBeat)
		defer t.Stop()
		renew = t.C
	}
	var others []string
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case <-end.C:
			return
		case <-beat.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-renew:
			here.beat(r.Context())
		case <-poll.C:
			var batch []cursored
			live := false
			var viewing []string
			err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
				// The stream lasts only as long as its session: sign-out,
				// expiry or a disabled user ends it at the next poll.
				if live = c.sessionLive(tx, token); !live {
					return nil
				}
				if here != nil {
					var err error
					if viewing, err = othersViewing(tx, here.contact, here.user.ID, c.cfg.Clock.Now()); err != nil {
						return err
					}
				}
				return tx.EventsSince(last, func(e *bot.Event, next bot.EventCursor) bool {
					batch = append(batch, cursored{e, next})
					return len(batch) < maxBatch
				})
			})
			if err != nil {
				c.cfg.Log.Error("events stream: read events", "err", err)
				return
			}
			if !live {
				return
			}
			if here != nil && !slices.Equal(viewing, others) {
				others = viewing
				names, _ := json.Marshal(viewing)
				fmt.Fprintf(w, "event: presence\ndata: %s\n\n", names)
			}
			if len(batch) > 0 {
				writeRefreshes(w, batch)
				last = batch[len(batch)-1].next
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}

package console

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
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

// streamStart is the event id a stream starts after: the browser's
// Last-Event-ID on a reconnect, else the page's ?after=N, else the newest
// event now. An id beyond the newest (a restored store) starts at the
// newest. It returns the newest event id too.
func (c *Console) streamStart(r *http.Request) (start, newest uint64, err error) {
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		newest, err = tx.LastEventID()
		return err
	}); err != nil {
		return 0, 0, err
	}
	from := r.Header.Get("Last-Event-ID")
	if from == "" {
		from = r.URL.Query().Get("after")
	}
	n, err := strconv.ParseUint(strings.TrimSpace(from), 10, 64)
	if err != nil || n > newest {
		return newest, newest, nil
	}
	return n, newest, nil
}

// writeRefreshes writes one refresh per contact in batch, at the position
// of that contact's last event and with its id, so that a browser that
// reconnects after any of them misses none of the rest.
func writeRefreshes(w io.Writer, batch []*bot.Event) {
	lastOf := map[string]uint64{}
	for _, e := range batch {
		lastOf[e.ContactID] = e.ID
	}
	for _, e := range batch {
		if lastOf[e.ContactID] == e.ID {
			fmt.Fprintf(w, "id: %d\nevent: refresh\ndata: %s\n\n", e.ID, e.ContactID)
		}
	}
}

// eventsStream is a Server-Sent Events stream that says "refresh" (with
// the contact it concerns as data) whenever the engine records an event.
// It polls the store's event log, which needs no coupling to the engine.
// Events carry no personal details: pages fetch what changed themselves.
//
// Each refresh carries the event id as its SSE id, and the stream starts
// after the browser's Last-Event-ID when it reconnects, or else after the
// id the page was rendered at (?after=N), so that nothing that happened
// between the page and the stream, or during a reconnect, is missed.
func (c *Console) eventsStream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would cut a long stream: lift it here.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		c.cfg.Log.Debug("events stream: cannot lift write deadline", "err", err)
	}
	token := sessionToken(r)
	last, newest, err := c.streamStart(r)
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
	if newest-last > maxReplay {
		fmt.Fprintf(w, "id: %d\nevent: refresh\ndata: *\n\n", newest)
		last = newest
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
		case <-poll.C:
			var batch []*bot.Event
			live := false
			err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
				// The stream lasts only as long as its session: sign-out,
				// expiry or a disabled user ends it at the next poll.
				if live = c.sessionLive(tx, token); !live {
					return nil
				}
				return tx.EventsAfter(last, func(e *bot.Event) bool {
					batch = append(batch, e)
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
			if len(batch) == 0 {
				continue
			}
			writeRefreshes(w, batch)
			last = batch[len(batch)-1].ID
		}
		if rc.Flush() != nil {
			return
		}
	}
}

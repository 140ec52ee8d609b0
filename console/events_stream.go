package console

import (
	"fmt"
	"net/http"
	"time"

	"github.com/linkline/linkline/bot"
)

// Stream timings: a comment line keeps proxies from closing a quiet
// stream; a stream ends after maxStream so that a browser reconnects with
// a fresh session check.
const (
	heartbeat = 15 * time.Second
	maxStream = 10 * time.Minute
)

// eventsStream is a Server-Sent Events stream that says "refresh" (with
// the contact it concerns as data) whenever the engine records an event.
// It polls the store's event log, which needs no coupling to the engine.
// Events carry no personal details: pages fetch what changed themselves.
func (c *Console) eventsStream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's WriteTimeout would cut a long stream: lift it here.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		c.cfg.Log.Debug("events stream: cannot lift write deadline", "err", err)
	}
	var last uint64
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		last, err = tx.LastEventID()
		return err
	}); err != nil {
		c.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
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
			var changed []string
			err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
				return tx.EventsAfter(last, func(e *bot.Event) bool {
					last = e.ID
					changed = append(changed, e.ContactID)
					return len(changed) < 100
				})
			})
			if err != nil {
				c.cfg.Log.Error("events stream: read events", "err", err)
				return
			}
			seen := map[string]bool{}
			for _, id := range changed {
				if !seen[id] {
					seen[id] = true
					fmt.Fprintf(w, "id: %d\nevent: refresh\ndata: %s\n\n", last, id)
				}
			}
			if len(changed) == 0 {
				continue
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}

package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Wake-ups between instances. A process that has committed work another
// process should do at once (an outbox row to send, a timer set) calls
// Notify after the commit; every process that called Listen runs the
// handler for that channel. A NOTIFY inside the writing transaction would
// hold the commit behind PostgreSQL's notification queue lock; sent after
// it, from one goroutine per channel, many wake-ups in a burst become one.
// Wake-ups are hints: a listener that misses one (reconnecting, say)
// still finds the work when it next polls.

// Channels Linkline sends wake-ups on: rows queued in the outbox, timers
// set, and settings every instance follows (service hours) saved.
const (
	ChannelOutbox   = "linkline_outbox"
	ChannelTimer    = "linkline_timer"
	ChannelSettings = "linkline_settings"
)

// Notify sends a wake-up on channel soon, without waiting. Calls made
// while one is being sent are coalesced into the next.
func (db *DB) Notify(channel string) {
	db.wakeMu.Lock()
	ch, ok := db.wakes[channel]
	if !ok {
		if db.closed {
			db.wakeMu.Unlock()
			return
		}
		ch = make(chan struct{}, 1)
		db.wakes[channel] = ch
		db.wakeWG.Go(func() { db.sendWakes(channel, ch) })
	}
	db.wakeMu.Unlock()
	select {
	case ch <- struct{}{}:
	default: // one is already waiting to be sent
	}
}

// sendWakes sends one NOTIFY for each pending wake-up until Close.
func (db *DB) sendWakes(channel string, ch chan struct{}) {
	for {
		select {
		case <-db.done:
			return
		case <-ch:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := db.pool.Exec(ctx, "SELECT pg_notify($1, '')", channel); err != nil {
			db.log.Warn("postgres: wake-up not sent (others will find the work when they poll)", "channel", channel, "err", err)
		}
		cancel()
	}
}

// Listen starts listening on each channel of handlers on a connection of
// its own (not one of the pool's), and returns once it is listening. Until
// ctx ends it runs a channel's handler for each wake-up, and reconnects
// when the connection is lost.
func (db *DB) Listen(ctx context.Context, handlers map[string]func()) error {
	conn, err := db.listen(ctx, handlers)
	if err != nil {
		return err
	}
	go func() {
		for {
			err := wait(ctx, conn, handlers)
			conn.Close(context.WithoutCancel(ctx))
			if ctx.Err() != nil {
				return
			}
			db.log.Warn("postgres: wake-up connection lost; reconnecting", "err", err)
			for pause := time.Second; ; pause = min(2*pause, 30*time.Second) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(pause):
				}
				if conn, err = db.listen(ctx, handlers); err == nil {
					break
				}
				db.log.Warn("postgres: wake-up connection", "err", err, "retry_in", min(2*pause, 30*time.Second).String())
			}
			// Work may have been announced while no one listened.
			for _, h := range handlers {
				h()
			}
		}
	}()
	return nil
}

// listen connects and LISTENs on every channel of handlers.
func (db *DB) listen(ctx context.Context, handlers map[string]func()) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("postgres: listen: %w", err)
	}
	for ch := range handlers {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			conn.Close(ctx)
			return nil, fmt.Errorf("postgres: listen on %s: %w", ch, err)
		}
	}
	return conn, nil
}

// wait runs handlers for notifications until the connection fails or ctx
// ends.
func wait(ctx context.Context, conn *pgx.Conn, handlers map[string]func()) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if h := handlers[n.Channel]; h != nil {
			h()
		}
	}
}

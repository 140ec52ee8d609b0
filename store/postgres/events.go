package postgres

import (
	"strconv"

	"github.com/linkline/linkline/bot"
)

// The event feed.
//
// The console follows events by id: it remembers the last id it was shown
// and asks for the events after it. With ids from a sequence that would
// lose events: a transaction that took id 5 but commits after another
// that took id 6 would put event 5 behind a reader already past 6.
//
// So an event's id is its transaction's id (xid8) shifted left by
// eventBits, plus its number within the transaction: ids follow
// transaction ids, which PostgreSQL hands out in increasing order. And a
// reader is handed only settled events: those of transactions older than
// the oldest transaction still running in this database as its snapshot
// was taken (the snapshot's in-progress list, pg_snapshot_xip, less those
// of other databases, which cannot write here; a transaction that ended
// since counts as running, to be safe). Any event not yet visible belongs
// to a transaction in that list, or to one newer than the snapshot, so its
// id will be above every settled id: a reader never skips it.
//
// The price: one long transaction in this database holds the feed back
// until it ends (docs/postgres.md). EventsSince and EventsCursor, the
// cursor's two calls, apply the rule; Events and ContactEvents, which
// return whole histories, do not.
const eventBits = 20

// settled is a SQL expression: the lowest transaction id whose events a
// reader must not yet be handed (the largest bigint when there is none).
const settled = `(SELECT coalesce(min(x::text::bigint), 9223372036854775807)
	FROM pg_snapshot_xip(pg_current_snapshot()) x
	WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
		WHERE a.backend_xid = x::xid AND a.datid IS NOT NULL
		AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))`

// AddEvent records an event, assigning e.ID (see above).
func (t *Tx) AddEvent(e *bot.Event) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := text(e.ContactID, "event contact"); err != nil {
		return err
	}
	if t.xid == 0 {
		if err := t.row("SELECT pg_current_xact_id()::text::bigint", nil, &t.xid); err != nil {
			return err
		}
	}
	if t.events+1 >= 1<<eventBits {
		return bot.Errorf(bot.EInvalid, "more than %d events in one transaction", 1<<eventBits-1)
	}
	t.events++
	old := e.ID
	e.ID = uint64(t.xid<<eventBits | t.events)
	t.onUndo(func() { e.ID = old })
	data, err := encode(e)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO events (id, xid, contact_id, data) VALUES ($1, $2, $3, $4)", int64(e.ID), t.xid, e.ContactID, data)
	return err
}

// Events calls fn for events from oldest to newest until fn returns false.
func (t *Tx) Events(fn func(*bot.Event) bool) error {
	return scan(t, "event", 1, keyset("events", "id", ""), fn)
}

// EventsSince calls fn for the settled events after cursor c, oldest
// first, until fn returns false; with each event fn gets the cursor just
// after it. A cursor is the last event id seen, in decimal (as on bbolt,
// so a browser's Last-Event-ID carries over): because ids follow
// transaction ids and only settled events are handed out (see above), no
// event that commits later can have an id below it.
func (t *Tx) EventsSince(c bot.EventCursor, fn func(*bot.Event, bot.EventCursor) bool) error {
	id, err := t.eventCursor(c)
	if err != nil {
		return err
	}
	return scan(t, "event", 1, func(after []any) (string, []any) {
		from := int64(id)
		if after != nil {
			from = after[0].(int64)
		}
		// One statement, so the in-progress list and the rows read come
		// from the same snapshot even in a READ COMMITTED transaction.
		return "SELECT data, id FROM events WHERE id > $1 AND xid < " + settled + " ORDER BY id LIMIT $2", []any{from, pageSize}
	}, func(e *bot.Event) bool { return fn(e, eventCursorOf(e.ID)) })
}

// EventsCursor returns the cursor after the newest settled event.
func (t *Tx) EventsCursor() (bot.EventCursor, error) {
	var id int64
	if err := t.row("SELECT coalesce(max(id), 0) FROM events WHERE xid < "+settled, nil, &id); err != nil {
		return "", err
	}
	return eventCursorOf(uint64(id)), nil
}

func eventCursorOf(id uint64) bot.EventCursor { return bot.EventCursor(strconv.FormatUint(id, 10)) }

// eventCursor reads a cursor back as the last event id seen. One from a
// transaction id not yet handed out is from the future (a database
// restored from an older backup): EInvalid, as bbolt says.
func (t *Tx) eventCursor(c bot.EventCursor) (uint64, error) {
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(string(c), 10, 64)
	if err != nil || id >= 1<<63 {
		return 0, bot.Errorf(bot.EInvalid, "event cursor %q is not one this store made", c)
	}
	var next int64
	if err := t.row("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", nil, &next); err != nil {
		return 0, err
	}
	if id>>eventBits >= uint64(next) {
		return 0, bot.Errorf(bot.EInvalid, "event cursor %q is beyond the newest event", c)
	}
	return id, nil
}

// ContactEvents calls fn for contactID's events, oldest first, until fn
// returns false.
func (t *Tx) ContactEvents(contactID string, fn func(*bot.Event) bool) error {
	if contactID == "" || text(contactID, "") != nil {
		return nil
	}
	return scan(t, "event", 1, func(after []any) (string, []any) {
		if after == nil {
			return "SELECT data, id FROM events WHERE contact_id = $1 ORDER BY id LIMIT $2", []any{contactID, pageSize}
		}
		return "SELECT data, id FROM events WHERE contact_id = $1 AND id > $3 ORDER BY id LIMIT $2", []any{contactID, pageSize, after[0]}
	}, fn)
}

// IndexEvents does nothing: events are indexed by contact as they are
// written.
func (t *Tx) IndexEvents(int) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	return 0, nil
}

// DeleteEvent removes one event; removing an absent one is harmless.
func (t *Tx) DeleteEvent(id uint64) error {
	if err := t.check(); err != nil {
		return err
	}
	if id > 1<<63-1 {
		return nil
	}
	_, err := t.exec("DELETE FROM events WHERE id = $1", int64(id))
	return err
}

package postgres

import (
	"time"

	"github.com/linkline/linkline/bot"
)

// EventsOfKind calls fn for the events of kind at or after since, in
// time order then by id, until fn returns false. It reads the index
// events_kind_at (migration 0003) from its first match on: the cost is the
// events passed. The index keeps microseconds, so the query starts a
// microsecond early and the events before since are passed over here.
func (t *Tx) EventsOfKind(kind bot.EventKind, since time.Time, fn func(*bot.Event) bool) error {
	if kind == "" || text(string(kind), "") != nil {
		return nil
	}
	from := int64(-1 << 62)
	if !since.IsZero() && since.After(time.Unix(-1<<40, 0)) {
		from = since.UnixMicro() - 1
	}
	const cols = "SELECT data, linkline_event_at_us(data), id FROM events WHERE linkline_event_kind(data) = $1"
	return scan(t, "event", 2, func(after []any) (string, []any) {
		if after == nil {
			return cols + " AND linkline_event_at_us(data) >= $2 ORDER BY 2, 3 LIMIT $3", []any{string(kind), from, pageSize}
		}
		return cols + " AND (linkline_event_at_us(data), id) > ($2, $4) ORDER BY 2, 3 LIMIT $3", []any{string(kind), after[0], pageSize, after[1]}
	}, func(e *bot.Event) bool {
		if e.At.Before(since) {
			return true
		}
		return fn(e)
	})
}

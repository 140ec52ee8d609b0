package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/transfer"
)

// Copying to and from another store (linkline migrate; store/transfer).

var (
	_ transfer.Dest     = (*DB)(nil)
	_ transfer.ImportTx = (*Tx)(nil)
)

// exportTables are the tables of JSON records, by kind, with the column
// Export orders them by.
var exportTables = map[string][2]string{
	transfer.KContact: {"contacts", "id"}, transfer.KConversation: {"conversations", "contact_id"},
	transfer.KMessage: {"messages", "id"}, transfer.KReferral: {"referrals", "id"},
	transfer.KOutbound: {"outbox", "id"}, transfer.KTimer: {"timers", "id"}, transfer.KEvent: {"events", "id"},
	transfer.KHandoff: {"handoffs", "id"}, transfer.KEnrolment: {"enrolments", "token"}, transfer.KUser: {"users", "id"},
	transfer.KSession: {"sessions", "token"}, transfer.KAudit: {"audit", "id"}, transfer.KSurvey: {"surveys", "id"},
	transfer.KSchedule: {"schedules", "id"}, transfer.KDirService: {"dir_services", "id"}, transfer.KDirTerm: {"dir_terms", "id"},
}

// Export passes every record, kind by kind, from one snapshot.
func (db *DB) Export(ctx context.Context, fn func(kind string, data []byte) error) error {
	return db.View(ctx, func(btx bot.Tx) error {
		t := btx.(*Tx)
		for _, kind := range transfer.Kinds {
			var err error
			if tab, ok := exportTables[kind]; ok {
				err = t.exportRows(keyset(tab[0], tab[1], ""), func(data []byte) error { return fn(kind, data) })
			} else {
				err = t.exportOther(kind, fn)
			}
			if err != nil {
				return fmt.Errorf("export %s: %w", kind, err)
			}
		}
		return nil
	})
}

// exportRows passes the data column of every row a pager reads.
func (t *Tx) exportRows(next func(after []any) (string, []any), fn func([]byte) error) error {
	var after []any
	for {
		sql, args := next(after)
		p, err := t.page(sql, args, 1)
		if err != nil {
			return err
		}
		for i, data := range p.data {
			if err := fn(data); err != nil {
				return err
			}
			after = p.keys[i]
		}
		if len(p.data) < pageSize {
			return nil
		}
	}
}

// exportOther passes the records not kept as JSON, encoded as JSON.
func (t *Tx) exportOther(kind string, fn func(kind string, data []byte) error) error {
	// Each query selects a key (also the order), a time, a float and a
	// text; the kinds use what they need.
	var sql string
	switch kind {
	case transfer.KSeen:
		return t.exportSeen(fn)
	case transfer.KSetting:
		sql = "SELECT key, 0::bigint, 0::real, value FROM settings WHERE key > $1 ORDER BY 1 LIMIT $2"
	case transfer.KPostcode:
		sql = "SELECT key, 0::bigint, lat, lon::text FROM postcodes WHERE key > $1 ORDER BY 1 LIMIT $2"
	default:
		return fmt.Errorf("no export for %s", kind)
	}
	last := ""
	for {
		rows, err := t.tx.Query(t.ctx, sql, last, pageSize)
		if err != nil {
			return t.note(err)
		}
		var recs []any
		n := 0
		for rows.Next() {
			var key, s string
			var at int64
			var lat float32
			if err := rows.Scan(&key, &at, &lat, &s); err != nil {
				rows.Close()
				return t.note(err)
			}
			n++
			last = key
			switch kind {
			case transfer.KSetting:
				recs = append(recs, transfer.Setting{Key: key, Value: s})
			case transfer.KPostcode:
				lon, err := strconv.ParseFloat(s, 32)
				if err != nil {
					rows.Close()
					return fmt.Errorf("store: postcode %s: %w", key, err)
				}
				recs = append(recs, transfer.Postcode{Key: key, At: bot.GeoPoint{Lat: float64(lat), Lon: float64(float32(lon))}})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t.note(err)
		}
		if err := emitJSON(kind, recs, fn); err != nil {
			return err
		}
		if n < pageSize {
			return nil
		}
	}
}

// exportSeen passes the provider ids recorded for each contact, a page at
// a time in key order.
func (t *Tx) exportSeen(fn func(kind string, data []byte) error) error {
	var contactID, providerID string
	for {
		rows, err := t.tx.Query(t.ctx, `SELECT contact_id, provider_id, at_ns FROM seen
			WHERE (contact_id, provider_id) > ($1, $2) ORDER BY contact_id, provider_id LIMIT $3`, contactID, providerID, pageSize)
		if err != nil {
			return t.note(err)
		}
		var recs []transfer.Seen
		for rows.Next() {
			var r transfer.Seen
			var at int64
			if err := rows.Scan(&r.ContactID, &r.ID, &at); err != nil {
				rows.Close()
				return t.note(err)
			}
			r.At = nsTime(at)
			recs = append(recs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t.note(err)
		}
		if err := emitJSON(transfer.KSeen, recs, fn); err != nil {
			return err
		}
		if len(recs) < pageSize {
			return nil
		}
		contactID, providerID = recs[len(recs)-1].ContactID, recs[len(recs)-1].ID
	}
}

// nsTime is the time ns made (in UTC; the zero time for the smallest).
func nsTime(n int64) time.Time {
	if n == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Import runs fn in one write transaction.
func (db *DB) Import(ctx context.Context, fn func(transfer.ImportTx) error) error {
	return db.Update(ctx, func(tx bot.Tx) error { return fn(tx.(*Tx)) })
}

// FinishImport moves each id sequence past the ids imported, and checks
// that the events made from now on (whose ids follow transaction ids) sort
// after the imported ones.
func (db *DB) FinishImport(ctx context.Context) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for seq, q := range map[string]string{
			"messages_seq": "SELECT coalesce(max(id), 0) FROM messages",
			"outbox_seq":   "SELECT coalesce(max(id), 0) FROM outbox",
			"audit_seq":    "SELECT coalesce(max(id), 0) FROM audit",
		} {
			if _, err := tx.Exec(ctx, "SELECT setval('"+seq+"', greatest(("+q+"), 1))"); err != nil {
				return fmt.Errorf("set %s: %w", seq, err)
			}
		}
		for seq, tp := range map[string][2]string{
			"contacts_seq": {"contacts", "c"}, "referrals_seq": {"referrals", "r"}, "handoffs_seq": {"handoffs", "h"},
			"users_seq": {"users", "u"}, "surveys_seq": {"surveys", "s"}, "schedules_seq": {"schedules", "k"},
		} {
			rows, err := tx.Query(ctx, "SELECT id FROM "+tp[0]+" WHERE id LIKE '"+tp[1]+"%'")
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			top := int64(1)
			for _, id := range ids {
				if n, err := strconv.ParseInt(strings.TrimPrefix(id, tp[1]), 36, 64); err == nil {
					top = max(top, n)
				}
			}
			if _, err := tx.Exec(ctx, "SELECT setval('"+seq+"', greatest($1::bigint, (SELECT last_value FROM "+seq+")))", top); err != nil {
				return fmt.Errorf("set %s: %w", seq, err)
			}
		}
		var top, next int64
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(id), 0), pg_current_xact_id()::text::bigint << $1 FROM events", eventBits).Scan(&top, &next); err != nil {
			return err
		}
		if top >= next {
			return fmt.Errorf("imported event ids reach %d, beyond the ids this database gives new events (%d on)", top, next)
		}
		return nil
	})
}

// ImportMessage adds m to its transcript under the id it has.
func (t *Tx) ImportMessage(m *bot.Message) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(m.ContactID, "message contact"); err != nil {
		return err
	}
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO messages (contact_id, id, inbound, data) VALUES ($1, $2, $3, $4)", m.ContactID, int64(m.ID), m.Direction == bot.In, data)
	return err
}

// ImportOutbound adds an outbox row under the id it has.
func (t *Tx) ImportOutbound(o *bot.Outbound) error {
	if err := t.check(); err != nil {
		return err
	}
	return t.saveOutbound(o, true)
}

// ImportEvent adds an event under the id it has, as settled (xid 0).
func (t *Tx) ImportEvent(e *bot.Event) error {
	if err := t.check(); err != nil {
		return err
	}
	data, err := encode(e)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO events (id, xid, contact_id, data) VALUES ($1, 0, $2, $3)", int64(e.ID), e.ContactID, data)
	return err
}

// ImportAudit adds an audit entry under the id it has.
func (t *Tx) ImportAudit(a *bot.AuditEntry) error {
	if err := t.check(); err != nil {
		return err
	}
	data, err := encode(a)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO audit (id, data) VALUES ($1, $2)", int64(a.ID), data)
	return err
}

// emitJSON passes each record to fn as JSON of the given kind.
func emitJSON[T any](kind string, recs []T, fn func(kind string, data []byte) error) error {
	for _, r := range recs {
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := fn(kind, data); err != nil {
			return err
		}
	}
	return nil
}

package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/transfer"
	bbolt "go.etcd.io/bbolt"
)

// Copying to and from another store (linkline migrate; store/transfer).

var (
	_ transfer.Dest     = (*DB)(nil)
	_ transfer.ImportTx = (*Tx)(nil)
)

// exportBuckets are the buckets of records, by kind, that Export passes
// as JSON: as they are stored, except the records stored in a binary form
// (codec.go), which are converted back. Contacts, conversations and seen
// provider ids share one bucket (kindOf); exportKind tells their keys apart.
var exportBuckets = map[string][]byte{
	transfer.KContact: bContacts, transfer.KConversation: bContacts, transfer.KMessage: bMessages,
	transfer.KReferral: bReferrals, transfer.KOutbound: bOutbox, transfer.KTimer: bTimers,
	transfer.KEvent: bEvents, transfer.KHandoff: bHandoffs, transfer.KEnrolment: bEnrolments,
	transfer.KUser: bUsers, transfer.KSession: bSessions, transfer.KAudit: bAudit,
	transfer.KSurvey: bSurveys, transfer.KSchedule: bSchedules, transfer.KDirService: bDirServices,
	transfer.KDirTerm: bDirTerms,
}

// Export passes every record, kind by kind, from one read transaction.
func (db *DB) Export(ctx context.Context, fn func(kind string, data []byte) error) error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		for _, kind := range transfer.Kinds {
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			if b, ok := exportBuckets[kind]; ok {
				err = tx.Bucket(b).ForEach(func(k, v []byte) error {
					as, ok := exportKind(kind, b, k)
					if !ok {
						return nil
					}
					data, err := asJSON(as, v)
					if err != nil {
						return fmt.Errorf("record %q: %w", k, err)
					}
					return fn(kind, data)
				})
			} else {
				err = exportOther(tx, kind, fn)
			}
			if err != nil {
				return fmt.Errorf("export %s: %w", kind, err)
			}
		}
		return nil
	})
}

// exportKind reports whether the record at key k of bucket b is one of
// kind's, and the bucket whose records it is to be read as: a
// conversation, kept in the contacts bucket, reads as one of bConvs.
func exportKind(kind string, b, k []byte) ([]byte, bool) {
	switch kind {
	case transfer.KContact:
		return b, kindOf(k) == keyContact
	case transfer.KConversation:
		return bConvs, kindOf(k) == keyConversation
	}
	return b, true
}

// exportOther passes the records not kept as JSON.
func exportOther(tx *bbolt.Tx, kind string, fn func(kind string, data []byte) error) error {
	var each func(k, v []byte) (any, error)
	var bucket []byte
	switch kind {
	case transfer.KSeen:
		bucket = bContacts // beside each contact (seenKey)
		each = func(k, v []byte) (any, error) {
			if kindOf(k) != keySeen {
				return nil, nil
			}
			contactID, providerID := splitSeenKey(k)
			return transfer.Seen{ContactID: contactID, ID: providerID, At: keyTime(v)}, nil
		}
	case transfer.KSetting:
		bucket = bSettings
		each = func(k, v []byte) (any, error) { return transfer.Setting{Key: string(k), Value: string(v)}, nil }
	case transfer.KPostcode:
		bucket = bPostcodes
		each = func(k, v []byte) (any, error) {
			p, err := decodePoint(v)
			return transfer.Postcode{Key: string(k), At: p}, err
		}
	default:
		return fmt.Errorf("no export for %s", kind)
	}
	return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		r, err := each(k, v)
		if err != nil || r == nil {
			return err
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return fn(kind, data)
	})
}

// keyTime reads a time timeKey wrote (in UTC; the zero time for the
// smallest key).
func keyTime(k []byte) time.Time {
	if len(k) != 8 {
		return time.Time{}
	}
	n := binary.BigEndian.Uint64(k)
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n^1<<63)).UTC()
}

// Import runs fn in one write transaction.
func (db *DB) Import(ctx context.Context, fn func(transfer.ImportTx) error) error {
	return db.Update(ctx, func(tx bot.Tx) error { return fn(tx.(*Tx)) })
}

// FinishImport moves each bucket's sequence past the ids imported into it,
// so the next record made gets a new id.
func (db *DB) FinishImport(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bbolt.Tx) error {
		for bucket, prefix := range map[string]string{
			string(bContacts): "c", string(bReferrals): "r", string(bHandoffs): "h", string(bUsers): "u",
			string(bSurveys): "s", string(bSchedules): "k",
		} {
			b := tx.Bucket([]byte(bucket))
			top := b.Sequence()
			if err := b.ForEach(func(k, _ []byte) error {
				if kindOf(k) != keyContact {
					return nil // a contact's conversation or provider id, beside it
				}
				if n, err := strconv.ParseUint(strings.TrimPrefix(string(k), prefix), 36, 64); err == nil && strings.HasPrefix(string(k), prefix) {
					top = max(top, n)
				}
				return nil
			}); err != nil {
				return err
			}
			if err := b.SetSequence(top); err != nil {
				return err
			}
		}
		for _, bucket := range [][]byte{bOutbox, bEvents, bAudit} {
			b := tx.Bucket(bucket)
			if k, _ := b.Cursor().Last(); len(k) == 8 {
				if err := b.SetSequence(max(b.Sequence(), binary.BigEndian.Uint64(k))); err != nil {
					return err
				}
			}
		}
		// Message keys lead with the contact: find the largest id.
		b := tx.Bucket(bMessages)
		top := b.Sequence()
		if err := b.ForEach(func(k, _ []byte) error {
			if len(k) >= 9 {
				top = max(top, binary.BigEndian.Uint64(k[len(k)-8:]))
			}
			return nil
		}); err != nil {
			return err
		}
		return b.SetSequence(top)
	})
}

// ImportMessage adds m to its transcript under the id it has.
func (t *Tx) ImportMessage(m *bot.Message) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(m.ContactID, "message contact"); err != nil {
		return err
	}
	return t.put(bMessages, join(msgPrefix(m.ContactID), u64(m.ID)), m)
}

// ImportOutbound adds an outbox row under the id it has.
func (t *Tx) ImportOutbound(o *bot.Outbound) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := t.indexOutbound(o); err != nil {
		return err
	}
	return t.put(bOutbox, u64(o.ID), o)
}

// ImportEvent adds an event under the id it has.
func (t *Tx) ImportEvent(e *bot.Event) error {
	if err := t.writable(); err != nil {
		return err
	}
	if e.ID == 0 || e.ID == math.MaxUint64 {
		return bot.Errorf(bot.EInvalid, "event id %d", e.ID)
	}
	if err := t.indexEventKind(e); err != nil {
		return err
	}
	return t.put(bEvents, u64(e.ID), e)
}

// ImportAudit adds an audit entry under the id it has.
func (t *Tx) ImportAudit(a *bot.AuditEntry) error {
	if err := t.writable(); err != nil {
		return err
	}
	return t.put(bAudit, u64(a.ID), a)
}

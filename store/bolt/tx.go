package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Buckets. Records are JSON, except contacts, conversations, transcript
// messages, outbox rows and timers (codec.go: a binary form, or JSON as
// older releases wrote them); index keys are built so that bbolt's byte
// order is the order queries want (times as big-endian, sign-flipped
// nanoseconds).
var (
	bMeta      = []byte("meta")       // "schema" → version
	bContacts  = []byte("contacts")   // id → Contact; id, 0 → its Conversation (convKey); id, 0, 's', provider id → time (seenKey)
	bAddrs     = []byte("addrs")      // "channel:id" → contact id
	bConvs     = []byte("convs")      // schema 2 and older: contact id → Conversation (migrateConversations)
	bMessages  = []byte("messages")   // contact id, 0, id → Message
	bReferrals = []byte("referrals")  // id → Referral
	bRefTime   = []byte("ref_time")   // created, len(id), id → nil
	bRefStatus = []byte("ref_status") // status, 0, created, len(id), id → nil
	bOutbox    = []byte("outbox")     // id → Outbound
	bPending   = []byte("pending")    // next attempt, id → nil (pending rows only)
	bQueue     = []byte("out_queue")  // channel, 0, rank, next attempt, id → nil (pending rows only)
	bProvider  = []byte("provider")   // provider id → outbox id
	bTimers    = []byte("timers")     // id → Timer
	bDue       = []byte("due")        // due, id → nil
	bSeen      = []byte("seen")       // schema 3 and older: provider id → time (migrateSeen)
	bSeenTime  = []byte("seen_time")  // schema 3 and older: time, provider id → nil
	bSeenHour  = []byte("seen_hour")  // hour, contact id → nil: the contact has provider ids first seen that hour (seenHourKey)
	bEvents    = []byte("events")     // id → Event

	bHandoffs       = []byte("handoffs")        // id → Handoff
	bHandoffContact = []byte("handoff_contact") // contact id → id of its active handoff
	bHandoffActive  = []byte("handoff_active")  // urgent?0:1, opened, len(id), id → nil (active only)

	bEnrolments = []byte("enrolments")  // token → Enrolment
	bSettings   = []byte("settings")    // key → value
	bTokens     = []byte("tokens")      // key → tokenBucket (TakeToken)
	bTokensFull = []byte("tokens_full") // when full again, key → nil

	allBuckets = [][]byte{bMeta, bContacts, bAddrs, bMessages, bReferrals, bRefTime,
		bRefStatus, bOutbox, bPending, bProvider, bTimers, bDue, bSeenHour, bEvents,
		bHandoffs, bHandoffContact, bHandoffActive, bEnrolments, bSettings,
		bUsers, bUserEmail, bSessions, bAudit, bEventContact,
		bSurveys, bSurveyContact, bSchedules, bSchedContact,
		bDirServices, bDirFeed, bDirTerms, bPostcodes, bTokens, bTokensFull}

	kSchema = []byte("schema")
)

// Tx is one transaction on a DB. It implements bot.Tx, and adds the
// indexed queries the console needs that bot.Tx does not declare.
type Tx struct {
	tx   *bbolt.Tx
	undo *[]func() // nil in a read-only transaction
}

var _ bot.Tx = (*Tx)(nil)

var errReadOnly = fmt.Errorf("store: write in a read-only transaction: %w", berrors.ErrTxNotWritable)

func (t *Tx) b(name []byte) *bbolt.Bucket { return t.tx.Bucket(name) }

// writable fails in a read-only transaction, before anything is assigned.
func (t *Tx) writable() error {
	if !t.tx.Writable() {
		return errReadOnly
	}
	return nil
}

// onUndo registers how to reverse a change made to a caller's record if this
// run of the transaction does not commit.
func (t *Tx) onUndo(f func()) {
	if t.undo != nil {
		*t.undo = append(*t.undo, f)
	}
}

// nextID returns the bucket's next sequence number.
func (t *Tx) nextID(bucket []byte) (uint64, error) {
	n, err := t.b(bucket).NextSequence()
	if err != nil {
		return 0, fmt.Errorf("store: next id in %s: %w", bucket, err)
	}
	return n, nil
}

// get decodes the record at key into v, or returns a not-found error naming what.
func (t *Tx) get(bucket, key []byte, v any, what string) error {
	data := t.b(bucket).Get(key)
	if data == nil {
		return fmt.Errorf("%s: %w", what, bot.ErrNotFound)
	}
	if err := decodeRecord(data, v); err != nil {
		return fmt.Errorf("store: decode %s: %w", what, err)
	}
	return nil
}

func (t *Tx) put(bucket, key []byte, v any) error {
	data, err := encodeRecord(v)
	if err != nil {
		return fmt.Errorf("store: encode %s record: %w", bucket, err)
	}
	return t.b(bucket).Put(key, data)
}

// putEncoded stores an encoded record, unless the same bytes are already
// there: a put of an unchanged record still dirties its page, which the
// commit then writes. A nil record is one the encoder refused.
func (t *Tx) putEncoded(bucket, key, data []byte) error {
	if data == nil {
		return fmt.Errorf("store: encode %s record %q: %w", bucket, key, errUnrepresentable)
	}
	b := t.b(bucket)
	if old := b.Get(key); old != nil && bytes.Equal(old, data) {
		return nil
	}
	return b.Put(key, data)
}

// scanPage is the most keys a scan in a writable transaction reads ahead.
// Its first page is firstScanPage keys and each next one twice as many, so
// a scan that stops early (most look for one record or a few) reads few.
const (
	scanPage      = 256
	firstScanPage = 4
)

// scan walks bucket's keys forward from the first key >= from, or backward
// from the last key < from (from nil: from the end), until fn returns false
// or an error.
//
// fn may write to the store. In a writable transaction, then, no cursor is
// held while fn runs: scan reads a page of keys, reads each key's value
// again just before fn sees it (passing over keys fn has deleted since),
// and seeks the next page from the last key. A key fn adds ahead of the
// scan may or may not be seen; none is seen twice. A read-only transaction
// cannot write and walks one cursor.
func (t *Tx) scan(bucket, from []byte, backward bool, fn func(k, v []byte) (bool, error)) error {
	if !t.tx.Writable() {
		c := t.b(bucket).Cursor()
		for k, v := scanStart(c, from, backward); k != nil; k, v = scanStep(c, backward) {
			if more, err := fn(k, v); err != nil || !more {
				return err
			}
		}
		return nil
	}
	var after []byte // the last key of the page before, nil at the start
	size := firstScanPage
	for {
		c := t.b(bucket).Cursor()
		var k []byte
		if after == nil {
			k, _ = scanStart(c, from, backward)
		} else {
			k, _ = scanStart(c, after, backward)
			if !backward && k != nil && bytes.Equal(k, after) {
				k, _ = c.Next()
			}
		}
		var page [][]byte
		for ; k != nil && len(page) < size; k, _ = scanStep(c, backward) {
			page = append(page, bytes.Clone(k))
		}
		for _, k := range page {
			// Get cannot tell a removed key from an empty value (index
			// buckets hold nothing but keys); a seek can.
			got, v := t.b(bucket).Cursor().Seek(k)
			if !bytes.Equal(got, k) {
				continue // fn removed it
			}
			if more, err := fn(k, v); err != nil || !more {
				return err
			}
		}
		if len(page) < size {
			return nil
		}
		after, size = page[len(page)-1], min(2*size, scanPage)
	}
}

// scanStart positions c at the first key >= from going forward, or the
// last key < from going backward (from nil: the first or last key).
func scanStart(c *bbolt.Cursor, from []byte, backward bool) ([]byte, []byte) {
	switch {
	case !backward && from == nil:
		return c.First()
	case !backward:
		return c.Seek(from)
	case from == nil:
		return c.Last()
	}
	if k, _ := c.Seek(from); k == nil {
		return c.Last()
	}
	return c.Prev()
}

func scanStep(c *bbolt.Cursor, backward bool) ([]byte, []byte) {
	if backward {
		return c.Prev()
	}
	return c.Next()
}

var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// timeKey encodes t so that byte order is time order. The zero time and times
// before 1678 sort first; times after 2262 sort last.
func timeKey(t time.Time) []byte {
	var n uint64
	switch {
	case t.IsZero() || !t.After(minTime):
		n = 0
	case !t.Before(maxTime):
		n = math.MaxUint64
	default:
		n = uint64(t.UnixNano()) ^ 1<<63
	}
	return u64(n)
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n) }

// join concatenates key parts into a fresh slice.
func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sortable is an id as an index key part: its length first, so that the
// ids this package assigns (base 36, no leading zeros) sort in the order
// they were assigned.
func sortable(id string) []byte { return append([]byte{byte(len(id))}, id...) }

// newID formats a sequence number as a short string id.
func newID(prefix string, n uint64) string { return prefix + strconv.FormatUint(n, 36) }

func checkID(id, what string) error {
	if id == "" {
		return bot.Errorf(bot.EInvalid, "%s: empty id", what)
	}
	if len(id) > 255 || strings.IndexByte(id, 0) >= 0 {
		return bot.Errorf(bot.EInvalid, "%s: id %q is longer than 255 bytes or holds a zero byte", what, id)
	}
	return nil
}

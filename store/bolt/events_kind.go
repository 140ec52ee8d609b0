package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

// The index of events by kind and time: the console's counts (resolved
// today, pending safety checks, the Reports page) seek to the first event
// of a kind at or after a time and read on, instead of reading the log
// from its start. Unlike the index by contact (kept behind the writes by
// IndexEvents) it is kept on write: one small key per event, in order
// within each kind, so appends land at the end of a few runs of keys.
var bEventKind = []byte("event_kind") // kind, 0, time, id → nil

// eventKindKey is e's key in the index; nil for a kind no query can name
// (empty, or holding a zero byte).
func eventKindKey(e *bot.Event) []byte {
	if e.Kind == "" || strings.IndexByte(string(e.Kind), 0) >= 0 {
		return nil
	}
	return join([]byte(e.Kind), []byte{0}, timeKey(e.At), u64(e.ID))
}

// ensureEventKindIndex creates the index, building it from the log in a
// file from before it existed.
func ensureEventKindIndex(tx *bbolt.Tx) error {
	if tx.Bucket(bEventKind) != nil {
		return nil
	}
	idx, err := tx.CreateBucket(bEventKind)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bEventKind, err)
	}
	return tx.Bucket(bEvents).ForEach(func(k, v []byte) error {
		e := new(bot.Event)
		if err := decodeRecord(v, e); err != nil {
			return fmt.Errorf("build event kind index: decode event %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if key := eventKindKey(e); key != nil {
			return idx.Put(key, nil)
		}
		return nil
	})
}

// indexEventKind adds e to the index.
func (t *Tx) indexEventKind(e *bot.Event) error {
	if key := eventKindKey(e); key != nil {
		return t.b(bEventKind).Put(key, nil)
	}
	return nil
}

// unindexEventKind removes e from the index.
func (t *Tx) unindexEventKind(e *bot.Event) error {
	if key := eventKindKey(e); key != nil {
		return t.b(bEventKind).Delete(key)
	}
	return nil
}

// EventsOfKind calls fn for the events of kind at or after since, in time
// order then by id, until fn returns false. It seeks the index to the
// first and reads only the events it passes.
func (t *Tx) EventsOfKind(kind bot.EventKind, since time.Time, fn func(*bot.Event) bool) error {
	if kind == "" || strings.IndexByte(string(kind), 0) >= 0 {
		return nil
	}
	prefix := append([]byte(kind), 0)
	return t.scan(bEventKind, join(prefix, timeKey(since)), false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+16 {
			return false, nil
		}
		id := binary.BigEndian.Uint64(k[len(prefix)+8:])
		e := new(bot.Event)
		if err := t.get(bEvents, u64(id), e, fmt.Sprint("event ", id)); err != nil {
			return false, fmt.Errorf("store: event kind index out of step: %w", err)
		}
		if e.At.Before(since) {
			return true, nil // a time before the index's range, kept as its smallest
		}
		return fn(e), nil
	})
}

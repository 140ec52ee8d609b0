package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/transfer"
	bbolt "go.etcd.io/bbolt"
)

// testdata/schema3.db.gz is a database written by the main build at
// 5355332 (schema 3: provider ids in a bucket of their own, keyed by the
// id alone):
//
//	linkline loadgen --serve --db schema3.db --numbers 12 --rate 12 --duration 3s --drain 2s
//
// twelve people part way through a self-referral; 48 provider ids, each
// of an inbound message in a transcript.
func schema3File(t *testing.T) string {
	t.Helper()
	return testdataFile(t, "schema3.db.gz")
}

// goneID is a provider id added to the schema 3 file whose message is in
// no transcript (its person erased, or retention removed it).
const goneID = "sms:SMgone"

// rawSeen is what a file holds of provider ids and of the records kept
// beside them, read with bbolt alone.
type rawSeen struct {
	version  uint64
	old      map[string][]byte // schema 3: provider id → time
	oldTimes int               // schema 3: entries of the time index
	markers  map[string][]byte // schema 4: seenKey → time
	index    map[string]bool   // schema 4: hour, contact id
	others   map[string][]byte // every other key of the contacts bucket → value
	senders  map[string]string // provider id → contact, from the inbound messages
}

func readSeen(t *testing.T, path string) rawSeen {
	t.Helper()
	r := rawSeen{old: map[string][]byte{}, markers: map[string][]byte{}, index: map[string]bool{},
		others: map[string][]byte{}, senders: map[string]string{}}
	viewFile(t, path, func(tx *bbolt.Tx) error {
		r.version = binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(kSchema))
		if b := tx.Bucket(bSeen); b != nil {
			if err := b.ForEach(func(k, v []byte) error { r.old[string(k)] = bytes.Clone(v); return nil }); err != nil {
				return err
			}
		}
		if b := tx.Bucket(bSeenTime); b != nil {
			r.oldTimes = b.Stats().KeyN
		}
		if b := tx.Bucket(bSeenHour); b != nil {
			if err := b.ForEach(func(k, _ []byte) error { r.index[string(k)] = true; return nil }); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bContacts).ForEach(func(k, v []byte) error {
			if kindOf(k) == keySeen {
				r.markers[string(k)] = bytes.Clone(v)
			} else {
				r.others[string(k)] = bytes.Clone(v)
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bMessages).ForEach(func(k, v []byte) error {
			var m bot.Message
			if err := decodeMessage(v, &m); err != nil {
				return err
			}
			if m.Direction == bot.In && m.ProviderID != "" {
				r.senders[string(m.Address.Channel)+":"+m.ProviderID] = m.ContactID
			}
			return nil
		})
	})
	return r
}

// addGone records goneID in a schema 3 file as that Linkline did.
func addGone(t *testing.T, path string, at time.Time) {
	t.Helper()
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bSeen).Put([]byte(goneID), timeKey(at)); err != nil {
			return err
		}
		return tx.Bucket(bSeenTime).Put(join(timeKey(at), []byte(goneID)), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateSchema3File(t *testing.T) {
	ctx := context.Background()
	path := schema3File(t)
	addGone(t, path, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	before := readSeen(t, path)
	if before.version != 3 || len(before.old) != 49 || before.oldTimes != 49 || len(before.markers) != 0 || len(before.senders) != 48 {
		t.Fatalf("testdata is not the schema 3 file described: version %d, %d provider ids (%d by time), %d markers, %d inbound messages",
			before.version, len(before.old), before.oldTimes, len(before.markers), len(before.senders))
	}
	// Where each id must go: beside the contact whose message has it,
	// with the time it was first seen.
	wantMarkers, wantIndex := map[string][]byte{}, map[string]bool{}
	wantExport := map[string]bool{}
	for id, tk := range before.old {
		contact, ok := before.senders[id]
		if !ok {
			if id != goneID {
				t.Fatalf("provider id %s of the testdata has no message", id)
			}
			continue
		}
		k := seenKey(contact, id)
		wantMarkers[string(k)], wantIndex[string(seenHourKey(tk, contact))] = tk, true
		data, err := json.Marshal(transfer.Seen{ContactID: contact, ID: id, At: keyTime(tk)})
		if err != nil {
			t.Fatal(err)
		}
		wantExport[string(data)] = true
	}

	for open := 1; open <= 2; open++ { // the second open finds nothing to move
		db := openTest(t, path)
		if err := db.Check(ctx); err != nil {
			t.Fatalf("open %d: %v", open, err)
		}
		if got := exportKinds(t, db, transfer.KSeen)[transfer.KSeen]; !reflect.DeepEqual(got, wantExport) {
			t.Errorf("open %d: export of provider ids = %v, want %v", open, got, wantExport)
		}
		err := db.Update(ctx, func(tx bot.Tx) error {
			n := 0
			if err := tx.Contacts(func(*bot.Contact) bool { n++; return true }); err != nil {
				return err
			}
			if n != 12 {
				t.Errorf("open %d: Contacts saw %d, want 12 (a provider id read as a contact?)", open, n)
			}
			for id, contact := range before.senders {
				if seen, err := tx.MarkSeen(contact, id, time.Now()); err != nil || !seen {
					t.Errorf("open %d: MarkSeen(%s, %s) = %v, %v; want seen", open, contact, id, seen, err)
				}
			}
			return errRollback // look without recording
		})
		if err != errRollback {
			t.Fatal(err)
		}
		db.Close()
		after := readSeen(t, path)
		if after.version != schemaVersion || len(after.old) != 0 || after.oldTimes != 0 {
			t.Errorf("open %d: schema %d, %d provider ids left in the old bucket, %d in its time index", open, after.version, len(after.old), after.oldTimes)
		}
		if !maps.EqualFunc(after.markers, wantMarkers, bytes.Equal) || !maps.Equal(after.index, wantIndex) {
			t.Errorf("open %d: %d markers and %d hour index entries, want %d and %d from the old ids", open,
				len(after.markers), len(after.index), len(wantMarkers), len(wantIndex))
		}
		if !maps.EqualFunc(after.others, before.others, bytes.Equal) {
			t.Errorf("open %d: contacts or conversations changed in the move", open)
		}
	}
}

var errRollback = bot.Errorf(bot.EInvalid, "roll back")

// A migration that fails part way leaves the file as it was: still schema
// 3, every provider id still in its old bucket, none beside a contact.
func TestMigrateSeenFailsWhole(t *testing.T) {
	path := schema3File(t)
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A transcript message that cannot be read, sorted after the real
	// ones, so the migration has moved every id before it fails.
	if err := raw.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bMessages).Put(join(msgPrefix("z"), u64(1)), []byte("x"))
	}); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := readSeenOld(t, path)
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open migrated a file with a transcript message it cannot read")
	}
	after := readSeenOld(t, path)
	if !reflect.DeepEqual(after, before) {
		t.Errorf("failed migration changed the file: before %+v, after %+v", before.summary(), after.summary())
	}
}

// oldFile is what a schema 3 file holds that a failed migration must not
// change.
type oldFile struct {
	version  uint64
	old      map[string]string
	times    map[string]bool
	contacts map[string]string // the whole contacts bucket
	seenHour bool              // the new hour index exists
}

func (f oldFile) summary() []any {
	return []any{"schema", f.version, "ids", len(f.old), "by time", len(f.times), "contacts keys", len(f.contacts), "seen_hour", f.seenHour}
}

func readSeenOld(t *testing.T, path string) oldFile {
	t.Helper()
	f := oldFile{old: map[string]string{}, times: map[string]bool{}, contacts: map[string]string{}}
	viewFile(t, path, func(tx *bbolt.Tx) error {
		f.version = binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(kSchema))
		f.seenHour = tx.Bucket(bSeenHour) != nil
		if err := tx.Bucket(bSeen).ForEach(func(k, v []byte) error { f.old[string(k)] = string(v); return nil }); err != nil {
			return err
		}
		if err := tx.Bucket(bSeenTime).ForEach(func(k, _ []byte) error { f.times[string(k)] = true; return nil }); err != nil {
			return err
		}
		return tx.Bucket(bContacts).ForEach(func(k, v []byte) error { f.contacts[string(k)] = string(v); return nil })
	})
	if f.version != 3 || len(f.old) != 48 || len(f.times) != 48 {
		t.Fatalf("not the schema 3 file: %v", f.summary())
	}
	return f
}

// viewFile opens the database at path read-only and runs fn in one read
// transaction; an error opening or reading it fails the test.
func viewFile(t *testing.T, path string, fn func(*bbolt.Tx) error) {
	t.Helper()
	raw, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.View(fn); err != nil {
		t.Fatal(err)
	}
}

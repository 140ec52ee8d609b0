package bolt

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/transfer"
	bbolt "go.etcd.io/bbolt"
)

// testdata/schema2.db.gz is a database written by the main build at
// 54b3484 (schema 2: conversations in their own bucket, binary records):
//
//	linkline loadgen --serve --db schema2.db --numbers 12 --rate 12 --duration 3s --drain 2s
//
// twelve people part way through a self-referral, with their transcripts,
// outbox rows and timers.
func schema2File(t *testing.T) string {
	t.Helper()
	return testdataFile(t, "schema2.db.gz")
}

// testdataFile writes testdata/name, gunzipped, to a file of its own and
// returns its path.
func testdataFile(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "linkline.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawSchema2 is what a schema 2 file holds that the migration moves or
// must leave alone, read with bbolt alone.
type rawSchema2 struct {
	version  uint64
	convs    map[string][]byte // contact id → stored conversation
	contacts map[string][]byte // contact id → stored contact
}

func readRaw(t *testing.T, path string) rawSchema2 {
	t.Helper()
	r := rawSchema2{convs: map[string][]byte{}, contacts: map[string][]byte{}}
	viewFile(t, path, func(tx *bbolt.Tx) error {
		r.version = binary.BigEndian.Uint64(tx.Bucket(bMeta).Get(kSchema))
		if b := tx.Bucket(bConvs); b != nil {
			if err := b.ForEach(func(k, v []byte) error { r.convs[string(k)] = bytes.Clone(v); return nil }); err != nil {
				return err
			}
		}
		return tx.Bucket(bContacts).ForEach(func(k, v []byte) error {
			if kindOf(k) == keyContact {
				r.contacts[string(k)] = bytes.Clone(v)
			}
			return nil
		})
	})
	return r
}

// exportKinds returns Export's records of the given kinds, as sets.
func exportKinds(t *testing.T, db *DB, kinds ...string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, k := range kinds {
		out[k] = map[string]bool{}
	}
	err := db.Export(context.Background(), func(kind string, data []byte) error {
		if set, ok := out[kind]; ok {
			set[string(data)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateSchema2File(t *testing.T) {
	ctx := context.Background()
	path := schema2File(t)
	before := readRaw(t, path)
	if before.version != 2 || len(before.convs) < 12 || len(before.contacts) != len(before.convs) {
		t.Fatalf("testdata is not the schema 2 file described: version %d, %d conversations, %d contacts",
			before.version, len(before.convs), len(before.contacts))
	}
	// What an export of the old file holds: each record as JSON.
	want := map[string]map[string]bool{transfer.KContact: {}, transfer.KConversation: {}}
	wantConvs := map[string]*bot.Conversation{}
	for id, v := range before.convs {
		data, err := asJSON(bConvs, v)
		if err != nil {
			t.Fatal(err)
		}
		want[transfer.KConversation][string(data)] = true
		c := new(bot.Conversation)
		if err := decodeConversation(v, c); err != nil {
			t.Fatal(err)
		}
		wantConvs[id] = c
	}
	for _, v := range before.contacts {
		data, err := asJSON(bContacts, v)
		if err != nil {
			t.Fatal(err)
		}
		want[transfer.KContact][string(data)] = true
	}

	for open := 1; open <= 2; open++ { // the second open finds nothing to move
		db := openTest(t, path)
		if err := db.Check(ctx); err != nil {
			t.Fatalf("open %d: %v", open, err)
		}
		if got := exportKinds(t, db, transfer.KContact, transfer.KConversation); !reflect.DeepEqual(got, want) {
			t.Errorf("open %d: export of contacts and conversations differs from the schema 2 file's", open)
		}
		err := db.View(ctx, func(tx bot.Tx) error {
			for id, wantConv := range wantConvs {
				got, err := tx.Conversation(id)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, wantConv) {
					return errors.New("conversation of " + id + " changed in the move")
				}
			}
			n := 0
			if err := tx.(*Tx).Contacts(func(*bot.Contact) bool { n++; return true }); err != nil {
				return err
			}
			if n != len(before.contacts) {
				t.Errorf("open %d: Contacts saw %d, want %d (a conversation read as a contact?)", open, n, len(before.contacts))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("open %d: %v", open, err)
		}
		db.Close()
		after := readRaw(t, path)
		if after.version != schemaVersion || len(after.convs) != 0 || !maps.EqualFunc(after.contacts, before.contacts, bytes.Equal) {
			t.Fatalf("open %d: schema %d, %d conversations left in the old bucket, contacts changed: %v",
				open, after.version, len(after.convs), !maps.EqualFunc(after.contacts, before.contacts, bytes.Equal))
		}
	}
}

// A migration that fails part way leaves the file as it was: still schema
// 2, every conversation still in its old bucket, none beside a contact.
func TestMigrateFailsWhole(t *testing.T) {
	path := schema2File(t)
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A key no contact id can be, sorted after the real ones, so the
	// migration has moved them all before it fails.
	if err := raw.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bConvs).Put([]byte("z\x00bad"), []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := readRaw(t, path)
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open migrated a conversation under a key that is not a contact id")
	}
	after := readRaw(t, path)
	if after.version != 2 || !maps.EqualFunc(after.convs, before.convs, bytes.Equal) {
		t.Errorf("failed migration changed the file: schema %d, %d of %d conversations in the old bucket",
			after.version, len(after.convs), len(before.convs))
	}
	viewFile(t, path, func(tx *bbolt.Tx) error {
		return tx.Bucket(bContacts).ForEach(func(k, _ []byte) error {
			if kindOf(k) == keyConversation {
				t.Errorf("failed migration left a conversation at %q", k)
			}
			return nil
		})
	})
}

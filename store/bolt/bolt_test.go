package bolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/storetest"
	bbolt "go.etcd.io/bbolt"
)

func openTest(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		return openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	})
}

// TestStoreShared: one process holds a bbolt file, so the two handles the
// shared part of the suite wants are the same one, used from many
// goroutines at once.
func TestStoreShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (bot.Store, bot.Store) {
		db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
		return db, db
	})
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	defer db.Close()
	second, err := Open(context.Background(), path, Options{Timeout: 200 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a held file succeeded")
	}
	if !strings.Contains(err.Error(), "locked by another process") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file and say it is locked", err)
	}
	// Once the holder closes, the file opens.
	db.Close()
	again := openTest(t, path)
	again.Close()
}

func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkline.db")
	openTest(t, path).Close()
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, u64(schemaVersion+1)) }); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	if want := fmt.Sprintf("written by a newer Linkline (schema %d; this binary knows up to %d)", schemaVersion+1, schemaVersion); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database\n"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open of a text file succeeded")
	}
	if !strings.Contains(err.Error(), "not a Linkline database") {
		t.Errorf("error %q does not say the file is not a database", err)
	}
}

// TestReopen closes and opens the file, as a restart does: what was
// committed is there, and ids keep increasing.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	c := &bot.Contact{Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900001"}}}
	m := &bot.Message{ContactID: "c", Text: "first"}
	err := db.Update(ctx, func(tx bot.Tx) error {
		if err := tx.PutContact(c); err != nil {
			return err
		}
		m.ContactID = c.ID
		if err := tx.AppendMessage(m); err != nil {
			return err
		}
		return tx.PutTimer(&bot.Timer{ID: "remind:" + c.ID, Due: time.Unix(100, 0)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	db = openTest(t, path)
	defer db.Close()
	var m2 bot.Message
	err = db.Update(ctx, func(tx bot.Tx) error {
		got, err := tx.ContactByAddress(c.Addresses[0])
		if err != nil {
			return err
		}
		if got.ID != c.ID {
			t.Errorf("after reopen, contact id = %s, want %s", got.ID, c.ID)
		}
		if _, ok, err := tx.NextTimer(); !ok || err != nil {
			t.Errorf("after reopen, NextTimer: %v, %v", ok, err)
		}
		m2 = bot.Message{ContactID: c.ID, Text: "second"}
		return tx.AppendMessage(&m2)
	})
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID <= m.ID {
		t.Errorf("message id after reopen = %d, want more than %d", m2.ID, m.ID)
	}
	if err := db.Check(ctx); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestFailedUpdateClearsIDs: ids assigned in an Update that did not commit
// are cleared, so records built outside fn can be offered again.
func TestFailedUpdateClearsIDs(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	defer db.Close()
	errBoom := errors.New("boom")
	c, r, m := &bot.Contact{}, &bot.Referral{ContactID: "c1"}, &bot.Message{ContactID: "c1"}
	o, e, h := &bot.Outbound{}, &bot.Event{}, &bot.Handoff{ContactID: "c1", Status: bot.HandoffOpen}
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		for _, err := range []error{tx.PutContact(c), tx.PutReferral(r), tx.AppendMessage(m), tx.Enqueue(o), tx.AddEvent(e), tx.PutHandoff(h)} {
			if err != nil {
				return err
			}
		}
		if c.ID == "" || r.ID == "" || m.ID == 0 || o.ID == 0 || e.ID == 0 || h.ID == "" {
			t.Error("ids not assigned inside fn")
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v, want errBoom", err)
	}
	if c.ID != "" || r.ID != "" || m.ID != 0 || o.ID != 0 || o.Status != "" || e.ID != 0 || h.ID != "" {
		t.Errorf("after a failed Update: contact %q, referral %q, message %d, outbound %d %q, event %d, handoff %q; want all cleared",
			c.ID, r.ID, m.ID, o.ID, o.Status, e.ID, h.ID)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openTest(t, filepath.Join(dir, "linkline.db"))
	defer db.Close()
	c := &bot.Contact{Addresses: []bot.Address{{Channel: bot.Sim, ID: "ann"}}}
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutContact(c) }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := db.Backup(ctx, &buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup = %d, %v; buffer holds %d", n, err, buf.Len())
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(copyPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cp := openTest(t, copyPath)
	defer cp.Close()
	if err := cp.Check(ctx); err != nil {
		t.Errorf("Check of the copy: %v", err)
	}
	err = cp.View(ctx, func(tx bot.Tx) error {
		got, err := tx.ContactByAddress(c.Addresses[0])
		if err == nil && got.ID != c.ID {
			t.Errorf("copy has contact %s, want %s", got.ID, c.ID)
		}
		return err
	})
	if err != nil {
		t.Errorf("reading the copy: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Backup(cancelled, &buf); !errors.Is(err, context.Canceled) {
		t.Errorf("Backup with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestReferralTiesPastOneDigit: referrals created at one instant list last
// created first, also once ids need two base-36 digits.
func TestReferralTiesPastOneDigit(t *testing.T) {
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	defer db.Close()
	ctx := context.Background()
	var want []string
	err := db.Update(ctx, func(tx bot.Tx) error {
		for range 40 {
			r := &bot.Referral{Status: bot.ReferralNew, CreatedAt: time.Unix(100, 0)}
			if err := tx.PutReferral(r); err != nil {
				return err
			}
			want = append([]string{r.ID}, want...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(btx bot.Tx) error {
		tx := btx.(*Tx)
		for name, iter := range map[string]func(func(*bot.Referral) bool) error{
			"Referrals": tx.Referrals,
			"ReferralsByStatus": func(fn func(*bot.Referral) bool) error {
				return tx.ReferralsByStatus(bot.ReferralNew, fn)
			},
		} {
			var got []string
			if err := iter(func(r *bot.Referral) bool { got = append(got, r.ID); return true }); err != nil {
				return err
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s = %v\nwant %v", name, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

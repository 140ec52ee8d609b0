package bolt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// After an erasure the erased bytes can linger in bbolt's free pages;
// Compact leaves a file with only what is live, which still opens and
// holds everything else.
func TestCompactRemovesDeletedBytes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "l.db")
	db := openTest(t, path)
	const erased = "Zebedee Quuxworthy"
	gone := &bot.Contact{Name: erased, Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900999"}}, CreatedAt: time.Now()}
	kept := &bot.Contact{Name: "Pat Keeper", Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900111"}}, CreatedAt: time.Now()}
	err := db.Update(ctx, func(tx bot.Tx) error {
		// Many versions of the erased contact, so that some land in pages
		// that are freed, not overwritten.
		for i := range 50 {
			gone.Locale = strings.Repeat("x", i)
			if err := tx.PutContact(gone); err != nil {
				return err
			}
		}
		return tx.PutContact(kept)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.DeleteContact(gone.ID) }); err != nil {
		t.Fatal(err)
	}

	// While the store is open, Compact refuses.
	if _, _, err := Compact(ctx, path); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("compact of an open store: %v, want locked", err)
	}
	db.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(erased)) {
		t.Fatal("the deleted name is not in the file before compacting: the test proves nothing")
	}

	// Compact through a symbolic link, as a deployment might name the
	// file: the file is replaced, the link stays, the mode is kept.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	before, after, err := Compact(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after compacting: %v %v, want 0640", fi.Mode(), err)
	}
	if after > before || after == 0 {
		t.Errorf("sizes %d -> %d", before, after)
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{erased, "+447700900999"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("%q is still in the compacted file", s)
		}
	}
	db = openTest(t, path)
	defer db.Close()
	if err := db.Check(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx bot.Tx) error {
		c, err := tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: "+447700900111"})
		if err != nil || c.Name != "Pat Keeper" {
			t.Errorf("kept contact after compacting: %+v, %v", c, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".linkline-compact-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

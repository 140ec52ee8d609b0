package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	// A conversation under way.
	if code, _, errs := runCmd(t, "hello\nyes\n", "chat", "--db", db); code != 0 {
		t.Fatal(errs)
	}
	// Offline backup.
	if code, out, errs := runCmd(t, "", "backup", "--db", db, filepath.Join(dir, "offline.db")); code != 0 || !strings.Contains(out, "checked") {
		t.Fatalf("offline backup: %d %s%s", code, out, errs)
	}
	// Backup while the server holds the database.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := defaultConfig(t)
	c.DB = db
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, slog.New(slog.DiscardHandler)) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(adminSocket(db)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no admin socket")
		}
	}
	if st, _ := os.Stat(adminSocket(db)); st.Mode().Perm() != 0o600 {
		t.Fatalf("admin socket mode %v", st.Mode().Perm())
	}
	copyPath := filepath.Join(dir, "live.db")
	code, out, errs := runCmd(t, "", "backup", "--db", db, copyPath)
	if code != 0 || !strings.Contains(out, "checked") {
		t.Fatalf("live backup: %d %s%s", code, out, errs)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(adminSocket(db)); !os.IsNotExist(err) {
		t.Fatalf("admin socket left behind: %v", err)
	}
	// The restored copy carries on the same conversation.
	code, out, _ = runCmd(t, "Sam\n", "chat", "--db", copyPath)
	if code != 0 || !strings.Contains(out, "date of birth") {
		t.Fatalf("restored copy: %d %s", code, out)
	}
	if code, _, errs := runCmd(t, "", "backup", "--db", filepath.Join(dir, "missing", "x.db"), filepath.Join(dir, "y.db")); code == 0 {
		t.Fatalf("backup of a missing database succeeded: %s", errs)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/teststore"
)

const sam = "sms:+447700900123"

// seeded is a database in which Sam has started a self-referral in chat:
// on PostgreSQL under LINKLINE_TEST_PG.
func seeded(t *testing.T) string {
	t.Helper()
	return seededAt(t, teststore.DB(t, filepath.Join(t.TempDir(), "privacy.db")))
}

// seededAt is seeded in the database db names.
func seededAt(t *testing.T, db string) string {
	t.Helper()
	defaultConfig(t)
	if code, out, errs := runCmd(t, "hello\nyes\nSam Jones\n", "chat", "--db", db, "--as", sam); code != 0 {
		t.Fatalf("chat: code %d\n%s\n%s", code, out, errs)
	}
	return db
}

func TestExportCommand(t *testing.T) {
	db := seeded(t)
	out := filepath.Join(t.TempDir(), "sam.json")
	tests := []struct {
		name    string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{"to stdout, by address", []string{"export", "--db", db, "--contact", sam}, 0, `"schema": "linkline.export/1"`, ""},
		{"to a file, by id", []string{"export", "--db", db, "--contact", "c1", "--out", out}, 0, "", "wrote the export of contact c1"},
		{"no contact", []string{"export", "--db", db}, 2, "", "usage: linkline export"},
		{"unknown contact", []string{"export", "--db", db, "--contact", "c99"}, 1, "", "not found"},
		{"bad address", []string{"export", "--db", db, "--contact", "pigeon:1"}, 1, "", "unknown channel"},
		{"unknown requester", []string{"export", "--db", db, "--contact", "c1", "--by", "nobody@example.org"}, 1, "", "no console user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.wantOut) || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v, want 0600", fi.Mode().Perm())
	}
	var x privacy.Export
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	if x.Contact.Primary().String() != sam || len(x.Messages) == 0 || x.Conversation == nil || !strings.Contains(string(data), "Sam Jones") {
		t.Errorf("export = %s", data)
	}
}

func TestEraseCommand(t *testing.T) {
	db := seeded(t)
	if code, _, _ := runCmd(t, "hi\n", "chat", "--db", db, "--as", "sms:+447700900999"); code != 0 {
		t.Fatal("second chat failed")
	}
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		wantOut []string
		wantErr string
	}{
		{"no contact", "", []string{"erase", "--db", db}, 2, nil, "usage: linkline erase"},
		{"not confirmed", "no\n", []string{"erase", "--db", db, "--contact", sam}, 1, []string{"erasing will", "remove:", "messages"}, "nothing erased"},
		{"confirmed", "yes\n", []string{"erase", "--db", db, "--contact", sam}, 0, []string{"contact c1 erased", "by cli", "addresses", "the contact itself goes too"}, "Type yes"},
		{"already gone", "", []string{"erase", "--db", db, "--contact", "c1", "--yes"}, 1, nil, "not found"},
		{"--yes asks nothing", "", []string{"erase", "--db", db, "--contact", "sms:+447700900999", "--yes"}, 0, []string{"contact c2 erased"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if strings.Contains(stdout+stderr, "Sam Jones") || (tt.code == 0 && strings.Contains(stdout+stderr, "900123")) {
				t.Errorf("personal data in the output:\n%s\n%s", stdout, stderr)
			}
		})
	}
	// Both are gone; the audit log says who erased them.
	store := teststore.Open(t, db)
	defer store.Close()
	n := 0
	err := store.View(context.Background(), func(tx bot.Tx) error {
		if _, err := tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: "+447700900123"}); bot.ErrorCode(err) != bot.ENotFound {
			t.Errorf("erased contact still found by number: %v", err)
		}
		return tx.Audit(func(a *bot.AuditEntry) bool {
			if a.Action == bot.AuditErase && a.UserID == "cli" {
				n++
			}
			return true
		})
	})
	if err != nil || n != 2 {
		t.Errorf("%d erase audit entries, %v; want 2", n, err)
	}
}

func TestRetentionSetting(t *testing.T) {
	db, err := bolt.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &app{store: db, metrics: &metrics.Metrics{}}
	log := slog.New(slog.DiscardHandler)
	tests := []struct {
		in    string
		after time.Duration
		bad   bool
	}{{"", 0, false}, {"0", 0, false}, {"30", 30 * 24 * time.Hour, false}, {" 7 ", 7 * 24 * time.Hour, false},
		{"-1", 0, true}, {"3", 0, true}, {"30d", 0, true}, {"1.5", 0, true}}
	for _, tt := range tests {
		r, err := retention(&config{RetentionDays: tt.in}, a, log)
		if tt.bad {
			if err == nil || !strings.Contains(err.Error(), "LINKLINE_RETENTION_DAYS") {
				t.Errorf("retention %q: err = %v, want one naming LINKLINE_RETENTION_DAYS", tt.in, err)
			}
			continue
		}
		if err != nil || r.After != tt.after {
			t.Errorf("retention %q = %v, %v; want %v", tt.in, r, err, tt.after)
		}
	}
	a.retention, _ = retention(&config{RetentionDays: "30"}, a, log)
	if _, err := a.retention.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.metricsPage(rec, httptest.NewRequest("GET", "/metrics", nil))
	if body := rec.Body.String(); !strings.Contains(body, "linkline_retention_sweeps_total 1") ||
		!strings.Contains(body, "linkline_retention_messages_removed_total 0") {
		t.Errorf("/metrics lacks the retention counters:\n%s", body)
	}
}

// Erase, then compact: the erased number is gone from the file's bytes,
// not only from its records.
func TestCompactAfterErase(t *testing.T) {
	db := seededAt(t, filepath.Join(t.TempDir(), "privacy.db")) // compact works on the bbolt file
	if code, _, errs := runCmd(t, "", "erase", "--db", db, "--contact", sam, "--yes"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, "", "compact", "--db", db)
	if code != 0 || !strings.Contains(out, "checked") {
		t.Fatalf("compact: %d %s%s", code, out, errs)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"+447700900123", "Sam Jones"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("%q is still in the file after erase and compact", s)
		}
	}
	if code, _, _ := runCmd(t, "", "compact", "--db", db, "extra"); code != 2 {
		t.Errorf("compact with an argument: code %d, want 2", code)
	}
}

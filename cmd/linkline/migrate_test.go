package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/linkline/linkline/store/postgres/pgtest"
)

// TestMigrateBoltToPostgresAndBack: a conversation started on bbolt
// carries on on PostgreSQL after linkline migrate, and on a new bbolt file
// after migrating back; the person's export (subject access) is the same
// on both sides of each move.
func TestMigrateBoltToPostgresAndBack(t *testing.T) {
	pg := pgtest.URL(t) // before defaultConfig clears LINKLINE_TEST_PG
	defaultConfig(t)
	dir := t.TempDir()
	file, back := filepath.Join(dir, "linkline.db"), filepath.Join(dir, "back.db")
	if code, out, errs := runCmd(t, "hello\nyes\n", "chat", "--db", file); code != 0 || !strings.Contains(out, "What is your name?") {
		t.Fatalf("chat on bbolt: code %d\n%s\n%s", code, out, errs)
	}
	migrate := func(from, to string) {
		t.Helper()
		code, out, errs := runCmd(t, "", "migrate", "--from", from, "--to", to)
		if code != 0 || !strings.Contains(out, "checked every record: contact=1 conversation=1 message=") {
			t.Fatalf("migrate %s to %s: code %d\n%s\n%s", from, to, code, out, errs)
		}
	}
	// export returns what linkline export says of the person, less the
	// moment it was made.
	stamp := regexp.MustCompile(`"exported_at": "[^"]*"`)
	export := func(db string) string {
		t.Helper()
		code, out, errs := runCmd(t, "", "export", "--db", db, "--contact", "sim:local")
		if code != 0 || !strings.Contains(out, `"id": "c1"`) {
			t.Fatalf("export from %s: code %d\n%s\n%s", db, code, out, errs)
		}
		return stamp.ReplaceAllString(out, "")
	}
	migrate(file, pg)
	if a, b := export(file), export(pg); a != b {
		t.Errorf("the person's export differs after the move to PostgreSQL:\nbbolt:\n%s\npostgres:\n%s", a, b)
	}
	if code, out, errs := runCmd(t, "Sam\n", "chat", "--db", pg); code != 0 || !strings.Contains(out, "date of birth") {
		t.Fatalf("the conversation did not carry on on PostgreSQL: code %d\n%s\n%s", code, out, errs)
	}
	migrate(pg, back)
	if a, b := export(pg), export(back); a != b {
		t.Errorf("the person's export differs after the move back:\npostgres:\n%s\nbbolt:\n%s", a, b)
	}
	if code, out, errs := runCmd(t, "12/03/1958\n", "chat", "--db", back); code != 0 || !strings.Contains(strings.ToLower(out), "postcode") {
		t.Fatalf("the conversation did not carry on after the move back: code %d\n%s\n%s", code, out, errs)
	}
	// Into a database that already has records: refused, nothing written.
	if code, _, errs := runCmd(t, "", "migrate", "--from", file, "--to", pg); code == 0 || !strings.Contains(errs, "not empty") {
		t.Errorf("migrate into a used database: code %d, %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "migrate", "--from", file); code != 2 || !strings.Contains(errs, "usage: linkline migrate") {
		t.Errorf("migrate without --to: code %d, %s", code, errs)
	}
}

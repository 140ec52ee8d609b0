package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/store/teststore"
)

func TestUserAdd(t *testing.T) {
	defaultConfig(t)
	db := teststore.DB(t, filepath.Join(t.TempDir(), "users.db"))
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		wantErr  string
		email    string
		wantName string
		admin    bool
	}{
		{"admin, flags after the email", "correct horse battery\n", []string{"user", "add", "Ann@Example.org", "--admin", "--name", "Ann Admin", "--db", db, "--public-url", "https://linkline.example.org/"},
			0, "", "ann@example.org", "Ann Admin", true},
		{"link worker, flags first", "another long password", []string{"user", "add", "--db", db, "bob@example.org"},
			0, "", "bob@example.org", "", false},
		{"same email again", "correct horse battery\n", []string{"user", "add", "ANN@example.org", "--db", db},
			1, "another user has the email", "", "", false},
		{"short password", "short\n", []string{"user", "add", "carol@example.org", "--db", db},
			1, "at least 10 characters", "", "", false},
		{"not an email", "correct horse battery\n", []string{"user", "add", "carol", "--db", db},
			1, "not an email address", "", "", false},
		{"no email", "", []string{"user", "add", "--db", db}, 2, "usage: linkline user add", "", "", false},
		{"unknown subcommand", "", []string{"user", "delete", "x@example.org"}, 2, "usage: linkline user add", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.wantErr) {
				t.Fatalf("code %d, want %d; stderr %q, want it to contain %q", code, tt.code, errs, tt.wantErr)
			}
			if strings.Contains(out+errs, strings.TrimSpace(tt.stdin)) && tt.stdin != "" {
				t.Errorf("the password was echoed: stdout %q stderr %q", out, errs)
			}
			if tt.email == "" {
				return
			}
			wantLink := "http://localhost:8080/console/mfa/setup"
			if tt.name == "admin, flags after the email" {
				wantLink = "https://linkline.example.org/console/mfa/setup"
			}
			if !strings.Contains(out, "enrolment link: "+wantLink+"\n") {
				t.Errorf("stdout %q does not give the enrolment link %s", out, wantLink)
			}
			store := teststore.Open(t, db)
			defer store.Close()
			err := store.View(context.Background(), func(tx bot.Tx) error {
				u, err := tx.UserByEmail(tt.email)
				if err != nil {
					return err
				}
				if u.Name != tt.wantName || u.Admin != tt.admin || u.Disabled {
					t.Errorf("user = %+v, want name %q admin %v", u, tt.wantName, tt.admin)
				}
				// One check: bcrypt is slow under the race detector, and
				// bot's own tests prove a wrong password fails.
				if !auth.CheckPassword(u, strings.TrimSpace(tt.stdin)) {
					t.Error("the stored hash does not check the password given")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestMFAMode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want console.MFAMode
		err  bool
	}{{"", console.MFARequired, false}, {"required", console.MFARequired, false}, {"OFF", console.MFAOff, false}, {"optional", "", true}} {
		got, err := mfaMode(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("mfaMode(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

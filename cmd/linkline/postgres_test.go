package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// withPassword returns u with a password in it: the test server trusts
// local connections, so it is never checked, but it must never be shown.
func withPassword(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.User = url.UserPassword(p.User.Username(), "s3cret-pw")
	return p.String()
}

// TestServeOnPostgres: a postgres:// LINKLINE_DB chooses PostgreSQL; the
// server answers /healthz, and while it serves another command uses the
// same database (no file lock), and the password is in no output.
func TestServeOnPostgres(t *testing.T) {
	db := withPassword(t, pgtest.URL(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := defaultConfig(t)
	c.DB = db
	var logs bytes.Buffer
	log, _ := c.logger(&logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()

	health := "http://" + ln.Addr().String() + "/healthz"
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err = http.Get(health)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Fatalf("healthz = %d %q", resp.StatusCode, body)
	}
	// On bbolt this fails ("locked"); on PostgreSQL it shares the database.
	code, out, errs := runCmd(t, "hello\nyes\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "What is your name?") {
		t.Fatalf("chat while serving: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "Sam\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "date of birth") {
		t.Fatalf("second chat did not carry on: code %d\n%s\n%s", code, out, errs)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if all := logs.String() + out + errs; strings.Contains(all, "s3cret-pw") {
		t.Errorf("the database password was shown:\n%s", all)
	}
	if !strings.Contains(logs.String(), `"db":"postgres://postgres@127.0.0.1`) {
		t.Errorf("serve's log does not name the database without its password:\n%s", logs.String())
	}
	// What chat wrote is in PostgreSQL, under the simulator's address.
	store, err := postgres.Open(context.Background(), db, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	err = store.View(context.Background(), func(tx bot.Tx) error {
		n := 0
		if err := tx.Contacts(func(*bot.Contact) bool { n++; return true }); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("%d contacts in PostgreSQL, want the one chat made", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFileCommandsRefusePostgres: backup and compact work on the bbolt
// file; on PostgreSQL they say what to use instead.
func TestFileCommandsRefusePostgres(t *testing.T) {
	db := withPassword(t, pgtest.ServerURL(t)) // before defaultConfig clears LINKLINE_TEST_PG
	defaultConfig(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "--db", db, t.TempDir() + "/copy.db"}, "pg_dump"},
		{[]string{"compact", "--db", db}, "VACUUM"},
	} {
		code, _, errs := runCmd(t, "", tt.args...)
		if code == 0 || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "docs/postgres.md") || strings.Contains(errs, "s3cret-pw") {
			t.Errorf("%s: code %d, stderr %q; want a failure that points to %s and docs/postgres.md, without the password", tt.args[0], code, errs, tt.want)
		}
	}
}

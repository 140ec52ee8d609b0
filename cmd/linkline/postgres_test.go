package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
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
	defer cancel() // also when the test fails early
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()

	serverHealthy(t, ln.Addr().String())
	// On bbolt this fails ("locked"); on PostgreSQL it shares the database.
	code, out, errs := runCmd(t, "correct horse battery\n", "user", "add", "ann@example.org", "--admin", "--db", db)
	if code != 0 || !strings.Contains(out, "enrolment link") {
		t.Fatalf("user add while serving: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
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
	if all := logs.String() + errs; strings.Contains(all, "s3cret-pw") {
		t.Errorf("the database password was shown:\n%s", all)
	}
	if !strings.Contains(logs.String(), `"db":"postgres://postgres@127.0.0.1`) {
		t.Errorf("serve's log does not name the database without its password:\n%s", logs.String())
	}
	// A conversation in chat carries on across runs: it is kept in
	// PostgreSQL. (Not beside serve: serve's dispatcher would send chat's
	// replies, to no terminal.)
	code, out, errs = runCmd(t, "hello\nyes\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "What is your name?") {
		t.Fatalf("chat: code %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "Sam\n", "chat", "--db", db)
	if code != 0 || !strings.Contains(out, "date of birth") {
		t.Fatalf("second chat did not carry on: code %d\n%s\n%s", code, out, errs)
	}
	store, err := postgres.Open(context.Background(), db, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	err = store.View(context.Background(), func(tx bot.Tx) error {
		if _, err := tx.UserByEmail("ann@example.org"); err != nil {
			t.Errorf("the user added while serving: %v", err)
		}
		c, err := tx.ContactByAddress(bot.Address{Channel: bot.Sim, ID: "local"})
		if err != nil {
			return err
		}
		if conv, err := tx.Conversation(c.ID); err != nil || conv.Answers["name"] != "Sam" {
			t.Errorf("chat's conversation in PostgreSQL: %+v, %v; want the name Sam", conv, err)
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

// chanSender passes each message sent to a channel.
type chanSender chan *bot.Outbound

func (s chanSender) Send(_ context.Context, o *bot.Outbound) (string, error) {
	s <- o
	return "SM" + o.To.ID, nil
}

// TestWakeAnotherInstance: a reply queued by one instance is sent by
// another instance's dispatcher, which sleeps until woken (Idle a day):
// the wake-up crosses by LISTEN/NOTIFY after the first's commit.
func TestWakeAnotherInstance(t *testing.T) {
	url := pgtest.URL(t)
	c := defaultConfig(t)
	c.DB = url
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	a, err := c.open(ctx, log, map[bot.Channel]bot.Sender{}, logNotifier{log}) // its dispatcher does not run
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()

	b, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sent := make(chanSender, 10)
	disp := outbox.NewDispatcher(b, map[bot.Channel]bot.Sender{bot.SMS: sent}, outbox.DispatchOptions{Log: log, Idle: 24 * time.Hour})
	if err := b.Listen(ctx, map[string]func(){postgres.ChannelOutbox: disp.Wake}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { disp.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for i := range 3 {
		from := bot.Address{Channel: bot.SMS, ID: fmt.Sprint("+44770090050", i)}
		if err := a.engine.Handle(ctx, bot.Inbound{Address: from, Text: "hello", ProviderID: fmt.Sprint("SMin", i)}); err != nil {
			t.Fatal(err)
		}
		// A failure guard, not a measurement: without the wake-up the
		// other dispatcher sleeps for a day.
		// The first reply may come in several messages; wait for one to
		// this person (earlier people's later parts may come first).
		for got := false; !got; {
			select {
			case o := <-sent:
				got = o.To == from
			case <-time.After(60 * time.Second):
				t.Fatalf("round %d: the other instance's dispatcher was not woken", i)
			}
		}
	}
}

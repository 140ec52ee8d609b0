package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// signinServer is a console on store alone, as one Linkline process
// serves it, trusting the loopback address as a proxy so that a test
// picks each request's client address.
type signinServer struct {
	t   *testing.T
	url string
	con *console.Console
}

func newSigninServer(t *testing.T, store bot.Store, clock bot.Clock) *signinServer {
	t.Helper()
	con := console.New(console.Config{Store: store, Clock: clock, PublicURL: "http://127.0.0.1", MFA: console.MFAOff,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
	mux := http.NewServeMux()
	mux.Handle("/console/", con)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { con.Shutdown(); srv.Close() })
	return &signinServer{t: t, url: srv.URL, con: con}
}

// login tries to sign in from addr and returns the status and the
// Retry-After in seconds (0 when there is none).
func (s *signinServer) login(addr, email, password string) (int, int) {
	s.t.Helper()
	// The body is built by hand: encoding 1,000 huge emails with
	// url.Values would cost the test more than the server.
	body := "email=" + url.QueryEscape(email) + "&password=" + url.QueryEscape(password)
	req, err := http.NewRequest("POST", s.url+"/console/login", strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", addr)
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	return res.StatusCode, wait
}

// guessUntilSlowed makes wrong guesses at email from addr until a try is
// slowed down, and returns the wait it was given.
func (s *signinServer) guessUntilSlowed(addr, email string) int {
	s.t.Helper()
	for i := range 20 {
		status, wait := s.login(addr, email, "wrong guess "+strconv.Itoa(i))
		switch status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			return wait
		default:
			s.t.Fatalf("guess %d: %d", i+1, status)
		}
	}
	s.t.Fatalf("20 wrong guesses at one account were never slowed")
	return 0
}

func addSigninUser(t *testing.T, store bot.Store, email string) {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Update(context.Background(), func(tx bot.Tx) error {
		return tx.PutUser(&bot.User{Email: email, PasswordHash: string(h), CreatedAt: time.Now().UTC()})
	}); err != nil {
		t.Fatal(err)
	}
}

func openBolt(t *testing.T, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(context.Background(), path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestSigninSlowingSurvivesRestart: a guessed account is still slowed
// after the server restarts on the same file (the wait used to be kept
// in memory, so a restart gave a guesser a fresh start).
func TestSigninSlowingSurvivesRestart(t *testing.T) {
	clock := bot.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openBolt(t, path)
	addSigninUser(t, db, "ann@example.org")
	first := newSigninServer(t, db, clock)
	wait := first.guessUntilSlowed("203.0.113.1", "ann@example.org")
	if wait < 1 {
		t.Fatalf("slowed with Retry-After %d", wait)
	}
	// Restart: the first server and its store go, a new process opens
	// the same file.
	first.con.Shutdown()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openBolt(t, path)
	t.Cleanup(func() { db.Close() })
	second := newSigninServer(t, db, clock)
	status, again := second.login("198.51.100.2", "ann@example.org", testPassword)
	if status != http.StatusTooManyRequests || again != wait {
		t.Fatalf("after a restart: %d with Retry-After %d, want 429 with the same %d s", status, again, wait)
	}
	clock.Advance(time.Duration(wait) * time.Second)
	if status, _ := second.login("198.51.100.2", "ann@example.org", testPassword); status != http.StatusSeeOther {
		t.Fatalf("after the wait: %d, want signed in", status)
	}
	// Signing in forgot the failures: the next wrong password is free.
	if status, _ := second.login("198.51.100.2", "ann@example.org", "typo"); status != http.StatusUnauthorized {
		t.Errorf("a typo after signing in: %d, want 401", status)
	}
}

// TestSigninSlowingShared: two console servers on one store (one bbolt
// file in one process; one PostgreSQL database from two pools, as two
// Linkline instances) slow a guesser down together: failures on one are
// counted by the other.
func TestSigninSlowingShared(t *testing.T) {
	stores := map[string]func(t *testing.T) (bot.Store, bot.Store){
		"bolt": func(t *testing.T) (bot.Store, bot.Store) {
			db := openBolt(t, filepath.Join(t.TempDir(), "linkline.db"))
			t.Cleanup(func() { db.Close() })
			return db, db
		},
		"postgres": func(t *testing.T) (bot.Store, bot.Store) {
			u := pgtest.URL(t)
			var out [2]bot.Store
			for i := range out {
				db, err := postgres.Open(context.Background(), u, postgres.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				out[i] = db
			}
			return out[0], out[1]
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			clock := bot.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
			a, b := open(t)
			addSigninUser(t, a, "ann@example.org")
			one, two := newSigninServer(t, a, clock), newSigninServer(t, b, clock)
			// Five free failures, taken in turn on the two servers from
			// five addresses: the sixth anywhere is slowed.
			for i := range 5 {
				srv := []*signinServer{one, two}[i%2]
				if status, _ := srv.login(fmt.Sprint("203.0.113.", i+1), "ann@example.org", "guess"); status != http.StatusUnauthorized {
					t.Fatalf("free failure %d: %d, want 401", i+1, status)
				}
			}
			if status, _ := two.login("203.0.113.9", "ann@example.org", "guess"); status != http.StatusUnauthorized {
				t.Fatalf("sixth failure: %d, want 401 (and a wait from now on)", status)
			}
			for i, srv := range []*signinServer{one, two} {
				if status, wait := srv.login("198.51.100.2", "ann@example.org", testPassword); status != http.StatusTooManyRequests || wait != 1 {
					t.Errorf("server %d after six failures across both: %d, Retry-After %d; want 429 and 1 s", i+1, status, wait)
				}
			}
		})
	}
}

// TestSigninHugeEmailsBounded: 1,000 sign-ins with distinct 64 KiB
// emails (256 times the longest allowed, 16 KiB under the race detector,
// where each byte costs the test far more than the server;
// TestSigninHugeEmails sends 200 KB ones, fewer) from ten addresses leave a handful of keys in the store
// (every over-long email is one key; each address is one), the store file
// does not grow by their size, and the server's memory does not keep them.
func TestSigninHugeEmailsBounded(t *testing.T) {
	clock := bot.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openBolt(t, path)
	t.Cleanup(func() { db.Close() })
	srv := newSigninServer(t, db, clock)
	size := func() int64 {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	srv.login("203.0.113.1", "warm-up@example.org", "x") // the store's first pages
	fileBefore, heapBefore := size(), heap()
	const n = 1000
	long := 64 << 10
	if raceEnabled {
		long = 16 << 10 // still 64 times the longest email allowed
	}
	failed := 0
	for i := range n {
		email := strings.Repeat("a", long-20) + strconv.Itoa(i) + "@example.org"
		status, wait := srv.login(fmt.Sprint("203.0.113.", i%10+1), email, "x")
		switch status {
		case http.StatusUnauthorized:
			failed++
		case http.StatusTooManyRequests:
			// Most tries are turned away (nothing is written); every
			// tenth waits its turn and is counted, a write each.
			if i%10 == 0 {
				clock.Advance(time.Duration(wait) * time.Second)
			}
		default:
			t.Fatalf("huge email %d: %d", i, status)
		}
	}
	if failed < n/20 {
		t.Fatalf("only %d of %d huge emails were counted as failures", failed, n)
	}
	if keys := console.LimiterSize(srv.con); keys > 12 {
		t.Errorf("the store keeps %d limiter keys after %d huge emails from 10 addresses, want at most 12", keys, n)
	}
	if grew := size() - fileBefore; grew > 1<<20 {
		t.Errorf("the store file grew by %d bytes for %d huge emails, want under 1 MiB (they total %d MB)", grew, n, n*long>>20)
	}
	if after := heap(); after > heapBefore+64<<20 {
		t.Errorf("heap grew from %d to %d MB over %d huge emails", heapBefore>>20, after>>20, n)
	}
}

package console_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/channels/sim"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/teststore"
	"golang.org/x/crypto/bcrypt"
)

// world is the console over a real engine on a real bbolt file, replying
// through the sim channel into an inbox, served by an httptest server.
type world struct {
	t       testing.TB
	store   bot.Store
	engine  *engine.Engine
	disp    *outbox.Dispatcher
	clock   *bot.ManualClock
	inbox   *sim.Inbox
	console *console.Console
	srv     *httptest.Server
	sandbox *console.Sandbox
	// consoleStore is the store as the console sees it: the real one,
	// whose writes a test may make fail.
	consoleStore *faultStore
}

// faultStore is a real store whose Update fails while failWrites is set:
// a full disk or a store gone read-only, as the console sees it.
type faultStore struct {
	bot.Store
	failWrites atomic.Bool
}

// errWriteFailed is what a faultStore's Update returns while it fails.
var errWriteFailed = errors.New("test: store refuses writes")

func (s *faultStore) Update(ctx context.Context, fn func(bot.Tx) error) error {
	if s.failWrites.Load() {
		return errWriteFailed
	}
	return s.Store.Update(ctx, fn)
}

// newEngine is the real engine with the built-in flows, templates and
// risk screen.
func newEngine(t testing.TB, store bot.Store, clock bot.Clock, onOutbox func()) *engine.Engine {
	t.Helper()
	cfg := bottest.Config(t, store)
	cfg.Clock, cfg.OnOutbox = clock, onOutbox
	e, err := engine.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// testPassword is every test user's password. Test users are hashed at
// bcrypt's lowest cost: the real cost is slow under the race detector.
const testPassword = "correct horse battery"

// setup changes a world's engine and console configuration before they
// are built (w.store is open by then).
type setup func(w *world, engine *engine.Config, con *console.Config)

func newWorld(t testing.TB, setups ...setup) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, clock: bot.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)), inbox: &sim.Inbox{}}
	store := teststore.Open(t, filepath.Join(t.TempDir(), "linkline.db")) // bbolt, or PostgreSQL under LINKLINE_TEST_PG
	t.Cleanup(func() { store.Close() })
	sender := sim.NewSender(w.inbox.Deliver)
	w.disp = outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.Sim: sender, bot.SMS: sender, bot.Telegram: sender}, outbox.DispatchOptions{Clock: w.clock})
	w.store = store
	ecfg := bottest.Config(t, store)
	ecfg.Clock, ecfg.OnOutbox = w.clock, w.disp.Wake
	// An explicit http:// public URL: the test server is plain http, and
	// a Secure cookie would not be sent back over it.
	// Most tests sign in with the password alone; the second factor's
	// own tests turn it on (withMFA).
	ccfg := console.Config{Clock: w.clock, Poll: 50 * time.Millisecond, PublicURL: "http://127.0.0.1", MFA: console.MFAOff}
	for _, s := range setups {
		s(w, &ecfg, &ccfg)
	}
	var err error
	if w.engine, err = engine.NewEngine(ecfg); err != nil {
		t.Fatal(err)
	}
	// The "try the bot" sandbox: an engine on a store of its own.
	sbStore, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "sandbox.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sbStore.Close() })
	w.sandbox = &console.Sandbox{Engine: newEngine(t, sbStore, w.clock, nil), Store: sbStore,
		Flows: []console.SandboxFlow{{ID: "self-referral", Title: "Self-referral"}, {ID: "carer-checkin", Title: "Carer check-in"}}}
	w.consoleStore = &faultStore{Store: store}
	ccfg.Engine, ccfg.Store, ccfg.Sandbox = w.engine, w.consoleStore, w.sandbox
	w.console = console.New(ccfg)
	mux := http.NewServeMux()
	mux.Handle("/console/", w.console)
	w.srv = httptest.NewServer(mux)
	w.srv.Config.RegisterOnShutdown(w.console.Shutdown)
	t.Cleanup(func() { w.console.Shutdown(); w.srv.Close() })
	return w
}

// addUser stores a user with testPassword.
func (w *world) addUser(email, name string, admin bool) *bot.User {
	w.t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		w.t.Fatal(err)
	}
	u := &bot.User{Email: email, Name: name, Admin: admin, PasswordHash: string(h), CreatedAt: w.clock.Now()}
	w.update(func(tx bot.Tx) error { return tx.PutUser(u) })
	return u
}

func (w *world) update(fn func(tx bot.Tx) error) {
	w.t.Helper()
	if err := w.store.Update(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) view(fn func(tx bot.Tx) error) {
	w.t.Helper()
	if err := w.store.View(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

var seq int

// send delivers text from addr through the real engine and returns the
// contact.
func (w *world) send(addr, text string) *bot.Contact {
	w.t.Helper()
	a, err := bot.ParseAddress(addr)
	if err != nil {
		w.t.Fatal(err)
	}
	seq++
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: text, ProviderID: addr + "-" + time.Now().Format("150405.000000000") + string(rune('a'+seq%26))}); err != nil {
		w.t.Fatalf("Handle(%q): %v", text, err)
	}
	var c *bot.Contact
	w.view(func(tx bot.Tx) error {
		c, err = tx.ContactByAddress(a)
		return err
	})
	return c
}

// drain sends what is in the outbox and returns what addr received.
func (w *world) drain(addr string) []string {
	w.t.Helper()
	if err := w.disp.Drain(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	a, _ := bot.ParseAddress(addr)
	return w.inbox.Take(a)
}

func (w *world) audit() []*bot.AuditEntry {
	w.t.Helper()
	var out []*bot.AuditEntry
	w.view(func(tx bot.Tx) error {
		return tx.Audit(func(a *bot.AuditEntry) bool { out = append(out, a); return true })
	})
	return out
}

// client is a browser-like HTTP client: it keeps cookies, sends the
// Sec-Fetch-Site a browser would for same-origin requests, and does not
// follow redirects.
type client struct {
	t    testing.TB
	w    *world
	http *http.Client
}

func (w *world) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: w.t, w: w, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(method, path string, form url.Values, header ...string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.w.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

func (c *client) get(path string) response { c.t.Helper(); return c.do("GET", path, nil) }

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	return c.do("POST", path, form)
}

// login signs in and fails the test if that does not work.
func (c *client) login(email string) {
	c.t.Helper()
	res := c.post("/console/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || res.location != "/console/" {
		c.t.Fatalf("login as %s: %d %q\n%s", email, res.status, res.location, res.body)
	}
}

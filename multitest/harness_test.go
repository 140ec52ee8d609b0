package multitest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/postgres"
)

// start is the time every engine's clock shows: a Friday in service hours.
var start = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// lease is how long the leader's lease, and a dispatcher's claim on a
// row, last in these tests: short, so that failover is quick.
const lease = 3 * time.Second

// alerts records the alerts link workers were sent, by every instance.
type alerts struct {
	mu  sync.Mutex
	got []bot.Alert
}

func (a *alerts) Notify(_ context.Context, al bot.Alert) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, al)
	return nil
}

func (a *alerts) of(kind bot.AlertKind) []bot.Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []bot.Alert
	for _, al := range a.got {
		if al.Kind == kind {
			out = append(out, al)
		}
	}
	return out
}

// cluster is what the instances share: the fake Twilio, the engines'
// clock and the alerts.
type cluster struct {
	t      *testing.T
	fake   *twiliotest.Server
	clock  *bot.ManualClock
	alerts *alerts
	// rate is each instance's TWILIO_RATE; shared makes them share it
	// through the store.
	rate   float64
	shared bool
	// hoursEvery is how often each instance reads the saved service
	// hours without a wake-up (serve's followHoursEvery).
	hoursEvery time.Duration
}

func newCluster(t *testing.T) *cluster {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	return &cluster{t: t, fake: fake, clock: bot.NewManualClock(start), alerts: &alerts{}, rate: 1000,
		hoursEvery: 100 * time.Millisecond}
}

// instance is one Linkline process: a store of its own (a pool, for
// PostgreSQL), an engine, a dispatcher, a scheduler, the Twilio webhooks
// and, on PostgreSQL, the wake-ups and the leader election.
type instance struct {
	name  string
	store bot.Store
	pg    *postgres.DB // nil on bbolt
	eng   *engine.Engine
	disp  *outbox.Dispatcher
	sched *timer.Scheduler
	web   *httptest.Server
	// settingsSaved receives another instance's wake-up that it saved
	// settings (ChannelSettings), as in serve.
	settingsSaved chan struct{}

	// holder names it in the lease; epoch is the epoch it leads at (0:
	// not leading); led is the last epoch it led at.
	holder     string
	epoch, led atomic.Int64

	stop func()
}

// start runs an instance named name on store until the test ends.
func (c *cluster) start(name string, store bot.Store) *instance {
	t := c.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{name: name, store: store, holder: "holder-" + name, settingsSaved: make(chan struct{}, 1)}
	in.pg, _ = store.(*postgres.DB)
	mux := http.NewServeMux()
	in.web = httptest.NewServer(mux)
	cfg := twilio.Config{AccountSID: c.fake.AccountSID, AuthToken: c.fake.AuthToken, From: c.fake.Number,
		APIURL: c.fake.URL(), PublicURL: in.web.URL, Rate: c.rate, Timeout: 2 * time.Second}
	tw, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sender bot.Sender = tw
	if c.shared {
		sender = &bot.SharedPace{PacedSender: tw, Store: store, Key: "pace:sms", Rate: c.rate}
	}
	in.disp = outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.SMS: sender}, outbox.DispatchOptions{
		Owner: name, OwnerPerProcess: in.pg != nil, Lease: lease, Workers: 4, Idle: 200 * time.Millisecond,
		BaseBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond})
	ecfg := bottest.Config(t, store)
	ecfg.Clock, ecfg.Notifier = c.clock, c.alerts
	ecfg.OnOutbox, ecfg.OnTimer = in.disp.Wake, func() {}
	if in.pg != nil {
		ecfg.OnOutbox = func() { in.disp.Wake(); in.pg.Notify(postgres.ChannelOutbox) }
		ecfg.OnTimer = func() { in.pg.Notify(postgres.ChannelTimer) }
	}
	if in.eng, err = engine.NewEngine(ecfg); err != nil {
		t.Fatal(err)
	}
	in.sched = timer.NewScheduler(store, in.eng.TimerKinds(), c.clock, nil)
	mux.Handle("/webhooks/twilio/", twilio.NewHandler(cfg, in.eng, nil))

	var wg sync.WaitGroup
	wg.Go(func() { _ = in.disp.Run(ctx) })
	wg.Go(func() { _ = in.sched.Run(ctx) })
	if in.pg != nil {
		err := in.pg.Listen(ctx, map[string]func(){postgres.ChannelOutbox: in.disp.Wake, postgres.ChannelTimer: in.sched.Wake,
			postgres.ChannelSettings: func() {
				select {
				case in.settingsSaved <- struct{}{}:
				default:
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { engine.FollowHours(ctx, store, in.eng, c.hoursEvery, in.settingsSaved, nil) })
		wg.Go(func() {
			in.pg.Lead(ctx, "background", in.holder, lease, func(ctx context.Context, epoch int64) {
				in.led.Store(epoch)
				in.epoch.Store(epoch)
				<-ctx.Done()
				in.epoch.Store(0)
			})
		})
	}
	var once sync.Once
	in.stop = func() {
		once.Do(func() {
			in.web.Close()
			cancel()
			wg.Wait()
			store.Close()
		})
	}
	t.Cleanup(in.stop)
	return in
}

// say posts person's text to the instance's SMS webhook, signed as
// Twilio signs it, and fails the test unless it is accepted.
func (in *instance) say(t *testing.T, fake *twiliotest.Server, from, text string) {
	t.Helper()
	res, err := fake.Post(t.Context(), in.web.URL+twilio.SMSPath, fake.InboundForm(from, text))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: webhook for %q answered %d", in.name, text, res.StatusCode)
	}
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitTo waits until the fake has accepted n messages to number.
func waitTo(t *testing.T, fake *twiliotest.Server, number string, n int) []string {
	t.Helper()
	var got []string
	waitFor(t, 30*time.Second, "replies to "+number, func() bool {
		got = fake.MessagesTo(number)
		return len(got) >= n
	})
	return got
}

// pending counts rows not yet settled in the outbox.
func pending(t *testing.T, s bot.Store) int {
	t.Helper()
	n := 0
	err := s.View(context.Background(), func(tx bot.Tx) error {
		return tx.Outbox(func(o *bot.Outbound) bool {
			if o.Status == bot.StatusPending {
				n++
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// proxy is a TCP proxy to PostgreSQL that a test can cut, as a network
// partition cuts an instance off from its database.
type proxy struct {
	ln     net.Listener
	target string
	cut    atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.sever() })
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.cut.Load() {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close() }()
		go func() { _, _ = io.Copy(c, s); c.Close() }()
	}
}

// sever closes every connection through the proxy.
func (p *proxy) sever() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// partition refuses new connections and closes those open.
func (p *proxy) partition() { p.cut.Store(true); p.sever() }

// heal lets connections through again.
func (p *proxy) heal() { p.cut.Store(false) }

// via returns dbURL with its host and port replaced by the proxy's and
// the application name set to app (so its backends can be found).
func (p *proxy) via(t *testing.T, dbURL, app string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String()
}

// terminate ends the backends of application app with
// pg_terminate_backend and returns how many it ended.
func terminate(t *testing.T, dbURL, app string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(context.Background(),
		"SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()) t", app).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// targetOf returns host:port of dbURL.
func targetOf(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Port() == "" {
		return u.Hostname() + ":5432"
	}
	return u.Host
}

// counts returns how many times each body went to number.
func counts(bodies []string) map[string]int {
	m := map[string]int{}
	for _, b := range bodies {
		m[b]++
	}
	return m
}

// Package console is the link workers' web app: sign in, the inbox of
// people waiting for a link worker, and each person's conversation, where a
// link worker claims, replies and resolves. Pages are server-rendered
// html/template with embedded CSS; a little JavaScript reloads parts of a
// page when Server-Sent Events say something changed, and every page works
// without it.
//
// console imports bot and nothing of the store or channels: it drives the
// engine (TakeOver, Claim, Reply, Resolve) and reads the store through
// bot.Store.
package console

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/flows"
)

// Config is what a Console is built from. Engine and Store are required.
type Config struct {
	Engine *engine.Engine
	Store  bot.Store
	Log    *slog.Logger
	Clock  bot.Clock
	// PublicURL is where people reach the server. The session cookie is
	// Secure unless it is an explicit http:// URL (a local trial, warned
	// about at start-up).
	PublicURL string
	// UrgentSLA and SLA are how long an urgent and an ordinary handoff may
	// wait before the inbox shows them red (amber from half of that).
	// Defaults 15 minutes and 4 hours.
	UrgentSLA, SLA time.Duration
	// Sandbox, when set, runs the "try the bot" page.
	Sandbox *Sandbox
	// TelegramBot is the Telegram bot's username, for enrolment links.
	TelegramBot string
	// SessionTTL is how long a sign-in lasts. Default 12 hours.
	SessionTTL time.Duration
	// Poll is how often the live-update stream looks for new events.
	// Default 1 second.
	Poll time.Duration
	// Flows are the flows the service runs: the outcome report lists each
	// instrument's items in their order. Default the built-in flows.
	Flows *flows.Set
	// TrustedProxies are the reverse proxies in front of the console. For
	// a request from one of them, the per-address sign-in limit counts the
	// right-most X-Forwarded-For address that is not itself a trusted
	// proxy; X-Forwarded-For from any other peer is ignored. Default none.
	TrustedProxies []netip.Prefix
	// Directory, if set, is the service directory the directory page
	// searches (signposting). Nil: the page says there is none.
	Directory *directory.Matcher
	// Refusals counts sign-ins slowed down and logs them aggregated; nil:
	// a count of the console's own, logged to Log.
	Refusals *metrics.Refusals
	// MFA says whether sign-in asks for a second factor: MFARequired
	// (the default) or MFAOff (local trials; every page says so).
	MFA MFAMode
	// Notices are set-up problems link workers should know about, shown at
	// the top of every page after sign-in (e.g. WhatsApp kinds of message
	// with no approved template). Plain text.
	Notices []string
	// Media fetches files people sent, by channel, for the transcript's
	// "fetch" links; a channel not here shows what arrived but no link.
	Media map[bot.Channel]MediaFetcher
	// MaxMedia is the largest file fetched; DefaultMaxMedia when zero.
	MaxMedia int64
	// OnSettings, if set, is called after the console commits settings
	// every instance follows (service hours), so that other instances on
	// the same database (PostgreSQL) can be told at once.
	OnSettings func()
}

// Console serves the link worker console under /console/. It is safe for
// concurrent use.
type Console struct {
	cfg     Config
	handler http.Handler
	pages   pages
	limits  *limiter
	secure  bool
	// refusals counts what the console refuses at the door.
	refusals *metrics.Refusals
	// forwardedOnce warns, once, that requests carry X-Forwarded-For
	// while no proxy is trusted.
	forwardedOnce sync.Once

	mu   sync.Mutex
	done chan struct{} // closed by Shutdown: live-update streams end

	trySeq atomic.Uint64 // makes sandbox messages' provider ids unique
}

// New returns the console. Mount it on "/console/".
func New(cfg Config) *Console {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	cfg.UrgentSLA = cmp.Or(cfg.UrgentSLA, 15*time.Minute)
	cfg.SLA = cmp.Or(cfg.SLA, 4*time.Hour)
	cfg.SessionTTL = cmp.Or(cfg.SessionTTL, 12*time.Hour)
	cfg.Poll = cmp.Or(cfg.Poll, time.Second)
	if cfg.MaxMedia <= 0 {
		cfg.MaxMedia = DefaultMaxMedia
	}
	cfg.MFA = cmp.Or(cfg.MFA, MFARequired)
	c := &Console{cfg: cfg, pages: mustParsePages(), limits: newLimiter(cfg.Store, cfg.Clock),
		secure: !strings.HasPrefix(cfg.PublicURL, "http://"), done: make(chan struct{})}
	if !c.secure {
		cfg.Log.Warn("console: LINKLINE_PUBLIC_URL is http://, so the session cookie is not Secure and could be read on the network; use https for anything but a local trial (see docs/tls.md)")
	}
	c.refusals = cmp.Or(cfg.Refusals, metrics.NewRefusals(cfg.Log, cfg.Clock, 0))
	c.handler = c.routes()
	return c
}

// ServeHTTP serves the console's pages and actions.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.handler.ServeHTTP(w, r) }

// Shutdown ends the live-update streams, which would otherwise hold a
// server's graceful shutdown open. Pass it to http.Server.RegisterOnShutdown.
func (c *Console) Shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
	default:
		close(c.done)
	}
}

// audit records that u did action to contactID's record. A failure is
// logged, not shown: the action itself has happened.
func (c *Console) audit(ctx context.Context, u *bot.User, action bot.AuditAction, contactID, detail string) {
	err := c.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: action, ContactID: contactID, Detail: detail})
	})
	if err != nil {
		c.cfg.Log.Error("write audit entry", "action", action, "user", u.ID, "err", err)
	}
}

// fail shows err to the person as a page with a status from its
// application code; internal errors are logged and shown only as such.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong. Please try again."
	switch bot.ErrorCode(err) {
	case bot.EInvalid:
		status, msg = http.StatusBadRequest, err.Error()
	case bot.ENotFound:
		status, msg = http.StatusNotFound, "There is no such record."
	case bot.EConflict:
		status, msg = http.StatusConflict, err.Error()
	default:
		c.cfg.Log.Error("console request failed", "path", r.URL.Path, "err", err)
	}
	if r.Context().Err() != nil {
		return
	}
	c.render(w, r, "error", status, map[string]any{"Title": errorTitle(status), "Message": msg, "Back": backLink(r)})
}

// backLink is the console page the request came from, or the inbox: never
// another site.
func backLink(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || !strings.HasPrefix(u.Path, "/console/") {
		return "/console/"
	}
	return u.RequestURI()
}

// noteForwarded warns once when a request carries X-Forwarded-For and no
// proxy is trusted: every sign-in then seems to come from the proxy's
// address, so one person's wrong tries slow everyone down. Set
// LINKLINE_TRUSTED_PROXIES to the proxy's address.
func (c *Console) noteForwarded(r *http.Request) {
	if len(c.cfg.TrustedProxies) > 0 || r.Header.Get("X-Forwarded-For") == "" {
		return
	}
	c.forwardedOnce.Do(func() {
		c.cfg.Log.Warn("console: requests arrive with X-Forwarded-For but no proxy is trusted; " +
			"every sign-in counts against the proxy's address: set LINKLINE_TRUSTED_PROXIES")
	})
}

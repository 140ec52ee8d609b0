package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/channels/sim"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
)

// shutdownGrace bounds how long in-flight requests may take to finish
// after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// runServe runs the HTTP server, the outbox dispatcher and the timer
// scheduler until ctx is cancelled (SIGINT/SIGTERM), then stops taking
// requests, lets those in flight finish, stops the workers and closes the
// database.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.register(fs)
	c.channels.register(fs)
	fs.StringVar(&c.Addr, "addr", env("LINKLINE_ADDR", ":8080"), "listen address (LINKLINE_ADDR)")
	fs.StringVar(&c.PublicURL, "public-url", env("LINKLINE_PUBLIC_URL", ""), "the URL providers reach this server on (LINKLINE_PUBLIC_URL)")
	fs.StringVar(&c.DirectoryURL, "directory-url", env("LINKLINE_DIRECTORY_URL", ""), "Open Referral UK feed (v1 or v3) to sync local services from, at start and daily (LINKLINE_DIRECTORY_URL; see docs/signposting.md)")
	fs.StringVar(&c.RetentionDays, "retention-days", env("LINKLINE_RETENTION_DAYS", "0"), "remove transcripts of conversations that never became a referral, survey, handoff or check-in after this many days; 0 keeps them (LINKLINE_RETENTION_DAYS; see docs/privacy.md)")
	fs.StringVar(&c.MFA, "mfa", env("LINKLINE_MFA", "required"), "\"required\": console users sign in with a password and a code from an authenticator app; \"off\" only for a local trial (LINKLINE_MFA)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	defer ln.Close()
	return serve(ctx, &c, ln, log)
}

// serve is runServe after flags: tests call it with their own listener.
func serve(ctx context.Context, c *config, ln net.Listener, log *slog.Logger) error {
	defer ln.Close()
	mux := http.NewServeMux()
	chans, err := c.channels.build(ctx, c.PublicURL, log)
	if err != nil {
		return err
	}
	// The simulator's replies have no one to reach outside a chat session:
	// they are recorded as sent and stay in the transcript.
	chans.senders[bot.Sim] = sim.NewSender(func(bot.Address, string) {})
	a, err := c.open(ctx, log, chans.senders, chans.notifier)
	if err != nil {
		return err
	}
	a.refusals = chans.refusals
	defer a.store.Close()
	if a.retention, err = retention(c, a, log); err != nil {
		return err
	}
	if db, ok := a.store.(*bolt.DB); ok {
		if stopAdmin, err := serveAdmin(ctx, adminSocket(c.DB), db, log); err != nil {
			log.Warn("linkline backup will not work while this server runs", "err", err)
		} else {
			defer stopAdmin()
		}
	}
	loops, err := chans.start(ctx, mux, a, log)
	if err != nil {
		return err
	}

	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /livez", a.livez)
	mux.Handle("GET /metrics", metricsAuth(c.MetricsToken, http.HandlerFunc(a.metricsPage)))
	// The console mounts its handlers on mux here.
	con, err := mountConsole(ctx, mux, a, c, chans, log)
	if err != nil {
		if ctx.Err() != nil {
			return nil // asked to stop while starting: not a failure
		}
		return err
	}

	to := c.timeouts.withDefaults()
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: to.ReadHeader,
		ReadTimeout:       to.Read,
		WriteTimeout:      to.Write,
		IdleTimeout:       to.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(con.Shutdown)

	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	a.listenForWakes(workCtx)
	wg.Go(func() { a.disp.Run(workCtx) })
	wg.Go(func() { a.sched.Run(workCtx) })
	// Work one instance does at a time: retention sweeps, the directory
	// sync and channel loops (Telegram long polling, which Telegram
	// refuses to a second poller). On PostgreSQL, several instances may
	// share the database: only the holder of the lease runs it.
	background := func(ctx context.Context) {
		var bg sync.WaitGroup
		bg.Go(func() { a.retention.Run(ctx) })
		bg.Go(func() { syncDirectory(ctx, a, &directory.Client{Details: true}, c.DirectoryURL, directoryEvery) })
		for _, loop := range loops {
			bg.Go(func() {
				if err := loop(ctx); err != nil && ctx.Err() == nil {
					log.Error("channel loop stopped", "err", err)
				}
			})
		}
		bg.Wait()
	}
	if pg, ok := a.store.(*postgres.DB); ok {
		// Hours an admin saves on another instance apply here too.
		wg.Go(func() { engine.FollowHours(workCtx, a.store, a.engine, followHoursEvery, a.settingsSaved, log) })
		wg.Go(func() {
			pg.Lead(workCtx, "background", leaseHolder(), leaderLease, func(ctx context.Context, _ int64) { background(ctx) })
		})
	} else {
		wg.Go(func() { background(workCtx) })
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("linkline serving", "addr", ln.Addr().String(), "db", dbLabel(c.DB))

	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		err = srv.Shutdown(sctx)
		cancel()
		<-errc
	}
	stopWork()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

// leaderLease is how long an instance's lease on the background work
// lasts without renewal: another instance takes over within it (and a
// third of it) when the leader dies.
const leaderLease = 30 * time.Second

// followHoursEvery is how often an instance on PostgreSQL reads the
// service hours saved in the database: hours saved on another instance
// apply here on its wake-up (ChannelSettings), and within this if the
// wake-up was lost.
const followHoursEvery = 30 * time.Second

// leaseHolder names this process among the instances.
func leaseHolder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%d", host, os.Getpid(), time.Now().UnixNano())
}

// stuckAfter is how long a due message may wait in the outbox before
// /healthz reports the outbox stuck.
const stuckAfter = 10 * time.Minute

// livez answers 200 "ok" when the database takes a write, else 503: what
// a load balancer should ask. It says nothing of the outbox, so one
// instance whose background work is stuck (or, with several instances on
// PostgreSQL, a stuck outbox every instance would report) does not take
// every instance out of the load balancer; /healthz is for alerting.
func (a *app) livez(w http.ResponseWriter, r *http.Request) {
	if !a.writable(w, r) {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// writable proves the database takes a write, at most every 5 s (anyone
// may call the health checks, and each write is an fsync). When it does
// not, it answers 503 and returns false.
func (a *app) writable(w http.ResponseWriter, r *http.Request) bool {
	now := time.Now()
	var err error
	if last := a.healthWrote.Load(); now.UnixNano()-last > int64(5*time.Second) {
		err = a.store.Update(r.Context(), func(tx bot.Tx) error {
			return tx.PutSetting("healthz", now.UTC().Format(time.RFC3339Nano))
		})
		if err == nil {
			a.healthWrote.Store(now.UnixNano())
		}
	}
	if err != nil {
		a.log.Error("healthz: database not writable", "err", err)
		http.Error(w, "database not writable", http.StatusServiceUnavailable)
		return false
	}
	return true
}

// healthz answers 200 "ok" when the database takes a write and the outbox
// is moving, else 503 with the reason: the deep check, for alerting.
func (a *app) healthz(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	if !a.writable(w, r) {
		return
	}
	var err error
	var stuck bool
	seen := 0
	err = a.store.View(r.Context(), func(tx bot.Tx) error {
		// The oldest due rows come first. Urgent rows are put ahead with an
		// early NextAttempt, so how long a row has really waited counts from
		// when it was last touched.
		return tx.Pending(now, func(o *bot.Outbound) bool {
			stuck = now.Sub(o.NextAttempt) > stuckAfter && now.Sub(o.UpdatedAt) > stuckAfter
			seen++
			return !stuck && seen < 100
		})
	})
	switch {
	case err != nil:
		http.Error(w, "database not readable", http.StatusServiceUnavailable)
	case stuck:
		http.Error(w, "outbox stuck: a message has waited more than "+stuckAfter.String(), http.StatusServiceUnavailable)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	}
}

// metricsPage serves the counters, store gauges and process metrics in the
// Prometheus text format.
func (a *app) metricsPage(w http.ResponseWriter, r *http.Request) {
	var g metrics.Gauges
	err := a.store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		g, err = metrics.ReadGauges(tx, time.Now(), 100_000)
		return err
	})
	if err != nil {
		http.Error(w, "database not readable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	a.metrics.WritePrometheus(w, g)
	if a.retention != nil {
		a.retention.WritePrometheus(w)
	}
	a.refusals.WritePrometheus(w)
	if pg, ok := a.store.(*postgres.DB); ok {
		pg.WritePrometheus(w)
	}
	writeProcessMetrics(w)
}

// metricsAuth lets a scraper holding token (as "Authorization: Bearer
// <token>") read /metrics. Without a token configured, /metrics is not
// served at all: every route but the webhooks, the console's sign-in and
// /healthz needs credentials.
func metricsAuth(token string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" {
			http.Error(w, "metrics are off: set LINKLINE_METRICS_TOKEN", http.StatusNotFound)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="linkline metrics"`)
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// minRetentionDays is the shortest retention: longer than any conversation
// runs (a reminder after a day, expiry three days later), so no running
// conversation loses its beginning.
const minRetentionDays = 7

// retention builds the sweep LINKLINE_RETENTION_DAYS asks for; with 0 (or
// unset) it never sweeps.
func retention(c *config, a *app, log *slog.Logger) (*privacy.Retention, error) {
	days, err := strconv.Atoi(strings.TrimSpace(c.RetentionDays))
	if strings.TrimSpace(c.RetentionDays) == "" {
		days, err = 0, nil
	}
	if err != nil || days < 0 || days > 0 && days < minRetentionDays {
		return nil, fmt.Errorf("retention days (LINKLINE_RETENTION_DAYS) %q: want a whole number of days, at least %d (a conversation runs for up to 4 days), or 0 to keep transcripts", c.RetentionDays, minRetentionDays)
	}
	if days > 0 {
		log.Info("retention on: abandoned transcripts are removed", "days", days)
	}
	return &privacy.Retention{Store: a.store, Log: log, After: time.Duration(days) * 24 * time.Hour}, nil
}

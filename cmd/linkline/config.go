package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/templates"
)

// config is everything the subcommands share. Each field has a flag whose
// default comes from the environment variable named in its help; cmd is the
// only package that reads the environment.
type config struct {
	// mustExist makes open refuse a database file that is not there
	// (every command but serve, chat and user add).
	mustExist bool

	DB           string
	Addr         string
	PublicURL    string
	FlowsDir     string
	ServiceName  string
	ResponseTime string
	Hours        string
	HoursSpec    string
	TimeZone     string
	Closed       string
	LogLevel     string
	// TrustedProxies is LINKLINE_TRUSTED_PROXIES, read by trustedProxies.
	TrustedProxies string

	checkins     checkinFlags
	flood        floodFlags
	MetricsToken string
	// timeouts are serve's HTTP server timeouts (zero: the defaults).
	timeouts serverTimeouts
	// RetentionDays is LINKLINE_RETENTION_DAYS (serve only; "" or 0: off).
	RetentionDays string

	channels channelConfig
	// DirectoryURL (serve: synced daily) and DirectoryNeeds (the needs to
	// taxonomy file) are the signposting settings (docs/signposting.md).
	DirectoryURL   string
	DirectoryNeeds string
	// CountryCodes is LINKLINE_COUNTRY_CODES: the calling codes whose
	// numbers the bot answers.
	CountryCodes string
	// MFA is LINKLINE_MFA: "required" (default) or "off" (serve only).
	MFA string
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// register adds the shared flags to fs.
func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", env("LINKLINE_DB", "linkline.db"), "bbolt database file, or a postgres:// URL for PostgreSQL (LINKLINE_DB)")
	fs.StringVar(&c.FlowsDir, "flows", env("LINKLINE_FLOWS", ""), "folder of extra or overriding flows and templates.<locale>.yaml (LINKLINE_FLOWS)")
	fs.StringVar(&c.ServiceName, "service-name", env("LINKLINE_SERVICE_NAME", "Linkline"), "the service's name as people see it (LINKLINE_SERVICE_NAME)")
	fs.StringVar(&c.ResponseTime, "response-time", env("LINKLINE_RESPONSE_TIME", "within 5 working days"), "how soon a link worker usually gets in touch after a referral (LINKLINE_RESPONSE_TIME)")
	fs.StringVar(&c.Hours, "hours", env("LINKLINE_HOURS_TEXT", "Monday to Friday, 9am to 5pm"), "when the team works, as people are told (LINKLINE_HOURS_TEXT)")
	fs.StringVar(&c.HoursSpec, "service-hours", env("LINKLINE_SERVICE_HOURS", "Mon-Fri 09:00-17:00"), "when link workers work, e.g. \"Mon-Thu 09:00-17:00, Fri 09:00-16:30\" (LINKLINE_SERVICE_HOURS)")
	fs.StringVar(&c.TimeZone, "timezone", env("LINKLINE_TIMEZONE", "Europe/London"), "time zone of service hours (LINKLINE_TIMEZONE)")
	fs.StringVar(&c.Closed, "closed-dates", env("LINKLINE_CLOSED_DATES", ""), "comma-separated YYYY-MM-DD dates the team is closed, e.g. bank holidays (LINKLINE_CLOSED_DATES)")
	c.checkins.register(fs)
	c.flood.register(fs)
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("LINKLINE_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For the console's sign-in limit believes (LINKLINE_TRUSTED_PROXIES)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("LINKLINE_METRICS_TOKEN", ""), "bearer token a Prometheus scraper sends to read /metrics; /metrics is off without it (LINKLINE_METRICS_TOKEN)")
	fs.StringVar(&c.DirectoryNeeds, "directory-needs", env("LINKLINE_DIRECTORY_NEEDS", ""), "YAML file mapping each need to directory taxonomy terms and words; default the built-in one (LINKLINE_DIRECTORY_NEEDS; see docs/signposting.md)")
	fs.StringVar(&c.CountryCodes, "country-codes", env("LINKLINE_COUNTRY_CODES", "+44"), "comma-separated calling codes whose numbers the bot answers, or \"any\"; messages from other numbers are stored, not answered (LINKLINE_COUNTRY_CODES)")
	fs.StringVar(&c.LogLevel, "log-level", env("LINKLINE_LOG_LEVEL", "info"), "debug, info, warn or error (LINKLINE_LOG_LEVEL)")
}

func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	return nil
}

func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", c.LogLevel)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})), nil
}

func (c *config) service() templates.Service {
	return templates.Service{Name: c.ServiceName, ResponseTime: c.ResponseTime, Hours: c.Hours}
}

func (c *config) flowsFS() fs.FS {
	if c.FlowsDir == "" {
		return nil
	}
	return os.DirFS(c.FlowsDir)
}

// content loads flows and templates (built-in plus the flows folder) and
// checks them: Linkline does not run a flow that Check finds fault with.
func (c *config) content() (*flows.Set, *templates.Catalogue, error) {
	cat, err := templates.Load(c.flowsFS())
	if err != nil {
		return nil, nil, fmt.Errorf("load templates: %w", err)
	}
	set, err := flows.Load(c.flowsFS())
	if err != nil {
		return nil, nil, fmt.Errorf("load flows: %w", err)
	}
	if problems := set.Check(cat, flows.CheckOptions{}); len(problems) > 0 {
		var b strings.Builder
		for _, p := range problems {
			b.WriteString("\n  " + p.String())
		}
		return nil, nil, fmt.Errorf("flows have problems (run linkline flows check):%s", b.String())
	}
	return set, cat, nil
}

// app is the engine and what it runs on.
type app struct {
	store   bot.Store
	engine  *engine.Engine
	disp    *outbox.Dispatcher
	sched   *timer.Scheduler
	privacy *privacy.Service
	metrics *metrics.Metrics
	// healthWrote is when /healthz last proved the database writable
	// (unix nanoseconds).
	healthWrote atomic.Int64
	log         *slog.Logger
	// retention, if set, removes old abandoned transcripts (serve only).
	retention *privacy.Retention
	// matcher ranks the directory's services (signposting); nil when
	// there is no directory.
	matcher *directory.Matcher
	// refusals counts requests refused at the door (serve only).
	refusals *metrics.Refusals
	// settingsSaved receives when another instance has saved settings
	// (PostgreSQL): engine.FollowHours reads them at once.
	settingsSaved chan struct{}
}

// open builds the store, the engine, and the dispatcher (sending with
// senders) and scheduler that serve and chat run.
func (c *config) open(ctx context.Context, log *slog.Logger, senders map[bot.Channel]bot.Sender, notifier bot.Notifier) (*app, error) {
	set, cat, err := c.content()
	if err != nil {
		return nil, err
	}
	hours, err := bot.ParseHours(c.HoursSpec, c.TimeZone, strings.Split(c.Closed, ","))
	if err != nil {
		return nil, err
	}
	ck, err := c.checkins.parse()
	if err != nil {
		return nil, err
	}
	flood, err := c.flood.parse()
	if err != nil {
		return nil, err
	}
	countries, err := engine.ParseCountryCodes(c.CountryCodes)
	if err != nil {
		return nil, err
	}
	screen, err := risk.Default()
	if err != nil {
		return nil, fmt.Errorf("load risk screen: %w", err)
	}
	if c.mustExist {
		if err := c.existingDB(); err != nil {
			return nil, err
		}
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	service := c.service()
	if err := storedHours(ctx, store, log, &hours, &service); err != nil {
		store.Close()
		return nil, err
	}
	a := &app{store: store, log: log, metrics: &metrics.Metrics{}, settingsSaved: make(chan struct{}, 1)}
	signpost, err := c.signposter(ctx, a, hours)
	if err != nil {
		store.Close()
		return nil, err
	}
	a.disp = outbox.NewDispatcher(store, c.sharePace(store, senders), outbox.DispatchOptions{Log: log, Metrics: a.metrics, Lease: claimLease(store), Owner: claimOwner(store), OwnerPerProcess: claimOwner(store) != "", Idle: claimIdle(store)})
	a.engine, err = engine.NewEngine(engine.Config{
		Store: store, Flows: set, Templates: cat, Screen: screen, Log: log,
		Service: service, CrisisText: risk.CrisisText, Notifier: notifier, Hours: hours,
		Quiet: &ck.quiet, CheckinWindow: ck.window, CheckinSpread: ck.spread, FollowUpAfter: ck.followUp,
		Metrics:      a.metrics,
		Flood:        flood,
		CountryCodes: countries,
		Signpost:     signpost,
		OnOutbox:     a.wakeOutbox,
		OnTimer:      a.wakeTimers,
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	a.sched = timer.NewScheduler(store, a.engine.TimerKinds(), nil, log)
	a.privacy = &privacy.Service{Store: store, Log: log}
	return a, nil
}

// wakeOutbox wakes this process's dispatcher after a commit that queued
// messages and, on PostgreSQL, the other instances' too.
func (a *app) wakeOutbox() {
	a.disp.Wake()
	if pg, ok := a.store.(*postgres.DB); ok {
		pg.Notify(postgres.ChannelOutbox)
	}
}

// wakeTimers does the same for the schedulers after a commit that set
// timers.
func (a *app) wakeTimers() {
	a.sched.Wake()
	if pg, ok := a.store.(*postgres.DB); ok {
		pg.Notify(postgres.ChannelTimer)
	}
}

// settingsChanged tells the other instances, on PostgreSQL, that this one
// has committed settings they follow (service hours saved in the console).
func (a *app) settingsChanged() {
	if pg, ok := a.store.(*postgres.DB); ok {
		pg.Notify(postgres.ChannelSettings)
	}
}

// listenForWakes, on PostgreSQL, wakes this process's dispatcher and
// scheduler when another instance commits work for them, and its
// follower of service hours when another saves them, until ctx ends.
// Polling remains the fallback.
func (a *app) listenForWakes(ctx context.Context) {
	pg, ok := a.store.(*postgres.DB)
	if !ok {
		return
	}
	err := pg.Listen(ctx, map[string]func(){
		postgres.ChannelOutbox: a.disp.Wake,
		postgres.ChannelTimer:  a.sched.Wake,
		postgres.ChannelSettings: func() {
			select {
			case a.settingsSaved <- struct{}{}:
			default: // one is waiting to be read already
			}
		},
	})
	if err != nil {
		a.log.Warn("no wake-ups from other instances; they will be found by polling", "err", err)
	}
}

// storedHours replaces hours and the hours text in service with those an
// admin saved in the console, when there are any, and logs which applied.
// Saved hours that no longer parse (e.g. a time zone the system lost) are
// logged and the configured ones kept.
func storedHours(ctx context.Context, store bot.Store, log *slog.Logger, hours **bot.Hours, service *templates.Service) error {
	var s bot.HoursSetting
	var ok bool
	if err := store.View(ctx, func(tx bot.Tx) error {
		var err error
		s, ok, err = bot.ReadHoursSetting(tx)
		return err
	}); err != nil {
		return fmt.Errorf("read saved service hours: %w", err)
	}
	if !ok {
		log.Info("service hours from configuration", "hours", (*hours).Spec, "timezone", (*hours).Loc.String())
		return nil
	}
	h, err := s.Parse()
	if err != nil {
		log.Error("saved service hours do not parse; using configuration", "err", err)
		return nil
	}
	*hours = h
	if s.Text != "" {
		service.Hours = s.Text
	}
	log.Info("service hours from the console (they override the configuration)", "hours", h.Spec, "timezone", h.Loc.String())
	return nil
}

// errNoDB is wrapped by existingDB when the database file is not there.
var errNoDB = errors.New("no database")

// existingDB makes sure the database file exists. Only serve, chat and
// user add create one; every other command works on what is there, and a
// mistyped --db must be an error rather than a new, empty database.
func (c *config) existingDB() error {
	if isPostgres(c.DB) {
		return nil // a PostgreSQL database is made by its administrator; Open reports one that is missing
	}
	_, err := os.Stat(c.DB)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w at %s: check --db or LINKLINE_DB (only serve, chat and user add create a database)", errNoDB, c.DB)
	case err != nil:
		return fmt.Errorf("database %s: %w", c.DB, err)
	}
	return nil
}

// openOffline opens the engine for a command that runs without the server
// (no channels send; alerts are only logged to stderr). The database must
// exist.
func (c *config) openOffline(ctx context.Context, stderr io.Writer) (*app, error) {
	c.mustExist = true
	log, err := c.logger(stderr)
	if err != nil {
		return nil, err
	}
	return c.open(ctx, log, nil, logNotifier{log})
}

// logNotifier writes link-worker alerts to the log when no alert chat is
// set. A log tells no person, so it reports bot.ErrNotDelivered and people
// who show risk are not told that the team knows.
type logNotifier struct{ log *slog.Logger }

func (n logNotifier) Notify(ctx context.Context, a bot.Alert) error {
	n.log.WarnContext(ctx, "alert for link workers", "kind", a.Kind, "urgent", a.Urgent, "contact", a.ContactID, "handoff", a.HandoffID)
	return bot.ErrNotDelivered
}

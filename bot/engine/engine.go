// Package engine runs one turn per inbound message: it drops duplicates,
// screens for risk, answers keywords, applies the handoff rules, steps the
// person's flow and leaves the replies in the outbox, all in one store
// transaction. It also runs link workers' actions on a person and registers
// the timer kinds (reminders, expiry, handoff re-alerts, check-ins, safety
// checks) that bot/timer fires.
package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// Config is what an Engine is built from. Store, Flows and Templates are
// required; the rest have defaults.
type Config struct {
	Store     bot.Store
	Flows     *flows.Set
	Templates *templates.Catalogue
	// Screen is the risk screen, run first on every inbound message.
	Screen   bot.Screener
	Notifier bot.Notifier
	Clock    bot.Clock
	Log      *slog.Logger
	Service  templates.Service
	// Locale of new contacts. Default "en".
	Locale string
	// StartFlow is the flow an unknown address starts. Default "self-referral".
	StartFlow string
	// CrisisText is the fixed reply to risk language.
	CrisisText string
	// MaxText is the longest message, in characters, the engine reads as an
	// answer; longer ones are kept in the transcript and the person is asked
	// for something shorter. Default 2000.
	MaxText int
	// Hours are when link workers work. Default Mon-Fri 09:00-17:00
	// Europe/London.
	Hours *bot.Hours
	// UrgentRealert is how often an unclaimed urgent handoff alerts link
	// workers again. Default 15 minutes.
	UrgentRealert time.Duration
	// SafetyWait is how long the engine waits for an answer to "Are you
	// safe?" (asked after a message of possible risk) before treating
	// silence as risk. Default 15 minutes.
	SafetyWait time.Duration
	// Realert is the working time after which an unclaimed ordinary
	// handoff alerts again. Default 4 hours.
	Realert time.Duration
	// Quiet hours hold scheduled check-ins until the morning. Default
	// 21:00-08:00 in each schedule's zone.
	Quiet *bot.QuietHours
	// CheckinWindow is how late a scheduled check-in may still go out
	// (after the server was down at its time); later ones are skipped and
	// recorded. Default 6 hours.
	CheckinWindow time.Duration
	// CheckinSpread spreads scheduled runs over this window after their
	// time, each schedule by its own fixed offset, so that thousands due at
	// the same minute do not all start in the same second. Default 0: none.
	CheckinSpread time.Duration
	// FollowUpAfter is how long after a baseline survey its follow-up is
	// scheduled (a survey flow's {do: follow_up}). Default 12 weeks.
	FollowUpAfter time.Duration
	// Metrics, if set, counts inbound messages and their handling time.
	Metrics *metrics.Metrics
	// OnOutbox is called after a commit that queued outbound messages (the
	// dispatcher's Wake); OnTimer after one that set timers.
	OnOutbox func()
	OnTimer  func()
	// Flood limits how many messages one address may send before the bot
	// stops answering it (see FloodLimit). Zero: no limit.
	Flood FloodLimit
	// CountryCodes are the calling codes ("+44") whose phone numbers the
	// bot answers; a message from any other number is stored, not
	// answered. AnyCountry answers every number. Nil: DefaultCountryCodes.
	CountryCodes []string
	// Signpost, if set, offers local services after a referral and
	// answers MORE and LOCAL (signpost.go). Nil: no signposting.
	Signpost bot.Signposter
	// MaxWaiting is how many messages from one address may wait while one
	// before them is handled; Handle refuses more with ErrBusy. Default 64.
	MaxWaiting int
}

// Engine runs conversations. It is safe for concurrent use: messages from
// one address are handled one at a time, in order; different addresses run
// in parallel and share commits.
type Engine struct {
	cfg   Config
	locks [1024]sync.Mutex
	seed  maphash.Seed
	// hours and service start as cfg.Hours and cfg.Service; an admin
	// changes them at run time (SetHours, SetService).
	hours   atomic.Pointer[bot.Hours]
	service atomic.Pointer[templates.Service]
	flood   *floodGate
}

// NewEngine checks cfg and returns an Engine.
func NewEngine(cfg Config) (*Engine, error) {
	if cfg.Store == nil || cfg.Flows == nil || cfg.Templates == nil {
		return nil, errors.New("bot: engine needs a store, flows and templates")
	}
	if len(cfg.CountryCodes) == 0 {
		cfg.CountryCodes = DefaultCountryCodes
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Locale == "" {
		cfg.Locale = "en"
	}
	if cfg.StartFlow == "" {
		cfg.StartFlow = "self-referral"
	}
	if cfg.MaxText <= 0 {
		cfg.MaxText = 2000
	}
	// Safety first: an engine that cannot screen, or has no crisis text
	// to send, must not start.
	if cfg.Screen == nil {
		return nil, errors.New("bot: engine needs a risk screen")
	}
	if strings.TrimSpace(cfg.CrisisText) == "" {
		return nil, errors.New("bot: engine needs the crisis text")
	}
	if cfg.SafetyWait <= 0 {
		cfg.SafetyWait = 15 * time.Minute
	}
	if cfg.Hours == nil {
		h, err := bot.ParseHours("Mon-Fri 09:00-17:00", "Europe/London", nil)
		if err != nil {
			return nil, err
		}
		cfg.Hours = h
	}
	if cfg.UrgentRealert <= 0 {
		cfg.UrgentRealert = 15 * time.Minute
	}
	if cfg.Realert <= 0 {
		cfg.Realert = 4 * time.Hour
	}
	for _, key := range []string{"safety.check", "safety.again", "safety.explain", "safety.sure", "safety.thanks", "person.confirm",
		"core.no_calls", "core.link_worker", "retry.what_meant", "core.expired_again", "handoff.for_someone_else"} {
		if !cfg.Templates.Has(cfg.Locale, key) {
			return nil, fmt.Errorf("bot: templates lack %s, which the engine sends", key)
		}
	}
	if _, ok := cfg.Flows.Flow(cfg.StartFlow); !ok {
		return nil, fmt.Errorf("bot: start flow %q is not loaded", cfg.StartFlow)
	}
	e := &Engine{cfg: cfg, seed: maphash.MakeSeed(), flood: newFloodGate(cfg.Flood, cfg.MaxWaiting)}
	e.hours.Store(cfg.Hours)
	e.service.Store(&cfg.Service)
	return e, nil
}

// Hours returns the service hours in force. The caller must not change them.
func (e *Engine) Hours() *bot.Hours { return e.hours.Load() }

// SetHours puts h in force from the next message or timer on; nil is
// ignored. It is safe to call while messages are handled.
func (e *Engine) SetHours(h *bot.Hours) {
	if h != nil {
		e.hours.Store(h)
	}
}

// Service returns what people are told about the service (name, response
// time, hours as text).
func (e *Engine) Service() templates.Service { return *e.service.Load() }

// SetService changes what people are told about the service from the next
// message on. It is safe to call while messages are handled.
func (e *Engine) SetService(s templates.Service) { e.service.Store(&s) }

func (e *Engine) lock(key string) func() {
	m := &e.locks[maphash.String(e.seed, key)%uint64(len(e.locks))]
	m.Lock()
	return m.Unlock
}

// Handle runs one inbound message: dedupe, contact, transcript, risk screen,
// keywords, flow step, replies to the outbox — all in one transaction. When
// Handle returns nil the message and its replies are durable; a channel may
// then acknowledge the provider. A message whose ProviderID was seen before
// is dropped and Handle returns nil.
func (e *Engine) Handle(ctx context.Context, in bot.Inbound) error {
	if err := validInbound(&in); err != nil {
		return err
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = e.cfg.Clock.Now()
	}
	key := in.Address.String()
	leave, err := e.flood.enter(key)
	if err != nil {
		e.cfg.Metrics.InboundBusy()
		return err
	}
	defer leave()
	defer e.lock(key)()

	start := time.Now()
	// The risk screen runs before the write transaction, so the one writer
	// is not kept waiting on it; process checks the context it used is
	// still the person's latest (this address's lock is held throughout).
	pre := e.screen(ctx, &in)
	var t *turn
	err = e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockAddress(tx, in.Address); err != nil {
			return err
		}
		t = &turn{e: e, tx: tx, ctx: ctx, now: e.cfg.Clock.Now(), pre: pre}
		return t.inbound(&in)
	})
	if err != nil {
		return fmt.Errorf("handle message from %s: %w", in.Address.Channel, err)
	}
	e.cfg.Metrics.InboundHandled(in.Address.Channel, time.Since(start))
	if !t.duplicate {
		e.afterFlood(in.Address, t)
	}
	if t.outsideCountries {
		e.cfg.Metrics.InboundOutsideCountries(in.Address.Channel)
	}
	e.afterCommit(ctx, t)
	return nil
}

// screening is a risk screen result and the context it was made with.
type screening struct {
	recent []string
	result bot.Screening
}

// screen runs the risk screen on in with the sender's recent messages.
func (e *Engine) screen(ctx context.Context, in *bot.Inbound) *screening {
	sc := &screening{}
	err := e.cfg.Store.View(ctx, func(tx bot.Tx) error {
		c, err := tx.ContactByAddress(in.Address)
		if err == nil {
			sc.recent = c.Recent
		}
		return nil
	})
	if err != nil {
		return nil // screened again inside the transaction
	}
	sc.result = e.cfg.Screen.Screen(strings.TrimSpace(in.Text), sc.recent)
	return sc
}

func validInbound(in *bot.Inbound) error {
	if in.Address.Channel == "" || in.Address.ID == "" {
		return bot.Errorf(bot.EInvalid, "inbound message has no address")
	}
	if !utf8.ValidString(in.Text) {
		in.Text = strings.ToValidUTF8(in.Text, "\uFFFD")
	}
	return nil
}

// afterCommit tells the dispatcher, scheduler and link workers about what a
// committed turn did. It runs outside the transaction, once.
func (e *Engine) afterCommit(ctx context.Context, t *turn) {
	if t == nil {
		return
	}
	if t.queued > 0 && e.cfg.OnOutbox != nil {
		e.cfg.OnOutbox()
	}
	if t.timers && e.cfg.OnTimer != nil {
		e.cfg.OnTimer()
	}
	for _, a := range t.alerts {
		if e.cfg.Notifier == nil {
			break
		}
		// The message is already durable; a slow alert must not hold the
		// provider's request for long. A failed alert is logged, and an
		// unclaimed handoff alerts again on its SLA timer.
		nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err := e.cfg.Notifier.Notify(nctx, a)
		cancel()
		switch {
		case errors.Is(err, bot.ErrNotDelivered):
		case err != nil:
			e.cfg.Log.Error("alert link workers", "kind", a.Kind, "contact", a.ContactID, "err", err)
		case a.Kind == bot.AlertHandoff && t.risk:
			// A person has been told: only now may the person be told so.
			e.followUp(ctx, a.ContactID)
		}
	}
}

// timerSteps is what each kind of timer does once it is taken and its
// contact and conversation are loaded. A new kind is added here, and
// nowhere else.
var timerSteps = map[bot.TimerKind]func(*turn, bot.Timer) error{
	bot.TimerRemind:  conversationTimer((*turn).remind),
	bot.TimerExpire:  conversationTimer((*turn).expire),
	bot.TimerHandoff: (*turn).realert,
	bot.TimerSafety:  func(t *turn, _ bot.Timer) error { return t.safetyTimeout() },
	bot.TimerCheckin: (*turn).runCheckin,
}

// TimerKinds returns the engine's timer kinds, for a Scheduler.
func (e *Engine) TimerKinds() timer.Kinds {
	kinds := timer.Kinds{}
	for kind, step := range timerSteps {
		kinds[kind] = func(ctx context.Context, tm bot.Timer) error { return e.fire(ctx, tm, step) }
	}
	return kinds
}

// Fire runs a timer that has fallen due through its kind. A timer whose
// conversation has moved on since it was set is dropped; one of a kind the
// engine does not know is an error and stays in the store.
func (e *Engine) Fire(ctx context.Context, tm bot.Timer) error {
	step, ok := timerSteps[tm.Kind]
	if !ok {
		return fmt.Errorf("fire timer %s: unknown timer kind %q", tm.ID, tm.Kind)
	}
	return e.fire(ctx, tm, step)
}

func (e *Engine) fire(ctx context.Context, tm bot.Timer, step func(*turn, bot.Timer) error) error {
	var t *turn
	err := e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockPerson(tx, tm.ContactID); err != nil {
			return err
		}
		t = &turn{e: e, tx: tx, ctx: ctx, now: e.cfg.Clock.Now()}
		return t.fire(tm, step)
	})
	if err != nil {
		return fmt.Errorf("fire timer %s: %w", tm.ID, err)
	}
	e.afterCommit(ctx, t)
	return nil
}

// RecordStatus records a provider's delivery report against the outbound
// message it sent as providerID. errorCode is the provider's code, if any;
// Twilio's 21610 (the person unsubscribed at the provider) opts the contact
// out. A report can arrive before the dispatcher has recorded the provider
// id; it is then kept and applied when the id is recorded.
func (e *Engine) RecordStatus(ctx context.Context, providerID string, status bot.OutStatus, errorCode string) error {
	if providerID == "" {
		return bot.Errorf(bot.EInvalid, "status report without a message id")
	}
	var requeued bool // sent again as a WhatsApp template
	err := e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockProviderID(tx, providerID); err != nil {
			return err
		}
		o, err := tx.OutboundByProviderID(providerID)
		if errors.Is(err, bot.ErrNotFound) {
			return tx.PutSetting(bot.EarlyStatusKey(providerID), string(status)+" "+errorCode)
		} else if err != nil {
			return err
		}
		if o, err = bot.LockOutbound(tx, o); err != nil {
			return err
		}
		err = bot.ApplyStatus(tx, o, status, errorCode, e.cfg.Clock.Now())
		requeued = o.Status == bot.StatusPending
		return err
	})
	if err == nil && requeued && e.cfg.OnOutbox != nil {
		e.cfg.OnOutbox()
	}
	return err
}

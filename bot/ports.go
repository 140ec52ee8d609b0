package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotDelivered is what a Notifier returns when it recorded an alert but
// no person was told (the log-only notifier). The engine then promises the
// person nothing about the team having been told.
var ErrNotDelivered = errors.New("alert recorded but no link worker was told")

// Sender delivers one outbound message over a channel. A channel adapter
// implements it; the outbox dispatcher calls it.
//
// Send returns the provider's id for the message on success. On failure it
// returns an error; wrap it in a *SendError to say whether trying again can
// help and how long to wait.
type Sender interface {
	Send(ctx context.Context, o *Outbound) (providerID string, err error)
}

// PacedSender is a Sender whose sending identity (an SMS number, a
// Telegram bot) is paced by the provider's rate. The dispatcher waits for
// the pace before it chooses which row goes next, so that a row more
// pressing than those already waiting (the crisis text) goes at the next
// free moment rather than behind every send already waiting for one.
type PacedSender interface {
	Sender
	// Pace blocks until the sending identity may start one more send, or
	// ctx ends. release must be called once that send has been answered
	// (or was not made).
	Pace(ctx context.Context) (release func(), err error)
	// SendPaced is Send for a send Pace has let through: it does not wait
	// for the identity's pace again (a channel may still pace per
	// recipient).
	SendPaced(ctx context.Context, o *Outbound) (providerID string, err error)
}

// SendError classifies a failed send for the dispatcher.
type SendError struct {
	// Permanent failures are recorded and never retried (an invalid number,
	// a recipient who unsubscribed at the provider or blocked the bot).
	Permanent bool
	// OptOut marks failures that mean the person opted out at the provider
	// (Twilio 21610); the contact is marked opted out.
	OptOut bool
	// Unreachable marks failures that mean the channel can never reach the
	// person (Telegram 403); the channel is marked unreachable.
	Unreachable bool
	// RetryAfter, when set, is how long the provider asked us to wait.
	RetryAfter time.Duration
	// Code is the provider's error code, if any.
	Code string
	// PartsSent is how many leading parts of a message split into several
	// were accepted before this failure; the dispatcher records it on the
	// row, and the next attempt starts after them.
	PartsSent int
	Err       error
}

func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != "" {
		return fmt.Sprintf("%s send failure (code %s): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("%s send failure: %v", kind, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// AsSendError returns err's *SendError, or a temporary one wrapping err.
func AsSendError(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Err: err}
}

// RiskTier is how the engine acts on risk.
type RiskTier string

// The risk tiers.
const (
	// RiskUrgent: the fixed crisis text and an urgent handoff.
	RiskUrgent RiskTier = "urgent"
	// RiskConcern: possible risk. The person is asked whether they are
	// safe (the question carries the crisis numbers) and link workers are
	// told; "no", an unclear answer or no answer within SafetyWait makes it
	// urgent.
	RiskConcern RiskTier = "concern"
	// RiskNoted: a denial that names suicide, or a past attempt or
	// self-harm, that the screen read as ordinary. Nothing is
	// sent and no one is alerted; it is kept on the person's record.
	RiskNoted RiskTier = "noted"
)

// Risk is what the risk screen found in a message.
type Risk struct {
	Tier RiskTier `json:"tier,omitempty"`
	// Category is one of the screen's categories, e.g. "suicide",
	// "self_harm", "abuse", "harm_to_others", "medical".
	Category string `json:"category"`
	// Rule names the rule that fired, for the record and for review.
	Rule string `json:"rule"`
	// Words are the words that fired, as the person typed them.
	Words string `json:"words,omitempty"`
}

// Found reports whether r is a finding.
func (r Risk) Found() bool { return r.Tier != "" }

// Screening is what the risk screen found in one message.
type Screening struct {
	// Risk is set (Tier not empty) when the message shows risk.
	Risk Risk
	// Request is set when the person asks, in their own words, to talk to
	// a person ("can I talk to someone please").
	Request bool
	// Distress is set when the message shows distress that is not risk on
	// its own ("I'm really struggling").
	Distress bool
	// Noted (Tier RiskNoted) is set, when Risk is not, for what the
	// screen keeps on the record without asking: a denial that names
	// suicide, or a past attempt or self-harm, that the screen read as
	// ordinary ("Twenty years ago I tried to take my life. I'm a grandad
	// now").
	Noted Risk
}

// Screener is the risk screen. The engine calls it first for every inbound
// message, in every state, with the person's recent messages (oldest first)
// for context. It must be fast, deterministic and must not do I/O.
type Screener interface {
	Screen(text string, recent []string) Screening
}

// ScreenFunc adapts a function to Screener.
type ScreenFunc func(text string, recent []string) Screening

// Screen calls f.
func (f ScreenFunc) Screen(text string, recent []string) Screening { return f(text, recent) }

// AlertKind names what an alert is about, so a notifier can word it.
type AlertKind string

// Alert kinds the engine raises.
const (
	// AlertConcern: possible risk; the person has been asked whether they
	// are safe.
	AlertConcern AlertKind = "concern"
	// AlertHandoff: a person needs a link worker (urgent when they showed
	// risk).
	AlertHandoff AlertKind = "handoff"
	// AlertHandoffUnclaimed: a handoff is still waiting for a link worker.
	AlertHandoffUnclaimed AlertKind = "handoff_unclaimed"
	// AlertMessage: a person whose conversation a link worker holds wrote.
	AlertMessage AlertKind = "message"
)

// Alert is what link workers are told: never personal details, only what is
// needed to open the record in the console.
type Alert struct {
	Kind      AlertKind `json:"kind"`
	Urgent    bool      `json:"urgent"`
	ContactID string    `json:"contact_id"`
	HandoffID string    `json:"handoff_id,omitempty"`
}

// Notifier tells link workers that something needs them. It is called after
// the transaction that caused the alert has committed.
type Notifier interface {
	Notify(ctx context.Context, a Alert) error
}

// Clock tells the time. Tests use a fake one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when told: scripted conversations
// (`linkline flows test`) and tests use it to let days pass in a moment.
// It is safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at now.
func NewManualClock(now time.Time) *ManualClock { return &ManualClock{now: now} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

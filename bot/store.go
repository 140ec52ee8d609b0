package bot

import (
	"context"
	"time"
)

// Store keeps everything Linkline knows. Every method of Tx runs inside one
// ACID transaction; Update commits all of fn's writes or none of them.
//
// Update may run fn more than once when the store groups concurrent commits
// (bbolt's Batch does), so fn must have no effects outside the transaction.
// store/storetest is the conformance suite every implementation passes.
type Store interface {
	// Update runs fn in a read-write transaction and commits durably.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// OutboxClaim is what Tx.ClaimOutbound claims.
type OutboxClaim struct {
	// Owner names the dispatcher claiming; it is recorded on each row.
	Owner string
	// Channel is the sending identity whose rows are claimed.
	Channel Channel
	// Now is the time rows must be due by, and the lease counts from.
	Now time.Time
	// Lease is how long the claim holds before another owner may take
	// the row.
	Lease time.Duration
	// Limit is the most rows claimed.
	Limit int
	// Before, when set, claims only rows that rank before it (a lane full
	// of ordinary replies still takes a crisis text).
	Before Priority
	// Skip, when set, turns down rows that must wait (behind a person's
	// earlier row waiting to be tried again); they are left unclaimed.
	Skip func(*Outbound) bool
}

// EventCursor marks a place in the event log, after the events a reader
// has seen. It is text a store makes and reads back, opaque to everyone
// else, fit for a URL and a Server-Sent Events id; the empty cursor is the
// start of the log. On bbolt it is the last event's id in decimal, so a
// browser's Last-Event-ID from before cursors keeps working; a store with
// several writers, whose ids can commit out of order, keeps more in it.
type EventCursor string

// Tx is one transaction. Lookups that find nothing return an error for which
// errors.Is(err, ErrNotFound) holds. Methods that write fail in a read-only
// transaction.
//
// A method that calls fn for each of a set of records (a scan) lets fn
// write in the same transaction: a store pages a scan by key and holds no
// cursor open while fn runs. A record fn deletes ahead of the scan is not
// passed; one fn adds ahead of it may or may not be; none is passed twice.
type Tx interface {
	// LockKey takes the lock named key until the transaction ends: another
	// transaction taking the same key waits for this one to commit or roll
	// back. Taking a key this transaction holds again returns at once. Every
	// path that changes a person takes that person's lock first (see
	// bot/lock.go), so on a store with several writers two turns about one
	// person never interleave. A store with one writer (bbolt) has nothing
	// more to do. An empty key is an EInvalid error, and LockKey fails in a
	// read-only transaction as writes do.
	LockKey(key string) error

	// MarkSeen records a provider message id; seen reports whether it had
	// already been recorded.
	MarkSeen(providerID string, at time.Time) (seen bool, err error)
	// ForgetSeen removes provider ids recorded before cutoff and returns how
	// many it removed.
	ForgetSeen(cutoff time.Time) (int, error)

	Contact(id string) (*Contact, error)
	ContactByAddress(a Address) (*Contact, error)
	// PutContact creates (ID empty: one is assigned) or replaces a contact
	// and keeps the address index in step.
	PutContact(c *Contact) error

	Conversation(contactID string) (*Conversation, error)
	PutConversation(c *Conversation) error

	// AppendMessage adds m to its contact's transcript, assigning m.ID.
	AppendMessage(m *Message) error
	// Messages calls fn with the contact's transcript from oldest to newest
	// until fn returns false.
	Messages(contactID string, fn func(*Message) bool) error
	// LastInbound returns the newest message the contact sent, reading
	// from the end of the transcript; none is ErrNotFound.
	LastInbound(contactID string) (*Message, error)

	// PutReferral creates (ID empty) or replaces a referral.
	PutReferral(r *Referral) error
	Referral(id string) (*Referral, error)
	// Referrals calls fn for every referral, newest first, until fn returns false.
	Referrals(fn func(*Referral) bool) error
	// ReferralsByStatus calls fn for the referrals with status, newest
	// first, until fn returns false. It reads only those referrals.
	ReferralsByStatus(status ReferralStatus, fn func(*Referral) bool) error
	// ReferralsByNeed calls fn for the referrals with need among their
	// Needs, newest first, until fn returns false. It reads only those.
	ReferralsByNeed(need string, fn func(*Referral) bool) error
	// SearchContacts calls fn, at most limit times (0: no limit), for the
	// contacts whose name (or a name given in one of their referrals) has
	// a word starting with each word of query, or whose number or chat id
	// holds query's run of at least three digits; in no promised order.
	SearchContacts(query string, limit int, fn func(*Contact) bool) error

	// Enqueue adds a pending message to the outbox, assigning o.ID.
	Enqueue(o *Outbound) error
	Outbound(id uint64) (*Outbound, error)
	// PutOutbound replaces an outbox row (after a send attempt).
	PutOutbound(o *Outbound) error
	// OutboundByProviderID finds an outbox row by the provider's message id.
	OutboundByProviderID(providerID string) (*Outbound, error)
	// Pending calls fn for pending outbox rows whose NextAttempt is at or
	// before now, oldest first, until fn returns false.
	Pending(now time.Time, fn func(*Outbound) bool) error
	// PendingIDs is Pending without reading the rows: it calls fn with the
	// id of each pending row due at or before now, oldest first, until fn
	// returns false. The outbox feeder uses it to pass over rows already
	// handed out without decoding them.
	PendingIDs(now time.Time, fn func(id uint64) bool) error
	// ClaimOutbound claims pending rows for one sending identity (a
	// channel: its number or bot) for c.Owner until c.Now+c.Lease and
	// returns them, most pressing first (Outbound.Rank, then NextAttempt,
	// then id). It passes over rows not yet due, rows another owner holds
	// under a lease that has not run out, and rows c.Skip turns down. The
	// dispatcher records a row's outcome only while it still owns it.
	ClaimOutbound(c OutboxClaim) ([]*Outbound, error)
	// NextPendingAfter returns the earliest NextAttempt of any pending row
	// due strictly after t: when the outbox next has something new to do.
	NextPendingAfter(t time.Time) (time.Time, bool, error)

	// PutTimer sets a timer, replacing one with the same ID.
	PutTimer(t *Timer) error
	DeleteTimer(id string) error
	// TakeTimer removes the timer id only if it is still the one that fell
	// due at due (a timer set again since has another due time) and reports
	// whether it did. The scheduler takes a timer in the same transaction as
	// its effects, so a stale or duplicate fire does nothing and never
	// removes the timer that replaced it.
	TakeTimer(id string, due time.Time) (taken bool, err error)
	// DueTimers calls fn for timers due at or before now, earliest first,
	// until fn returns false.
	DueTimers(now time.Time, fn func(*Timer) bool) error
	// NextTimer returns the earliest due time of any timer.
	NextTimer() (time.Time, bool, error)

	// PutHandoff creates (ID empty: one is assigned) or replaces a handoff
	// and keeps the index of active handoffs in step.
	PutHandoff(h *Handoff) error
	Handoff(id string) (*Handoff, error)
	// ActiveHandoff returns the contact's open or claimed handoff.
	ActiveHandoff(contactID string) (*Handoff, error)
	// ActiveHandoffs calls fn for open and claimed handoffs, urgent ones
	// first, then oldest first, until fn returns false. It reads only
	// active handoffs.
	ActiveHandoffs(fn func(*Handoff) bool) error

	// PutEnrolment creates or replaces an enrolment token.
	PutEnrolment(e *Enrolment) error
	Enrolment(token string) (*Enrolment, error)

	// Setting returns a small named value the service keeps (e.g. a
	// channel's polling offset); PutSetting sets it, and an empty value
	// removes it.
	Setting(key string) (string, error)
	PutSetting(key, value string) error

	// PutUser creates (ID empty: one is assigned) or replaces a console
	// user and keeps the email index in step. An email another user has is
	// an EConflict error and nothing is written.
	PutUser(u *User) error
	User(id string) (*User, error)
	// UserByEmail finds a user by email, compared as NormalizeEmail does.
	UserByEmail(email string) (*User, error)
	// Users calls fn for every user in the order they were created until
	// fn returns false.
	Users(fn func(*User) bool) error
	// PutSession stores a console session under s.Token (a hash).
	PutSession(s *Session) error
	// Session returns the session stored under token, expired or not.
	Session(token string) (*Session, error)
	// DeleteSession removes a session; removing an absent one is harmless.
	DeleteSession(token string) error
	// DeleteSessions removes every session drop picks and returns how
	// many: a user's other sessions when they are disabled or change
	// their password, and expired ones.
	DeleteSessions(drop func(*Session) bool) (int, error)
	// TakeToken spends one token from the token bucket key (burst tokens,
	// one more every every) at now and reports whether there was one; a
	// bucket not kept yet starts full. Buckets full again are forgotten,
	// so the store keeps only those in use: the console's sign-in limits,
	// shared by every process and kept across restarts.
	TakeToken(key string, burst int, every time.Duration, now time.Time) (bool, error)
	// AddAudit appends to the audit log, assigning a.ID (increasing).
	AddAudit(a *AuditEntry) error
	// Audit calls fn for audit entries from newest to oldest until fn
	// returns false.
	Audit(fn func(*AuditEntry) bool) error
	// EventsSince calls fn for the events committed after cursor c, in
	// the order a reader should see them, until fn returns false. With
	// each event fn gets the cursor just after it: where a reader that has
	// seen it resumes. The empty cursor is the start of the log. A cursor
	// the store cannot read, or one beyond its newest event (the store was
	// restored from an older backup), is an EInvalid error. No event is
	// passed over: on a store where ids can commit out of order, the
	// cursor says more than an id.
	EventsSince(c EventCursor, fn func(e *Event, next EventCursor) bool) error
	// EventsCursor returns the cursor after the newest committed event:
	// where a page rendered now leaves off.
	EventsCursor() (EventCursor, error)
	// ContactEvents calls fn for the contact's events, oldest first,
	// until fn returns false.
	ContactEvents(contactID string, fn func(*Event) bool) error
	// IndexEvents brings up to date, by at most max events (0: all), an
	// index of events by contact that a store keeps behind its writes,
	// and returns how many it indexed; a store that indexes on write does
	// nothing. ContactEvents is complete either way. It writes.
	IndexEvents(max int) (int, error)
	// Contacts calls fn for every contact, in no promised order, until fn
	// returns false. It reads every contact: for search, not for pages.
	Contacts(fn func(*Contact) bool) error

	// PutSurveyResult creates (ID empty: one is assigned) or replaces a
	// survey result.
	PutSurveyResult(r *SurveyResult) error
	// SurveyResults calls fn for contactID's survey results, oldest first,
	// until fn returns false. contactID "" means every contact's results,
	// grouped by contact, each contact's oldest first.
	SurveyResults(contactID string, fn func(*SurveyResult) bool) error

	// PutSchedule creates (ID empty: one is assigned) or replaces a
	// check-in schedule.
	PutSchedule(s *Schedule) error
	Schedule(id string) (*Schedule, error)
	// DeleteSchedule removes a schedule; removing an absent one is harmless.
	DeleteSchedule(id string) error
	// Schedules calls fn for contactID's schedules ("" for every
	// contact's), in the order they were created, until fn returns false.
	Schedules(contactID string, fn func(*Schedule) bool) error

	// AddEvent records an event, assigning e.ID.
	AddEvent(e *Event) error
	// Events calls fn for events from oldest to newest until fn returns false.
	Events(fn func(*Event) bool) error

	// Data protection (subject access, erasure, retention: see
	// bot/privacy.go). The scans read every record of their kind: they are
	// for one person's export or erasure and for periodic sweeps, not for
	// pages. Each Delete keeps every index in step and removing an absent
	// record is harmless.

	// DeleteContact removes the contact, its address index entries and its
	// search terms; not its other records. A contact whose referrals are
	// kept must be kept too (search finds contacts through referrals).
	DeleteContact(id string) error
	// DeleteConversation removes the contact's conversation.
	DeleteConversation(contactID string) error
	// DeleteMessage removes one message from the contact's transcript.
	DeleteMessage(contactID string, id uint64) error
	// DeleteOutbound removes an outbox row, pending or not.
	DeleteOutbound(id uint64) error
	// DeleteEvent removes one event.
	DeleteEvent(id uint64) error
	// DeleteEnrolment removes an enrolment token.
	DeleteEnrolment(token string) error
	// Outbox calls fn for every outbox row, oldest first, until fn
	// returns false.
	Outbox(fn func(*Outbound) bool) error
	// Timers calls fn for every timer, in no promised order, until fn
	// returns false.
	Timers(fn func(*Timer) bool) error
	// Enrolments calls fn for every enrolment, in no promised order,
	// until fn returns false.
	Enrolments(fn func(*Enrolment) bool) error
	// Handoffs calls fn for every handoff, active or not, in no promised
	// order, until fn returns false.
	Handoffs(fn func(*Handoff) bool) error

	// Directory services, taxonomy and postcodes (bot/directory.go).
	DirectoryTx
}

package bot

import (
	"time"
)

// The store's records, one small interface each, composed into Tx
// (bot/store.go). The shape follows gotosocial's internal/db: one interface
// per kind of record, so a reader finds what a store keeps about, say,
// handoffs in one place, and a second backend can be written and tested
// (store/storetest groups its suite the same way) one record at a time.
//
// Deletes keep every index in step, and removing an absent record is
// harmless. Scans that read every record of a kind (Contacts, Outbox,
// Timers, Handoffs, Enrolments, Events) are for one person's export or
// erasure and for periodic sweeps, not for pages.

// ContactTx keeps contacts (people, with the addresses they are reached
// at) and enrolment tokens (links that tie a new address to a contact).
type ContactTx interface {
	// Contact returns the contact with id.
	Contact(id string) (*Contact, error)
	// ContactByAddress returns the contact reached at a.
	ContactByAddress(a Address) (*Contact, error)
	// ContactIDAt returns the id of the contact reached at a without
	// reading the contact (ErrNotFound: none): what an inbound turn locks
	// before it reads the contact (LockContactAt).
	ContactIDAt(a Address) (string, error)
	// PutContact creates (ID empty: one is assigned) or replaces a contact
	// and keeps the address index in step.
	PutContact(c *Contact) error
	// DeleteContact removes the contact, its address index entries and its
	// search terms; not its other records. A contact whose referrals are
	// kept must be kept too (search finds contacts through referrals).
	DeleteContact(id string) error
	// Contacts calls fn for every contact, in no promised order, until fn
	// returns false. It reads every contact: for search, not for pages.
	Contacts(fn func(*Contact) bool) error
	// SearchContacts calls fn, at most limit times (0: no limit), for the
	// contacts whose name (or a name given in one of their referrals) has
	// a word starting with each word of query, or whose number or chat id
	// holds query's run of at least three digits; in no promised order.
	SearchContacts(query string, limit int, fn func(*Contact) bool) error
	// PutEnrolment creates or replaces an enrolment token.
	PutEnrolment(e *Enrolment) error
	// Enrolment returns the enrolment with token.
	Enrolment(token string) (*Enrolment, error)
	// DeleteEnrolment removes an enrolment token.
	DeleteEnrolment(token string) error
	// Enrolments calls fn for every enrolment, in no promised order,
	// until fn returns false.
	Enrolments(fn func(*Enrolment) bool) error
}

// ConversationTx keeps each contact's conversation: where they are in a
// flow, and what they answered.
type ConversationTx interface {
	// Conversation returns the contact's conversation.
	Conversation(contactID string) (*Conversation, error)
	// PutConversation creates or replaces the contact's conversation.
	PutConversation(c *Conversation) error
	// DeleteConversation removes the contact's conversation.
	DeleteConversation(contactID string) error
}

// TranscriptTx keeps each contact's transcript, and the provider message
// ids already handled (so a provider's retry is answered once).
type TranscriptTx interface {
	// AppendMessage adds m to its contact's transcript, assigning m.ID.
	AppendMessage(m *Message) error
	// Messages calls fn with the contact's transcript from oldest to newest
	// until fn returns false.
	Messages(contactID string, fn func(*Message) bool) error
	// LastInbound returns the newest message the contact sent, reading
	// from the end of the transcript; none is ErrNotFound.
	LastInbound(contactID string) (*Message, error)
	// DeleteMessage removes one message from the contact's transcript.
	DeleteMessage(contactID string, id uint64) error
	// MarkSeen records that the contact sent the message with a provider
	// message id; seen reports whether it had already been recorded for
	// that contact (its first time is kept). Ids are kept per contact: the
	// same id recorded for another contact is not seen. The engine finds
	// the contact by the message's address before it asks, so a provider's
	// retry finds the contact its first delivery made.
	MarkSeen(contactID, providerID string, at time.Time) (seen bool, err error)
	// ForgetSeen removes provider ids recorded before cutoff and returns how
	// many it removed.
	ForgetSeen(cutoff time.Time) (int, error)
	// SeenIDs calls fn with each provider id recorded for the contact, in
	// no promised order, until fn returns false: for the person's export.
	SeenIDs(contactID string, fn func(*SeenID) bool) error
	// DeleteSeen removes every provider id recorded for the contact (its
	// erasure); removing none is harmless.
	DeleteSeen(contactID string) error
}

// OutboxTx keeps the outbox: messages waiting to be sent, claimed by a
// dispatcher under a lease, and their outcomes.
type OutboxTx interface {
	// Enqueue adds a pending message to the outbox, assigning o.ID.
	Enqueue(o *Outbound) error
	// Outbound returns the outbox row with id.
	Outbound(id uint64) (*Outbound, error)
	// PutOutbound replaces an outbox row (after a send attempt).
	PutOutbound(o *Outbound) error
	// OutboundByProviderID finds an outbox row by the provider's message id.
	OutboundByProviderID(providerID string) (*Outbound, error)
	// ClaimOutbound claims pending rows for one sending identity (a
	// channel: its number or bot) for c.Owner until c.Now+c.Lease and
	// returns them, most pressing first (Outbound.Rank, then NextAttempt,
	// then id). It passes over rows not yet due, rows another owner holds
	// under a lease that has not run out (and with c.SkipOwn those
	// c.Owner holds), and rows c.Skip turns down. The dispatcher records a
	// row's outcome only while it still owns it.
	ClaimOutbound(c OutboxClaim) ([]*Outbound, error)
	// Pending calls fn for pending outbox rows whose NextAttempt is at or
	// before now, oldest first, until fn returns false.
	Pending(now time.Time, fn func(*Outbound) bool) error
	// PendingIDs is Pending without reading the rows: it calls fn with the
	// id of each pending row due at or before now, oldest first, until fn
	// returns false. The outbox feeder uses it to pass over rows already
	// handed out without decoding them.
	PendingIDs(now time.Time, fn func(id uint64) bool) error
	// NextPendingAfter returns the earliest NextAttempt of any pending row
	// due strictly after t: when the outbox next has something new to do.
	NextPendingAfter(t time.Time) (time.Time, bool, error)
	// Outbox calls fn for every outbox row, oldest first, until fn
	// returns false.
	Outbox(fn func(*Outbound) bool) error
	// DeleteOutbound removes an outbox row, pending or not.
	DeleteOutbound(id uint64) error
}

// TimerTx keeps timers: reminders, expiries, handoff re-alerts, safety
// checks and check-ins, each due at a time.
type TimerTx interface {
	// PutTimer sets a timer, replacing one with the same ID.
	PutTimer(t *Timer) error
	// ArmTimer sets t unless a timer with its id is already due at or
	// before t.Due, and reports whether it wrote. A conversation's reminder
	// and expiry are armed this way on every message, so they move only
	// when they must come earlier; a timer that fires early finds the real
	// due time on its record and is armed again for it.
	ArmTimer(t *Timer) (written bool, err error)
	// DeleteTimer removes a timer; removing an absent one is harmless.
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
	// Timers calls fn for every timer, in no promised order, until fn
	// returns false.
	Timers(fn func(*Timer) bool) error
}

// HandoffTx keeps handoffs: a person's conversation passed to link
// workers, open, claimed or resolved.
type HandoffTx interface {
	// PutHandoff creates (ID empty: one is assigned) or replaces a handoff
	// and keeps the index of active handoffs in step.
	PutHandoff(h *Handoff) error
	// Handoff returns the handoff with id.
	Handoff(id string) (*Handoff, error)
	// ActiveHandoff returns the contact's open or claimed handoff.
	ActiveHandoff(contactID string) (*Handoff, error)
	// ActiveHandoffs calls fn for open and claimed handoffs, urgent ones
	// first, then oldest first, until fn returns false. It reads only
	// active handoffs.
	ActiveHandoffs(fn func(*Handoff) bool) error
	// Handoffs calls fn for every handoff, active or not, in no promised
	// order, until fn returns false.
	Handoffs(fn func(*Handoff) bool) error
}

// ReferralTx keeps referrals: what a self-referral flow recorded about a
// person's needs, and where link workers have taken it.
type ReferralTx interface {
	// PutReferral creates (ID empty) or replaces a referral.
	PutReferral(r *Referral) error
	// Referral returns the referral with id.
	Referral(id string) (*Referral, error)
	// Referrals calls fn for every referral, newest first, until fn returns false.
	Referrals(fn func(*Referral) bool) error
	// ReferralsByStatus calls fn for the referrals with status, newest
	// first, until fn returns false. It reads only those referrals.
	ReferralsByStatus(status ReferralStatus, fn func(*Referral) bool) error
	// ReferralsByNeed calls fn for the referrals with need among their
	// Needs, newest first, until fn returns false. It reads only those.
	ReferralsByNeed(need string, fn func(*Referral) bool) error
}

// UserTx keeps console users, their sessions and the sign-in limits'
// token buckets.
type UserTx interface {
	// PutUser creates (ID empty: one is assigned) or replaces a console
	// user and keeps the email index in step. An email another user has is
	// an EConflict error and nothing is written.
	PutUser(u *User) error
	// User returns the console user with id.
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
	// so the store keeps only those in use. Shared by every process and
	// kept across restarts. (The console's sign-in slowing is not a token
	// bucket: it keeps its state through LimitTx.)
	TakeToken(key string, burst int, every time.Duration, now time.Time) (bool, error)
}

// LogTx keeps the two logs: the audit log (what console users did) and
// the event log (what happened to people, which the console's live feed
// follows).
type LogTx interface {
	// AddAudit appends to the audit log, assigning a.ID (increasing).
	AddAudit(a *AuditEntry) error
	// Audit calls fn for audit entries from newest to oldest until fn
	// returns false.
	Audit(fn func(*AuditEntry) bool) error
	// AddEvent records an event, assigning e.ID.
	AddEvent(e *Event) error
	// Events calls fn for events from oldest to newest until fn returns false.
	Events(fn func(*Event) bool) error
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
	// DeleteEvent removes one event.
	DeleteEvent(id uint64) error
	// EventsOfKind calls fn for the events of kind at or after since,
	// in time order (then by ID), until fn returns false. A store finds
	// the first by an index of events by kind and time, so the cost is
	// the events passed, not the size of the log: the console's counts
	// ("resolved today", reports) read only what they count.
	EventsOfKind(kind EventKind, since time.Time, fn func(*Event) bool) error
}

// CheckinTx keeps survey results and check-in schedules.
type CheckinTx interface {
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
	// Schedule returns the check-in schedule with id.
	Schedule(id string) (*Schedule, error)
	// DeleteSchedule removes a schedule; removing an absent one is harmless.
	DeleteSchedule(id string) error
	// Schedules calls fn for contactID's schedules ("" for every
	// contact's), in the order they were created, until fn returns false.
	Schedules(contactID string, fn func(*Schedule) bool) error
}

// SettingTx keeps small named values the service needs (a channel's
// polling offset, a delivery report that came early).
type SettingTx interface {
	// Setting returns a small named value the service keeps (e.g. a
	// channel's polling offset); PutSetting sets it, and an empty value
	// removes it.
	Setting(key string) (string, error)
	PutSetting(key, value string) error
}

// Package bot is Linkline's domain: the people who text the service, their
// conversations, referrals and handoffs, the errors, and the small
// interfaces the rest implements (Store and its per-record Tx parts,
// Sender, Notifier, Screener, Clock).
//
// bot imports flows and templates, never a channel, a store, the console or
// the packages beside it that do the work, one job each: bot/engine (one
// turn per inbound message), bot/outbox (sending), bot/timer (firing
// timers), bot/privacy (export, erasure, retention), bot/auth (console
// sign-in) and bot/metrics (Prometheus).
package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/linkline/linkline/templates"
)

// Channel names a way of reaching a person.
type Channel string

// The channels Linkline speaks.
const (
	SMS      Channel = "sms"
	Telegram Channel = "telegram"
	Sim      Channel = "sim"
	// WhatsApp is WhatsApp through Twilio: the address is the person's
	// E.164 number, written "whatsapp:+447700900123" as Twilio writes it.
	WhatsApp Channel = "whatsapp"
)

// Address is where a person is reached on one channel: an E.164 number for
// SMS and WhatsApp, a chat id for Telegram, any name for the simulator.
type Address struct {
	Channel Channel `json:"channel"`
	ID      string  `json:"id"`
}

// String renders the address as "channel:id", the form ParseAddress reads.
func (a Address) String() string { return string(a.Channel) + ":" + a.ID }

// ParseAddress reads "channel:id", e.g. "sms:+447700900123".
func ParseAddress(s string) (Address, error) {
	ch, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || ch == "" || id == "" {
		return Address{}, Errorf(EInvalid, "address %q: want channel:id, e.g. sms:+447700900123", s)
	}
	switch Channel(ch) {
	case SMS, Telegram, Sim, WhatsApp:
	default:
		return Address{}, Errorf(EInvalid, "address %q: unknown channel %q", s, ch)
	}
	return Address{Channel: Channel(ch), ID: id}, nil
}

// Contact is a person known to the service. A contact is created by the first
// message from an unknown address.
type Contact struct {
	ID        string    `json:"id"`
	Addresses []Address `json:"addresses"`
	Name      string    `json:"name,omitempty"`
	Locale    string    `json:"locale,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	// WhatsAppName is the name on the person's WhatsApp profile, as their
	// last WhatsApp message carried it (Twilio's ProfileName). They chose
	// it and may change it; it is shown to link workers as "WhatsApp
	// name", never taken as the person's confirmed name (Name, or the
	// name a flow asks for).
	WhatsAppName string `json:"whatsapp_name,omitempty"`

	// OptedOut is set by STOP (or a provider's opt-out report) and cleared by
	// START. While it is set nothing is sent but the one confirmation and, if
	// the person's words show risk, the crisis reply.
	OptedOut   bool      `json:"opted_out,omitempty"`
	OptedOutAt time.Time `json:"opted_out_at,omitzero"`

	// Recent holds the person's last few messages, which the risk screen
	// reads for context.
	Recent []string `json:"recent,omitempty"`

	// LastInboundAt is when the person last wrote, on any channel. WhatsApp
	// allows free-form replies only within 24 hours of it.
	LastInboundAt time.Time `json:"last_inbound_at,omitzero"`

	// LastAlbum is the album (Inbound.Album) of the person's last message
	// with attachments, so an album is answered once.
	LastAlbum string `json:"last_album,omitempty"`

	// Unreachable lists channels that reported the person cannot be reached
	// (Telegram: bot blocked).
	Unreachable []Channel `json:"unreachable,omitempty"`

	// SafetyAsked is when the person was asked "Are you safe?" after a
	// message of possible risk and has not answered yet (zero otherwise).
	SafetyAsked time.Time `json:"safety_asked,omitzero"`
	// SafetyRisk is the finding that made the engine ask.
	SafetyRisk *Risk `json:"safety_risk,omitempty"`
	// ConfirmHuman is set when the person's answer looked like a request to
	// talk to a person and they were asked to confirm it.
	ConfirmHuman bool `json:"confirm_human,omitempty"`

	// Flood holds, by address ("sms:+44..."), the flood limit's state for
	// each address the person writes from (Config.Flood). Kept on the
	// record, it is exact and survives restarts.
	Flood map[string]*FloodBucket `json:"flood,omitempty"`
}

// FloodBucket is one address's flood-limit allowance: a token bucket.
type FloodBucket struct {
	TokenBucket
	// Over is set while the address's messages are over the limit; the
	// first message of such a stretch opens a handoff.
	Over bool `json:"over,omitempty"`
	// CrisisAt is when the last crisis reply went to a message over the
	// limit.
	CrisisAt time.Time `json:"crisis_at,omitzero"`
}

// Primary is the address replies go to: the one the person last wrote from.
func (c *Contact) Primary() Address {
	if len(c.Addresses) == 0 {
		return Address{}
	}
	return c.Addresses[0]
}

// Direction says which way a transcript message went.
type Direction string

// Message directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Authors of transcript messages other than link workers, who appear as
// "worker:<user id>".
const (
	AuthorPerson = "person"
	AuthorBot    = "bot"
)

// Inbound is one message from a person, as a channel adapter parsed it.
type Inbound struct {
	Address Address `json:"address"`
	Text    string  `json:"text"`
	// Choice is set when the person pressed a button rather than typed; it is
	// the option value the button carried.
	Choice string `json:"choice,omitempty"`
	// ProviderID is the provider's id for the message (Twilio MessageSid,
	// Telegram update_id). The engine handles each ProviderID once.
	ProviderID string    `json:"provider_id,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	// Media lists attachment URLs or ids (pictures, voice notes, stickers).
	Media []string `json:"media,omitempty"`
	// Edited marks new words for a message the person sent before
	// (Telegram lets people edit): screened for risk and kept, but not
	// read as an answer.
	Edited bool `json:"edited,omitempty"`
	// Album groups attachments sent together (Telegram's media_group_id):
	// each arrives as a message of its own, but the person is answered
	// once per album.
	Album string `json:"album,omitempty"`
	// Question, with Choice, is the question the pressed button was
	// attached to (Outbound.Question): a press answers only that
	// question, and a stale one is acknowledged and ignored. "" when the
	// channel cannot tell.
	Question string `json:"question,omitempty"`
	// Keyword is set when the provider has already read the message as a
	// keyword: "stop", "start" or "help" (Twilio Advanced Opt-Out, which
	// knows the service's own opt-out and opt-in words). The words are
	// still screened for risk first.
	Keyword string `json:"keyword,omitempty"`
	// ProfileName is the name on the sender's profile where the channel
	// carries one (WhatsApp): kept as Contact.WhatsAppName, not trusted.
	ProfileName string `json:"profile_name,omitempty"`
}

// SeenID is a provider message id recorded for a contact (Tx.MarkSeen),
// so that the provider's retry of the message is dropped: the channel, a
// colon and the provider's id for it (a Twilio MessageSid, a Telegram
// update id), and when it was first seen.
type SeenID struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// Message is one line of a person's transcript.
type Message struct {
	ID        uint64    `json:"id"`
	ContactID string    `json:"contact_id"`
	Direction Direction `json:"direction"`
	Author    string    `json:"author"`
	Address   Address   `json:"address"`
	Text      string    `json:"text"`
	Media     []string  `json:"media,omitempty"`
	At        time.Time `json:"at"`
	// ProviderID is the inbound provider id, or for outbound messages the
	// provider's id once sent.
	ProviderID string `json:"provider_id,omitempty"`
	// OutboxID links an outbound transcript line to its outbox row.
	OutboxID uint64 `json:"outbox_id,omitempty"`
	// Limited marks an inbound message that was over its address's flood
	// limit: stored and screened for risk, but the bot took no step.
	Limited bool `json:"limited,omitempty"`
	// Edited marks new words for an earlier message (see Inbound.Edited).
	Edited bool `json:"edited,omitempty"`
}

// Choice is one answer a person may pick. Channels render choices their own
// way: numbered lines in SMS, buttons in Telegram.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// FormatHTML marks an Outbound whose text is HTML (see templates.IsHTML).
const FormatHTML = "html"

// OutStatus is where an outbound message is in its delivery.
type OutStatus string

// Outbound statuses. Pending rows are sent by the dispatcher; the others are
// final except Sent, which status callbacks may move on.
const (
	StatusPending     OutStatus = "pending"
	StatusSent        OutStatus = "sent"
	StatusDelivered   OutStatus = "delivered"
	StatusUndelivered OutStatus = "undelivered"
	StatusFailed      OutStatus = "failed"
	StatusSuppressed  OutStatus = "suppressed" // not sent: the contact opted out or is unreachable
)

// Outbound is a message waiting in (or done with) the outbox.
type Outbound struct {
	ID        uint64   `json:"id"`
	ContactID string   `json:"contact_id"`
	To        Address  `json:"to"`
	Text      string   `json:"text"`
	Choices   []Choice `json:"choices,omitempty"`
	// Question names the question the choices answer ("flow/state"):
	// channels with buttons carry it on each button, and a press of a
	// button from an earlier question is not taken as an answer.
	Question string `json:"question,omitempty"`
	// Quick marks choices that only shortcut an answer the text already
	// asks for in words (Yes/No): channels with buttons show them, plain
	// text leaves them out.
	Quick bool `json:"quick,omitempty"`
	// Format is FormatHTML when the text is in Telegram's HTML subset (the
	// template asked for it and escaped every value); "" is plain text.
	Format    string    `json:"format,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Urgent messages (the crisis reply) skip quiet hours and opt-out
	// suppression.
	Urgent bool `json:"urgent,omitempty"`
	// Final marks the opt-out confirmation: it is sent although the contact
	// is opted out.
	Final bool `json:"final,omitempty"`
	// Kind says what the message is for (OutReply, OutWorker, or the timer
	// kind that sent it: "checkin", "remind", ...). Channels that may only
	// start a conversation with an approved template (WhatsApp) pick the
	// template by it.
	Kind string `json:"kind,omitempty"`
	// LastInbound is when the person last wrote, as of queueing (see
	// Contact.LastInboundAt): WhatsApp's 24-hour window is counted from it.
	LastInbound time.Time `json:"last_inbound,omitzero"`
	// Template is set when the message must go as the channel's approved
	// template for Kind: the provider refused it free-form (WhatsApp
	// 63016, outside the 24-hour window).
	Template bool `json:"template,omitempty"`
	// Priority orders the rows one sending identity has waiting (see
	// Outbound.Rank); zero is read as PriorityConversation.
	Priority Priority `json:"priority,omitempty"`
	// Owner is the dispatcher that has claimed the row to send it
	// (Tx.ClaimOutbound), until LeaseUntil; only the owner records the
	// outcome, and another dispatcher may claim the row once the lease
	// has run out.
	Owner      string    `json:"owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`

	Status      OutStatus `json:"status"`
	Attempts    int       `json:"attempts,omitempty"`
	NextAttempt time.Time `json:"next_attempt"`
	ProviderID  string    `json:"provider_id,omitempty"`
	// PartsSent is how many leading parts of a message the channel had to
	// split were accepted before an attempt failed: the next attempt
	// starts after them, so the person does not get them twice.
	PartsSent int       `json:"parts_sent,omitempty"`
	Error     string    `json:"error,omitempty"`
	ErrorCode string    `json:"error_code,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Priority is which of a sending identity's waiting rows goes first: the
// lower, the sooner. Within one priority rows go oldest first.
type Priority uint8

// Priorities, most pressing first. The zero value means "not set" and
// ranks as PriorityConversation (rows written before priorities existed).
const (
	// PriorityCrisis is the crisis text.
	PriorityCrisis Priority = iota + 1
	// PriorityWorker is a link worker's reply from the console.
	PriorityWorker
	// PriorityConversation is the bot's reply to a person's message.
	PriorityConversation
	// PriorityScheduled is what the bot sends unasked: reminders,
	// check-ins and surveys.
	PriorityScheduled
)

// Rank is o's priority as the dispatcher orders by it: an urgent row is
// always PriorityCrisis, and an unset priority is PriorityConversation.
func (o *Outbound) Rank() Priority {
	switch {
	case o.Urgent:
		return PriorityCrisis
	case o.Priority == 0 || o.Priority > PriorityScheduled:
		return PriorityConversation
	}
	return o.Priority
}

// ConvStatus is where a conversation is in its life.
type ConvStatus string

// Conversation statuses.
const (
	ConvActive  ConvStatus = "active"
	ConvDone    ConvStatus = "done"
	ConvExpired ConvStatus = "expired"
)

// Conversation is a contact's place in a flow. It holds only what is needed
// to rebuild the flow's machine on the next message: flow id and version,
// state and answers.
type Conversation struct {
	ContactID   string            `json:"contact_id"`
	FlowID      string            `json:"flow_id"`
	FlowVersion int               `json:"flow_version"`
	State       string            `json:"state"`
	Answers     map[string]string `json:"answers,omitempty"`
	Status      ConvStatus        `json:"status"`
	// Step counts the bot's turns. Timers carry the step they were set at;
	// a conversation written before RemindAt and ExpireAt were kept drops a
	// reminder or expiry of another step as stale.
	Step uint64 `json:"step"`
	// RemindAt and ExpireAt are when the conversation's reminder and expiry
	// are really due (zero when it is not active). Their timer rows are not
	// moved on every message: a row is only armed earlier, and one that
	// fires before the time here is armed again for it.
	RemindAt time.Time `json:"remind_at,omitzero"`
	ExpireAt time.Time `json:"expire_at,omitzero"`
	// Invalid counts misunderstood answers in a row.
	Invalid int `json:"invalid,omitempty"`
	// NeedsHuman is set after three misunderstood answers in a row, or when
	// the person asks for a person.
	NeedsHuman bool `json:"needs_human,omitempty"`
	// ReturnTo is the review state a "change an answer" detour goes back to.
	ReturnTo  string    `json:"return_to,omitempty"`
	Reminded  bool      `json:"reminded,omitempty"`
	StartedAt time.Time `json:"started_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ReferralStatus is a referral's place in the link worker's process.
type ReferralStatus string

// Referral statuses, in the order link workers move them.
const (
	ReferralNew       ReferralStatus = "new"
	ReferralContacted ReferralStatus = "contacted"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralDeclined  ReferralStatus = "declined"
	ReferralActive    ReferralStatus = "active"
	ReferralClosed    ReferralStatus = "closed"
)

// ReferralMethodSelf is the PRSB value for a person referring themselves.
const ReferralMethodSelf = "Self referral"

// Referral is a request for a link worker, shaped after the PRSB Social
// Prescribing Information Standard v1.1. Free-text answers are kept exactly as
// the person wrote them.
type Referral struct {
	ID        string         `json:"id"`
	ContactID string         `json:"contact_id"`
	Status    ReferralStatus `json:"status"`
	Method    string         `json:"method"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`

	Name          string   `json:"name"`
	DateOfBirth   string   `json:"date_of_birth"` // YYYY-MM-DD
	Postcode      string   `json:"postcode,omitempty"`
	GPPractice    string   `json:"gp_practice,omitempty"`
	Carer         string   `json:"carer,omitempty"` // "yes" / "no"
	WhatMatters   string   `json:"what_matters,omitempty"`
	Needs         []string `json:"needs,omitempty"`
	NeedsOther    string   `json:"needs_other,omitempty"`
	ContactMethod string   `json:"contact_method,omitempty"`
	ContactTime   string   `json:"contact_time,omitempty"`
	// Phone is the number they gave to be called on, when they asked for a
	// call from a channel without one (Telegram). Someone who texts has
	// their number on the contact instead.
	Phone           string `json:"phone,omitempty"`
	ConsentToRecord bool   `json:"consent_to_record"`
	ConsentToShare  bool   `json:"consent_to_share"`
	// ConsentNote is the person's own words when they agreed with a
	// condition ("yes but not my GP"): ConsentToShare is then false, and a
	// link worker talks it through with them.
	ConsentNote    string            `json:"consent_note,omitempty"`
	ReasonOwnWords string            `json:"reason_own_words,omitempty"`
	Answers        map[string]string `json:"answers,omitempty"`
	// SupportOffered lists the local services the person was given
	// (signposting, recorded apart from the referral itself).
	SupportOffered []SupportOffered `json:"support_offered,omitempty"`
}

// Event is something that happened to a contact that the console shows in a
// timeline: a referral created, a conversation expired, an opt-out.
type Event struct {
	ID        uint64            `json:"id"`
	At        time.Time         `json:"at"`
	Kind      EventKind         `json:"kind"`
	ContactID string            `json:"contact_id,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
}

// EventKind names what an event records, e.g. "handoff.opened". Kinds are
// stored, so a kind once written keeps its name.
type EventKind string

// Event kinds the engine records.
const (
	EventReferralCreated EventKind = "referral.created"
	// EventAnswerCorrected: a person corrected their last answer in a
	// second message ("sorry M14 5RF"); data names the answer, not its value.
	EventAnswerCorrected EventKind = "answer.corrected"
	// EventReferralUpdated: a person sent their details again before a
	// link worker had moved their referral on, and it was replaced.
	EventReferralUpdated EventKind = "referral.updated"
	EventConvStarted     EventKind = "conversation.started"
	EventConvDone        EventKind = "conversation.done"
	EventConvExpired     EventKind = "conversation.expired"
	EventConvRestarted   EventKind = "conversation.restarted"
	// EventConvResumed: a check-in or survey that expired unanswered was
	// answered late, and carried on from where it stopped.
	EventConvResumed EventKind = "conversation.resumed"
	EventNeedsHuman  EventKind = "conversation.needs_human"
	EventOptOut      EventKind = "contact.opted_out"
	EventOptIn       EventKind = "contact.opted_in"
	// EventNoCalls: the person asked not to be phoned ("please dont ring,
	// he will hear"); the console shows it on their record (data: message,
	// the id of the message that asked).
	EventNoCalls EventKind = "contact.no_calls"
	EventRisk    EventKind = "risk.detected"
	// EventSafetyAnswered records the answer to "Are you safe?" (data:
	// answer = yes, no, unclear, none, another concern, overtaken by urgent
	// risk, or SafetyAnsweredInstead when it was asked again).
	EventSafetyAnswered EventKind = "risk.safety_answered"
	EventDeliveryFailed EventKind = "outbound.failed"
	EventHandoffOpened  EventKind = "handoff.opened"
	EventHandoffClaimed EventKind = "handoff.claimed"
	// EventHandoffUnclaimed: a claimed handoff was put back for anyone
	// to claim (data: handoff, by, from).
	EventHandoffUnclaimed EventKind = "handoff.unclaimed"
	EventHandoffResolved  EventKind = "handoff.resolved"
	EventHandoffMessage   EventKind = "handoff.message"
	EventHandoffRealert   EventKind = "handoff.realert"
	EventWorkerReply      EventKind = "worker.reply"
	EventEnrolCreated     EventKind = "enrolment.created"
	// EventNote is a link worker's note on a person (the console adds it).
	EventNote EventKind = "contact.note"
	// EventReferralStatus is a link worker moving a referral on (the
	// console records it).
	EventReferralStatus EventKind = "referral.status"
	EventEnrolled       EventKind = "contact.enrolled"
)

// HandoffStatus is where a handoff to a link worker is.
type HandoffStatus string

// Handoff statuses: open (waiting for a link worker) → claimed (a link
// worker has it) → resolved.
const (
	HandoffOpen     HandoffStatus = "open"
	HandoffClaimed  HandoffStatus = "claimed"
	HandoffResolved HandoffStatus = "resolved"
)

// Handoff reasons.
const (
	ReasonRisk          = "risk"
	ReasonAsked         = "asked"
	ReasonMisunderstood = "misunderstood"
	// ReasonNews: news told at a check-in or survey (a death, a care
	// home, a stay in hospital).
	ReasonNews   = "news"
	ReasonFlow   = "flow"
	ReasonWorker = "worker"
)

// Handoff passes a person from the bot to a human link worker. While a
// contact has an open or claimed handoff, the bot runs no flow for them;
// their messages wait for the link worker (still screened for risk).
type Handoff struct {
	ID        string        `json:"id"`
	ContactID string        `json:"contact_id"`
	Status    HandoffStatus `json:"status"`
	Urgent    bool          `json:"urgent"`
	// Reason is one of the Reason constants; Detail says more (the flow's
	// reason, the risk rule).
	Reason   string    `json:"reason"`
	Detail   string    `json:"detail,omitempty"`
	OpenedAt time.Time `json:"opened_at"`

	ClaimedBy string    `json:"claimed_by,omitempty"`
	ClaimedAt time.Time `json:"claimed_at,omitzero"`

	ResolvedBy string    `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Outcome    string    `json:"outcome,omitempty"`
	// Resumed says whether the bot carried on with the flow afterwards.
	Resumed bool `json:"resumed,omitempty"`

	// Alerts counts the alerts sent about this handoff (the first and
	// every SLA re-alert).
	Alerts int `json:"alerts,omitempty"`

	// WaitingToldAt is when the person, writing while no link worker had
	// claimed the handoff, was last told their messages are with the team
	// (see HandoffWaitingEvery).
	WaitingToldAt time.Time `json:"waiting_told_at,omitzero"`
}

// HandoffWaitingEvery is how often a person who keeps writing while their
// handoff is unclaimed is told their messages are with the team: the
// first message after it opens, then at most once in this time. Once a
// link worker claims it the bot stays quiet: the worker replies.
const HandoffWaitingEvery = time.Hour

// Active reports whether the handoff still holds the conversation.
func (h *Handoff) Active() bool { return h.Status == HandoffOpen || h.Status == HandoffClaimed }

// Enrolment is a single-use token that ties a chat to a contact a link
// worker created (a Telegram deep link: https://t.me/<bot>?start=<token>).
type Enrolment struct {
	Token     string    `json:"token"`
	ContactID string    `json:"contact_id"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Expires   time.Time `json:"expires"`
	UsedAt    time.Time `json:"used_at,omitzero"`
	UsedBy    Address   `json:"used_by,omitzero"`
}

// TimerKind names what a timer does when it falls due.
type TimerKind string

// Timer kinds.
const (
	TimerRemind TimerKind = "remind"
	TimerExpire TimerKind = "expire"
	// TimerHandoff re-alerts link workers about an unclaimed handoff.
	TimerHandoff TimerKind = "handoff"
	// TimerSafety treats silence after "Are you safe?" as risk.
	TimerSafety TimerKind = "safety"
)

// Timer is a store-backed alarm. The scheduler fires each timer once its Due
// time passes; timers survive restarts.
type Timer struct {
	// ID is stable per purpose (e.g. "remind:<contact>"), so setting a timer
	// again replaces the earlier one.
	ID        string    `json:"id"`
	Due       time.Time `json:"due"`
	Kind      TimerKind `json:"kind"`
	ContactID string    `json:"contact_id"`
	// Step is the conversation step the timer was set at; a timer whose step
	// no longer matches is stale and is dropped.
	Step uint64 `json:"step"`
	// Ref names the record the timer is about (a handoff id).
	Ref string `json:"ref,omitempty"`
}

func (t Timer) String() string { return fmt.Sprintf("%s@%s", t.ID, t.Due.Format(time.RFC3339)) }

// PhoneNumber is the number the person writes from (SMS, then WhatsApp),
// or "" when they have none (Telegram only, say).
func (c *Contact) PhoneNumber() string {
	for _, ch := range []Channel{SMS, WhatsApp} {
		for _, a := range c.Addresses {
			if a.Channel == ch {
				return a.ID
			}
		}
	}
	return ""
}

// Timer ids, one per purpose: setting a timer again under its id replaces
// it, and these functions are the only places the ids are spelled.

// RemindTimerID is the id of the reminder in a contact's conversation.
func RemindTimerID(contactID string) string { return "remind:" + contactID }

// ExpireTimerID is the id of the expiry of a contact's conversation.
func ExpireTimerID(contactID string) string { return "expire:" + contactID }

// HandoffTimerID is the id of a handoff's next re-alert.
func HandoffTimerID(handoffID string) string { return "handoff:" + handoffID }

// CheckinTimerID is the id of a schedule's next check-in.
func CheckinTimerID(scheduleID string) string { return "checkin:" + scheduleID }

// SafetyTimerID is the id of the wait for an answer to "Are you safe?".
func SafetyTimerID(contactID string) string { return "safety:" + contactID }

// ReasonFlood is the reason of the handoff opened when an address first
// goes over its FloodLimit: the bot has stopped answering, so a link
// worker should look.
const ReasonFlood = "flood"

// PlainText is o as a person reads it on a channel without buttons: the
// text, then its choices as numbered lines ("1. Yes"), unless they are
// Quick.
func (o *Outbound) PlainText() string {
	text := o.Text
	if o.Format == FormatHTML {
		text = templates.Plain(text)
	}
	if len(o.Choices) == 0 || o.Quick {
		return text
	}
	labels := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		labels[i] = c.Label
	}
	return templates.Numbered(text, labels)
}

// SafetyAnsweredInstead is the answer an EventSafetyAnswered records when
// the person replied to "Are you safe?" with only a number answering the
// question before it, and was asked once more.
const SafetyAnsweredInstead = "answered the question instead"

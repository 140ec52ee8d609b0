package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"
)

// Data protection: a subject access export of everything held about a
// person, and erasure of what is not their care record. docs/privacy.md
// says what each keeps and why.

// ExportSchema names the layout of an Export. It changes only when a field
// is renamed or removed; new fields may appear without a change.
const ExportSchema = "linkline.export/1"

// Audit actions for data protection requests.
const (
	AuditExport AuditAction = "export"
	AuditErase  AuditAction = "erase"
)

// EventErased records on a person's timeline that their data was erased
// (Data: "by"). It is written only when a care record is kept.
const EventErased EventKind = "contact.erased"

// Export is everything Linkline holds about one person, as a subject
// access request answers it. Lists are never null, so that a reader can
// tell "none" from "not exported".
type Export struct {
	Schema     string    `json:"schema"`
	ExportedAt time.Time `json:"exported_at"`
	Contact    *Contact  `json:"contact"`
	Consent    Consent   `json:"consent"`
	// Conversation is the person's place in a flow, with the answers given
	// so far; null when there is none.
	Conversation  *Conversation   `json:"conversation"`
	Messages      []*Message      `json:"messages"`
	Referrals     []*Referral     `json:"referrals"`
	SurveyResults []*SurveyResult `json:"survey_results"`
	Handoffs      []*Handoff      `json:"handoffs"`
	// Events is the person's timeline: risk entries, link workers' notes,
	// referral status changes, opt-outs, conversations started and ended.
	Events     []*Event     `json:"events"`
	Schedules  []*Schedule  `json:"schedules"`
	Timers     []*Timer     `json:"timers"`
	Enrolments []*Enrolment `json:"enrolments"`
	Outbox     []*Outbound  `json:"outbox"`
	// Audit lists who looked at or acted on the person's record.
	Audit []*AuditEntry `json:"audit"`
}

// Consent gathers what the person said about being contacted and about
// their information.
type Consent struct {
	OptedOut    bool      `json:"opted_out"`
	OptedOutAt  time.Time `json:"opted_out_at,omitzero"`
	Unreachable []Channel `json:"unreachable"`
	// Referrals holds the consent recorded with each referral.
	Referrals []ReferralConsent `json:"referrals"`
	// History lists the opt-out and opt-in events, oldest first.
	History []*Event `json:"history"`
}

// ReferralConsent is the consent given with one referral.
type ReferralConsent struct {
	ReferralID      string    `json:"referral_id"`
	At              time.Time `json:"at"`
	ConsentToRecord bool      `json:"consent_to_record"`
	ConsentToShare  bool      `json:"consent_to_share"`
}

// enrolmentWithheld replaces an enrolment's token in an export: an unused
// token would tie whoever holds it to the person's record.
const enrolmentWithheld = "(withheld)"

// FindContact finds a contact by id, or by address when s reads as one
// ("sms:+447700900123").
func FindContact(tx Tx, s string) (*Contact, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ":") {
		a, err := ParseAddress(s)
		if err != nil {
			return nil, err
		}
		c, err := tx.ContactByAddress(a)
		if errors.Is(err, ErrNotFound) {
			// Say which address: the store's error names only the channel.
			return nil, fmt.Errorf("no contact at %s: %w", a, ErrNotFound)
		}
		return c, err
	}
	if s == "" {
		return nil, Errorf(EInvalid, "no contact given")
	}
	return tx.Contact(s)
}

// Service carries out a person's data rights over Store: a subject
// access export and erasure. Clock and Log may be nil.
type Service struct {
	Store Store
	Clock Clock
	Log   *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Export gathers everything held about the contact (an id or an address)
// and records in the audit log that by exported it. Nothing is returned
// unless the export was recorded.
func (s *Service) Export(ctx context.Context, contact, by string) (*Export, error) {
	var x *Export
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		x, err = gather(tx, contact)
		return err
	})
	if err != nil {
		return nil, err
	}
	x.ExportedAt = s.now()
	err = s.Store.Update(ctx, func(tx Tx) error {
		return tx.AddAudit(&AuditEntry{At: x.ExportedAt, UserID: by, Action: AuditExport, ContactID: x.Contact.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("record the export in the audit log: %w", err)
	}
	return x, nil
}

func gather(tx Tx, contact string) (*Export, error) {
	c, err := FindContact(tx, contact)
	if err != nil {
		return nil, err
	}
	id := c.ID
	x := &Export{Schema: ExportSchema, Contact: c, Messages: []*Message{}, Referrals: []*Referral{},
		SurveyResults: []*SurveyResult{}, Handoffs: []*Handoff{}, Events: []*Event{}, Schedules: []*Schedule{},
		Timers: []*Timer{}, Enrolments: []*Enrolment{}, Outbox: []*Outbound{}, Audit: []*AuditEntry{},
		Consent: Consent{OptedOut: c.OptedOut, OptedOutAt: c.OptedOutAt, Unreachable: append([]Channel{}, c.Unreachable...),
			Referrals: []ReferralConsent{}, History: []*Event{}}}
	if x.Conversation, err = tx.Conversation(id); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	mine := func(cid string) bool { return cid == id }
	err = errors.Join(
		tx.Messages(id, appendTo(&x.Messages, nil)),
		tx.Referrals(appendTo(&x.Referrals, func(r *Referral) bool { return mine(r.ContactID) })),
		tx.SurveyResults(id, appendTo(&x.SurveyResults, nil)),
		tx.Handoffs(appendTo(&x.Handoffs, func(h *Handoff) bool { return mine(h.ContactID) })),
		tx.Events(appendTo(&x.Events, func(ev *Event) bool { return mine(ev.ContactID) })),
		tx.Schedules(id, appendTo(&x.Schedules, nil)),
		tx.Timers(appendTo(&x.Timers, func(t *Timer) bool { return mine(t.ContactID) })),
		tx.Enrolments(appendTo(&x.Enrolments, func(en *Enrolment) bool { return mine(en.ContactID) })),
		tx.Outbox(appendTo(&x.Outbox, func(o *Outbound) bool { return mine(o.ContactID) })),
		tx.Audit(appendTo(&x.Audit, func(a *AuditEntry) bool { return mine(a.ContactID) })),
	)
	if err != nil {
		return nil, err
	}
	slices.Reverse(x.Referrals) // oldest first, like everything else
	slices.Reverse(x.Audit)
	sort.SliceStable(x.Handoffs, func(i, j int) bool { return x.Handoffs[i].OpenedAt.Before(x.Handoffs[j].OpenedAt) })
	sort.SliceStable(x.Timers, func(i, j int) bool { return x.Timers[i].Due.Before(x.Timers[j].Due) })
	for _, en := range x.Enrolments {
		en.Token = enrolmentWithheld
	}
	for _, r := range x.Referrals {
		x.Consent.Referrals = append(x.Consent.Referrals, ReferralConsent{ReferralID: r.ID, At: r.CreatedAt,
			ConsentToRecord: r.ConsentToRecord, ConsentToShare: r.ConsentToShare})
	}
	for _, ev := range x.Events {
		if ev.Kind == EventOptOut || ev.Kind == EventOptIn {
			x.Consent.History = append(x.Consent.History, ev)
		}
	}
	return x, nil
}

// appendTo returns an iterator callback that appends what keep accepts
// (everything, if keep is nil) to list.
func appendTo[T any](list *[]*T, keep func(*T) bool) func(*T) bool {
	return func(v *T) bool {
		if keep == nil || keep(v) {
			*list = append(*list, v)
		}
		return true
	}
}

// Package privacy carries out a person's data rights: a subject access
// export, erasure, and the retention sweep of old abandoned transcripts.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/linkline/linkline/bot"
)

// Data protection: a subject access export of everything held about a
// person, and erasure of what is not their care record. docs/privacy.md
// says what each keeps and why.

// ExportSchema names the layout of an Export. It changes only when a field
// is renamed or removed; new fields may appear without a change.
const ExportSchema = "linkline.export/1"

// Export is everything Linkline holds about one person, as a subject
// access request answers it. Lists are never null, so that a reader can
// tell "none" from "not exported".
type Export struct {
	Schema     string       `json:"schema"`
	ExportedAt time.Time    `json:"exported_at"`
	Contact    *bot.Contact `json:"contact"`
	Consent    Consent      `json:"consent"`
	// Conversation is the person's place in a flow, with the answers given
	// so far; null when there is none.
	Conversation  *bot.Conversation   `json:"conversation"`
	Messages      []*bot.Message      `json:"messages"`
	Referrals     []*bot.Referral     `json:"referrals"`
	SurveyResults []*bot.SurveyResult `json:"survey_results"`
	Handoffs      []*bot.Handoff      `json:"handoffs"`
	// Events is the person's timeline: risk entries, link workers' notes,
	// referral status changes, opt-outs, conversations started and ended.
	Events     []*bot.Event     `json:"events"`
	Schedules  []*bot.Schedule  `json:"schedules"`
	Timers     []*bot.Timer     `json:"timers"`
	Enrolments []*bot.Enrolment `json:"enrolments"`
	Outbox     []*bot.Outbound  `json:"outbox"`
	// Audit lists who looked at or acted on the person's record.
	Audit []*bot.AuditEntry `json:"audit"`
	// ProviderIDs are the ids of the messages the person sent, as their
	// providers gave them, kept to drop a provider's retry: still there
	// after retention has removed the messages themselves.
	ProviderIDs []*bot.SeenID `json:"provider_ids"`
}

// Consent gathers what the person said about being contacted and about
// their information.
type Consent struct {
	OptedOut    bool          `json:"opted_out"`
	OptedOutAt  time.Time     `json:"opted_out_at,omitzero"`
	Unreachable []bot.Channel `json:"unreachable"`
	// Referrals holds the consent recorded with each referral.
	Referrals []ReferralConsent `json:"referrals"`
	// History lists the opt-out and opt-in events and any wish not to be
	// phoned, oldest first.
	History []*bot.Event `json:"history"`
}

// ReferralConsent is the consent given with one referral.
type ReferralConsent struct {
	ReferralID      string    `json:"referral_id"`
	At              time.Time `json:"at"`
	ConsentToRecord bool      `json:"consent_to_record"`
	ConsentToShare  bool      `json:"consent_to_share"`
	ConsentNote     string    `json:"consent_note,omitempty"`
}

// enrolmentWithheld replaces an enrolment's token in an export: an unused
// token would tie whoever holds it to the person's record.
const enrolmentWithheld = "(withheld)"

// Service carries out a person's data rights over Store: a subject
// access export and erasure. Clock and Log may be nil.
type Service struct {
	Store bot.Store
	Clock bot.Clock
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
	err := s.Store.View(ctx, func(tx bot.Tx) error {
		var err error
		x, err = gather(tx, contact)
		return err
	})
	if err != nil {
		return nil, err
	}
	x.ExportedAt = s.now()
	err = s.Store.Update(ctx, func(tx bot.Tx) error {
		return tx.AddAudit(&bot.AuditEntry{At: x.ExportedAt, UserID: by, Action: bot.AuditExport, ContactID: x.Contact.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("record the export in the audit log: %w", err)
	}
	return x, nil
}

func gather(tx bot.Tx, contact string) (*Export, error) {
	c, err := bot.FindContact(tx, contact)
	if err != nil {
		return nil, err
	}
	id := c.ID
	x := &Export{Schema: ExportSchema, Contact: c, Messages: []*bot.Message{}, Referrals: []*bot.Referral{},
		SurveyResults: []*bot.SurveyResult{}, Handoffs: []*bot.Handoff{}, Events: []*bot.Event{}, Schedules: []*bot.Schedule{},
		Timers: []*bot.Timer{}, Enrolments: []*bot.Enrolment{}, Outbox: []*bot.Outbound{}, Audit: []*bot.AuditEntry{}, ProviderIDs: []*bot.SeenID{},
		Consent: Consent{OptedOut: c.OptedOut, OptedOutAt: c.OptedOutAt, Unreachable: append([]bot.Channel{}, c.Unreachable...),
			Referrals: []ReferralConsent{}, History: []*bot.Event{}}}
	if x.Conversation, err = tx.Conversation(id); err != nil && !errors.Is(err, bot.ErrNotFound) {
		return nil, err
	}
	mine := func(cid string) bool { return cid == id }
	err = errors.Join(
		tx.Messages(id, appendTo(&x.Messages, nil)),
		tx.Referrals(appendTo(&x.Referrals, func(r *bot.Referral) bool { return mine(r.ContactID) })),
		tx.SurveyResults(id, appendTo(&x.SurveyResults, nil)),
		tx.Handoffs(appendTo(&x.Handoffs, func(h *bot.Handoff) bool { return mine(h.ContactID) })),
		tx.Events(appendTo(&x.Events, func(ev *bot.Event) bool { return mine(ev.ContactID) })),
		tx.Schedules(id, appendTo(&x.Schedules, nil)),
		tx.Timers(appendTo(&x.Timers, func(t *bot.Timer) bool { return mine(t.ContactID) })),
		tx.Enrolments(appendTo(&x.Enrolments, func(en *bot.Enrolment) bool { return mine(en.ContactID) })),
		tx.Outbox(appendTo(&x.Outbox, func(o *bot.Outbound) bool { return mine(o.ContactID) })),
		tx.Audit(appendTo(&x.Audit, func(a *bot.AuditEntry) bool { return mine(a.ContactID) })),
		tx.SeenIDs(id, appendTo(&x.ProviderIDs, nil)),
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
			ConsentToRecord: r.ConsentToRecord, ConsentToShare: r.ConsentToShare, ConsentNote: r.ConsentNote})
	}
	for _, ev := range x.Events {
		if ev.Kind == bot.EventOptOut || ev.Kind == bot.EventOptIn || ev.Kind == bot.EventNoCalls {
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

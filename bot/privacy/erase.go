package privacy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// Erasure categories: what Erase removes and what it keeps, as counted in
// an Erasure and written (counts only) to the audit log.
const (
	// Removed.
	ErasedAddresses    = "addresses"
	ErasedRecent       = "recent_messages" // the risk screen's copy of the last few messages
	ErasedMessages     = "messages"
	ErasedConversation = "conversation"
	ErasedOutbox       = "outbox"
	ErasedTimers       = "timers"
	ErasedSchedules    = "schedules"
	ErasedEnrolments   = "enrolments"
	ErasedEvents       = "events"
	ErasedContact      = "contact"
	// Kept (the care record).
	KeptReferrals     = "referrals"
	KeptSurveyResults = "survey_results"
	KeptHandoffs      = "handoffs"
	KeptEvents        = "events"
	KeptAudit         = "audit_entries"
)

// Erasure says what Erase removed (or, on a dry run, would remove) and
// what it kept as the person's care record. It holds counts, never data.
type Erasure struct {
	ContactID string `json:"contact_id"`
	By        string `json:"by"`
	DryRun    bool   `json:"dry_run,omitempty"`
	// ContactDeleted is true when the person had no care record: the
	// contact itself is gone, and nothing about them is left but the audit
	// log's entries.
	ContactDeleted bool           `json:"contact_deleted"`
	Removed        map[string]int `json:"removed"`
	Kept           map[string]int `json:"kept"`
}

// Summary is the erasure as one line of counts, e.g. "removed messages=12
// outbox=6; kept referrals=1". The audit log records it.
func (er *Erasure) Summary() string {
	list := func(m map[string]int) string {
		var parts []string
		for k, n := range m {
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%s=%d", k, n))
			}
		}
		sort.Strings(parts)
		if len(parts) == 0 {
			return "nothing"
		}
		return strings.Join(parts, " ")
	}
	return "removed " + list(er.Removed) + "; kept " + list(er.Kept)
}

// erasableEvents are the event kinds that are not part of the care record:
// the machinery of conversations, deliveries and enrolment. Every other
// kind (risk entries, referral and handoff history, link workers' notes,
// survey scores, opt-outs, and kinds this code does not know) is kept
// while the person has a care record.
var erasableEvents = map[bot.EventKind]bool{
	bot.EventConvStarted: true, bot.EventConvDone: true, bot.EventConvExpired: true, bot.EventConvRestarted: true,
	bot.EventDeliveryFailed: true, bot.EventEnrolCreated: true, bot.EventEnrolled: true,
	bot.EventCheckinSkipped: true, bot.EventCheckinMissed: true, bot.EventRateLimited: true,
}

// careEvents are the event kinds that by themselves make a care record: a
// risk entry and what link workers wrote (the console's note and referral
// status kinds).
var careEvents = map[bot.EventKind]bool{bot.EventRisk: true, bot.EventNote: true, bot.EventReferralStatus: true}

// Erase removes the personal data held about the contact (an id or an
// address) that is not part of their care record, and records who did it
// and what categories went (counts only) in the audit log. The care
// record — referrals, survey results, handoffs, risk entries, link
// workers' notes and the audit log — is kept, with the contact's id and
// name so that it still says whose it is; a person with no care record
// is removed entirely. Afterwards nothing can be sent to them and a
// message from one of their old addresses starts a new contact.
//
// A contact whose conversation a link worker holds (an active handoff)
// is an EConflict: the handoff must be resolved first, so that no one in
// need is cut off mid-conversation. With dryRun nothing is written and the
// Erasure says what would go.
func (s *Service) Erase(ctx context.Context, contact, by string, dryRun bool) (*Erasure, error) {
	var er *Erasure
	run := func(tx bot.Tx) error {
		p, err := planErase(tx, contact)
		if err != nil {
			return err
		}
		er = p.erasure(by, dryRun)
		if dryRun {
			return nil
		}
		return p.apply(tx, er, s.now())
	}
	var err error
	if dryRun {
		err = s.Store.View(ctx, run)
	} else {
		// Find whose lock to take, then take it before anything else and
		// plan under it by id: an address may have moved meanwhile.
		err = s.Store.View(ctx, func(tx bot.Tx) error {
			c, err := bot.FindContact(tx, contact)
			if err == nil {
				contact = c.ID
			}
			return err
		})
		if err == nil {
			err = s.Store.Update(ctx, func(tx bot.Tx) error {
				if err := bot.LockPerson(tx, contact); err != nil {
					return err
				}
				return run(tx)
			})
		}
	}
	if err != nil {
		return nil, err
	}
	if !dryRun {
		s.log().Info("contact erased", "contact", er.ContactID, "by", by, "deleted", er.ContactDeleted)
	}
	return er, nil
}

// erasePlan is what erasing one contact touches, read in the transaction
// that erases it.
type erasePlan struct {
	contact    *bot.Contact
	conv       bool
	messages   []uint64
	outbox     []uint64
	timers     []string
	schedules  []string
	enrolments []string
	events     []*bot.Event // all the contact's events
	referrals  int
	surveys    int
	handoffs   int
	audit      int
	record     bool // the contact has a care record
}

func planErase(tx bot.Tx, contact string) (*erasePlan, error) {
	c, err := bot.FindContact(tx, contact)
	if err != nil {
		return nil, err
	}
	id := c.ID
	if h, err := tx.ActiveHandoff(id); err == nil {
		return nil, bot.Errorf(bot.EConflict, "contact %s has an active handoff (%s): a link worker must resolve it before the contact is erased", id, h.ID)
	} else if !errors.Is(err, bot.ErrNotFound) {
		return nil, err
	}
	p := &erasePlan{contact: c}
	if _, err := tx.Conversation(id); err == nil {
		p.conv = true
	} else if !errors.Is(err, bot.ErrNotFound) {
		return nil, err
	}
	err = errors.Join(
		tx.Messages(id, func(m *bot.Message) bool { p.messages = append(p.messages, m.ID); return true }),
		tx.Outbox(func(o *bot.Outbound) bool {
			if o.ContactID == id {
				p.outbox = append(p.outbox, o.ID)
			}
			return true
		}),
		tx.Timers(func(t *bot.Timer) bool {
			if t.ContactID == id {
				p.timers = append(p.timers, t.ID)
			}
			return true
		}),
		tx.Schedules(id, func(s *bot.Schedule) bool { p.schedules = append(p.schedules, s.ID); return true }),
		tx.Enrolments(func(en *bot.Enrolment) bool {
			if en.ContactID == id {
				p.enrolments = append(p.enrolments, en.Token)
			}
			return true
		}),
		tx.Events(func(ev *bot.Event) bool {
			if ev.ContactID == id {
				p.events = append(p.events, ev)
				p.record = p.record || careEvents[ev.Kind]
			}
			return true
		}),
		tx.Referrals(func(r *bot.Referral) bool {
			if r.ContactID == id {
				p.referrals++
			}
			return true
		}),
		tx.SurveyResults(id, func(*bot.SurveyResult) bool { p.surveys++; return true }),
		tx.Handoffs(func(h *bot.Handoff) bool {
			if h.ContactID == id {
				p.handoffs++
			}
			return true
		}),
		tx.Audit(func(a *bot.AuditEntry) bool {
			if a.ContactID == id {
				p.audit++
			}
			return true
		}),
	)
	if err != nil {
		return nil, err
	}
	p.record = p.record || p.referrals > 0 || p.surveys > 0 || p.handoffs > 0
	return p, nil
}

// dropEvent reports whether erasure removes ev.
func (p *erasePlan) dropEvent(ev *bot.Event) bool { return !p.record || erasableEvents[ev.Kind] }

func (p *erasePlan) erasure(by string, dryRun bool) *Erasure {
	er := &Erasure{ContactID: p.contact.ID, By: by, DryRun: dryRun, ContactDeleted: !p.record,
		Removed: map[string]int{
			ErasedAddresses: len(p.contact.Addresses), ErasedRecent: len(p.contact.Recent),
			ErasedMessages: len(p.messages), ErasedOutbox: len(p.outbox), ErasedTimers: len(p.timers),
			ErasedSchedules: len(p.schedules), ErasedEnrolments: len(p.enrolments),
		},
		Kept: map[string]int{KeptReferrals: p.referrals, KeptSurveyResults: p.surveys, KeptHandoffs: p.handoffs, KeptAudit: p.audit},
	}
	if p.conv {
		er.Removed[ErasedConversation] = 1
	}
	if !p.record {
		er.Removed[ErasedContact] = 1
	}
	for _, ev := range p.events {
		if p.dropEvent(ev) {
			er.Removed[ErasedEvents]++
		} else {
			er.Kept[KeptEvents]++
		}
	}
	return er
}

// apply removes what the plan found and records the erasure.
func (p *erasePlan) apply(tx bot.Tx, er *Erasure, now time.Time) error {
	id := p.contact.ID
	for _, m := range p.messages {
		if err := tx.DeleteMessage(id, m); err != nil {
			return err
		}
	}
	for _, o := range p.outbox {
		if err := tx.DeleteOutbound(o); err != nil {
			return err
		}
	}
	for _, t := range p.timers {
		if err := tx.DeleteTimer(t); err != nil {
			return err
		}
	}
	for _, s := range p.schedules {
		if err := tx.DeleteSchedule(s); err != nil {
			return err
		}
	}
	for _, en := range p.enrolments {
		if err := tx.DeleteEnrolment(en); err != nil {
			return err
		}
	}
	for _, ev := range p.events {
		if p.dropEvent(ev) {
			if err := tx.DeleteEvent(ev.ID); err != nil {
				return err
			}
		}
	}
	if err := tx.DeleteConversation(id); err != nil {
		return err
	}
	// The provider ids of their messages are kept under them (to drop a
	// provider's retry); erased, they would name no one: a message from an
	// old address starts a new contact, who has none.
	if err := tx.DeleteSeen(id); err != nil {
		return err
	}
	if p.record {
		// What stays says whose record it is, and nothing else: no way
		// to reach the person, none of their words.
		kept := &bot.Contact{ID: id, Name: p.contact.Name, CreatedAt: p.contact.CreatedAt}
		if err := tx.PutContact(kept); err != nil {
			return err
		}
		if err := tx.AddEvent(&bot.Event{At: now, Kind: bot.EventErased, ContactID: id, Data: map[string]string{"by": er.By}}); err != nil {
			return err
		}
	} else if err := tx.DeleteContact(id); err != nil {
		return err
	}
	return tx.AddAudit(&bot.AuditEntry{At: now, UserID: er.By, Action: bot.AuditErase, ContactID: id, Detail: er.Summary()})
}

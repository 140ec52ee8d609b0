package console

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// line is one transcript message as the conversation page shows it.
type line struct {
	Msg    *bot.Message
	Who    string // "person", "bot" or "worker"
	Author string // what to call the author
	Status bot.OutStatus
	Failed bool
	Error  string
	// Media are the message's attachments, with their fetch links.
	Media []mediaItem
	// Why says in words why a message was not delivered, where the code
	// alone would not tell a link worker what to do.
	Why string
}

// outsideWindowWhy is what a link worker is told about a WhatsApp message
// that failed because the person last wrote more than 24 hours ago.
func outsideWindowWhy(o *bot.Outbound) string {
	why := "Not sent: it is more than 24 hours since they last wrote on WhatsApp, and then WhatsApp only takes an approved template"
	if strings.Contains(o.Error, "no template") {
		why += ", but none is set up for this kind of message"
	}
	return why + ". Wait for them to write (their next message opens WhatsApp again), or reach them another way."
}

// conversationShow shows one person's record: transcript with delivery
// status, referral answers, risk entries, and the handoff controls. Every
// view is written to the audit log, and a view that cannot be is refused.
func (c *Console) conversationShow(w http.ResponseWriter, r *http.Request) {
	if !explicitOpen(r) {
		// A link on another site must not make a worker "view" a record
		// and write an audit entry they did not mean: ask first.
		c.render(w, r, "record_open", http.StatusOK, map[string]any{"Title": "Open a record", "ContactID": r.PathValue("id")})
		return
	}
	c.renderConversation(w, r, r.PathValue("id"), http.StatusOK, nil)
}

// renderConversation shows the record of the person with id (and audits
// the view), with the page's forms as given in forms: "Errors"
// (formErrors) and what was typed ("ReplyText", "NoteText", "Outcome").
func (c *Console) renderConversation(w http.ResponseWriter, r *http.Request, id string, status int, forms map[string]any) {
	u := userFrom(r.Context())
	data := map[string]any{"Page": "conversation", "Now": c.cfg.Clock.Now()}
	maps.Copy(data, forms)
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		ct, err := tx.Contact(id)
		if err != nil {
			return err
		}
		data["Contact"], data["Title"] = ct, displayName(ct)
		if data["EventID"], err = renderedAt(tx); err != nil {
			return err
		}
		names := userNames(tx)
		var lines []line
		var failed error
		err = tx.Messages(id, func(m *bot.Message) bool {
			l := line{Msg: m, Who: "person", Author: "Person", Media: c.mediaItems(id, m)}
			switch {
			case m.Author == bot.AuthorBot:
				l.Who, l.Author = "bot", "Bot"
			case strings.HasPrefix(m.Author, "worker:"):
				l.Who, l.Author = "worker", names(strings.TrimPrefix(m.Author, "worker:"))
			}
			if m.Direction == bot.Out && m.OutboxID != 0 {
				o, err := tx.Outbound(m.OutboxID)
				if err != nil && !errors.Is(err, bot.ErrNotFound) {
					failed = err
					return false
				}
				if o != nil {
					l.Status = o.Status
					l.Failed = o.Status == bot.StatusFailed || o.Status == bot.StatusUndelivered
					l.Error = strings.TrimSpace(o.ErrorCode)
					if l.Failed && o.To.Channel == bot.WhatsApp && l.Error == bot.CodeOutsideWindow {
						l.Why = outsideWindowWhy(o)
					}
				}
			}
			lines = append(lines, l)
			return true
		})
		if err = errors.Join(err, failed); err != nil {
			return err
		}
		data["Lines"] = lines

		h, err := tx.ActiveHandoff(id)
		switch {
		case err == nil:
			data["Handoff"] = h
			if h.Status == bot.HandoffClaimed {
				data["ClaimedBy"], data["Mine"] = names(h.ClaimedBy), h.ClaimedBy == u.ID
				data["Theirs"] = h.ClaimedBy != u.ID
			}
		case !errors.Is(err, bot.ErrNotFound):
			return err
		}
		var risks, notes []*bot.Event
		var refIDs, handoffIDs []string
		unreachable := map[string]string{} // channel: why, from the latest event

		if err := contactEvents(tx, id, func(e *bot.Event) bool {
			if ref := e.Data["referral"]; ref != "" && !slices.Contains(refIDs, ref) {
				refIDs = append(refIDs, ref)
			}
			switch {
			case e.ContactID != id:
			case e.Kind == bot.EventRisk, e.Kind == bot.EventSafetyAnswered:
				risks = append(risks, e)
			case e.Kind == bot.EventOptOut:
				data["OptOutWhy"] = optOutWhy(e.Data["by"])
			case e.Kind == bot.EventNoCalls:
				data["NoCalls"] = e.At
			case e.Kind == bot.EventHandoffOpened && e.Data["handoff"] != "":
				handoffIDs = append(handoffIDs, e.Data["handoff"])
			case e.Kind == bot.EventUnreachable:
				unreachable[e.Data["channel"]] = unreachableWhy(e.Data["code"])
			case e.Kind == EventReferralStatus, e.Kind == EventNote:
				e.Data["by"] = names(e.Data["by"])
				notes = append(notes, e)
			}
			return true
		}); err != nil {
			return err
		}
		data["Risks"], data["Notes"], data["Statuses"] = risks, notes, referralStatuses
		data["Unreachable"] = unreachable
		if data["Handoffs"], err = handoffHistory(tx, id, handoffIDs, names); err != nil {
			return err
		}
		refs, err := contactReferrals(tx, id, refIDs)
		if err != nil {
			return err
		}
		data["Referrals"] = refs
		var scheds []*bot.Schedule
		if err := tx.Schedules(id, func(s *bot.Schedule) bool { scheds = append(scheds, s); return true }); err != nil {
			return err
		}
		data["Schedules"], data["CheckinFlows"] = scheds, checkinFlows
		if data["Charts"], err = contactCharts(tx, c.flowSet(), id); err != nil {
			return err
		}
		canned, err := cannedReplies(tx)
		data["Canned"] = canned
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	// The view is audited before anything is shown, and if it cannot be
	// nothing is: an unrecorded look at a person's record must not happen.
	// The same commit brings the store's index of events by contact up to
	// date, so the next page reads little.
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if _, err := tx.IndexEvents(indexBatch); err != nil {
			return err
		}
		now := c.cfg.Clock.Now()
		if err := tx.PutSetting(seenKey(u.ID, id), now.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditView, ContactID: id})
	})
	if err != nil {
		c.fail(w, r, fmt.Errorf("audit view of contact %s: %w", id, err))
		return
	}
	c.render(w, r, "conversation", status, data)
}

// explicitOpen reports whether the browser says the person opened this
// page themselves: a navigation from a console page (Sec-Fetch-Site
// same-origin), or one they typed or bookmarked (none). A browser that
// sends no Sec-Fetch-Site (older ones; other clients) is believed.
func explicitOpen(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}

// indexBatch bounds the events one page view indexes.
const indexBatch = 50_000

// contactReferrals returns contactID's referrals, newest first, found
// through the events that name them (the engine records referral.created
// with every referral it makes).
func contactReferrals(tx bot.Tx, contactID string, fromEvents []string) ([]*bot.Referral, error) {
	var refs []*bot.Referral
	for _, rid := range slices.Backward(fromEvents) {
		ref, err := tx.Referral(rid)
		if errors.Is(err, bot.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if ref.ContactID == contactID {
			refs = append(refs, ref)
		}
	}
	return refs, nil
}

// contactEvents calls fn for contactID's events, oldest first.
func contactEvents(tx bot.Tx, contactID string, fn func(*bot.Event) bool) error {
	return tx.ContactEvents(contactID, fn)
}

// unreachableWhy says in words why a channel cannot reach a person, from
// the provider's code.
func unreachableWhy(code string) string {
	switch code {
	case "blocked", "403":
		return "they blocked the bot"
	case "30005":
		return "the number is unknown or switched off (30005)"
	case "30006":
		return "a landline or a network that cannot get texts (30006)"
	case "21614":
		return "not a mobile number (21614)"
	case "63003":
		return "not on WhatsApp (63003)"
	case "":
		return ""
	}
	return "provider code " + code
}

// pastHandoff is one handoff in a person's history, with names for the
// link workers who held and resolved it.
type pastHandoff struct {
	*bot.Handoff
	ClaimedName, ResolvedName string
}

// handoffHistory returns contactID's handoffs, newest first, from the ids
// their handoff.opened events name.
func handoffHistory(tx bot.Tx, contactID string, ids []string, names func(string) string) ([]pastHandoff, error) {
	var out []pastHandoff
	for _, hid := range slices.Backward(ids) {
		h, err := tx.Handoff(hid)
		if errors.Is(err, bot.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("handoff %s of contact %s: %w", hid, contactID, err)
		}
		if h.ContactID != contactID {
			continue
		}
		p := pastHandoff{Handoff: h}
		if h.ClaimedBy != "" {
			p.ClaimedName = names(h.ClaimedBy)
		}
		if h.ResolvedBy != "" {
			p.ResolvedName = names(h.ResolvedBy)
		}
		out = append(out, p)
	}
	return out, nil
}

// optOutWhy says in words how a person came to be opted out, from the
// opt-out event's "by".
func optOutWhy(by string) string {
	switch by {
	case "person":
		return "they sent STOP"
	case "provider":
		return "their phone network or WhatsApp reported that they opted out"
	}
	return ""
}

// safetyAnswers says in words how a person answered "Are you safe?", by
// the answer the engine records.
var safetyAnswers = map[string]string{
	"yes":     "yes: the bot thanked them and carried on",
	"no":      "no: the crisis numbers were sent and the team alerted as urgent",
	"unclear": "not a clear yes, so taken as no: the crisis numbers were sent and the team alerted as urgent",
	"none":    "no answer in time, so taken as no: the team was alerted as urgent",

	"another concern":          "not yet, and they wrote something worrying again: the team was alerted as urgent",
	"overtaken by urgent risk": "not yet, and what they wrote next was urgent risk",
	bot.SafetyAnsweredInstead:  "with a number answering the earlier question, so they were asked once more",
}

package console

import (
	"errors"
	"net/http"
	"strings"

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
}

// conversationShow shows one person's record: transcript with delivery
// status, referral answers, risk entries, and the handoff controls. Every
// view is written to the audit log.
func (c *Console) conversationShow(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	data := map[string]any{"Page": "conversation", "Now": c.cfg.Clock.Now()}
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		ct, err := tx.Contact(id)
		if err != nil {
			return err
		}
		data["Contact"], data["Title"] = ct, displayName(ct)
		names := userNames(tx)
		var lines []line
		var failed error
		err = tx.Messages(id, func(m *bot.Message) bool {
			l := line{Msg: m, Who: "person", Author: "Person"}
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
			}
		case !errors.Is(err, bot.ErrNotFound):
			return err
		}
		// TODO(perf): referrals and events are not indexed by contact;
		// these scans read every record.
		var refs []*bot.Referral
		if err := tx.Referrals(func(ref *bot.Referral) bool {
			if ref.ContactID == id {
				refs = append(refs, ref)
			}
			return true
		}); err != nil {
			return err
		}
		data["Referrals"] = refs
		var risks, notes []*bot.Event
		if err := tx.Events(func(e *bot.Event) bool {
			switch {
			case e.ContactID != id:
			case e.Kind == bot.EventRisk:
				risks = append(risks, e)
			case e.Kind == EventReferralStatus, e.Kind == EventNote:
				e.Data["by"] = names(e.Data["by"])
				notes = append(notes, e)
			}
			return true
		}); err != nil {
			return err
		}
		data["Risks"], data["Notes"], data["Statuses"] = risks, notes, referralStatuses
		canned, err := cannedReplies(tx)
		data["Canned"] = canned
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditView, id, "")
	c.render(w, r, "conversation", http.StatusOK, data)
}

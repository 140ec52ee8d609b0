package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// team is the link worker team's availability now, for templates.
func (t *turn) team() templates.Team {
	h := t.e.Hours()
	if h.Open(t.now) {
		return templates.Team{Open: true}
	}
	next := h.NextOpen(t.now)
	if next.IsZero() {
		return templates.Team{Next: "soon"}
	}
	return templates.Team{Next: h.Describe(t.now, next)}
}

// openHandoff hands the contact to a link worker, or, if a handoff is
// already active, makes it urgent when this one is. It alerts link workers
// and sets the SLA re-alert timer.
func (t *turn) openHandoff(reason, detail string, urgent bool) (*bot.Handoff, error) {
	h, err := t.tx.ActiveHandoff(t.contact.ID)
	switch {
	case err == nil:
		if !urgent {
			return h, nil
		}
		// Risk while a handoff is open or claimed: always alert (the
		// worker who claimed it may have gone home), and make it urgent.
		upgrade := !h.Urgent
		h.Urgent = true
		if upgrade {
			h.Detail = strings.TrimSpace(h.Detail + " " + detail)
		}
		h.Alerts++
		t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertHandoff, Urgent: true, ContactID: t.contact.ID, HandoffID: h.ID})
		if err := t.tx.PutHandoff(h); err != nil {
			return nil, err
		}
		if err := t.event(bot.EventHandoffRealert, map[string]string{"handoff": h.ID, "reason": bot.ReasonRisk}); err != nil {
			return nil, err
		}
		if h.Status == bot.HandoffOpen {
			return h, t.setHandoffTimer(h)
		}
		return h, nil
	case !errors.Is(err, bot.ErrNotFound):
		return nil, err
	}
	h = &bot.Handoff{ContactID: t.contact.ID, Status: bot.HandoffOpen, Urgent: urgent, Reason: reason, Detail: detail, OpenedAt: t.now, Alerts: 1}
	if err := t.tx.PutHandoff(h); err != nil {
		return nil, err
	}
	t.opened = true
	if err := t.event(bot.EventHandoffOpened, map[string]string{"handoff": h.ID, "reason": reason, "urgent": boolString(urgent)}); err != nil {
		return nil, err
	}
	t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertHandoff, Urgent: urgent, ContactID: t.contact.ID, HandoffID: h.ID})
	return h, t.setHandoffTimer(h)
}

// setHandoffTimer sets the next SLA re-alert: 15 minutes for urgent
// handoffs, 4 working hours for others (both configurable).
func (t *turn) setHandoffTimer(h *bot.Handoff) error {
	due := t.now.Add(t.e.cfg.UrgentRealert)
	if !h.Urgent {
		due = t.e.Hours().AddWorking(t.now, t.e.cfg.Realert)
		if due.IsZero() {
			due = t.now.Add(t.e.cfg.Realert)
		}
	}
	t.timers = true
	return t.tx.PutTimer(&bot.Timer{ID: bot.HandoffTimerID(h.ID), Due: due, Kind: bot.TimerHandoff, ContactID: h.ContactID, Ref: h.ID})
}

// realert fires an SLA timer: while the handoff is unclaimed, link workers
// are told again, and again after the next interval.
func (t *turn) realert(tm bot.Timer) error {
	h, err := t.tx.Handoff(tm.Ref)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if h.Status != bot.HandoffOpen {
		return nil
	}
	h.Alerts++
	if err := t.tx.PutHandoff(h); err != nil {
		return err
	}
	if err := t.event(bot.EventHandoffRealert, map[string]string{"handoff": h.ID, "alerts": strconv.Itoa(h.Alerts)}); err != nil {
		return err
	}
	t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertHandoffUnclaimed, Urgent: h.Urgent, ContactID: h.ContactID, HandoffID: h.ID})
	return t.setHandoffTimer(h)
}

// handoffActive routes a message from a person whose conversation a link
// worker holds: kept for the console, no flow runs. It reports whether a
// handoff was active.
func (t *turn) handoffActive(kind string) (bool, error) {
	h, err := t.tx.ActiveHandoff(t.contact.ID)
	if errors.Is(err, bot.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	withdraw := false
	if kind == "restart" {
		var err error
		if withdraw, err = t.withdrawable(h); err != nil {
			return true, err
		}
	}
	if withdraw {
		// A person who asked for someone and then wants the questions
		// after all ("HUMAN", then "RESTART"): while nobody has taken it
		// up and no risk was shown, the request is theirs to withdraw
		// (session 41's trials: out of hours the referral could not be
		// made until a link worker came in).
		h.Status, h.ResolvedBy, h.ResolvedAt, h.Outcome = bot.HandoffResolved, "person", t.now, "withdrawn: the person started again"
		if err := t.tx.PutHandoff(h); err != nil {
			return true, err
		}
		if err := t.tx.DeleteTimer(bot.HandoffTimerID(h.ID)); err != nil {
			return true, err
		}
		if t.conv != nil {
			t.conv.NeedsHuman, t.conv.Invalid = false, 0
		}
		return false, t.event(bot.EventHandoffResolved, map[string]string{"handoff": h.ID, "by": "person", "resumed": "false"})
	}
	if err := t.event(bot.EventHandoffMessage, map[string]string{"handoff": h.ID}); err != nil {
		return true, err
	}
	t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertMessage, Urgent: h.Urgent, ContactID: t.contact.ID, HandoffID: h.ID})
	if kind == "help" {
		// Not core.help: it offers RESTART, which does not restart a
		// conversation a link worker holds (session 40's trials).
		return true, t.say("handoff.help", nil)
	}
	// Asked for a person again, or RESTART (which HELP offers): told where
	// the messages are. And while nobody has claimed the handoff nobody is
	// answering, so a person writing "hello?" at 2 a.m. is told the same,
	// with where to get help now, rather than met with silence (once in
	// HandoffWaitingEvery). A link worker who has claimed it replies.
	asked := kind == "human" || kind == "restart"
	// Not in a turn that opened it or showed risk ("i dunno really" to
	// "Are you safe?" opens an urgent handoff and comes on here): that turn
	// said what comes next, and says "we have told the team" only if an
	// alert really went.
	due := h.Status == bot.HandoffOpen && !t.opened && !t.risk && !t.now.Before(h.WaitingToldAt.Add(bot.HandoffWaitingEvery))
	if !asked && (!due || acknowledgement(t.text)) {
		// (An "ok" or "thank you" straight after being told is no
		// "hello?": the whole notice again is noise, session 42's trials.)
		return true, nil
	}
	if h.Status == bot.HandoffOpen {
		h.WaitingToldAt = t.now
		if err := t.tx.PutHandoff(h); err != nil {
			return true, err
		}
	}
	return true, t.say("handoff.waiting", nil)
}

// withdrawable reports whether h is a plain request for a person that the
// person may take back with RESTART: asked for in so many words (no
// detail: not a wish to stop check-ins), open, not urgent, and nothing
// since that a link worker must see: no risk or distress asked about, no
// messages over the flood limit, never claimed or replied to (a second
// review found each of these withdrawn).
func (t *turn) withdrawable(h *bot.Handoff) (bool, error) {
	if h.Status != bot.HandoffOpen || h.Urgent || h.Reason != bot.ReasonAsked || h.Detail != "" || !h.ClaimedAt.IsZero() {
		return false, nil
	}
	ok := true
	err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		if e.At.Before(h.OpenedAt) {
			return true
		}
		switch e.Kind {
		case bot.EventRisk, bot.EventSafetyAnswered, bot.EventRateLimited, bot.EventHandoffClaimed, bot.EventWorkerReply:
			ok = false
			return false
		}
		return true
	})
	return ok, err
}

// A Worker action runs in one transaction on one contact's record.
func (e *Engine) onContact(ctx context.Context, contactID string, fn func(t *turn) error) error {
	var t *turn
	err := e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockPerson(tx, contactID); err != nil {
			return err
		}
		t = &turn{e: e, tx: tx, ctx: ctx, now: e.cfg.Clock.Now()}
		c, err := tx.Contact(contactID)
		if err != nil {
			return err
		}
		t.contact = c
		if err := t.loadConversation(); err != nil {
			return err
		}
		return fn(t)
	})
	if err != nil {
		return err
	}
	e.afterCommit(ctx, t)
	return nil
}

// TakeOver hands the contact to link worker worker at once: a handoff
// opened and claimed in one step. If one is already active, worker claims
// it, taking it from a colleague who holds it (recorded in the event).
func (e *Engine) TakeOver(ctx context.Context, contactID, worker string) (*bot.Handoff, error) {
	var out *bot.Handoff
	err := e.onContact(ctx, contactID, func(t *turn) error {
		h, err := t.tx.ActiveHandoff(contactID)
		if errors.Is(err, bot.ErrNotFound) {
			h = &bot.Handoff{ContactID: contactID, Status: bot.HandoffOpen, Reason: bot.ReasonWorker, OpenedAt: t.now}
			if err := t.tx.PutHandoff(h); err != nil {
				return err
			}
			if err := t.event(bot.EventHandoffOpened, map[string]string{"handoff": h.ID, "reason": bot.ReasonWorker, "by": worker}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		out = h
		if h.Status == bot.HandoffClaimed && h.ClaimedBy != worker {
			// Taking over from a colleague (who may have gone home) is
			// allowed, and recorded.
			from := h.ClaimedBy
			h.ClaimedBy, h.ClaimedAt = worker, t.now
			if err := t.tx.PutHandoff(h); err != nil {
				return err
			}
			return t.event(bot.EventHandoffClaimed, map[string]string{"handoff": h.ID, "by": worker, "from": from})
		}
		return t.claim(h, worker)
	})
	return out, err
}

// Claim gives an open handoff to link worker worker. Claiming one another
// worker holds is an EConflict error; claiming one's own again is a no-op.
func (e *Engine) Claim(ctx context.Context, handoffID, worker string) error {
	return e.onHandoff(ctx, handoffID, func(t *turn, h *bot.Handoff) error { return t.claim(h, worker) })
}

// holds makes sure worker holds h before acting on it: an open handoff is
// claimed for them; one another link worker holds is an EConflict (take it
// over first, which is recorded).
func (t *turn) holds(h *bot.Handoff, worker string) error {
	switch {
	case h.Status == bot.HandoffOpen:
		return t.claim(h, worker)
	case h.Status == bot.HandoffClaimed && h.ClaimedBy != worker:
		return bot.Errorf(bot.EConflict, "another link worker has this conversation; take it over first")
	}
	return nil
}

func (t *turn) claim(h *bot.Handoff, worker string) error {
	switch {
	case h.Status == bot.HandoffClaimed && h.ClaimedBy == worker:
		return nil
	case h.Status == bot.HandoffClaimed:
		return bot.Errorf(bot.EConflict, "handoff %s is already claimed by another link worker", h.ID)
	case h.Status != bot.HandoffOpen:
		return bot.Errorf(bot.EConflict, "handoff %s is %s", h.ID, h.Status)
	}
	h.Status, h.ClaimedBy, h.ClaimedAt = bot.HandoffClaimed, worker, t.now
	if err := t.tx.PutHandoff(h); err != nil {
		return err
	}
	if err := t.tx.DeleteTimer(bot.HandoffTimerID(h.ID)); err != nil {
		return err
	}
	return t.event(bot.EventHandoffClaimed, map[string]string{"handoff": h.ID, "by": worker})
}

// Unclaim puts a claimed handoff back for anyone to claim: the person
// waits in the inbox again, the response clock's re-alerts start again,
// and link workers are told. by is who did it (the holder or a colleague).
// It returns the user id of who held it.
func (e *Engine) Unclaim(ctx context.Context, handoffID, by string) (from string, err error) {
	err = e.onHandoff(ctx, handoffID, func(t *turn, h *bot.Handoff) error {
		if h.Status != bot.HandoffClaimed {
			return bot.Errorf(bot.EConflict, "handoff %s is not claimed by anyone", h.ID)
		}
		from = h.ClaimedBy
		h.Status, h.ClaimedBy, h.ClaimedAt = bot.HandoffOpen, "", time.Time{}
		if err := t.tx.PutHandoff(h); err != nil {
			return err
		}
		if err := t.event(bot.EventHandoffUnclaimed, map[string]string{"handoff": h.ID, "by": by, "from": from}); err != nil {
			return err
		}
		h.Alerts++
		t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertHandoff, Urgent: h.Urgent, ContactID: h.ContactID, HandoffID: h.ID})
		if err := t.tx.PutHandoff(h); err != nil {
			return err
		}
		return t.setHandoffTimer(h)
	})
	return from, err
}

func (e *Engine) onHandoff(ctx context.Context, handoffID string, fn func(*turn, *bot.Handoff) error) error {
	var contactID string
	err := e.cfg.Store.View(ctx, func(tx bot.Tx) error {
		h, err := tx.Handoff(handoffID)
		if err == nil {
			contactID = h.ContactID
		}
		return err
	})
	if err != nil {
		return err
	}
	return e.onContact(ctx, contactID, func(t *turn) error {
		h, err := t.tx.Handoff(handoffID)
		if err != nil {
			return err
		}
		return fn(t, h)
	})
}

// Reply sends text from link worker worker to the person over their own
// channel, through the outbox. The person's conversation must be held by
// a handoff (TakeOver first); opt-outs are respected.
func (e *Engine) Reply(ctx context.Context, contactID, worker, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return bot.Errorf(bot.EInvalid, "the reply is empty")
	}
	return e.onContact(ctx, contactID, func(t *turn) error {
		h, err := t.tx.ActiveHandoff(contactID)
		if errors.Is(err, bot.ErrNotFound) {
			return bot.Errorf(bot.EConflict, "take over the conversation before replying")
		} else if err != nil {
			return err
		}
		if err := t.holds(h, worker); err != nil {
			return err
		}
		if t.contact.Primary() == (bot.Address{}) {
			return bot.Errorf(bot.EInvalid, "this person has not connected on any channel yet")
		}
		t.author = "worker:" + worker
		if err := t.queue(&bot.Outbound{Text: text}); err != nil {
			return err
		}
		return t.event(bot.EventWorkerReply, map[string]string{"handoff": h.ID, "by": worker})
	})
}

// Resolve closes a handoff with an outcome note. With resume the bot picks
// the flow up where it paused and asks its question again; otherwise the
// conversation ends politely.
func (e *Engine) Resolve(ctx context.Context, handoffID, worker, outcome string, resume bool) error {
	return e.onHandoff(ctx, handoffID, func(t *turn, h *bot.Handoff) error {
		if !h.Active() {
			return bot.Errorf(bot.EConflict, "handoff %s is already resolved", h.ID)
		}
		if err := t.holds(h, worker); err != nil {
			return err
		}
		h.Status, h.ResolvedBy, h.ResolvedAt, h.Outcome, h.Resumed = bot.HandoffResolved, worker, t.now, outcome, resume
		if err := t.tx.PutHandoff(h); err != nil {
			return err
		}
		if err := t.tx.DeleteTimer(bot.HandoffTimerID(h.ID)); err != nil {
			return err
		}
		if err := t.event(bot.EventHandoffResolved, map[string]string{"handoff": h.ID, "by": worker, "resumed": boolString(resume)}); err != nil {
			return err
		}
		if t.conv != nil {
			t.conv.NeedsHuman, t.conv.Invalid = false, 0
		}
		if resume && t.conv != nil && t.conv.Status == bot.ConvActive {
			if f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID); ok {
				if _, ok := f.States[t.conv.State]; ok {
					// The person has been talking to a link worker: a bare
					// question from the bot would read as if no one heard
					// them, so it first says it is carrying on.
					if err := t.say("handoff.resuming", nil); err != nil {
						return err
					}
					return t.reask(f)
				}
			}
		}
		if t.conv != nil && t.conv.Status == bot.ConvActive {
			t.conv.Status, t.conv.UpdatedAt = bot.ConvDone, t.now
			if err := t.tx.PutConversation(t.conv); err != nil {
				return err
			}
		}
		return t.say("handoff.ended", nil)
	})
}

// followUp tells a person who showed risk that the team has been told —
// only after a Notifier has told a person, and only while the handoff is
// still active.
func (e *Engine) followUp(ctx context.Context, contactID string) {
	err := e.onContact(ctx, contactID, func(t *turn) error {
		if _, err := t.tx.ActiveHandoff(contactID); err != nil {
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			}
			return err
		}
		return t.say("handoff.risk_told", nil)
	})
	if err != nil {
		e.cfg.Log.Error("tell person the team was alerted", "contact", contactID, "err", err)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// acknowledgements are short replies that only receive what was said.
var acknowledgements = map[string]bool{
	"ok": true, "okay": true, "k": true, "kk": true, "thanks": true, "thank you": true, "thankyou": true,
	"ta": true, "cheers": true, "ok thanks": true, "ok thank you": true, "okay thanks": true,
	"okay thank you": true, "thanks very much": true, "thank you very much": true, "great": true,
	"great thanks": true, "lovely": true, "lovely thanks": true, "will do": true, "👍": true, "🙏": true,
}

// acknowledgement reports whether text only receives what was said.
func acknowledgement(text string) bool {
	s := strings.ToLower(strings.TrimSpace(text))
	s = strings.TrimRight(s, ".!, ")
	return acknowledgements[s]
}

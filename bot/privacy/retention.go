package privacy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/bot"
)

// Retention removes, after a set time, the transcripts of conversations
// that never became part of anyone's care record: people who started
// talking to the bot and never submitted a referral, answered a survey,
// were handed to a link worker or put on a check-in schedule. Their
// messages older than After go, with the outbox rows that carried the
// bot's side, the risk screen's copy of their last words once nothing
// newer is left, and a finished conversation (its answers) untouched for
// as long. Someone in the middle of a conversation is left alone until it
// ends. The contact itself stays, so an opt-out is still honoured.
//
// A sweep reads the candidates in a read-only transaction and removes at
// most Batch messages per write transaction, so it never holds the one
// writer for long while messages are being handled.
type Retention struct {
	Store bot.Store
	Clock bot.Clock
	Log   *slog.Logger
	// After is how old a message must be to go. Zero turns retention off.
	After time.Duration
	// Batch is the most messages one write transaction removes. Default 500.
	Batch int
	// Every is how often Run sweeps. Default 1 hour.
	Every time.Duration

	sweeps, contacts, messages, outbox, convs, failures atomic.Int64
}

// RetentionResult counts what one sweep removed.
type RetentionResult struct {
	Contacts      int // contacts who lost something
	Messages      int
	Outbox        int
	Conversations int
}

// Run sweeps now and then every Every until ctx is cancelled. A sweep that
// fails is logged and counted, and the next one tries again. With After
// zero it returns at once.
func (r *Retention) Run(ctx context.Context) {
	if r.After <= 0 {
		return
	}
	every := r.Every
	if every <= 0 {
		every = time.Hour
	}
	for {
		if _, err := r.Sweep(ctx); err != nil && ctx.Err() == nil {
			r.log().Error("retention: sweep", "err", err)
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (r *Retention) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

func (r *Retention) now() time.Time {
	if r.Clock == nil {
		return bot.SystemClock{}.Now()
	}
	return r.Clock.Now()
}

// Sweep removes what has outlived After now and reports what it removed.
func (r *Retention) Sweep(ctx context.Context) (RetentionResult, error) {
	var res RetentionResult
	if r.After <= 0 {
		return res, nil
	}
	r.sweeps.Add(1)
	cutoff := r.now().Add(-r.After)
	cands, err := r.candidates(ctx, cutoff)
	if err != nil {
		r.failures.Add(1)
		return res, err
	}
	for _, id := range cands {
		n, err := r.trim(ctx, id, cutoff)
		res.Messages += n.Messages
		res.Outbox += n.Outbox
		res.Conversations += n.Conversations
		if n != (RetentionResult{}) {
			res.Contacts++
		}
		if err != nil {
			if ctx.Err() != nil {
				r.record(res)
				return res, ctx.Err()
			}
			// One contact's trouble (a record that will not decode, say)
			// must not stop retention for everyone: count it and go on.
			r.failures.Add(1)
			r.log().Error("retention: contact skipped", "contact_id", id, "err", err)
		}
	}
	r.record(res)
	if res.Contacts > 0 {
		r.log().Info("retention: removed old transcripts", "contacts", res.Contacts, "messages", res.Messages,
			"outbox", res.Outbox, "conversations", res.Conversations)
	}
	return res, nil
}

func (r *Retention) record(res RetentionResult) {
	r.contacts.Add(int64(res.Contacts))
	r.messages.Add(int64(res.Messages))
	r.outbox.Add(int64(res.Outbox))
	r.convs.Add(int64(res.Conversations))
}

// candidates are the contacts with no care record, no schedule and no
// conversation running, whose transcript starts before cutoff or whose
// finished conversation was last touched before it.
func (r *Retention) candidates(ctx context.Context, cutoff time.Time) ([]string, error) {
	var out []string
	err := r.Store.View(ctx, func(tx bot.Tx) error {
		out = out[:0]
		kept := map[string]bool{}
		mark := func(id string) bool { kept[id] = true; return true }
		err := errors.Join(
			tx.Referrals(func(x *bot.Referral) bool { return mark(x.ContactID) }),
			tx.SurveyResults("", func(x *bot.SurveyResult) bool { return mark(x.ContactID) }),
			tx.Handoffs(func(x *bot.Handoff) bool { return mark(x.ContactID) }),
			tx.Schedules("", func(x *bot.Schedule) bool { return mark(x.ContactID) }),
			// A link worker's note, a risk entry or a referral status
			// change is care record too, as erasure counts it.
			tx.Events(func(x *bot.Event) bool {
				if careEvents[x.Kind] {
					kept[x.ContactID] = true
				}
				return true
			}),
		)
		if err != nil {
			return err
		}
		var ids []string
		if err := tx.Contacts(func(c *bot.Contact) bool {
			if !kept[c.ID] {
				ids = append(ids, c.ID)
			}
			return true
		}); err != nil {
			return err
		}
		for _, id := range ids {
			conv, err := tx.Conversation(id)
			if err != nil && !errors.Is(err, bot.ErrNotFound) {
				return err
			}
			if conv != nil && conv.Status == bot.ConvActive {
				continue // mid-conversation: not abandoned (yet)
			}
			old := conv != nil && conv.UpdatedAt.Before(cutoff)
			if !old {
				if err := tx.Messages(id, func(m *bot.Message) bool { old = m.At.Before(cutoff); return false }); err != nil {
					return err
				}
			}
			if old {
				out = append(out, id)
			}
		}
		return nil
	})
	return out, err
}

// trim removes one contact's messages older than cutoff, Batch at a time,
// then its finished conversation if that is as old. Each transaction
// checks again that the contact has not come back (busy).
func (r *Retention) trim(ctx context.Context, id string, cutoff time.Time) (RetentionResult, error) {
	batch := r.Batch
	if batch <= 0 {
		batch = 500
	}
	var total RetentionResult
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n RetentionResult
		done := false
		err := r.Store.Update(ctx, func(tx bot.Tx) error {
			n, done = RetentionResult{}, false
			if err := bot.LockPerson(tx, id); err != nil {
				return err
			}
			if busy, err := r.busy(tx, id); err != nil || busy {
				done = true
				return err
			}
			var old []*bot.Message
			if err := tx.Messages(id, func(m *bot.Message) bool {
				if !m.At.Before(cutoff) {
					return false
				}
				old = append(old, m)
				return len(old) < batch
			}); err != nil {
				return err
			}
			for _, m := range old {
				if err := tx.DeleteMessage(id, m.ID); err != nil {
					return err
				}
				n.Messages++
				if m.Direction == bot.Out && m.OutboxID != 0 {
					o, err := tx.Outbound(m.OutboxID)
					if errors.Is(err, bot.ErrNotFound) {
						continue
					} else if err != nil {
						return err
					}
					if o.Status != bot.StatusPending {
						if err := tx.DeleteOutbound(o.ID); err != nil {
							return err
						}
						n.Outbox++
					}
				}
			}
			if len(old) == batch {
				return nil // more to come, in the next transaction
			}
			done = true
			return r.finish(tx, id, cutoff, &n)
		})
		total.Messages += n.Messages
		total.Outbox += n.Outbox
		total.Conversations += n.Conversations
		if err != nil || done {
			return total, err
		}
	}
}

// busy reports whether the contact has come back since the candidates
// were read: a conversation running again, a link worker holding it, or a
// survey answered or check-in scheduled meanwhile.
func (r *Retention) busy(tx bot.Tx, id string) (bool, error) {
	if _, err := tx.ActiveHandoff(id); err == nil {
		return true, nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return false, err
	}
	some := false
	seen := func() bool { some = true; return false }
	if err := errors.Join(
		tx.SurveyResults(id, func(*bot.SurveyResult) bool { return seen() }),
		tx.Schedules(id, func(*bot.Schedule) bool { return seen() }),
	); err != nil || some {
		return some, err
	}
	conv, err := tx.Conversation(id)
	if errors.Is(err, bot.ErrNotFound) {
		return false, nil
	}
	return err == nil && conv.Status == bot.ConvActive, err
}

// finish removes a finished conversation untouched since cutoff and, when
// no message is left, the risk screen's copy of the last ones.
func (r *Retention) finish(tx bot.Tx, id string, cutoff time.Time, n *RetentionResult) error {
	conv, err := tx.Conversation(id)
	if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return err
	}
	if conv != nil && conv.Status != bot.ConvActive && conv.UpdatedAt.Before(cutoff) {
		if err := tx.DeleteConversation(id); err != nil {
			return err
		}
		n.Conversations++
	}
	empty := true
	if err := tx.Messages(id, func(*bot.Message) bool { empty = false; return false }); err != nil {
		return err
	}
	if !empty {
		return nil
	}
	c, err := tx.Contact(id)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if len(c.Recent) == 0 {
		return nil
	}
	c.Recent = nil
	return tx.PutContact(c)
}

// WritePrometheus writes the retention counters in the Prometheus text
// format.
func (r *Retention) WritePrometheus(w io.Writer) {
	counter := func(name, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("linkline_retention_sweeps_total", "Retention sweeps started.", r.sweeps.Load())
	counter("linkline_retention_failures_total", "Retention sweeps that failed, and contacts a sweep had to skip.", r.failures.Load())
	counter("linkline_retention_contacts_total", "Contacts whose old transcript retention trimmed.", r.contacts.Load())
	counter("linkline_retention_messages_removed_total", "Transcript messages removed by retention.", r.messages.Load())
	counter("linkline_retention_outbox_removed_total", "Finished outbox rows removed by retention.", r.outbox.Load())
	counter("linkline_retention_conversations_removed_total", "Finished conversations removed by retention.", r.convs.Load())
}

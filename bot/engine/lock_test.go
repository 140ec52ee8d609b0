package engine_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/channels/sim"
)

// lockRecorder is a real store whose write transactions record, in order,
// the locks they take and the writes they make, so a test can see that
// every path that changes a person takes the person's lock first.
type lockRecorder struct {
	bot.Store
	mu  sync.Mutex
	txs [][]string // one per run of an Update's fn
}

func (r *lockRecorder) Update(ctx context.Context, fn func(bot.Tx) error) error {
	return r.Store.Update(ctx, func(tx bot.Tx) error {
		rec := &recTx{Tx: tx}
		err := fn(rec)
		r.mu.Lock()
		r.txs = append(r.txs, rec.calls)
		r.mu.Unlock()
		return err
	})
}

// take returns the transactions recorded since it was last called.
func (r *lockRecorder) take() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.txs
	r.txs = nil
	return out
}

// recTx records LockKey and every write bot.Tx has; reads pass through.
type recTx struct {
	bot.Tx
	calls []string
}

func (t *recTx) note(s string) { t.calls = append(t.calls, s) }

func (t *recTx) LockKey(key string) error { t.note("LockKey " + key); return t.Tx.LockKey(key) }
func (t *recTx) MarkSeen(contactID, id string, at time.Time) (bool, error) {
	t.note("MarkSeen")
	return t.Tx.MarkSeen(contactID, id, at)
}
func (t *recTx) ForgetSeen(c time.Time) (int, error) { t.note("ForgetSeen"); return t.Tx.ForgetSeen(c) }
func (t *recTx) DeleteSeen(id string) error          { t.note("DeleteSeen"); return t.Tx.DeleteSeen(id) }
func (t *recTx) PutContact(c *bot.Contact) error     { t.note("PutContact"); return t.Tx.PutContact(c) }
func (t *recTx) PutConversation(c *bot.Conversation) error {
	t.note("PutConversation")
	return t.Tx.PutConversation(c)
}
func (t *recTx) AppendMessage(m *bot.Message) error {
	t.note("AppendMessage")
	return t.Tx.AppendMessage(m)
}
func (t *recTx) PutReferral(r *bot.Referral) error { t.note("PutReferral"); return t.Tx.PutReferral(r) }
func (t *recTx) Enqueue(o *bot.Outbound) error     { t.note("Enqueue"); return t.Tx.Enqueue(o) }
func (t *recTx) PutOutbound(o *bot.Outbound) error { t.note("PutOutbound"); return t.Tx.PutOutbound(o) }
func (t *recTx) ClaimOutbound(c bot.OutboxClaim) ([]*bot.Outbound, error) {
	t.note("ClaimOutbound")
	return t.Tx.ClaimOutbound(c)
}
func (t *recTx) PutTimer(tm *bot.Timer) error { t.note("PutTimer"); return t.Tx.PutTimer(tm) }
func (t *recTx) DeleteTimer(id string) error  { t.note("DeleteTimer"); return t.Tx.DeleteTimer(id) }
func (t *recTx) TakeTimer(id string, due time.Time) (bool, error) {
	t.note("TakeTimer")
	return t.Tx.TakeTimer(id, due)
}
func (t *recTx) PutHandoff(h *bot.Handoff) error { t.note("PutHandoff"); return t.Tx.PutHandoff(h) }
func (t *recTx) PutEnrolment(e *bot.Enrolment) error {
	t.note("PutEnrolment")
	return t.Tx.PutEnrolment(e)
}
func (t *recTx) PutSetting(k, v string) error    { t.note("PutSetting"); return t.Tx.PutSetting(k, v) }
func (t *recTx) PutUser(u *bot.User) error       { t.note("PutUser"); return t.Tx.PutUser(u) }
func (t *recTx) PutSession(s *bot.Session) error { t.note("PutSession"); return t.Tx.PutSession(s) }
func (t *recTx) DeleteSession(tok string) error {
	t.note("DeleteSession")
	return t.Tx.DeleteSession(tok)
}
func (t *recTx) DeleteSessions(drop func(*bot.Session) bool) (int, error) {
	t.note("DeleteSessions")
	return t.Tx.DeleteSessions(drop)
}
func (t *recTx) TakeToken(key string, burst int, every time.Duration, now time.Time) (bool, error) {
	t.note("TakeToken")
	return t.Tx.TakeToken(key, burst, every, now)
}
func (t *recTx) AddAudit(a *bot.AuditEntry) error { t.note("AddAudit"); return t.Tx.AddAudit(a) }
func (t *recTx) IndexEvents(max int) (int, error) {
	t.note("IndexEvents")
	return t.Tx.IndexEvents(max)
}
func (t *recTx) PutSurveyResult(r *bot.SurveyResult) error {
	t.note("PutSurveyResult")
	return t.Tx.PutSurveyResult(r)
}
func (t *recTx) PutSchedule(s *bot.Schedule) error { t.note("PutSchedule"); return t.Tx.PutSchedule(s) }
func (t *recTx) DeleteSchedule(id string) error {
	t.note("DeleteSchedule")
	return t.Tx.DeleteSchedule(id)
}
func (t *recTx) AddEvent(e *bot.Event) error { t.note("AddEvent"); return t.Tx.AddEvent(e) }
func (t *recTx) DeleteContact(id string) error {
	t.note("DeleteContact")
	return t.Tx.DeleteContact(id)
}
func (t *recTx) DeleteConversation(id string) error {
	t.note("DeleteConversation")
	return t.Tx.DeleteConversation(id)
}
func (t *recTx) DeleteMessage(c string, id uint64) error {
	t.note("DeleteMessage")
	return t.Tx.DeleteMessage(c, id)
}
func (t *recTx) DeleteOutbound(id uint64) error {
	t.note("DeleteOutbound")
	return t.Tx.DeleteOutbound(id)
}
func (t *recTx) DeleteEvent(id uint64) error { t.note("DeleteEvent"); return t.Tx.DeleteEvent(id) }
func (t *recTx) DeleteEnrolment(tok string) error {
	t.note("DeleteEnrolment")
	return t.Tx.DeleteEnrolment(tok)
}

// checkLocked fails unless every write transaction in txs (other than a
// dispatcher claiming rows, which changes no person) takes a lock before
// anything else, the first of them being first, and takes person's lock
// (if given) before its first write.
func checkLocked(t *testing.T, step string, txs [][]string, first, person string) {
	t.Helper()
	n := 0
	for _, calls := range txs {
		if !slices.ContainsFunc(calls, func(c string) bool { return c != "ClaimOutbound" }) {
			continue
		}
		n++
		if !strings.HasPrefix(calls[0], "LockKey ") {
			t.Errorf("%s: a transaction wrote before it locked: %v", step, calls)
			continue
		}
		if first != "" && calls[0] != "LockKey "+first {
			t.Errorf("%s: first lock %q, want %q (calls %v)", step, calls[0], "LockKey "+first, calls)
		}
		if person == "" {
			continue
		}
		for _, c := range calls {
			if c == "LockKey "+person {
				break
			}
			if !strings.HasPrefix(c, "LockKey ") {
				t.Errorf("%s: %s before the person's lock %q: %v", step, c, person, calls)
				break
			}
		}
	}
	if n == 0 {
		t.Errorf("%s: no write transaction was recorded", step)
	}
}

// TestEveryPersonPathLocksFirst drives every path that changes a person
// through a real bbolt store and checks each takes the person's lock (or,
// for a first message, the address's) before it writes: on a store with
// several writers (PostgreSQL's advisory locks) that is what keeps two
// turns about one person from interleaving.
func TestEveryPersonPathLocksFirst(t *testing.T) {
	ctx := context.Background()
	var rec *lockRecorder
	w := newWorld(t, func(c *engine.Config) { rec = &lockRecorder{Store: c.Store}; c.Store = rec })
	sender := sim.NewSender(w.inbox.Deliver)
	w.disp = outbox.NewDispatcher(rec, map[bot.Channel]bot.Sender{bot.SMS: sender, bot.Telegram: sender}, outbox.DispatchOptions{Clock: w.clock})
	a, _ := bot.ParseAddress(person)
	addrKey := "address:" + person

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	step := func(name string, run func()) [][]string {
		t.Helper()
		rec.take()
		run()
		return rec.take()
	}

	// Someone who only ever said STOP: retention will take their words.
	gone, _ := bot.ParseAddress("sms:+447700900999")
	must(w.engine.Handle(ctx, bot.Inbound{Address: gone, Text: "STOP", ProviderID: "g1"}))
	goneKey := "person:" + w.contact(gone.String()).ID
	w.replies(gone)

	// A first message: the address's lock, then the new person's.
	txs := step("first message", func() { must(w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "hi", ProviderID: "m1"})) })
	c := w.contact(person)
	pk := "person:" + c.ID
	checkLocked(t, "first message", txs, addrKey, "")
	if !slices.Contains(txs[0], "LockKey "+pk) {
		t.Errorf("first message: the new person's lock was not taken: %v", txs[0])
	}
	// The dispatcher recording what it sent changes the person when the
	// provider reports an opt-out: it locks too.
	checkLocked(t, "dispatcher finish", step("dispatcher", func() { must(w.disp.Drain(ctx)) }), "", pk)
	w.inbox.Take(a)

	txs = step("next message", func() { must(w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "yes", ProviderID: "m2"})) })
	checkLocked(t, "next message", txs, addrKey, pk)
	w.replies(a)

	// The provider delivering it again: the locks, the look at its id, and
	// not one write.
	txs = step("repeat", func() { must(w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "yes", ProviderID: "m2"})) })
	if want := []string{"LockKey " + addrKey, "LockKey " + pk, "MarkSeen"}; len(txs) != 1 || !slices.Equal(txs[0], want) {
		t.Errorf("repeat: transactions %v, want one of %v", txs, want)
	}
	if got := w.replies(a); len(got) != 0 {
		t.Errorf("repeat: replies %q, want none", got)
	}

	// A delivery report: its provider id's lock, then the person's.
	var row *bot.Outbound
	for _, o := range outboxRows(t, w) {
		if o.ContactID == c.ID && o.ProviderID != "" {
			row = o
			break
		}
	}
	checkLocked(t, "status report", step("status", func() { must(w.engine.RecordStatus(ctx, row.ProviderID, bot.StatusDelivered, "")) }),
		"provider:"+row.ProviderID, pk)
	checkLocked(t, "early status report", step("early", func() { must(w.engine.RecordStatus(ctx, "SMnotyet", bot.StatusDelivered, "")) }),
		"provider:SMnotyet", "")

	// A reminder falling due.
	w.clock.Advance(25 * time.Hour)
	txs = step("timer", func() {
		if n, err := w.sched.FireDue(ctx); err != nil || n == 0 {
			t.Fatalf("FireDue = %d, %v; want a reminder fired", n, err)
		}
	})
	checkLocked(t, "timer fire", txs, pk, pk)
	w.replies(a)

	// A link worker's actions: the person asks for one, the handoff is
	// assigned (claimed for a colleague), taken over, answered, resolved.
	w.send(person, "talk to someone")
	h := w.handoff(person)
	checkLocked(t, "assign", step("assign", func() { must(w.engine.Claim(ctx, h.ID, "u2")) }), pk, pk)
	checkLocked(t, "take over", step("take over", func() {
		_, err := w.engine.TakeOver(ctx, c.ID, "u1")
		must(err)
	}), pk, pk)
	checkLocked(t, "reply", step("reply", func() { must(w.engine.Reply(ctx, c.ID, "u1", "Hello from Jo")) }), pk, pk)
	checkLocked(t, "resolve", step("resolve", func() { must(w.engine.Resolve(ctx, h.ID, "u1", "done", false)) }), pk, pk)
	w.replies(a)

	checkLocked(t, "unreachable", step("reach", func() { must(w.engine.SetReachable(ctx, a, false, "blocked")) }), addrKey, pk)

	// Retention removing old messages.
	w.clock.Advance(100 * 24 * time.Hour)
	w.sched.FireDue(ctx)
	r := &privacy.Retention{Store: rec, Clock: w.clock, After: 30 * 24 * time.Hour}
	txs = step("retention", func() {
		if res, err := r.Sweep(ctx); err != nil || res.Messages == 0 {
			t.Fatalf("Sweep = %+v, %v; want messages removed", res, err)
		}
	})
	checkLocked(t, "retention", txs, goneKey, goneKey)

	// Erasure, by address.
	checkLocked(t, "erase", step("erase", func() {
		_, err := w.privacy.Erase(ctx, person, "u1", false)
		must(err)
	}), pk, pk)
}

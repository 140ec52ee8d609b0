package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/flows"
)

// alerts records link-worker alerts; err is what Notify returns.
type alerts struct {
	mu  sync.Mutex
	got []bot.Alert
	err error
}

func (a *alerts) Notify(ctx context.Context, al bot.Alert) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, al)
	return a.err
}

func (a *alerts) list() []bot.Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bot.Alert(nil), a.got...)
}

func withNotifier(n bot.Notifier) option { return func(c *engine.Config) { c.Notifier = n } }

func (w *world) handoff(addr string) *bot.Handoff {
	w.t.Helper()
	c := w.contact(addr)
	var h *bot.Handoff
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		h, err = tx.ActiveHandoff(c.ID)
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	}
	if err != nil {
		w.t.Fatalf("active handoff: %v", err)
	}
	return h
}

func TestRiskOpensUrgentHandoffAndTellsPersonOnlyWhenAlerted(t *testing.T) {
	cases := []struct {
		name     string
		notifier bot.Notifier
		followUp bool
	}{
		{"alert delivered", &alerts{}, true},
		{"log only", &alerts{err: bot.ErrNotDelivered}, false},
		{"no notifier", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, withNotifier(c.notifier))
			w.send(person, "hi")
			w.send(person, "yes")
			got := w.send(person, "i dont want to be alive anymore")
			if len(got) == 0 || got[0] != risk.CrisisText {
				t.Fatalf("replies = %q, want the crisis text first", got)
			}
			if told := len(got) == 2 && strings.Contains(got[1], "We have told the link worker team"); told != c.followUp {
				t.Fatalf("replies = %q, want follow-up %v", got, c.followUp)
			}
			if len(got) > 2 || (!c.followUp && len(got) != 1) {
				t.Fatalf("replies = %q", got)
			}
			h := w.handoff(person)
			if !h.Urgent || h.Reason != bot.ReasonRisk || h.Status != bot.HandoffOpen {
				t.Fatalf("handoff = %+v", h)
			}
			ev := w.events(bot.EventRisk)
			if len(ev) != 1 || ev[0].Data["text"] != "i dont want to be alive anymore" || ev[0].Data["rule"] == "" {
				t.Fatalf("risk record = %+v", ev)
			}
			// The conversation is held for the link worker: no flow reply,
			// only (once) where the messages are; a bare "ok" first gets
			// nothing (it only receives the reply before).
			if got := w.send(person, "ok thanks"); len(got) != 0 {
				t.Fatalf("an acknowledgement in a handoff got %q", got)
			}
			if got := w.send(person, "Sam"); len(got) != 1 || !strings.Contains(got[0], "Your messages are with the link worker team") {
				t.Fatalf("held conversation replied %q", got)
			}
			if c := w.conversation(person); c.State != "name" {
				t.Fatalf("conversation moved to %q while held", c.State)
			}
		})
	}
}

func TestHandoffWordingByClock(t *testing.T) {
	cases := []struct {
		name, at string
		want     []string
	}{
		{"in hours", "2026-11-27 10:00", []string{"working today", "may not be able to reply straight away"}},
		{"friday night", "2026-11-27 22:00", []string{"next in on Monday at 9am", "116 123", "999"}},
		{"sunday 2am", "2026-11-29 02:00", []string{"next in tomorrow at 9am", "116 123"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.clock.Set(bottest.London(t, c.at))
			w.send(person, "hi")
			got := w.send(person, "HUMAN")
			if len(got) != 1 {
				t.Fatalf("replies = %q", got)
			}
			for _, s := range c.want {
				if !strings.Contains(got[0], s) {
					t.Fatalf("reply %q does not say %q", got[0], s)
				}
			}
			if h := w.handoff(person); h.Reason != bot.ReasonAsked || h.Urgent {
				t.Fatalf("handoff = %+v", h)
			}
		})
	}
}

func TestUnclaimedHandoffsRealert(t *testing.T) {
	ctx := context.Background()
	t.Run("urgent every 15 minutes until claimed", func(t *testing.T) {
		n := &alerts{}
		w := newWorld(t, withNotifier(n))
		w.clock.Set(bottest.London(t, "2026-11-28 03:00")) // Saturday night: nobody working
		w.send(person, "i want to kill myself")
		if len(n.list()) != 1 {
			t.Fatalf("alerts = %+v", n.list())
		}
		w.clock.Advance(14 * time.Minute)
		w.sched.FireDue(ctx)
		if len(n.list()) != 1 {
			t.Fatal("re-alerted before 15 minutes")
		}
		w.clock.Advance(time.Minute)
		w.sched.FireDue(ctx)
		w.clock.Advance(15 * time.Minute)
		w.sched.FireDue(ctx)
		got := n.list()
		if len(got) != 3 || got[2].Kind != "handoff_unclaimed" || !got[2].Urgent || got[2].HandoffID == "" {
			t.Fatalf("alerts = %+v", got)
		}
		h := w.handoff(person)
		if err := w.engine.Claim(ctx, h.ID, "u1"); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Hour)
		w.sched.FireDue(ctx)
		if len(n.list()) != 3 {
			t.Fatal("re-alerted after the handoff was claimed")
		}
	})
	t.Run("ordinary after 4 working hours", func(t *testing.T) {
		n := &alerts{}
		w := newWorld(t, withNotifier(n))
		w.clock.Set(bottest.London(t, "2026-11-27 15:00")) // Friday afternoon
		w.send(person, "hi")
		w.send(person, "talk to someone")
		w.clock.Set(bottest.London(t, "2026-11-30 10:59"))
		w.sched.FireDue(ctx)
		if len(n.list()) != 1 {
			t.Fatalf("re-alerted too soon: %+v", n.list())
		}
		w.clock.Set(bottest.London(t, "2026-11-30 11:00")) // 2h Friday + 2h Monday
		w.sched.FireDue(ctx)
		if got := n.list(); len(got) != 2 || got[1].Urgent {
			t.Fatalf("alerts = %+v", got)
		}
	})
}

func TestWorkerLifecycle(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes")
	c := w.contact(person)
	if err := w.engine.Reply(ctx, c.ID, "u1", "hello"); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("reply without a handoff: %v", err)
	}
	h, err := w.engine.TakeOver(ctx, c.ID, "u1")
	if err != nil || h.Status != bot.HandoffClaimed || h.ClaimedBy != "u1" {
		t.Fatalf("TakeOver = %+v, %v", h, err)
	}
	if err := w.engine.Claim(ctx, h.ID, "u2"); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("claiming another's handoff: %v", err)
	}
	if err := w.engine.Reply(ctx, c.ID, "u1", "  "); bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("empty reply: %v", err)
	}
	if err := w.engine.Reply(ctx, c.ID, "u1", "Hi Sam, it's Jo from the team."); err != nil {
		t.Fatal(err)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 1 || got[0] != "Hi Sam, it's Jo from the team." {
		t.Fatalf("worker reply delivered as %q", got)
	}
	tr := w.transcript(person)
	if last := tr[len(tr)-1]; last.Author != "worker:u1" {
		t.Fatalf("last transcript line = %+v", last)
	}
	if got := w.send(person, "thanks Jo"); len(got) != 0 {
		t.Fatalf("bot spoke during a handoff: %q", got)
	}
	// Resolve and resume: the bot asks its question again and carries on.
	if err := w.engine.Resolve(ctx, h.ID, "u1", "chatted", true); err != nil {
		t.Fatal(err)
	}
	// The person first hears the bot is carrying on, then the question.
	if got := w.replies(a); len(got) != 2 || !strings.Contains(got[0], "pick up where we left off") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("after resume: %q", got)
	}
	if got := w.send(person, "Sam"); !contains(got, "date of birth") {
		t.Fatalf("flow did not carry on: %q", got)
	}
	if err := w.engine.Resolve(ctx, h.ID, "u1", "again", true); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("resolving twice: %v", err)
	}
	// Resolve and end: a polite close, conversation done.
	h2, _ := w.engine.TakeOver(ctx, c.ID, "u2")
	if err := w.engine.Resolve(ctx, h2.ID, "u2", "referred to food bank", false); err != nil {
		t.Fatal(err)
	}
	if got := w.replies(a); len(got) != 1 || !strings.Contains(got[0], "Thank you for talking to us") {
		t.Fatalf("after end: %q", got)
	}
	if conv := w.conversation(person); conv.Status != bot.ConvDone {
		t.Fatalf("conversation = %+v", conv)
	}
}

func TestRiskDuringHandoffAlwaysAlerts(t *testing.T) {
	ctx := context.Background()
	n := &alerts{}
	w := newWorld(t, withNotifier(n))
	w.send(person, "hi")
	w.send(person, "i want to die")
	h := w.handoff(person)
	if err := w.engine.Claim(ctx, h.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	before := len(n.list())
	// The worker who claimed it may have gone home: more risk alerts again,
	// and the crisis text goes out again.
	got := w.send(person, "ive taken all my tablets")
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q", got)
	}
	if after := n.list(); len(after) != before+1 || !after[len(after)-1].Urgent {
		t.Fatalf("alerts before %d, after %+v", before, after)
	}
	// An ordinary message during the handoff is routed, not answered.
	if got := w.send(person, "hello?"); len(got) != 0 {
		t.Fatalf("replies = %q", got)
	}
}

func TestNoBotRemindersDuringHandoff(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes")
	h, err := w.engine.TakeOver(ctx, w.contact(person).ID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(100 * time.Hour) // past reminder and expiry
	w.sched.FireDue(ctx)
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("bot sent %q while a link worker held the conversation", got)
	}
	if c := w.conversation(person); c.Status != bot.ConvActive {
		t.Fatalf("conversation expired under the handoff: %+v", c)
	}
	// Resume asks the question again, and the reminder works again after.
	if err := w.engine.Resolve(ctx, h.ID, "u1", "ok", true); err != nil {
		t.Fatal(err)
	}
	if got := w.replies(a); len(got) != 2 || !strings.Contains(got[0], "pick up where we left off") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("resume = %q", got)
	}
	w.clock.Advance(25 * time.Hour)
	w.sched.FireDue(ctx)
	if got := w.replies(a); len(got) != 2 || !strings.Contains(got[0], "still here") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("reminder after resume = %q", got)
	}
}

func TestFlowHandoffAction(t *testing.T) {
	flow := `
id: ask
start: q
states:
  q: {say: [referral.ask_name], expect: text, save: name, next: h}
  h: {actions: [{do: handoff, reason: wants a call}], say: [core.reminder], final: true}
`
	set, err := flows.Load(fstest.MapFS{"ask.yaml": {Data: []byte(flow)}})
	if err != nil {
		t.Fatal(err)
	}
	n := &alerts{}
	w := newWorld(t, withNotifier(n), func(c *engine.Config) { c.Flows, c.StartFlow = set, "ask" })
	w.send(person, "hi")
	got := w.send(person, "Sam")
	if len(got) != 2 || !strings.Contains(got[0], "now with the link worker team") {
		t.Fatalf("replies = %q", got)
	}
	h := w.handoff(person)
	if h.Reason != bot.ReasonFlow || h.Detail != "wants a call" || h.Urgent {
		t.Fatalf("handoff = %+v", h)
	}
	if al := n.list(); len(al) != 1 || al[0].HandoffID != h.ID {
		t.Fatalf("alerts = %+v", al)
	}
}

func TestOnlyTheHolderRepliesOrResolves(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "talk to someone")
	c := w.contact(person)
	h := w.handoff(person)
	if err := w.engine.Claim(ctx, h.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Reply(ctx, c.ID, "ann", "hello"); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("reply to bob's handoff by ann: %v", err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "ann", "done", false); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("resolve of bob's handoff by ann: %v", err)
	}
	// Taking over from bob is allowed and recorded; then ann may act.
	if h2, err := w.engine.TakeOver(ctx, c.ID, "ann"); err != nil || h2.ClaimedBy != "ann" || h2.ID != h.ID {
		t.Fatalf("take over = %+v, %v", h2, err)
	}
	found := false
	for _, e := range w.events(bot.EventHandoffClaimed) {
		found = found || (e.Data["by"] == "ann" && e.Data["from"] == "bob")
	}
	if !found {
		t.Fatal("taking over from bob was not recorded")
	}
	if err := w.engine.Reply(ctx, c.ID, "ann", "hello"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "ann", "done", false); err != nil {
		t.Fatal(err)
	}
}

func TestReplyToSomeoneNotYetConnected(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	_, c, err := w.engine.CreateEnrolment(ctx, "Pat", "u1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.engine.TakeOver(ctx, c.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Reply(ctx, c.ID, "u1", "hello"); bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("reply to a contact with no address: %v", err)
	}
}

// TestUnclaim: a claimed handoff put back waits for anyone again: open,
// held by no one, recorded with who held it, link workers alerted again;
// then a colleague may claim it. An open one cannot be put back.
func TestUnclaim(t *testing.T) {
	ctx := context.Background()
	n := &alerts{}
	w := newWorld(t, withNotifier(n))
	w.send(person, "hi")
	w.send(person, "talk to someone")
	h := w.handoff(person)
	if _, err := w.engine.Unclaim(ctx, h.ID, "ann"); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("unclaiming an open handoff: %v", err)
	}
	if err := w.engine.Claim(ctx, h.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	before := len(n.list())
	from, err := w.engine.Unclaim(ctx, h.ID, "ann")
	if err != nil || from != "bob" {
		t.Fatalf("Unclaim = %q, %v", from, err)
	}
	if got := w.handoff(person); got.ID != h.ID || got.Status != bot.HandoffOpen || got.ClaimedBy != "" {
		t.Fatalf("after unclaim the handoff is %+v", got)
	}
	ev := w.events(bot.EventHandoffUnclaimed)
	if len(ev) != 1 || ev[0].Data["by"] != "ann" || ev[0].Data["from"] != "bob" {
		t.Fatalf("unclaim events = %+v", ev)
	}
	if len(n.list()) != before+1 {
		t.Errorf("link workers were not told the person waits again (%d alerts before, %d after)", before, len(n.list()))
	}
	if err := w.engine.Claim(ctx, h.ID, "cat"); err != nil {
		t.Fatalf("claim after unclaim: %v", err)
	}
}

// TestWaitingNoteWhileUnclaimed: a person who writes while nobody has
// claimed their handoff is told where their messages are and where to get
// help now (once an hour at most, and whenever they ask for a person
// again); once a link worker claims it the bot is quiet. (RESTART withdraws
// an unclaimed request of their own: see the self-referral scripts.)
func TestWaitingNoteWhileUnclaimed(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.clock.Set(bottest.London(t, "2026-11-29 02:00")) // a Sunday night
	w.send(person, "hi")
	w.send(person, "HUMAN")
	state := w.conversation(person).State
	note := func(got []string) bool {
		return len(got) == 1 && strings.HasPrefix(got[0], "Your messages are with the link worker team") &&
			strings.Contains(got[0], "next in tomorrow at 9am") && strings.Contains(got[0], "116 123") && strings.Contains(got[0], "999")
	}
	if got := w.send(person, "hello? is anyone there"); !note(got) {
		t.Fatalf("first message while waiting: %q", got)
	}
	w.clock.Advance(10 * time.Minute)
	if got := w.send(person, "ok"); len(got) != 0 {
		t.Fatalf("second message within the hour: %q", got)
	}
	if got := w.send(person, "HUMAN"); !note(got) {
		t.Fatalf("HUMAN again while waiting: %q", got)
	}
	// HELP does not offer RESTART, which cannot restart it now.
	if got := w.send(person, "HELP"); len(got) != 1 || strings.Contains(got[0], "RESTART") || !strings.Contains(got[0], "with the link worker team") {
		t.Fatalf("HELP while waiting: %q", got)
	}
	w.clock.Advance(bot.HandoffWaitingEvery)
	if got := w.send(person, "still nobody?"); !note(got) {
		t.Fatalf("a message an hour on: %q", got)
	}
	if c := w.conversation(person); c.State != state {
		t.Fatalf("the flow read messages during the handoff: state %q, was %q", c.State, state)
	}
	h := w.handoff(person)
	if err := w.engine.Claim(ctx, h.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(2 * bot.HandoffWaitingEvery)
	if got := w.send(person, "thank you"); len(got) != 0 {
		t.Fatalf("the bot answered a message a link worker holds: %q", got)
	}
}

// TestWaitingNoteInHoursGivesNumbers: in service hours, too, nothing says
// when the team will read a message, so the waiting note gives NHS 111
// and Samaritans (session 40's trials: it gave only 999 after a risk
// handoff).
func TestWaitingNoteInHoursGivesNumbers(t *testing.T) {
	w := newWorld(t)
	w.clock.Set(bottest.London(t, "2026-12-01 10:00")) // a Tuesday morning
	w.send(person, "hi")
	w.send(person, "HUMAN")
	got := w.send(person, "hello? is anyone there")
	if len(got) != 1 || !strings.Contains(got[0], "when they next check messages") || !strings.Contains(got[0], "116 123") || !strings.Contains(got[0], "NHS 111") {
		t.Fatalf("waiting note in hours = %q, want the numbers", got)
	}
}

// TestRestartWithdrawsOnlyAnOwnOpenRequest: RESTART withdraws a person's
// own request for someone while nobody has taken it up; a handoff opened
// for risk stays open (and the crisis path is unchanged).
func TestRestartWithdrawsOnlyAnOwnOpenRequest(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "HUMAN")
	if w.handoff(person) == nil {
		t.Fatal("HUMAN opened no handoff")
	}
	if got := w.send(person, "RESTART"); !contains(got, "Is that OK?") {
		t.Fatalf("RESTART after HUMAN: %q, want the referral from the start", got)
	}
	if h := w.handoff(person); h != nil {
		t.Fatalf("handoff still active: %+v", h)
	}

	w2 := newWorld(t)
	w2.send(person, "hi")
	w2.send(person, "i want to kill myself")
	if h := w2.handoff(person); h == nil || !h.Urgent {
		t.Fatalf("handoff = %+v, want an urgent one", h)
	}
	w2.send(person, "RESTART")
	if h := w2.handoff(person); h == nil {
		t.Fatal("RESTART withdrew an urgent handoff")
	}

	// A concern asked about while waiting: the team must see it (a
	// second review).
	w3 := newWorld(t)
	w3.send(person, "hi")
	w3.send(person, "HUMAN")
	w3.send(person, "i cant cope anymore, everything is falling apart")
	w3.send(person, "yes im safe")
	w3.send(person, "RESTART")
	if h := w3.handoff(person); h == nil {
		t.Fatal("RESTART withdrew a request after a concern")
	}

	// Claimed and let go again: a colleague must still see it.
	w4 := newWorld(t)
	w4.send(person, "hi")
	w4.send(person, "HUMAN")
	h := w4.handoff(person)
	ctx := context.Background()
	if err := w4.engine.Claim(ctx, h.ID, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := w4.engine.Unclaim(ctx, h.ID, "ann"); err != nil {
		t.Fatal(err)
	}
	w4.send(person, "RESTART")
	if w4.handoff(person) == nil {
		t.Fatal("RESTART withdrew a request a link worker had claimed")
	}
}

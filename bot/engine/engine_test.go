package engine_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
)

const person = "sms:+447700900123"

func contains(msgs []string, sub string) bool {
	for _, m := range msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func TestFirstMessageStartsSelfReferral(t *testing.T) {
	w := newWorld(t)
	got := w.send(person, "hello")
	if len(got) != 2 || !strings.Contains(got[1], "Is that OK?") || strings.Contains(got[1], "1. Yes") {
		t.Fatalf("replies = %q, want welcome and consent question (Yes/No buttons not numbered in text)", got)
	}
	conv := w.conversation(person)
	if conv.FlowID != "self-referral" || conv.State != "consent" || conv.Status != bot.ConvActive {
		t.Fatalf("conversation = %+v", conv)
	}
	tr := w.transcript(person)
	if len(tr) != 3 || tr[0].Direction != bot.In || tr[0].Text != "hello" || tr[1].Author != bot.AuthorBot {
		t.Fatalf("transcript = %+v", tr)
	}
}

// recordingScreen wraps the real screen and records the order of calls
// against what the engine did, to prove the screen runs before anything.
type recordingScreen struct {
	mu    sync.Mutex
	calls []string
	fire  string
}

func (s *recordingScreen) Screen(text string, recent []string) bot.Screening {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, text)
	if s.fire != "" && strings.Contains(strings.ToLower(text), s.fire) {
		return bot.Screening{Risk: bot.Risk{Tier: bot.RiskUrgent, Category: "test", Rule: "test/" + s.fire}}
	}
	return bot.Screening{}
}

func TestRiskScreenRunsFirstOnEveryMessage(t *testing.T) {
	screen := &recordingScreen{fire: "xyzzy"}
	w := newWorld(t, func(c *engine.Config) { c.Screen = screen })

	// A keyword, a flow answer and an opted-out person's words all pass
	// through the screen.
	w.send(person, "hi")
	w.send(person, "help")
	w.send(person, "STOP")
	if !w.contact(person).OptedOut {
		t.Fatal("STOP did not opt out")
	}
	if len(screen.calls) != 3 {
		t.Fatalf("screen saw %d messages, want 3: %q", len(screen.calls), screen.calls)
	}

	// Risk inside a STOP, while opted out: the crisis text still goes out,
	// exactly, and before the keyword could act.
	got := w.send(person, "STOP xyzzy")
	if len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want exactly the crisis text", got)
	}
	if ev := w.events(bot.EventRisk); len(ev) != 1 || ev[0].Data["rule"] != "test/xyzzy" {
		t.Fatalf("risk events = %+v", ev)
	}

	// Mid-flow, risk does not move or reset the conversation.
	w2 := newWorld(t, func(c *engine.Config) { c.Screen = screen })
	w2.send(person, "hi")
	w2.send(person, "yes")
	before := w2.conversation(person)
	got = w2.send(person, "xyzzy")
	after := w2.conversation(person)
	if len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("mid-flow risk replies = %q", got)
	}
	if after.State != before.State || after.Step != before.Step || after.Status != bot.ConvActive {
		t.Fatalf("conversation changed on risk: before %+v after %+v", before, after)
	}
}

func TestRealScreenCrisisReply(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	got := w.send(person, "i want to kill myself")
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want the crisis text first", got)
	}
}

func TestDuplicateProviderIDHandledOnce(t *testing.T) {
	w := newWorld(t)
	first := w.sendID(person, "hello", "SM1")
	again := w.sendID(person, "hello", "SM1")
	if len(first) == 0 || len(again) != 0 {
		t.Fatalf("first replies %q, retry replies %q", first, again)
	}
	if n := len(w.transcript(person)); n != 3 {
		t.Fatalf("transcript has %d lines, want 3 (1 in, 2 out)", n)
	}
	// The same id on another channel is another message.
	if got := w.sendID("sim:x", "hello", "SM1"); len(got) == 0 {
		t.Fatal("same provider id on another channel was dropped")
	}
}

func TestKeywords(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	if got := w.send(person, "  Help! "); !contains(got, "STOP") {
		t.Fatalf("HELP replies = %q", got)
	}
	if got := w.send(person, "stop."); len(got) != 1 || !contains(got, "START") {
		t.Fatalf("STOP replies = %q", got)
	}
	for _, text := range []string{"ok", "hello?", "HELP"} {
		if got := w.send(person, text); len(got) != 0 {
			t.Fatalf("after STOP, %q got replies %q", text, got)
		}
	}
	if n := len(w.transcript(person)); n < 8 {
		t.Fatalf("messages after STOP were not kept: transcript has %d lines", n)
	}
	if got := w.send(person, "START"); len(got) != 2 || !strings.Contains(got[1], "Is that OK?") {
		t.Fatalf("START replies = %q, want welcome back and the waiting question again", got)
	}
	// Not while a link worker holds the conversation (a review).
	wh := atName(t)
	wh.send(person, "i want to kill myself")
	wh.send(person, "STOP")
	if got := wh.send(person, "START"); len(got) != 1 {
		t.Fatalf("START in a handoff replies = %q, want only welcome back", got)
	}
	if w.contact(person).OptedOut {
		t.Fatal("START did not opt back in")
	}
	// Opting back in carries on where the conversation stopped.
	if got := w.send(person, "yes"); !contains(got, "What is your name?") {
		t.Fatalf("after START, yes got %q", got)
	}
	if got := w.send(person, "RESTART"); !contains(got, "Is that OK?") {
		t.Fatalf("RESTART replies = %q", got)
	}
	if c := w.conversation(person); c.State != "consent" || len(c.Answers) != 0 {
		t.Fatalf("after RESTART conversation = %+v", c)
	}
}

func TestThreeMisunderstoodAnswersNeedAHuman(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	for i := 1; i <= 2; i++ {
		got := w.send(person, "banana")
		if len(got) == 0 || w.conversation(person).Invalid != i {
			t.Fatalf("answer %d: replies %q, invalid %d", i, got, w.conversation(person).Invalid)
		}
	}
	got := w.send(person, "banana")
	conv := w.conversation(person)
	if !conv.NeedsHuman || len(w.events(bot.EventNeedsHuman)) != 1 || !contains(got, "passed your messages to the link worker team") {
		t.Fatalf("third miss: needs human %v, replies %q", conv.NeedsHuman, got)
	}
	if h := w.handoff(person); h.Reason != bot.ReasonMisunderstood || h.Urgent {
		t.Fatalf("handoff = %+v", h)
	}
	// The conversation now waits for a link worker: the person is told
	// where their messages are (once), and no flow answers.
	if got := w.send(person, "yes"); len(got) != 1 || !strings.Contains(got[0], "Your messages are with the link worker team") {
		t.Fatalf("first message during the handoff: %q", got)
	}
	if got := w.send(person, "yes"); len(got) != 0 {
		t.Fatalf("bot answered again during the handoff: %q", got)
	}
	if c := w.conversation(person); c.Invalid != 3 {
		t.Fatalf("the flow read a message during the handoff: %+v", c)
	}
}

func TestBadInputIsKeptAndAnswered(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"empty", "", "empty message"},
		{"whitespace", " \t\n ", "empty message"},
		{"huge", strings.Repeat("a", 10000), "shorter"},
		{"invalid utf8", "\xff\xfe yes", ""},
		{"emoji", "👍", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.send(person, "hi")
			got := w.send(person, c.text)
			if len(got) == 0 {
				t.Fatalf("no reply to %q", c.text)
			}
			if c.want != "" && !contains(got, c.want) {
				t.Fatalf("replies %q, want one containing %q", got, c.want)
			}
			tr := w.transcript(person)
			var in int
			for _, m := range tr {
				if m.Direction == bot.In {
					in++
				}
			}
			if in != 2 {
				t.Fatalf("transcript has %d inbound lines, want 2", in)
			}
		})
	}
}

func TestFlowChangedUnderConversationRestartsWithApology(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes")
	c := w.contact(person)
	// Simulate a conversation saved by an older version of the flow whose
	// state has since been removed.
	err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		conv, err := tx.Conversation(c.ID)
		if err != nil {
			return err
		}
		conv.State, conv.FlowVersion = "old_state_removed", 0
		return tx.PutConversation(conv)
	})
	if err != nil {
		t.Fatal(err)
	}
	got := w.send(person, "Sam")
	if len(got) < 2 || !strings.Contains(got[0], "changed") || !contains(got, "Is that OK?") {
		t.Fatalf("replies = %q, want an apology and the first question", got)
	}
	conv := w.conversation(person)
	if conv.State != "consent" || conv.FlowVersion != 1 {
		t.Fatalf("conversation = %+v", conv)
	}
	if len(w.events(bot.EventConvRestarted)) != 1 {
		t.Fatal("restart not recorded")
	}
}

func TestReminderAndExpirySurviveRestart(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.restart()
	ctx := context.Background()
	w.clock.Advance(23 * time.Hour)
	if n, _ := w.sched.FireDue(ctx); n != 0 {
		t.Fatalf("%d timers fired before the reminder was due", n)
	}
	w.clock.Advance(2 * time.Hour)
	if n, err := w.sched.FireDue(ctx); err != nil || n != 1 {
		t.Fatalf("FireDue = %d, %v; want the reminder", n, err)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 2 || !strings.Contains(got[0], "still here") || !strings.Contains(got[1], "Is that OK?") {
		t.Fatalf("reminder = %q, want it and the question again", got)
	}
	w.restart()
	w.clock.Advance(72 * time.Hour)
	if n, err := w.sched.FireDue(ctx); err != nil || n != 1 {
		t.Fatalf("FireDue = %d, %v; want the expiry", n, err)
	}
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("expiry sent %q", got)
	}
	if c := w.conversation(person); c.Status != bot.ConvExpired || len(w.events(bot.EventConvExpired)) != 1 {
		t.Fatalf("conversation after expiry = %+v", c)
	}
	// An answer resets the timers: a reply just before the reminder puts
	// it off for a day from the reply. (The row, left where it was, fires
	// at the old time and is armed again for the new one.)
	w2 := newWorld(t)
	w2.send(person, "hi")
	w2.clock.Advance(23 * time.Hour)
	w2.send(person, "yes")
	w2.replies(a)
	w2.clock.Advance(2 * time.Hour)
	if _, err := w2.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w2.replies(a); len(got) != 0 {
		t.Fatalf("a reminder 2 hours after an answer: %q", got)
	}
	w2.clock.Advance(22 * time.Hour)
	if n, err := w2.sched.FireDue(ctx); err != nil || n != 1 {
		t.Fatalf("FireDue a day after the answer = %d, %v; want the reminder", n, err)
	}
	if got := w2.replies(a); len(got) != 2 || !strings.Contains(got[0], "still here") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("reminder a day after the answer = %q", got)
	}
}

func TestSelfReferralCreatesReferral(t *testing.T) {
	w := newWorld(t)
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery", "yes",
		"Getting out more — seeing people 🙂", "1, 3", "2", "morning", "1"} {
		w.send(person, text)
	}
	var refs []*bot.Referral
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 {
		t.Fatalf("%d referrals, want 1", len(refs))
	}
	r := refs[0]
	want := bot.Referral{Status: bot.ReferralNew, Method: "Self referral", Name: "Sam Jones", DateOfBirth: "1958-03-12",
		Postcode: "SW1A 1AA", GPPractice: "Riverside Surgery", Carer: "yes", WhatMatters: "Getting out more — seeing people 🙂",
		ContactMethod: "phone", ContactTime: "morning", ConsentToRecord: true, ConsentToShare: true}
	if r.Status != want.Status || r.Method != want.Method || r.Name != want.Name || r.DateOfBirth != want.DateOfBirth ||
		r.Postcode != want.Postcode || r.GPPractice != want.GPPractice || r.Carer != want.Carer ||
		r.WhatMatters != want.WhatMatters || r.ContactMethod != want.ContactMethod || r.ContactTime != want.ContactTime ||
		!r.ConsentToRecord || fmt.Sprint(r.Needs) != "[lonely money]" {
		t.Fatalf("referral = %+v", r)
	}
	if got := w.send(person, "no"); len(got) != 1 || !contains(got, "That's fine") {
		t.Fatalf("declining the baseline got %q", got)
	}
	if len(w.events(bot.EventReferralCreated)) != 1 || w.conversation(person).Status != bot.ConvDone {
		t.Fatal("referral event or conversation end missing")
	}
	if got := w.send(person, "thanks"); !contains(got, "RESTART") {
		t.Fatalf("message after the referral got %q", got)
	}
}

// TestPhoneCallNeedsNumber: someone on Telegram who asks for a phone call
// is asked for a number, which the referral keeps; someone texting from a
// phone is not asked (their number is on the contact).
func TestPhoneCallNeedsNumber(t *testing.T) {
	answers := []string{"hi", "yes", "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "2"}
	tests := []struct {
		addr, phone string
		asked       bool
	}{
		{"telegram:5550001", "+447700900456", true},
		{"sms:+447700900123", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			w := newWorld(t)
			var got []string
			for _, text := range answers {
				got = w.send(tt.addr, text)
			}
			if asked := contains(got, "What number should the link worker call you on?"); asked != tt.asked {
				t.Fatalf("after choosing a phone call the bot said %q; asked for a number: %v, want %v", got, asked, tt.asked)
			}
			if tt.asked {
				if got := w.send(tt.addr, "my number"); !contains(got, "didn't recognise that phone number") {
					t.Fatalf("a number that is not one got %q", got)
				}
				w.send(tt.addr, "07700 900456")
			}
			if got := w.send(tt.addr, "morning"); !contains(got, "Please check your answers") || (tt.asked && !contains(got, "Phone call on +447700900456")) {
				t.Fatalf("summary = %q", got)
			}
			w.send(tt.addr, "1")
			var refs []*bot.Referral
			if err := w.store.View(context.Background(), func(tx bot.Tx) error {
				return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
			}); err != nil {
				t.Fatal(err)
			}
			if len(refs) != 1 || refs[0].ContactMethod != "phone" || refs[0].Phone != tt.phone || refs[0].ContactTime != "morning" {
				t.Fatalf("referrals = %+v", refs)
			}
		})
	}
}

// TestBaselineAfterSelfReferral: saying yes to the offer at the end of a
// self-referral ends that flow as done and starts ONS4 in the same turn.
func TestBaselineAfterSelfReferral(t *testing.T) {
	w := newWorld(t)
	for _, text := range []string{"hi", "yes", "Sam", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "1", "1", "1"} {
		w.send(person, text)
	}
	got := w.send(person, "yes")
	if len(got) != 2 || !contains(got, "4 short questions") || !contains(got, "satisfied") {
		t.Fatalf("yes to the baseline got %q", got)
	}
	if c := w.conversation(person); c.FlowID != "ons4" || c.State != "satisfied" || c.Status != bot.ConvActive {
		t.Fatalf("conversation = %s/%s %s, want ons4/satisfied active", c.FlowID, c.State, c.Status)
	}
	var ended bool
	for _, e := range w.events(bot.EventConvDone) {
		ended = ended || e.Data["flow"] == "self-referral"
	}
	if !ended || len(w.events(bot.EventReferralCreated)) != 1 {
		t.Fatal("self-referral not recorded as done with its referral")
	}
}

func TestConcurrentContacts(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			addr := bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+4477009%05d", i)}
			for j, text := range []string{"hi", "yes", "Pat"} {
				in := bot.Inbound{Address: addr, Text: text, ProviderID: fmt.Sprintf("%d-%d", i, j)}
				if err := w.engine.Handle(context.Background(), in); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i := range 50 {
		conv := w.conversation(fmt.Sprintf("sms:+4477009%05d", i))
		if conv.State != "dob" {
			t.Fatalf("contact %d in state %q, want dob", i, conv.State)
		}
	}
}

func TestRestartAsFirstMessage(t *testing.T) {
	w := newWorld(t)
	got := w.send(person, "RESTART")
	if !contains(got, "Is that OK?") {
		t.Fatalf("RESTART as a first message = %q", got)
	}
}

func TestExpiredSurveyDoesNotRestartTheReferral(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "no") // no referral: the conversation ends
	c := w.contact(person)
	if ok, err := w.engine.StartFlow(ctx, c.ID, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	a, _ := bot.ParseAddress(person)
	w.replies(a)
	w.clock.Advance(200 * time.Hour) // past reminder and expiry
	w.sched.FireDue(ctx)
	w.replies(a)
	if conv := w.conversation(person); conv.FlowID != "ons4" || conv.Status != bot.ConvExpired {
		t.Fatalf("conversation = %+v", conv)
	}
	got := w.send(person, "hello")
	if len(got) != 1 || !strings.Contains(got[0], "saved") {
		t.Fatalf("after an expired survey, replies = %q", got)
	}
	if conv := w.conversation(person); conv.FlowID != "ons4" {
		t.Fatalf("a new referral started: %+v", conv)
	}
}

// TestQuestionIsNotAnAnswer: "why do you need my name?" at the name
// question is not saved as the name; the person is told why it is asked
// (the state's explanation) and asked again. A question the explanation
// does not answer ("is it free?") is told the bot cannot answer
// questions and how to ask a link worker, and the question waits.
func TestQuestionIsNotAnAnswer(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes")
	if c := w.conversation(person); c.State != "name" {
		t.Fatalf("state %q, want name", c.State)
	}
	got := w.send(person, "why do you need my name?")
	if len(got) != 2 || !strings.Contains(got[0], "what to call you") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("replies = %q", got)
	}
	got = w.send(person, "is it free?")
	if len(got) != 1 || !strings.Contains(got[0], "can't answer questions") || !strings.Contains(got[0], "HUMAN") {
		t.Fatalf("replies = %q", got)
	}
	if c := w.conversation(person); c.State != "name" || c.Answers["name"] != "" {
		t.Fatalf("conversation after a question: state %q, answers %q", c.State, c.Answers)
	}
	w.send(person, "Sam")
	if c := w.conversation(person); c.State == "name" || c.Answers["name"] != "Sam" {
		t.Fatalf("conversation after the name: state %q, answers %q", c.State, c.Answers)
	}
}

// TestChangeContactAsksWhenToo: changing "how to contact you" from the
// summary asks how and then when, as the referral did the first time (it
// went back to the summary after "how", so the time could not be changed).
func TestChangeContactAsksWhenToo(t *testing.T) {
	w := newWorld(t)
	var got []string
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery", "no",
		"Getting out more", "1", "2", "morning"} {
		got = w.send(person, text)
	}
	if !contains(got, "Please check your answers") {
		t.Fatalf("summary = %q", got)
	}
	w.send(person, "change")
	w.send(person, "contact")
	if got := w.send(person, "text"); contains(got, "Please check your answers") || w.conversation(person).State != "contact_time" {
		t.Fatalf("after the new contact method the bot said %q in state %q; want the time asked", got, w.conversation(person).State)
	}
	if got := w.send(person, "afternoon"); !contains(got, "Please check your answers") {
		t.Fatalf("after the new time the bot said %q; want the summary again", got)
	}
	w.send(person, "1")
	var refs []*bot.Referral
	if err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
	}); err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || refs[0].ContactMethod != "text" || refs[0].ContactTime != "afternoon" {
		t.Fatalf("referrals = %+v, want one by text in the afternoon", refs)
	}

	// By phone from a phone: the number is not asked (skip_if_known), the
	// time is.
	w = newWorld(t)
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery", "no",
		"Getting out more", "1", "1", "morning", "change", "contact"} {
		w.send(person, text)
	}
	if got := w.send(person, "phone"); w.conversation(person).State != "contact_time" {
		t.Fatalf("after choosing a phone call the bot said %q in state %q; want the time asked", got, w.conversation(person).State)
	}
}

// TestCarerAnswerInOwnWords: the carer question is not consent, so "yes I
// look after my mum" is a yes and "NO I DONT LOOK AFTER ANYONE" a no
// (both were "Sorry, I didn't catch that"); consent stays strict.
func TestCarerAnswerInOwnWords(t *testing.T) {
	for _, tt := range []struct{ answer, want string }{
		{"yes I look after my mum", "yes"},
		{"NO I DONT LOOK AFTER ANYONE", "no"},
	} {
		w := newWorld(t)
		for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery"} {
			w.send(person, text)
		}
		w.send(person, tt.answer)
		if c := w.conversation(person); c.Answers["carer"] != tt.want || c.State != "what_matters" {
			t.Errorf("%q: carer %q, state %q; want %q and the next question", tt.answer, c.Answers["carer"], c.State, tt.want)
		}
	}
	w := newWorld(t)
	w.send(person, "hi")
	if got := w.send(person, "yes I look after my mum"); !contains(got, "Please reply YES or NO") {
		t.Errorf("consent with more words got %q; want it asked again", got)
	}
	// A no that goes on to show distress is not just a no: unread, it is
	// asked about.
	w = newWorld(t)
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery"} {
		w.send(person, text)
	}
	if got := w.send(person, "no, i'm really struggling and i can't cope"); !contains(got, "Are you safe?") {
		t.Errorf("a no with distress got %q; want the safety check", got)
	}
}

// TestHelpAsksTheQuestionAgain: HELP in the middle of a referral gives the
// help text and then the question waiting for an answer, so the person
// knows where they were.
func TestHelpAsksTheQuestionAgain(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes")
	got := w.send(person, "HELP")
	if len(got) != 2 || !strings.Contains(got[0], "Reply HUMAN") || !strings.HasSuffix(got[1], "What is your name?") {
		t.Fatalf("HELP at the name question got %q", got)
	}
	if c := w.conversation(person); c.State != "name" {
		t.Fatalf("state %q after HELP, want name", c.State)
	}
}

// TestSendingDetailsAgainCorrectsTheReferral: a person who starts again
// after sending their details and sends them again before a link worker has
// moved the referral on corrects it (the team gets one referral, not two);
// once a link worker has moved it on, sending them again makes a new one.
func TestSendingDetailsAgainCorrectsTheReferral(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	refer := func(name string) {
		t.Helper()
		for _, text := range []string{"RESTART", "yes", name, "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "1", "1", "1"} {
			w.send(person, text)
		}
	}
	referrals := func() []*bot.Referral {
		t.Helper()
		var refs []*bot.Referral
		if err := w.store.View(ctx, func(tx bot.Tx) error {
			return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
		}); err != nil {
			t.Fatal(err)
		}
		return refs
	}
	w.send(person, "hi")
	refer("Sam Jnes")
	first := referrals()
	if len(first) != 1 || first[0].Name != "Sam Jnes" {
		t.Fatalf("after the first referral: %+v", first)
	}
	refer("Sam Jones")
	refs := referrals()
	if len(refs) != 1 || refs[0].ID != first[0].ID || refs[0].Name != "Sam Jones" || !refs[0].CreatedAt.Equal(first[0].CreatedAt) {
		t.Fatalf("sending the details again while the referral was new: %+v", refs)
	}
	if len(w.events(bot.EventReferralUpdated)) != 1 || len(w.events(bot.EventReferralCreated)) != 1 {
		t.Fatalf("events: %d created, %d updated; want 1 and 1", len(w.events(bot.EventReferralCreated)), len(w.events(bot.EventReferralUpdated)))
	}

	if err := w.store.Update(ctx, func(tx bot.Tx) error {
		r, err := tx.Referral(first[0].ID)
		if err != nil {
			return err
		}
		r.Status = bot.ReferralContacted
		return tx.PutReferral(r)
	}); err != nil {
		t.Fatal(err)
	}
	refer("Sam Jones")
	refs = referrals()
	if len(refs) != 2 || refs[0].ID == first[0].ID || refs[1].Status != bot.ReferralContacted {
		t.Fatalf("sending the details again after a link worker moved the referral on: %+v", refs)
	}
	// Someone else referring themselves from the same phone (another
	// name and date of birth) gets a referral of their own (a review
	// found Mary's details written over Jo's).
	for _, text := range []string{"RESTART", "yes", "Mary Bloggs", "01/01/1960", "sw1a 1aa", "Riverside", "no", "walks", "1", "1", "1", "1"} {
		w.send(person, text)
	}
	if got := referrals(); len(got) != 3 || got[0].Name != "Mary Bloggs" || got[1].Name != "Sam Jones" {
		t.Fatalf("another person from the same phone: %+v", got)
	}
	// Sam's new referral, corrected after Mary's: Sam's is replaced, not
	// a fourth made (a second review).
	refer("Sam Jones")
	if got := referrals(); len(got) != 3 {
		t.Fatalf("Sam again after Mary: %d referrals, want 3", len(got))
	}
}

// TestReferralWordsStartTheReferral: a first message asking to be referred
// to a link worker, or what one is, starts the self-referral (the session
// 40 trials' "I would like to be referred to a link worker please" was
// handed over with no referral made); "can I talk to someone please" is
// still handed over.
func TestReferralWordsStartTheReferral(t *testing.T) {
	for _, tt := range []struct {
		text    string
		handoff bool
	}{
		{"Hi I would like to be referred to a link worker please", false},
		{"whats a link worker?", false},
		{"my doctor said I could self refer to the social prescribing people", false},
		{"can I talk to someone please", true},
		// a request in so many words stays one (a review)
		{"can I talk to someone, I was referred to you by my GP last month", true},
		{"I need to speak to someone today about my link worker, she hasn't called", true},
	} {
		t.Run(tt.text, func(t *testing.T) {
			w := newWorld(t)
			got := w.send(person, tt.text)
			started := contains(got, "put you in touch with a link worker")
			if started == tt.handoff {
				t.Fatalf("replies = %q; referral started %v, want %v", got, started, !tt.handoff)
			}
			var open bool
			if err := w.store.View(context.Background(), func(tx bot.Tx) error {
				_, err := tx.ActiveHandoff(w.contact(person).ID)
				open = err == nil
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if open != tt.handoff {
				t.Fatalf("handoff open %v, want %v", open, tt.handoff)
			}
		})
	}
}

// TestReferralWordsAtTheFirstQuestion: "hi" then "can i get referred to a
// link worker" (session 41's trials) is not a request for a person: the
// referral goes on, and the consent question is asked again. A request in
// so many words at the same point is still handed over.
func TestReferralWordsAtTheFirstQuestion(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	got := w.send(person, "can i get referred to a link worker")
	if contains(got, "now with the link worker team") || w.handoff(person) != nil {
		t.Fatalf("replies = %q: handed over", got)
	}
	if !contains(got, "YES or NO") {
		t.Fatalf("replies = %q, want the consent question again", got)
	}
	if got := w.send(person, "yes"); !contains(got, "What is your name?") {
		t.Fatalf("after yes: %q", got)
	}
	w2 := newWorld(t)
	w2.send(person, "hi")
	w2.send(person, "can I talk to someone please")
	if w2.handoff(person) == nil {
		t.Fatal("a request at the first question was not handed over")
	}
	// A person's own link worker asked for is still a request (a review).
	w3 := newWorld(t)
	w3.send(person, "hi")
	w3.send(person, "can my link worker get in touch with me")
	if w3.handoff(person) == nil {
		t.Fatal("asking for my link worker at the first question was not handed over")
	}
}

// TestAnswerKeptAfterNoToAPerson: what matters, in words that name
// someone to talk to, is asked about ("Do you want to talk to someone?");
// after a no it is kept as the answer (session 41's trials lost it).
func TestAnswerKeptAfterNoToAPerson(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"hi", "yes", "Karen", "1/2/1970", "M14 5RF", "Princess Road", "yes my dad"} {
		w.send(person, a)
	}
	said := "getting a break. one night of proper sleep. and someone to talk to who gets it"
	if got := w.send(person, said); !contains(got, "talk to someone from the team") {
		t.Fatalf("replies = %q, want the person question", got)
	}
	w.send(person, "no i meant like a carers group")
	if got := w.conversation(person).Answers["what_matters"]; got != said {
		t.Fatalf("what matters = %q, want %q", got, said)
	}
	// Neither yes nor no, but more words for the same question: both are
	// the answer (the persona trials kept only the second).
	w = newWorld(t)
	for _, a := range []string{"hi", "yes", "Frank", "3/7/1944", "WS10 8QT", "Dr Patels", "no"} {
		w.send(person, a)
	}
	said = "since my wife died I dont see anyone. I would like someone to talk to"
	if got := w.send(person, said); !contains(got, "talk to someone from the team") {
		t.Fatalf("replies = %q, want the person question", got)
	}
	w.send(person, "i just want to get out of the house more")
	if got, want := w.conversation(person).Answers["what_matters"], said+"\ni just want to get out of the house more"; got != want {
		t.Fatalf("what matters = %q, want %q", got, want)
	}
}

// TestNoWithMoreWordsToAPerson: "no its fine" after "Do you want to talk
// to someone?" is a no, and the name question is asked again (session
// 42's trials saved "no its fine" as the name).
func TestNoWithMoreWordsToAPerson(t *testing.T) {
	w := atName(t)
	if got := w.send(person, "is there a real person there"); !contains(got, "talk to someone from the team") {
		t.Fatalf("replies = %q, want the person question", got)
	}
	if got := w.send(person, "no its fine"); !contains(got, "name") {
		t.Fatalf("replies = %q, want the name question again", got)
	}
	if c := w.conversation(person); c.State != "name" || c.Answers["name"] != "" {
		t.Fatalf("state %s, name %q: want the name still to ask", c.State, c.Answers["name"])
	}
}

// TestContactMethodInOwnWords: "call me please" where the bot asked how to
// contact them is the answer, not a request for a person (the trials'
// referral was handed over and never made).
func TestContactMethodInOwnWords(t *testing.T) {
	t.Run("a request in so many words", func(t *testing.T) {
		w := newWorld(t)
		for _, a := range []string{"hi", "yes", "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1"} {
			w.send(person, a)
		}
		w.send(person, "text is fine but can I talk to someone today")
		if m := w.conversation(person).Answers["contact_method"]; m != "" {
			t.Fatalf("saved as the answer %q", m)
		}
	})
	for _, text := range []string{"call me please", "a phone call would be best but not between 12 and 2", "ring me please", "txt", "Please text rather than ring, I'm at work till 5", "Please telephone me, I am not very good with the texting"} {
		t.Run(text, func(t *testing.T) {
			w := newWorld(t)
			for _, a := range []string{"hi", "yes", "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1"} {
				w.send(person, a)
			}
			got := w.send(person, text)
			if !contains(got, "When is the best time to contact you?") {
				t.Fatalf("replies = %q, want the time question", got)
			}
			want := "phone"
			if text == "txt" || strings.HasPrefix(text, "Please text") {
				want = "text"
			}
			if m := w.conversation(person).Answers["contact_method"]; m != want {
				t.Fatalf("contact_method = %q, want %q", m, want)
			}
		})
	}
}

// TestNoPostcode: a person with no fixed address, or who would rather not
// say, can go on with the referral (session 40's trials: "I'm homeless at
// the moment" was refused until the conversation was handed over).
func TestNoPostcode(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"hi", "yes", "Conor", "12/03/1990", "I'm homeless at the moment"} {
		w.send(person, a)
	}
	c := w.conversation(person)
	if c.State != "gp" || c.Answers["postcode"] != "No fixed address" {
		t.Fatalf("state %q, postcode %q; want the GP question and no fixed address", c.State, c.Answers["postcode"])
	}
	got := w.send(person, "none")
	if c := w.conversation(person); c.Answers["gp"] != "none" {
		t.Fatalf("gp = %q (replies %q)", c.Answers["gp"], got)
	}
}

package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
)

func TestEnrolment(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	en, c, err := w.engine.CreateEnrolment(ctx, "Sam", "u1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(en.Token) < 20 || en.Expires.Sub(en.CreatedAt) != engine.DefaultEnrolmentTTL {
		t.Fatalf("enrolment = %+v", en)
	}
	chat := bot.Address{Channel: bot.Telegram, ID: "777"}
	in := bot.Inbound{Address: chat, Text: "/start", ProviderID: "u1"}
	if err := w.engine.Enrol(ctx, en.Token, in); err != nil {
		t.Fatal(err)
	}
	if got := w.replies(chat); len(got) != 1 || !strings.Contains(got[0], "Hello Sam") {
		t.Fatalf("welcome = %q", got)
	}
	if got := w.contact("telegram:777"); got.ID != c.ID {
		t.Fatalf("chat belongs to %s, want %s", got.ID, c.ID)
	}
	// A retried update and the same chat pressing the link again are fine
	// and say nothing more.
	if err := w.engine.Enrol(ctx, en.Token, in); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if err := w.engine.Enrol(ctx, en.Token, bot.Inbound{Address: chat, Text: "/start", ProviderID: "u2"}); err != nil {
		t.Fatalf("same chat again: %v", err)
	}
	if got := w.replies(chat); len(got) != 0 {
		t.Fatalf("said %q again", got)
	}
	cases := []struct {
		name, token string
		addr        bot.Address
		code        string
	}{
		{"used by another chat", en.Token, bot.Address{Channel: bot.Telegram, ID: "888"}, bot.EConflict},
		{"unknown", "nope", bot.Address{Channel: bot.Telegram, ID: "888"}, bot.ENotFound},
	}
	for _, c := range cases {
		err := w.engine.Enrol(ctx, c.token, bot.Inbound{Address: c.addr, Text: "/start", ProviderID: c.name})
		if bot.ErrorCode(err) != c.code {
			t.Errorf("%s: err = %v, want code %s", c.name, err, c.code)
		}
	}
	// Expired.
	en2, _, _ := w.engine.CreateEnrolment(ctx, "Pat", "u1", time.Hour)
	w.clock.Advance(2 * time.Hour)
	err = w.engine.Enrol(ctx, en2.Token, bot.Inbound{Address: bot.Address{Channel: bot.Telegram, ID: "999"}, Text: "/start", ProviderID: "x"})
	if bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("expired: %v", err)
	}
	// A chat that is already someone else's contact cannot be enrolled.
	w.send("telegram:555", "hi")
	en3, _, _ := w.engine.CreateEnrolment(ctx, "Lee", "u1", 0)
	err = w.engine.Enrol(ctx, en3.Token, bot.Inbound{Address: bot.Address{Channel: bot.Telegram, ID: "555"}, Text: "/start", ProviderID: "y"})
	if bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("chat of another contact: %v", err)
	}
	if _, _, err := w.engine.CreateEnrolment(ctx, "  ", "u1", 0); bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("empty name: %v", err)
	}
}

func TestStartMidConversationRepeatsQuestion(t *testing.T) {
	w := newWorld(t)
	w.send("telegram:1", "hi")
	w.send("telegram:1", "yes")
	if got := w.send("telegram:1", "/start"); len(got) != 1 || !strings.Contains(got[0], "What is your name?") {
		t.Fatalf("/start mid-conversation = %q", got)
	}
}

func TestMediaWithTextIsAnsweredAndRead(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	a, _ := bot.ParseAddress(person)
	in := bot.Inbound{Address: a, Text: "yes", Media: []string{"https://api.twilio.com/media/ME1"}}
	if err := w.engine.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	got := w.replies(a)
	if len(got) != 2 || !strings.Contains(got[0], "type your answer") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("replies = %q", got)
	}
	tr := w.transcript(person)
	if m := tr[len(tr)-3]; len(m.Media) != 1 || m.Media[0] != "https://api.twilio.com/media/ME1" {
		t.Fatalf("media not on the transcript: %+v", m)
	}
}

// A flow for a person whose enrolment link was never opened does not
// start: nothing can reach them, and an unsent check-in must not count as
// one they missed. Once they open the link it starts.
func TestFlowWaitsForAnAddress(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	en, c, err := w.engine.CreateEnrolment(ctx, "Sam", "u1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || ok {
		t.Fatalf("StartFlow with no address = %v, %v; want false", ok, err)
	}
	if ev := w.events(bot.EventCheckinSkipped); len(ev) != 1 || ev[0].Data["reason"] != engine.NoAddressYet {
		t.Fatalf("skipped events = %+v", ev)
	}
	if got := w.replies(bot.Address{}); len(got) != 0 {
		t.Fatalf("messages queued to no one: %q", got)
	}
	chat := bot.Address{Channel: bot.Telegram, ID: "778"}
	if err := w.engine.Enrol(ctx, en.Token, bot.Inbound{Address: chat, Text: "/start", ProviderID: "u9"}); err != nil {
		t.Fatal(err)
	}
	w.replies(chat)
	if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
		t.Fatalf("StartFlow after enrolment = %v, %v; want true", ok, err)
	}
	if got := w.replies(chat); len(got) == 0 {
		t.Fatal("the check-in sent nothing after enrolment")
	}
}

// A check-in that runs once, set for a person who has not opened their
// link yet, waits for them (tried again each day) rather than being lost;
// a weekly one is skipped and runs next week.
func TestOnceRunWaitsForEnrolment(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	en, c, err := w.engine.CreateEnrolment(ctx, "Sam", "u1", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &bot.Schedule{ContactID: c.ID, Flow: "ons4", Every: bot.Once, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2026, 11, 30, 0, 0)}
	if err := w.engine.AddSchedule(ctx, s); err != nil {
		t.Fatal(err)
	}
	next := w.schedule(s.ID).Next
	if next.IsZero() {
		t.Fatal("no run set")
	}
	w.clock.Advance(next.Sub(w.clock.Now()) + time.Minute)
	if _, err := w.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if ev := w.events(bot.EventCheckinSkipped); len(ev) != 1 || !strings.Contains(ev[0].Data["reason"], engine.NoAddressYet) {
		t.Fatalf("skipped events %+v, want the run skipped for now", ev)
	}
	chat := bot.Address{Channel: bot.Telegram, ID: "779"}
	if err := w.engine.Enrol(ctx, en.Token, bot.Inbound{Address: chat, Text: "/start", ProviderID: "u9"}); err != nil {
		t.Fatal(err)
	}
	w.replies(chat)
	w.clock.Advance(25 * time.Hour)
	if _, err := w.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.replies(chat); len(got) == 0 || !containsStr(strings.Join(got, " "), "satisfied") {
		t.Fatalf("after enrolment the waiting survey sent %q, want its first question", got)
	}
}

// A once-only schedule whose time has passed is refused, not stored to
// run never.
func TestOnceInThePastIsRefused(t *testing.T) {
	w := newWorld(t)
	c := w.newContact("sms:+447700900778", "Ann")
	s := &bot.Schedule{ContactID: c.ID, Flow: "ons4", Every: bot.Once, LocalTime: "09:00", Start: w.clock.Now().Add(-48 * time.Hour)}
	err := w.engine.AddSchedule(context.Background(), s)
	if bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("AddSchedule = %v, want an invalid-schedule error", err)
	}
}

package engine_test

import (
	"context"
	"github.com/linkline/linkline/bot/bottest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
)

var ukZone = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func ldn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, ukZone)
}

// TestNextRun checks runs against hand-worked UTC times, across both clock
// changes of 2026 (29 March: 01:00 GMT becomes 02:00 BST; 25 October: 02:00
// BST becomes 01:00 GMT). A 10:00 run is 10:00 UTC in winter, 09:00 UTC in
// summer.
func TestNextRun(t *testing.T) {
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		s     bot.Schedule
		after time.Time
		want  time.Time
	}{
		{"weekly, the Sunday before the spring change is GMT",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Sunday, LocalTime: "10:00", Start: ldn(2026, 3, 1, 0, 0)},
			utc(2026, 3, 21, 12, 0), utc(2026, 3, 22, 10, 0)},
		{"weekly, the day of the spring change is BST",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Sunday, LocalTime: "10:00", Start: ldn(2026, 3, 1, 0, 0)},
			utc(2026, 3, 22, 10, 0), utc(2026, 3, 29, 9, 0)},
		{"weekly, the day of the autumn change is GMT again",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Sunday, LocalTime: "10:00", Start: ldn(2026, 3, 1, 0, 0)},
			utc(2026, 10, 18, 9, 0), utc(2026, 10, 25, 10, 0)},
		{"weekly, the Sunday before the autumn change is BST",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Sunday, LocalTime: "10:00", Start: ldn(2026, 3, 1, 0, 0)},
			utc(2026, 10, 11, 9, 0), utc(2026, 10, 18, 9, 0)},
		{"weekly, later the same day",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "18:30", Start: ldn(2026, 11, 1, 0, 0)},
			utc(2026, 11, 30, 9, 0), utc(2026, 11, 30, 18, 30)},
		{"weekly, exactly at a run gives the next week",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "18:30", Start: ldn(2026, 11, 1, 0, 0)},
			utc(2026, 11, 30, 18, 30), utc(2026, 12, 7, 18, 30)},
		{"not before the start date",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2027, 1, 6, 0, 0)},
			utc(2026, 11, 27, 10, 0), utc(2027, 1, 11, 10, 0)},
		{"fortnightly counts from the first run on or after the start, across the spring change",
			bot.Schedule{Every: bot.Fortnightly, Weekday: time.Friday, LocalTime: "09:30", Start: ldn(2026, 3, 16, 0, 0)},
			utc(2026, 3, 20, 9, 31), utc(2026, 4, 3, 8, 30)},
		{"fortnightly skips the week between",
			bot.Schedule{Every: bot.Fortnightly, Weekday: time.Friday, LocalTime: "09:30", Start: ldn(2026, 3, 16, 0, 0)},
			utc(2026, 4, 4, 0, 0), utc(2026, 4, 17, 8, 30)},
		{"monthly: the first Tuesday of the next month",
			bot.Schedule{Every: bot.Monthly, Weekday: time.Tuesday, LocalTime: "11:00", Start: ldn(2026, 1, 1, 0, 0)},
			utc(2026, 10, 6, 10, 0), utc(2026, 11, 3, 11, 0)},
		{"monthly: the first Tuesday of this month, still to come",
			bot.Schedule{Every: bot.Monthly, Weekday: time.Tuesday, LocalTime: "11:00", Start: ldn(2026, 1, 1, 0, 0)},
			utc(2026, 3, 1, 0, 0), utc(2026, 3, 3, 11, 0)},
		{"ended: nothing after the end date",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2026, 11, 1, 0, 0), End: ldn(2026, 12, 6, 0, 0)},
			utc(2026, 11, 30, 11, 0), time.Time{}},
		{"the end date itself still runs",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2026, 11, 1, 0, 0), End: ldn(2026, 12, 7, 0, 0)},
			utc(2026, 11, 30, 11, 0), utc(2026, 12, 7, 10, 0)},
		{"once: on its start date, whatever the weekday",
			bot.Schedule{Every: bot.Once, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2026, 7, 2, 0, 0)},
			utc(2026, 6, 1, 0, 0), utc(2026, 7, 2, 9, 0)},
		{"once: nothing after it",
			bot.Schedule{Every: bot.Once, Weekday: time.Monday, LocalTime: "10:00", Start: ldn(2026, 7, 2, 0, 0)},
			utc(2026, 7, 2, 9, 0), time.Time{}},
		{"another zone",
			bot.Schedule{Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00", Zone: "America/New_York", Start: ldn(2026, 11, 1, 0, 0)},
			utc(2026, 11, 27, 0, 0), utc(2026, 11, 30, 15, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.ContactID, tt.s.Flow = "c1", "carer-checkin"
			got, err := tt.s.NextRun(tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("NextRun(%s) = %s, want %s", tt.after.UTC(), got.UTC(), tt.want.UTC())
			}
		})
	}
}

func TestQuietHours(t *testing.T) {
	tests := []struct {
		q         bot.QuietHours
		at        time.Time
		quiet     bool
		wantUntil time.Time
	}{
		{bot.DefaultQuiet, ldn(2026, 11, 30, 20, 59), false, time.Time{}},
		{bot.DefaultQuiet, ldn(2026, 11, 30, 21, 0), true, ldn(2026, 12, 1, 8, 0)},
		{bot.DefaultQuiet, ldn(2026, 11, 30, 23, 30), true, ldn(2026, 12, 1, 8, 0)},
		{bot.DefaultQuiet, ldn(2026, 12, 1, 3, 0), true, ldn(2026, 12, 1, 8, 0)},
		{bot.DefaultQuiet, ldn(2026, 12, 1, 8, 0), false, time.Time{}},
		// The night the clocks go forward: 08:00 BST is 07:00 UTC.
		{bot.DefaultQuiet, ldn(2026, 3, 28, 22, 0), true, time.Date(2026, 3, 29, 7, 0, 0, 0, time.UTC)},
		{bot.QuietHours{From: "13:00", To: "14:00"}, ldn(2026, 12, 1, 13, 30), true, ldn(2026, 12, 1, 14, 0)},
		{bot.QuietHours{From: "13:00", To: "14:00"}, ldn(2026, 12, 1, 22, 0), false, time.Time{}},
		{bot.QuietHours{From: "00:00", To: "00:00"}, ldn(2026, 12, 1, 3, 0), false, time.Time{}},
	}
	for _, tt := range tests {
		until, quiet, err := tt.q.Until(tt.at, ukZone)
		if err != nil || quiet != tt.quiet || !until.Equal(tt.wantUntil) {
			t.Errorf("%v at %s: (%s, %v, %v), want (%s, %v)", tt.q, tt.at, until, quiet, err, tt.wantUntil, tt.quiet)
		}
	}
}

// checkinWorld has a contact with a weekly Monday 10:00 check-in. The
// world's clock starts on Friday 27 November 2026, 10:00 GMT.
func checkinWorld(t *testing.T, localTime string, opts ...option) (*world, *bot.Contact, *bot.Schedule) {
	t.Helper()
	w := newWorld(t, opts...)
	c := w.newContact("sms:+447700900001", "Pat")
	s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday, LocalTime: localTime}
	if err := w.engine.AddSchedule(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return w, c, s
}

// until moves the clock to at, fires due timers and returns what was sent.
func (w *world) until(at time.Time, c *bot.Contact) []string {
	w.t.Helper()
	w.clock.Advance(at.Sub(w.clock.Now()))
	if _, err := w.sched.FireDue(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return w.replies(c.Primary())
}

func (w *world) schedule(id string) *bot.Schedule {
	w.t.Helper()
	var s *bot.Schedule
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		s, err = tx.Schedule(id)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func TestCheckinRunsWeeklyAndSurvivesRestart(t *testing.T) {
	w, c, s := checkinWorld(t, "10:00")
	if want := ldn(2026, 11, 30, 10, 0); !s.Next.Equal(want) {
		t.Fatalf("first run %s, want %s", s.Next, want)
	}
	if got := w.until(ldn(2026, 11, 30, 9, 59), c); len(got) != 0 {
		t.Fatalf("sent before its time: %q", got)
	}
	w.restart()
	got := w.until(ldn(2026, 11, 30, 10, 0), c)
	if len(got) != 2 || !containsStr(got[0], "Hello Pat") || !containsStr(got[1], "How have things been this week?") {
		t.Fatalf("check-in after restart sent %q", got)
	}
	if got := w.send(c.Primary().String(), "good"); len(got) != 1 || !containsStr(got[0], "Thank you") {
		t.Fatalf("reply to good: %q", got)
	}
	if next := w.schedule(s.ID).Next; !next.Equal(ldn(2026, 12, 7, 10, 0)) {
		t.Errorf("next run %s, want a week later", next)
	}
	if got := w.until(ldn(2026, 12, 7, 10, 0), c); len(got) != 2 {
		t.Errorf("second week sent %q", got)
	}
}

func TestCheckinMissedRun(t *testing.T) {
	tests := []struct {
		name     string
		back     time.Time // when the server comes back
		wantSent bool
	}{
		{"back within the window: sent late", ldn(2026, 11, 30, 15, 0), true},
		{"back after the window: skipped and recorded", ldn(2026, 11, 30, 16, 30), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, c, s := checkinWorld(t, "10:00")
			w.store.Close() // the server is down at 10:00
			w.clock.Advance(tt.back.Sub(w.clock.Now()))
			w.open()
			got := w.until(tt.back, c)
			if sent := len(got) > 0; sent != tt.wantSent {
				t.Fatalf("sent %q, want sent = %v", got, tt.wantSent)
			}
			skipped := w.events(bot.EventCheckinSkipped)
			if tt.wantSent == (len(skipped) > 0) {
				t.Errorf("skipped events %v", skipped)
			}
			if !tt.wantSent && skipped[0].Data["reason"] != "missed run" {
				t.Errorf("skip reason %q", skipped[0].Data["reason"])
			}
			if next := w.schedule(s.ID).Next; !next.Equal(ldn(2026, 12, 7, 10, 0)) {
				t.Errorf("next run %s, want the next Monday", next)
			}
		})
	}
}

func TestCheckinQuietHours(t *testing.T) {
	w, c, _ := checkinWorld(t, "22:30")
	if got := w.until(ldn(2026, 11, 30, 22, 30), c); len(got) != 0 {
		t.Fatalf("sent in quiet hours: %q", got)
	}
	if got := w.until(ldn(2026, 12, 1, 7, 59), c); len(got) != 0 {
		t.Fatalf("sent in quiet hours: %q", got)
	}
	if got := w.until(ldn(2026, 12, 1, 8, 0), c); len(got) != 2 {
		t.Fatalf("at 08:00 sent %q, want the check-in", got)
	}

	// A server back during quiet hours holds a due run until the morning.
	w2, c2, _ := checkinWorld(t, "20:30")
	w2.clock.Advance(ldn(2026, 11, 30, 21, 15).Sub(w2.clock.Now()))
	if got := w2.until(ldn(2026, 11, 30, 21, 15), c2); len(got) != 0 {
		t.Fatalf("late run sent in quiet hours: %q", got)
	}
	if got := w2.until(ldn(2026, 12, 1, 8, 0), c2); len(got) != 2 {
		t.Fatalf("held run at 08:00 sent %q", got)
	}
}

// TestMissedCheckins: no reply gets one reminder the next day, then the
// check-in counts as missed; two missed in a row open a handoff; an answer
// in between starts the count again.
func TestMissedCheckins(t *testing.T) {
	w, c, s := checkinWorld(t, "10:00")
	addr := c.Primary().String()
	// Week 1: missed.
	w.until(ldn(2026, 11, 30, 10, 0), c)
	if got := w.until(ldn(2026, 12, 1, 10, 0), c); len(got) != 2 || !containsStr(got[0], "still here") || !containsStr(got[1], "How have things been") {
		t.Fatalf("next day: %q, want one reminder and the question again", got)
	}
	if got := w.until(ldn(2026, 12, 3, 10, 0), c); len(got) != 0 {
		t.Fatalf("after the reminder: %q", got)
	}
	if m := w.schedule(s.ID).Missed; m != 1 {
		t.Fatalf("missed = %d, want 1", m)
	}
	// Week 2: answered, which resets the count at the next run.
	w.until(ldn(2026, 12, 7, 10, 0), c)
	w.send(addr, "okay")
	// Weeks 3 and 4: missed twice in a row.
	w.until(ldn(2026, 12, 14, 10, 0), c)
	w.until(ldn(2026, 12, 18, 10, 0), c)
	if m := w.schedule(s.ID).Missed; m != 1 {
		t.Fatalf("after an answered week and a missed one, missed = %d, want 1", m)
	}
	if n := len(w.events(bot.EventHandoffOpened)); n != 0 {
		t.Fatalf("handoff opened after one miss")
	}
	w.until(ldn(2026, 12, 21, 10, 0), c)
	if got := w.until(ldn(2026, 12, 25, 10, 0), c); len(got) != 2 || !containsStr(got[0], "still here") || !containsStr(got[1], "How have things been") {
		t.Errorf("the second missed week sent %q; want only its reminder and question, nothing about missing check-ins", got)
	}
	opened := w.events(bot.EventHandoffOpened)
	if len(opened) != 1 || len(w.events(bot.EventCheckinMissed)) != 3 {
		t.Fatalf("handoffs %v, missed events %d; want one handoff after the second miss in a row", opened, len(w.events(bot.EventCheckinMissed)))
	}
	var h *bot.Handoff
	if err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		h, err = tx.ActiveHandoff(c.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if h.Detail != engine.MissedCheckinsDetail || h.Urgent {
		t.Errorf("handoff %+v, want a non-urgent one for missed check-ins", h)
	}
	// While a link worker holds the conversation, check-ins are skipped.
	if got := w.until(ldn(2026, 12, 28, 10, 0), c); len(got) != 0 {
		t.Errorf("check-in sent during a handoff: %q", got)
	}
	if sk := w.events(bot.EventCheckinSkipped); len(sk) != 1 || sk[0].Data["reason"] != "handoff active" {
		t.Errorf("skipped events %v", sk)
	}
}

func TestCheckinNotSent(t *testing.T) {
	t.Run("opted out", func(t *testing.T) {
		w, c, _ := checkinWorld(t, "10:00")
		w.send(c.Primary().String(), "STOP")
		if got := w.until(ldn(2026, 11, 30, 10, 0), c); len(got) != 0 {
			t.Fatalf("sent to an opted-out person: %q", got)
		}
		if sk := w.events(bot.EventCheckinSkipped); len(sk) != 1 || sk[0].Data["reason"] != "opted out" {
			t.Errorf("skipped events %v", sk)
		}
	})
	t.Run("paused, then resumed", func(t *testing.T) {
		w, c, s := checkinWorld(t, "10:00")
		ctx := context.Background()
		if err := w.engine.PauseSchedule(ctx, s.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := w.until(ldn(2026, 11, 30, 10, 0), c); len(got) != 0 {
			t.Fatalf("sent while paused: %q", got)
		}
		if err := w.engine.PauseSchedule(ctx, s.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := w.until(ldn(2026, 12, 7, 10, 0), c); len(got) != 2 {
			t.Fatalf("after resuming: %q", got)
		}
	})
	t.Run("removed", func(t *testing.T) {
		w, c, s := checkinWorld(t, "10:00")
		if err := w.engine.RemoveSchedule(context.Background(), s.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.until(ldn(2026, 11, 30, 10, 0), c); len(got) != 0 {
			t.Fatalf("sent after removal: %q", got)
		}
	})
	t.Run("in another conversation", func(t *testing.T) {
		w, c, _ := checkinWorld(t, "10:00")
		w.until(ldn(2026, 11, 30, 9, 0), c)
		w.send(c.Primary().String(), "hello") // starts the self-referral
		if got := w.until(ldn(2026, 11, 30, 10, 0), c); len(got) != 0 {
			t.Fatalf("check-in interrupted a conversation: %q", got)
		}
		// The check-in waits for the conversation to end, within its
		// window (session 42's trials: it was lost for the week).
		w.send(c.Primary().String(), "no") // no consent: the referral ends
		if got := w.until(ldn(2026, 11, 30, 11, 0), c); len(got) != 2 || !containsStr(got[1], "How have things been") {
			t.Fatalf("after the conversation ended: %q, want the check-in", got)
		}
	})
	t.Run("in another conversation all day", func(t *testing.T) {
		w, c, s := checkinWorld(t, "10:00")
		w.until(ldn(2026, 11, 30, 9, 0), c)
		w.send(c.Primary().String(), "hello")
		for h := 10; h <= 18; h++ {
			if got := w.until(ldn(2026, 11, 30, h, 0), c); len(got) != 0 {
				t.Fatalf("check-in interrupted a conversation at %d:00: %q", h, got)
			}
		}
		sk := w.events(bot.EventCheckinSkipped)
		if len(sk) < 2 || sk[len(sk)-1].Data["reason"] != engine.InAnotherConversation {
			t.Fatalf("skipped events %v, want tries and then the run given up", sk)
		}
		if next := w.schedule(s.ID).Next; !next.Equal(ldn(2026, 12, 7, 10, 0)) {
			t.Errorf("next run %s, want next week", next)
		}
	})
}

func TestAddScheduleRejects(t *testing.T) {
	w := newWorld(t)
	c := w.newContact("sim:x", "")
	for name, s := range map[string]bot.Schedule{
		"bad time":     {ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, LocalTime: "25:00"},
		"bad every":    {ContactID: c.ID, Flow: "carer-checkin", Every: "daily", LocalTime: "10:00"},
		"no such flow": {ContactID: c.ID, Flow: "nope", Every: bot.Weekly, LocalTime: "10:00"},
		"bad zone":     {ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, LocalTime: "10:00", Zone: "Mars/Base"},
		"ends first": {ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, LocalTime: "10:00",
			Start: ldn(2026, 12, 1, 0, 0), End: ldn(2026, 11, 1, 0, 0)},
	} {
		if err := w.engine.AddSchedule(context.Background(), &s); bot.ErrorCode(err) != bot.EInvalid {
			t.Errorf("%s: err = %v, want EInvalid", name, err)
		}
	}
	s := bot.Schedule{ContactID: "nobody", Flow: "carer-checkin", Every: bot.Weekly, LocalTime: "10:00"}
	if err := w.engine.AddSchedule(context.Background(), &s); bot.ErrorCode(err) != bot.ENotFound {
		t.Errorf("unknown contact: err = %v, want ENotFound", err)
	}
}

// TestSurveyFollowUp: a baseline ONS4 schedules its follow-up once, 12
// weeks later at the same local time; the follow-up schedules nothing more.
func TestSurveyFollowUp(t *testing.T) {
	w := newWorld(t)
	c := w.newContact("sim:f", "Sam")
	ctx := context.Background()
	answer := func() {
		t.Helper()
		for _, a := range []string{"5", "6", "7", "2"} {
			w.send("sim:f", a)
		}
	}
	if ok, err := w.engine.StartFlow(ctx, c.ID, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	answer()
	var scheds []*bot.Schedule
	list := func() {
		scheds = nil
		if err := w.store.View(ctx, func(tx bot.Tx) error {
			return tx.Schedules(c.ID, func(s *bot.Schedule) bool { scheds = append(scheds, s); return true })
		}); err != nil {
			t.Fatal(err)
		}
	}
	list()
	want := ldn(2027, 2, 19, 10, 0) // Friday 27 Nov 2026 10:00 GMT + 12 weeks
	if len(scheds) != 1 || scheds[0].Every != bot.Once || scheds[0].Flow != "ons4" || !scheds[0].Next.Equal(want) {
		t.Fatalf("schedules %+v; want one ons4 follow-up at %s", scheds, want)
	}
	if got := w.until(want, c); len(got) != 2 || !containsStr(got[1], "how satisfied are you with your life nowadays") {
		t.Fatalf("follow-up sent %q", got)
	}
	answer()
	list()
	if len(scheds) != 1 || !scheds[0].Next.IsZero() {
		t.Errorf("after the follow-up: %+v; want the one schedule, ended", scheds)
	}
	var n int
	if err := w.store.View(ctx, func(tx bot.Tx) error {
		return tx.SurveyResults(c.ID, func(*bot.SurveyResult) bool { n++; return true })
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d results, want baseline and follow-up", n)
	}
}

// TestCheckinSpread: with a spread, runs due at the same minute get timers
// spread over the window, each schedule at its own fixed offset.
func TestCheckinSpread(t *testing.T) {
	w := newWorld(t, func(c *engine.Config) { c.CheckinSpread = 30 * time.Minute })
	ctx := context.Background()
	run := ldn(2026, 11, 30, 10, 0)
	dues := map[time.Time]bool{}
	for i := range 20 {
		c := w.newContact("sim:s"+strconv.Itoa(i), "")
		s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00"}
		if err := w.engine.AddSchedule(ctx, s); err != nil {
			t.Fatal(err)
		}
		var tm *bot.Timer
		if err := w.store.View(ctx, func(tx bot.Tx) error {
			return tx.DueTimers(run.Add(time.Hour), func(x *bot.Timer) bool {
				if x.Ref == s.ID {
					tm = x
				}
				return true
			})
		}); err != nil {
			t.Fatal(err)
		}
		if tm == nil || tm.Due.Before(run) || !tm.Due.Before(run.Add(30*time.Minute)) {
			t.Fatalf("schedule %s: timer %v, want one within 30 minutes after %s", s.ID, tm, run)
		}
		dues[tm.Due] = true
	}
	if len(dues) < 10 {
		t.Errorf("20 schedules share %d due times; want them spread", len(dues))
	}
}

// TestPauseWishGoesToTheTeam: a person with check-ins who asks in their own
// words to pause them is passed to the link worker team, who can pause
// them (session 40's trials: "Can we pause these until the new year?" was
// saved and the check-ins went on); without check-ins the words are read
// as usual.
func TestPauseWishGoesToTheTeam(t *testing.T) {
	w, c, _ := checkinWorld(t, "10:00")
	addr := c.Primary().String()
	got := w.send(addr, "Can we pause these until the new year? Mum's going into respite")
	if len(got) != 1 || !strings.Contains(got[0], "who can pause your check-ins") {
		t.Fatalf("replies = %q, want the pause passed to the team", got)
	}
	h := w.handoff(addr)
	if h == nil || h.Reason != bot.ReasonAsked {
		t.Fatalf("handoff = %+v, want one opened as asked", h)
	}
	// Out of hours the reply gives the numbers (a review).
	wn, cn, _ := checkinWorld(t, "10:00")
	wn.clock.Set(bottest.London(t, "2026-11-29 02:00")) // a Sunday night
	if got := wn.send(cn.Primary().String(), "no more check ins please"); len(got) != 1 || !strings.Contains(got[0], "who can pause") || !strings.Contains(got[0], "116 123") {
		t.Fatalf("pause out of hours = %q, want the numbers", got)
	}

	// The phrase alone is a pause wish too, not an unknown keyword, and
	// so are more ways of saying it (session 42's trials).
	for _, text := range []string{"no more check ins", "I only want to stop the weekly check in texts, not everything", "Thanks but I dont need these check ins any more"} {
		wa, ca, _ := checkinWorld(t, "10:00")
		if got := wa.send(ca.Primary().String(), text); !contains(got, "who can pause") {
			t.Fatalf("%q: %q, want the pause reply", text, got)
		}
	}

	// Saying the opposite is an answer, not a wish (a review).
	for _, text := range []string{"good thanks, I really need these check ins", "Okay. Please don't stop the weekly texts, they help"} {
		wa, ca, _ := checkinWorld(t, "10:00")
		if got := wa.send(ca.Primary().String(), text); contains(got, "who can pause") {
			t.Fatalf("%q: %q, want it taken as the answer", text, got)
		}
		if h := wa.handoff(ca.Primary().String()); h != nil {
			t.Fatalf("%q opened a handoff", text)
		}
	}

	// A longer wish to stop them, with news, reaches the team too
	// (session 41's trials: "didn't catch that" and the menu again).
	w5, c5, _ := checkinWorld(t, "10:00")
	if got := w5.send(c5.Primary().String(), "can you stop sending these please, my husband went into a care home last month and I dont need them"); !contains(got, "who can pause") {
		t.Fatalf("a long stop wish: %q", got)
	}
	if h := w5.handoff(c5.Primary().String()); h == nil || h.Reason != bot.ReasonAsked {
		t.Fatalf("a long stop wish: handoff %+v", h)
	}
	w5.send(c5.Primary().String(), "RESTART")
	if w5.handoff(c5.Primary().String()) == nil {
		t.Fatal("RESTART withdrew a wish to stop check-ins (a second review)")
	}
	// "want to stop" about something else is not one (a review).
	for _, text := range []string{
		"not so good, i want to stop caring for dad full time but nobody will help me",
		"3. mum keeps asking to go home and I want to stop her wandering at night, any ideas",
	} {
		w6, c6, _ := checkinWorld(t, "10:00")
		if got := w6.send(c6.Primary().String(), text); contains(got, "who can pause") {
			t.Fatalf("%q: %q", text, got)
		}
	}

	// Wanting a break from caring is not a wish to pause the check-ins
	// (a review).
	w3, c3, _ := checkinWorld(t, "10:00")
	if got := w3.send(c3.Primary().String(), "struggling. I need a break from the caring, I'm exhausted"); contains(got, "who can pause") {
		t.Fatalf("a break from caring: %q", got)
	}

	// A pause asked for with distress still reaches the team (a second
	// review).
	w4, c4, _ := checkinWorld(t, "10:00")
	if got := w4.send(c4.Primary().String(), "Struggling at the moment, can you pause the check ins for a few weeks"); !contains(got, "who can pause") && !contains(got, "Are you safe?") {
		t.Fatalf("a pause with distress: %q", got)
	}
	if w4.handoff(c4.Primary().String()) == nil && w4.contact(c4.Primary().String()).SafetyAsked.IsZero() {
		t.Fatal("a pause with distress reached no one")
	}

	w2 := newWorld(t)
	w2.send(person, "hi")
	if got := w2.send(person, "can you put these on hold for a bit"); contains(got, "who can pause") {
		t.Fatalf("without check-ins: %q", got)
	}
}

// TestNewsAtACheckin: news told at a check-in question ("My mum died on
// Tuesday", "Dad moved into a care home") or a long message is passed to
// the team at once, not "didn't catch that" and the menu again; a short
// slip is still asked again.
func TestNewsAtACheckin(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		text, reason, reply string
	}{
		{"My mum died on Tuesday", bot.ReasonNews, "sorry to hear"},
		{"Dad moved into a care home last Friday so I am not really his carer any more", bot.ReasonNews, "sorry to hear"},
		{"2 but mum's going into a care home next week", bot.ReasonNews, "sorry to hear"},
		{"he passed peacefully in his sleep", bot.ReasonNews, "116 123"},
		{"well it has been a funny old week really, Monday was alright but then Jim had one of his turns on Wednesday", "", "didn't catch that"},
		{"fish", "", "didn't catch that"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			w := newWorld(t)
			c := w.newContact("sms:+447700900777", "Ann")
			if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
				t.Fatalf("StartFlow = %v, %v", ok, err)
			}
			w.replies(c.Primary())
			got := w.send(c.Primary().String(), tt.text)
			if len(got) == 0 || !strings.Contains(got[0], tt.reply) {
				t.Fatalf("replies = %q, want %q", got, tt.reply)
			}
			h := w.handoff(c.Primary().String())
			switch {
			case tt.reason == "" && h != nil:
				t.Fatalf("a slip opened a handoff: %+v", h)
			case tt.reason != "" && (h == nil || h.Reason != tt.reason):
				t.Fatalf("handoff = %+v, want reason %q", h, tt.reason)
			}
		})
	}
	// News after an answer, at a yes/no question, and just after the
	// check-in ended, is passed on too.
	for _, msgs := range [][]string{{"3", "no. Mum died on Sunday"}, {"ok", "by the way Dad died this morning"}} {
		w := newWorld(t)
		c := w.newContact("sms:+447700900781", "Ann")
		if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
			t.Fatalf("StartFlow = %v, %v", ok, err)
		}
		w.replies(c.Primary())
		w.send(c.Primary().String(), msgs[0])
		if got := w.send(c.Primary().String(), msgs[1]); !contains(got, "sorry to hear") {
			t.Fatalf("%q after %q got %q", msgs[1], msgs[0], got)
		}
		if h := w.handoff(c.Primary().String()); h == nil || h.Reason != bot.ReasonNews {
			t.Fatalf("%q: handoff %+v", msgs[1], h)
		}
	}

	// The self-referral's own questions are not check-ins: news at its
	// question with set answers is asked again (a review: the test below
	// reached no such question), and a death told at "what matters" is
	// the answer.
	wn := atName(t)
	for _, m := range []string{"Margaret Jones", "12/03/1958", "M14 5RF", "Overdale Surgery", "no", "getting out more"} {
		wn.send(person, m)
	}
	if got := wn.send(person, "my husband died in March"); !contains(got, "didn't catch") {
		t.Fatalf("news at the needs question got %q, want it asked again", got)
	}
	if h := wn.handoff(person); h != nil {
		t.Fatalf("news at the self-referral opened a handoff: %+v", h)
	}
	w := atName(t)
	for _, m := range []string{"Margaret Jones", "12/03/1958", "M14 5RF", "Overdale Surgery", "no"} {
		w.send(person, m)
	}
	w.send(person, "my husband died in March and the house is so quiet")
	if h := w.handoff(person); h != nil {
		t.Fatalf("an answer at what matters opened a handoff: %+v", h)
	}
}

// TestLateCheckinAnswer: an answer to the question a check-in stopped at,
// sent days after it expired, carries it on; much later, or words that
// answer nothing, are kept as before.
func TestLateCheckinAnswer(t *testing.T) {
	ctx := context.Background()
	start := func() (*world, *bot.Contact) {
		w := newWorld(t)
		c := w.newContact("sms:+447700900779", "Ann")
		if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
			t.Fatalf("StartFlow = %v, %v", ok, err)
		}
		w.replies(c.Primary())
		w.clock.Advance(80 * time.Hour) // reminder, then expiry
		if _, err := w.sched.FireDue(ctx); err != nil {
			t.Fatal(err)
		}
		w.replies(c.Primary())
		if conv := w.conversation(c.Primary().String()); conv.Status != bot.ConvExpired {
			t.Fatalf("conversation %s, want expired", conv.Status)
		}
		return w, c
	}
	w, c := start()
	got := w.send(c.Primary().String(), "sorry only just seen this. not so good")
	if !contains(got, "time for yourself") {
		t.Fatalf("a late answer got %q, want the next question", got)
	}
	if conv := w.conversation(c.Primary().String()); conv.Status != bot.ConvActive || conv.Answers["how"] != "not_so_good" {
		t.Fatalf("conversation %s %v, want it carried on with the answer", conv.Status, conv.Answers)
	}
	if ev := w.events(bot.EventConvResumed); len(ev) != 1 {
		t.Fatalf("resumed events %+v", ev)
	}
	// The carried-on check-in is reminded again if it waits.
	w.clock.Advance(25 * time.Hour)
	if _, err := w.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.replies(c.Primary()); !contains(got, "still here") {
		t.Fatalf("after a day the carried-on check-in sent %q, want a reminder", got)
	}

	w, c = start()
	if got := w.send(c.Primary().String(), "hello there"); !contains(got, "it has been saved") {
		t.Fatalf("words that answer nothing got %q", got)
	}
	// At a 0-10 question only a bare number is a late answer: "its been 5
	// days" is no score (a review).
	ws := atSurvey(t)
	ws.clock.Advance(80 * time.Hour)
	if _, err := ws.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := bot.ParseAddress(person)
	ws.replies(a)
	if got := ws.send(person, "its been 5 days since I heard anything"); !contains(got, "it has been saved") {
		t.Fatalf("words with a number after a survey expired got %q", got)
	}
	if conv := ws.conversation(person); conv.Answers["satisfied"] != "" {
		t.Fatalf("answers %v, want no score taken from the words", conv.Answers)
	}
	ws2 := atSurvey(t)
	ws2.clock.Advance(80 * time.Hour)
	if _, err := ws2.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	ws2.replies(a)
	if ws2.send(person, "6"); ws2.conversation(person).Answers["satisfied"] != "6" {
		t.Fatal("a bare number after a survey expired was not taken")
	}

	// A question or a request with an option's words in it is kept for the
	// team, not taken for a late answer (a review).
	for _, text := range []string{"is it ok to ring the office?", "can someone call me, things are not good"} {
		w, c = start()
		if got := w.send(c.Primary().String(), text); contains(got, "time for yourself") {
			t.Fatalf("%q was taken for a late answer: %q", text, got)
		}
	}
	w, c = start()
	w.clock.Advance(3 * 24 * time.Hour)
	if got := w.send(c.Primary().String(), "3"); !contains(got, "it has been saved") {
		t.Fatalf("an answer three days after expiry got %q", got)
	}
}

// TestStopAFlowInOwnWords: "no more questions please" at a survey ends it
// politely; no reminder follows, and it does not count as missed.
func TestStopAFlowInOwnWords(t *testing.T) {
	ctx := context.Background()
	w := atSurvey(t)
	w.send(person, "5")
	got := w.send(person, "no more questions please")
	if !contains(got, "we will stop there") {
		t.Fatalf("replies = %q, want the survey stopped", got)
	}
	if conv := w.conversation(person); conv.Status != bot.ConvDone {
		t.Fatalf("conversation %s, want ended", conv.Status)
	}
	// An "ok" after it does not start it again (a review).
	if got := w.send(person, "ok"); !contains(got, "it has been saved") {
		t.Fatalf("ok after stopping got %q", got)
	}
	w.clock.Advance(30 * time.Hour)
	if _, err := w.sched.FireDue(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("after stopping, the bot sent %q", got)
	}
	// An answer is still an answer: a number is read first, and "not
	// right now" at a check-in's help question does not end it (a review).
	w = atSurvey(t)
	if got := w.send(person, "7"); contains(got, "we will stop there") {
		t.Fatalf("an answer stopped the survey: %q", got)
	}
	wc := newWorld(t)
	c := wc.newContact("sms:+447700900780", "Ann")
	if ok, err := wc.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	wc.replies(c.Primary())
	wc.send(c.Primary().String(), "not so good")
	wc.send(c.Primary().String(), "no")
	if got := wc.send(c.Primary().String(), "not right now"); contains(got, "we will stop there") {
		t.Fatalf("'not right now' at the help question ended the check-in: %q", got)
	}
	if conv := wc.conversation(c.Primary().String()); conv.Status != bot.ConvActive || conv.Answers["how"] != "not_so_good" {
		t.Fatalf("conversation %s %v", conv.Status, conv.Answers)
	}
}

// A baseline with every item skipped schedules no follow-up: the next
// answered survey is the baseline (a review).
func TestSkippedBaselineSchedulesNoFollowUp(t *testing.T) {
	w := newWorld(t)
	c := w.newContact("sim:g", "Sam")
	ctx := context.Background()
	if ok, err := w.engine.StartFlow(ctx, c.ID, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	for range 4 {
		w.send("sim:g", "skip")
	}
	n := 0
	if err := w.store.View(ctx, func(tx bot.Tx) error {
		return tx.Schedules(c.ID, func(*bot.Schedule) bool { n++; return true })
	}); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d schedules after an all-skipped survey, want none", n)
	}
}

// TestNewsReadWithCare: news words in an ordinary answer, denied, or told
// as years past are no news; a date of this year is; news with distress
// is asked about; news the team has just heard is not passed on twice (a
// third review).
func TestNewsReadWithCare(t *testing.T) {
	ctx := context.Background()
	checkin := func() (*world, string) {
		w := newWorld(t)
		c := w.newContact("sms:+447700900782", "Ann")
		if ok, err := w.engine.StartFlow(ctx, c.ID, "carer-checkin"); err != nil || !ok {
			t.Fatalf("StartFlow = %v, %v", ok, err)
		}
		w.replies(c.Primary())
		return w, c.Primary().String()
	}
	for _, text := range []string{
		"good, mum is in respite care for the weekend, great break",
		"good thanks, visited mum at the care home",
		"fine, mum has not had a fall this week",
		"good, the worst has passed now",
		"good, I work in hospital",
		"good, since my wife died in 2019 I have the dog for company",
	} {
		w, addr := checkin()
		w.send(addr, text)
		if h := w.handoff(addr); h != nil {
			t.Errorf("%q opened a handoff (%s)", text, h.Reason)
		}
	}
	for _, text := range []string{
		"My mum died last night. She had been poorly since last year",
		"Dad died in hospital on 2 December 2026",
	} {
		w, addr := checkin()
		if got := w.send(addr, text); !contains(got, "sorry to hear") {
			t.Errorf("%q got %q, want the news reply", text, got)
		}
	}
	w, addr := checkin()
	if got := w.send(addr, "awful, im struggling, mum died last night"); !contains(got, "Are you safe?") {
		t.Errorf("news with distress got %q, want the safety check", got)
	}
	// Handed back by the team, more of the same news is an answer.
	w, addr = checkin()
	w.send(addr, "Dad went into hospital on Tuesday")
	h := w.handoff(addr)
	if h == nil {
		t.Fatal("no news handoff")
	}
	if err := w.engine.Claim(ctx, h.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "u1", "resume", true); err != nil {
		t.Fatal(err)
	}
	w.send(addr, "3 - dad is back in hospital again, visiting every day")
	if h := w.handoff(addr); h != nil {
		t.Errorf("news after the team handed the check-in back opened another handoff")
	}
}

// TestCheckinRetryLimits: a check-in waiting for another conversation to
// end does not try again into quiet hours (it went out at 8 the next
// morning), and does not run again after a link worker started it from
// the console meanwhile (it was sent twice and counted as missed): both
// found by a review.
func TestCheckinRetryLimits(t *testing.T) {
	// inReferral: a 19:00 check-in for someone who starts a self-referral
	// at 18:30.
	inReferral := func(t *testing.T) (*world, *bot.Contact, *bot.Schedule) {
		w := newWorld(t)
		c := w.newContact("sms:+447700900001", "Pat")
		s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday, LocalTime: "19:00"}
		if err := w.engine.AddSchedule(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		w.until(ldn(2026, 11, 30, 18, 30), c)
		w.send(c.Primary().String(), "hello") // starts the self-referral
		return w, c, s
	}
	// nothingUntilNextWeek: no check-in from 22:00 to the next morning, and
	// the next run next week.
	nothingUntilNextWeek := func(t *testing.T, w *world, c *bot.Contact, s *bot.Schedule) {
		for h := 22; h <= 33; h++ {
			if got := w.until(ldn(2026, 11, 30, 0, 0).Add(time.Duration(h)*time.Hour), c); len(got) > 0 {
				t.Fatalf("sent %q at %d:00, after the run's window", got, h%24)
			}
		}
		if next := w.schedule(s.ID).Next; !next.Equal(ldn(2026, 12, 7, 19, 0)) {
			t.Errorf("next run %s, want next week", next)
		}
	}
	t.Run("not into quiet hours", func(t *testing.T) {
		w, c, s := inReferral(t)
		for h := 19; h <= 21; h++ {
			w.until(ldn(2026, 11, 30, h, 0), c)
		}
		w.send(c.Primary().String(), "no") // the referral ends at 21:30
		nothingUntilNextWeek(t, w, c, s)
	})
	t.Run("a retry that fires late into quiet hours is not held to the morning", func(t *testing.T) {
		w, c, s := inReferral(t)
		w.until(ldn(2026, 11, 30, 19, 30), c) // the run: a retry at 20:30
		w.send(c.Primary().String(), "no")    // the referral ends
		// The scheduler is late: the retry fires at 21:10, in quiet hours.
		w.until(ldn(2026, 11, 30, 21, 10), c)
		nothingUntilNextWeek(t, w, c, s)
	})
	t.Run("not after a start from the console", func(t *testing.T) {
		w, c, s := checkinWorld(t, "10:00")
		w.until(ldn(2026, 11, 30, 9, 0), c)
		w.send(c.Primary().String(), "hello")
		w.until(ldn(2026, 11, 30, 10, 0), c)
		w.send(c.Primary().String(), "no")
		w.clock.Advance(15 * time.Minute)
		if ok, err := w.engine.StartFlow(context.Background(), c.ID, "carer-checkin"); err != nil || !ok {
			t.Fatalf("StartFlow = %v, %v", ok, err)
		}
		w.replies(c.Primary())
		if got := w.until(ldn(2026, 11, 30, 11, 0), c); len(got) != 0 {
			t.Fatalf("the retry sent %q after the run was started by hand", got)
		}
		if n := len(w.events(bot.EventCheckinMissed)); n != 0 {
			t.Errorf("%d missed check-ins, want none", n)
		}
		if next := w.schedule(s.ID).Next; !next.Equal(ldn(2026, 12, 7, 10, 0)) {
			t.Errorf("next run %s, want next week", next)
		}
	})
}

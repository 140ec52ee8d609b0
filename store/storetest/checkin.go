package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func intp(n int) *int { return &n }

func testSurveyResults(t *testing.T, s bot.Store) {
	metric := 19.25
	results := []*bot.SurveyResult{
		{ContactID: "c2", Survey: "ons4", FlowID: "ons4", Version: 1, At: t0.Add(2 * time.Hour),
			Items: map[string]*int{"happy": intp(7), "anxious": nil}, Bands: map[string]string{"happy": "high"}},
		{ContactID: "c1", Survey: "ons4", FlowID: "ons4", Version: 1, At: t0.Add(time.Hour),
			Items: map[string]*int{"happy": intp(0)}},
		{ContactID: "c1", Survey: "made-up", FlowID: "made-up", Version: 2, At: t0,
			Items: map[string]*int{"a": intp(3)}, Score: intp(3), Metric: &metric,
			Categories: map[string]string{"lonely": "often_always"}},
	}
	update(t, s, func(tx bot.Tx) error {
		for _, r := range results {
			if err := tx.PutSurveyResult(r); err != nil {
				return err
			}
			if r.ID == "" {
				t.Error("PutSurveyResult assigned no id")
			}
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, func(fn func(*bot.SurveyResult) bool) error { return tx.SurveyResults("c1", fn) })
		if err != nil {
			return err
		}
		// Oldest first.
		if len(got) != 2 || !reflect.DeepEqual(got[0], results[2]) || !reflect.DeepEqual(got[1], results[1]) {
			t.Errorf("SurveyResults(c1) = %v, want the made-up result then ons4, equal to what was stored", got)
		}
		if v, ok := got[1].Items["happy"]; !ok || v == nil || *v != 0 {
			t.Errorf("a zero answer came back as %v (present %v); want 0", v, ok)
		}
		c2, err := collect(0, func(fn func(*bot.SurveyResult) bool) error { return tx.SurveyResults("c2", fn) })
		if err != nil || len(c2) != 1 {
			return err
		}
		if v, ok := c2[0].Items["anxious"]; !ok || v != nil {
			t.Errorf("a skipped item came back as %v (present %v); want present and nil", v, ok)
		}
		all, err := collect(0, func(fn func(*bot.SurveyResult) bool) error { return tx.SurveyResults("", fn) })
		if err != nil {
			return err
		}
		if g := ids(all, func(r *bot.SurveyResult) string { return r.ContactID }); !reflect.DeepEqual(g, []string{"c1", "c1", "c2"}) {
			t.Errorf("SurveyResults(\"\") contacts = %v, want grouped by contact [c1 c1 c2]", g)
		}
		first, err := collect(1, func(fn func(*bot.SurveyResult) bool) error { return tx.SurveyResults("", fn) })
		if err != nil || len(first) != 1 {
			t.Errorf("stopping after one: got %d, %v", len(first), err)
		}
		return nil
	})
	// Replacing a result moves it in the index.
	update(t, s, func(tx bot.Tx) error {
		r := *results[2]
		r.At = t0.Add(3 * time.Hour)
		return tx.PutSurveyResult(&r)
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := collect(0, func(fn func(*bot.SurveyResult) bool) error { return tx.SurveyResults("c1", fn) })
		if err != nil {
			return err
		}
		if g := ids(got, func(r *bot.SurveyResult) string { return r.Survey }); !reflect.DeepEqual(g, []string{"ons4", "made-up"}) {
			t.Errorf("after moving a result later: %v, want [ons4 made-up]", g)
		}
		return nil
	})
}

func testSchedules(t *testing.T, s bot.Store) {
	scheds := []*bot.Schedule{
		{ContactID: "c2", Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00", Zone: "Europe/London", Start: t0, Next: t0.Add(72 * time.Hour), CreatedAt: t0},
		{ContactID: "c1", Flow: "carer-checkin", Every: bot.Fortnightly, Weekday: time.Friday, LocalTime: "09:30", Start: t0, End: t0.AddDate(0, 3, 0), CreatedAt: t0},
		{ContactID: "c1", Flow: "ons4", Every: bot.Monthly, Weekday: time.Tuesday, LocalTime: "11:00", Start: t0, Paused: true, Missed: 1, CreatedAt: t0},
	}
	update(t, s, func(tx bot.Tx) error {
		for _, sc := range scheds {
			if err := tx.PutSchedule(sc); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Schedule(scheds[1].ID)
		if err != nil || !reflect.DeepEqual(got, scheds[1]) {
			t.Errorf("Schedule(%s) = %+v, %v; want %+v", scheds[1].ID, got, err, scheds[1])
		}
		_, err = tx.Schedule("nope")
		wantNotFound(t, "Schedule(nope)", err)
		c1, err := collect(0, func(fn func(*bot.Schedule) bool) error { return tx.Schedules("c1", fn) })
		if err != nil {
			return err
		}
		if g := ids(c1, func(s *bot.Schedule) string { return s.Flow }); !reflect.DeepEqual(g, []string{"carer-checkin", "ons4"}) {
			t.Errorf("Schedules(c1) = %v, want [carer-checkin ons4] in creation order", g)
		}
		all, err := collect(0, func(fn func(*bot.Schedule) bool) error { return tx.Schedules("", fn) })
		if err != nil || len(all) != 3 {
			t.Errorf("Schedules(\"\") = %d schedules, %v; want 3", len(all), err)
		}
		return nil
	})
	update(t, s, func(tx bot.Tx) error {
		if err := tx.DeleteSchedule(scheds[1].ID); err != nil {
			return err
		}
		return tx.DeleteSchedule("never-there")
	})
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Schedule(scheds[1].ID)
		wantNotFound(t, "a deleted schedule", err)
		c1, err := collect(0, func(fn func(*bot.Schedule) bool) error { return tx.Schedules("c1", fn) })
		if err != nil || len(c1) != 1 || c1[0].Flow != "ons4" {
			t.Errorf("Schedules(c1) after delete = %v, %v; want only ons4", c1, err)
		}
		return nil
	})
}

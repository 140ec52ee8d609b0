package engine_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestOutcomes checks the service summary against figures worked out by
// hand from a small set of results.
func TestOutcomes(t *testing.T) {
	w := newWorld(t)
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	wk := func(n int) time.Time { return t0.AddDate(0, 0, 7*n) }
	res := []*bot.SurveyResult{
		// c1: baseline and follow-up; happy skipped at baseline.
		{ContactID: "c1", Survey: "ons4", At: wk(0), Items: map[string]*int{"satisfied": ip(4), "happy": nil, "anxious": ip(7)},
			Bands: map[string]string{"satisfied": "low", "anxious": "high"}},
		{ContactID: "c1", Survey: "ons4", At: wk(12), Items: map[string]*int{"satisfied": ip(7), "happy": ip(6), "anxious": ip(3)},
			Bands: map[string]string{"satisfied": "high", "happy": "medium", "anxious": "low"}},
		{ContactID: "c1", Survey: "ons-loneliness", At: wk(0), Score: ip(8), Items: map[string]*int{},
			Categories: map[string]string{"lonely": "often_always"}, Bands: map[string]string{"lonely": "chronic loneliness"}},
		{ContactID: "c1", Survey: "ons-loneliness", At: wk(12), Score: ip(5), Items: map[string]*int{},
			Categories: map[string]string{"lonely": "some_of_the_time"}},
		// c2: a middle result that does not count.
		{ContactID: "c2", Survey: "ons4", At: wk(1), Items: map[string]*int{"satisfied": ip(6), "anxious": ip(2)},
			Bands: map[string]string{"satisfied": "medium", "anxious": "low"}},
		{ContactID: "c2", Survey: "ons4", At: wk(6), Items: map[string]*int{"satisfied": ip(0), "anxious": ip(10)}},
		{ContactID: "c2", Survey: "ons4", At: wk(13), Items: map[string]*int{"satisfied": ip(8), "anxious": ip(2)},
			Bands: map[string]string{"satisfied": "high", "anxious": "low"}},
		// c3: baseline only.
		{ContactID: "c3", Survey: "ons4", At: wk(2), Items: map[string]*int{"satisfied": ip(9)}, Bands: map[string]string{"satisfied": "very high"}},
	}
	w.putResults(res)
	outcomes := func(from, to time.Time) []bot.Outcome {
		var out []bot.Outcome
		if err := w.store.View(context.Background(), func(tx bot.Tx) error {
			var err error
			out, err = bot.Outcomes(tx, w.flows, from, to)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := []bot.Outcome{
		{Survey: "ons-loneliness", Baseline: 1, FollowUp: 1, Items: []bot.ItemOutcome{
			{Item: "lonely", Pairs: 1, Before: map[string]int{"often_always": 1}, After: map[string]int{"some_of_the_time": 1}},
			{Item: "total", Pairs: 1, Numeric: true, MeanBaseline: 8, MeanFollowUp: 5, MeanChange: -3, Before: map[string]int{}, After: map[string]int{}},
		}},
		{Survey: "ons4", Baseline: 3, FollowUp: 2, Items: []bot.ItemOutcome{
			{Item: "satisfied", Pairs: 2, Numeric: true, MeanBaseline: 5, MeanFollowUp: 7.5, MeanChange: 2.5,
				Before: map[string]int{"low": 1, "medium": 1}, After: map[string]int{"high": 2}},
			{Item: "anxious", Pairs: 2, Numeric: true, MeanBaseline: 4.5, MeanFollowUp: 2.5, MeanChange: -2,
				Before: map[string]int{"high": 1, "low": 1}, After: map[string]int{"low": 2}},
		}},
	}
	if got := outcomes(time.Time{}, time.Time{}); !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes:\n%+v\nwant\n%+v", got, want)
	}
	// Up to week 10: nobody has a follow-up except c2 (week 6, its middle result).
	got := outcomes(time.Time{}, wk(10))
	if len(got) != 2 || got[1].Baseline != 3 || got[1].FollowUp != 1 || got[1].Items[0].MeanChange != -6 {
		t.Errorf("up to week 10: %+v; want 3 baselines, one follow-up (c2: satisfied 6 to 0)", got)
	}
}

// A survey with every item skipped is neither a baseline nor a follow-up:
// the next answered one is the baseline.
func TestSkippedSurveyIsNoBaseline(t *testing.T) {
	w := newWorld(t)
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	res := []*bot.SurveyResult{
		{ContactID: "c9", Survey: "ons4", At: t0, Items: map[string]*int{"satisfied": nil, "happy": nil}},
		{ContactID: "c9", Survey: "ons4", At: t0.AddDate(0, 0, 7), Items: map[string]*int{"satisfied": ip(5)}},
	}
	w.putResults(res)
	var out []bot.Outcome
	if err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		out, err = bot.Outcomes(tx, w.flows, time.Time{}, time.Time{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Baseline != 1 || out[0].FollowUp != 0 {
		t.Fatalf("outcomes %+v, want one baseline (the answered one) and no follow-up", out)
	}
}

// putResults stores survey results as a scored survey would.
func (w *world) putResults(res []*bot.SurveyResult) {
	w.t.Helper()
	if err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		for _, r := range res {
			if err := tx.PutSurveyResult(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		w.t.Fatal(err)
	}
}

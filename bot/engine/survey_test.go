package engine_test

import (
	"context"
	"os"
	"reflect"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

func builtinFlow(t *testing.T, id string) *flows.Flow {
	t.Helper()
	set, err := flows.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := set.Flow(id)
	if !ok {
		t.Fatalf("no built-in flow %s", id)
	}
	return f
}

func ip(n int) *int { return &n }

// TestONS4Bands checks every score of every ONS4 item against the bands in
// DOMAIN.md, worked out by hand: items 1-3 0-4 low, 5-6 medium, 7-8 high,
// 9-10 very high; anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
func TestONS4Bands(t *testing.T) {
	f := builtinFlow(t, "ons4")
	positive := []string{"low", "low", "low", "low", "low", "medium", "medium", "high", "high", "very high", "very high"}
	anxiety := []string{"very low", "very low", "low", "low", "medium", "medium", "high", "high", "high", "high", "high"}
	for n := 0; n <= 10; n++ {
		s := strconv.Itoa(n)
		r, err := engine.ScoreSurvey(f, map[string]string{"satisfied": s, "worthwhile": s, "happy": s, "anxious": s})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"satisfied": positive[n], "worthwhile": positive[n], "happy": positive[n], "anxious": anxiety[n]}
		if !reflect.DeepEqual(r.Bands, want) {
			t.Errorf("all items %d: bands %v, want %v", n, r.Bands, want)
		}
		if r.Score != nil || r.Metric != nil {
			t.Errorf("ONS4 must never be summed; got score %v", *r.Score)
		}
		if got := r.Items["anxious"]; got == nil || *got != n {
			t.Errorf("anxious item = %v, want %d", got, n)
		}
	}
}

func TestScoreSurvey(t *testing.T) {
	madeup, err := flows.Parse("testdata/madeup-survey.yaml", mustRead(t, "testdata/madeup-survey.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := func(f float64) *float64 { return &f }
	tests := []struct {
		name    string
		flow    *flows.Flow
		answers map[string]string
		want    bot.SurveyResult
	}{
		{"ons4 with a skipped item", builtinFlow(t, "ons4"),
			map[string]string{"satisfied": "4", "worthwhile": "5", "happy": flows.Skipped, "anxious": "0"},
			bot.SurveyResult{Survey: "ons4", FlowID: "ons4", Version: 1,
				Items: map[string]*int{"satisfied": ip(4), "worthwhile": ip(5), "happy": nil, "anxious": ip(0)},
				Bands: map[string]string{"satisfied": "low", "worthwhile": "medium", "anxious": "very low"}}},
		{"loneliness lowest, direct often or always is chronic", builtinFlow(t, "loneliness"),
			map[string]string{"companionship": "hardly_ever", "left_out": "hardly_ever", "isolated": "hardly_ever", "lonely": "often_always"},
			bot.SurveyResult{Survey: "ons-loneliness", FlowID: "loneliness", Version: 1,
				Items:      map[string]*int{"companionship": ip(1), "left_out": ip(1), "isolated": ip(1)},
				Categories: map[string]string{"lonely": "often_always"},
				Score:      ip(3), Bands: map[string]string{"lonely": "chronic loneliness"}}},
		// A question the flow did not ask is not asked, not skipped
		// (session 40's trials).
		{"loneliness, direct question not asked", builtinFlow(t, "loneliness"),
			map[string]string{"companionship": "often", "left_out": "often", "isolated": "often"},
			bot.SurveyResult{Survey: "ons-loneliness", FlowID: "loneliness", Version: 1,
				Items:      map[string]*int{"companionship": ip(3), "left_out": ip(3), "isolated": ip(3)},
				Categories: map[string]string{"lonely": flows.NotAsked}, Score: ip(9), Bands: map[string]string{}}},
		{"loneliness highest", builtinFlow(t, "loneliness"),
			map[string]string{"companionship": "often", "left_out": "often", "isolated": "often", "lonely": "never"},
			bot.SurveyResult{Survey: "ons-loneliness", FlowID: "loneliness", Version: 1,
				Items:      map[string]*int{"companionship": ip(3), "left_out": ip(3), "isolated": ip(3)},
				Categories: map[string]string{"lonely": "never"}, Score: ip(9), Bands: map[string]string{}}},
		{"loneliness mixed: 2+3+1", builtinFlow(t, "loneliness"),
			map[string]string{"companionship": "some_of_the_time", "left_out": "often", "isolated": "hardly_ever", "lonely": "occasionally"},
			bot.SurveyResult{Survey: "ons-loneliness", FlowID: "loneliness", Version: 1,
				Items:      map[string]*int{"companionship": ip(2), "left_out": ip(3), "isolated": ip(1)},
				Categories: map[string]string{"lonely": "occasionally"}, Score: ip(6), Bands: map[string]string{}}},
		{"loneliness with a skip has no total, not a smaller one", builtinFlow(t, "loneliness"),
			map[string]string{"companionship": flows.Skipped, "left_out": "often", "isolated": "often", "lonely": flows.Skipped},
			bot.SurveyResult{Survey: "ons-loneliness", FlowID: "loneliness", Version: 1,
				Items:      map[string]*int{"companionship": nil, "left_out": ip(3), "isolated": ip(3)},
				Categories: map[string]string{"lonely": flows.Skipped}, Bands: map[string]string{}}},
		{"census carer question", builtinFlow(t, "carer-question"), map[string]string{"carer": "yes"},
			bot.SurveyResult{Survey: "census-carer", FlowID: "carer-question", Version: 1,
				Items: map[string]*int{}, Categories: map[string]string{"carer": "yes"}, Bands: map[string]string{}}},
		{"made-up lookup: lowest total", madeup, map[string]string{"a": "never", "b": "never"},
			bot.SurveyResult{Survey: "madeup-scale", FlowID: "madeup", Version: 3,
				Items: map[string]*int{"a": ip(1), "b": ip(1)}, Score: ip(2), Metric: m(7.0),
				Bands: map[string]string{bot.BandTotal: "lower"}}},
		{"made-up lookup: 9.51 bands by its whole part", madeup, map[string]string{"a": "never", "b": "sometimes"},
			bot.SurveyResult{Survey: "madeup-scale", FlowID: "madeup", Version: 3,
				Items: map[string]*int{"a": ip(1), "b": ip(2)}, Score: ip(3), Metric: m(9.51),
				Bands: map[string]string{bot.BandTotal: "lower"}}},
		{"made-up lookup: 15.5 is middle", madeup, map[string]string{"a": "always", "b": "sometimes"},
			bot.SurveyResult{Survey: "madeup-scale", FlowID: "madeup", Version: 3,
				Items: map[string]*int{"a": ip(3), "b": ip(2)}, Score: ip(5), Metric: m(15.5),
				Bands: map[string]string{bot.BandTotal: "middle"}}},
		{"made-up lookup: highest", madeup, map[string]string{"a": "always", "b": "always"},
			bot.SurveyResult{Survey: "madeup-scale", FlowID: "madeup", Version: 3,
				Items: map[string]*int{"a": ip(3), "b": ip(3)}, Score: ip(6), Metric: m(19.99),
				Bands: map[string]string{bot.BandTotal: "upper"}}},
		{"made-up with a missing answer", madeup, map[string]string{"a": "always"},
			bot.SurveyResult{Survey: "madeup-scale", FlowID: "madeup", Version: 3,
				Items: map[string]*int{"a": ip(3), "b": nil}, Bands: map[string]string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := engine.ScoreSurvey(tt.flow, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMadeUpSurveyFromAFolder adds an instrument as a file, as a service
// with a licence would, checks it and runs it end to end: the stored
// result carries the lookup metric, and a skip is stored as skipped.
func TestMadeUpSurveyFromAFolder(t *testing.T) {
	dir := fstest.MapFS{"madeup.yaml": {Data: mustRead(t, "testdata/madeup-survey.yaml")}}
	set, err := flows.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if problems := set.Check(cat, flows.CheckOptions{}); len(problems) > 0 {
		t.Fatalf("made-up survey has problems: %v", problems)
	}
	w := newWorld(t, func(c *engine.Config) { c.Flows = set })
	c := w.newContact("sim:p", "Pat")
	ctx := context.Background()
	for _, run := range [][]string{{"3", "2"}, {"skip", "always"}} {
		if ok, err := w.engine.StartFlow(ctx, c.ID, "madeup"); err != nil || !ok {
			t.Fatalf("StartFlow = %v, %v", ok, err)
		}
		w.replies(c.Primary())
		for _, a := range run {
			w.send("sim:p", a)
		}
	}
	var got []*bot.SurveyResult
	err = w.store.View(ctx, func(tx bot.Tx) error {
		return tx.SurveyResults(c.ID, func(r *bot.SurveyResult) bool { got = append(got, r); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("stored %d results, want 2", len(got))
	}
	if r := got[0]; r.Survey != "madeup-scale" || r.Version != 3 || r.Score == nil || *r.Score != 5 || r.Metric == nil || *r.Metric != 15.5 || r.ContactID != c.ID {
		t.Errorf("first result %+v: want madeup-scale v3, score 5, metric 15.5", r)
	}
	if r := got[1]; r.Items["a"] != nil || r.Items["b"] == nil || *r.Items["b"] != 3 || r.Score != nil {
		t.Errorf("second result %+v: want a skipped (nil), b 3 and no total", r)
	}
	if n := len(w.events(bot.EventSurveyScored)); n != 2 {
		t.Errorf("%d survey.scored events, want 2", n)
	}
}

// TestScoringChecks: a survey file's mistakes are found before it runs.
func TestScoringChecks(t *testing.T) {
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	base := string(mustRead(t, "testdata/madeup-survey.yaml"))
	tests := []struct{ name, from, to, want string }{
		{"lookup missing a total", "5: 15.5, ", "", "lookup has no entry for totals [5]"},
		{"overlapping bands", "{min: 10, max: 15, band: middle}", "{min: 9, max: 15, band: middle}", `bands "lower" and "middle" overlap`},
		{"gap in bands", "{min: 16, max: 20, band: upper}", "{min: 17, max: 20, band: upper}", "score 16 has no band"},
		{"unknown item", "- key: b\n", "- key: c\n", "item 2 (c): no state saves this key"},
		{"value for no option", "{never: 1, sometimes: 2, always: 3}\n    - key: b", "{never: 1, sometimes: 2, often: 3}\n    - key: b", `values: "often" is not an option`},
		{"no score action", "actions: [{do: score}]", "actions: []", "no state has the action {do: score}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := replaceOnce(t, base, tt.from, tt.to)
			dir := fstest.MapFS{"madeup.yaml": {Data: []byte(src)}}
			set, err := flows.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			problems := set.Check(cat, flows.CheckOptions{})
			for _, p := range problems {
				if containsStr(p.String(), tt.want) {
					return
				}
			}
			t.Errorf("problems %v; want one saying %q", problems, tt.want)
		})
	}
}

// TestONS4AnswersInTheQuestionsWords: each ONS4 question names its ends
// ("where 0 is not at all and 10 is completely"), so "not at all" is 0
// and "completely" 10 (both were "please reply with a number").
func TestONS4AnswersInTheQuestionsWords(t *testing.T) {
	w := newWorld(t)
	c := w.newContact("sim:p", "Pat")
	ctx := context.Background()
	if ok, err := w.engine.StartFlow(ctx, c.ID, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	for _, a := range []string{"not at all", "Completely!", "5", "not at all anxious"} {
		w.send("sim:p", a)
	}
	var got []*bot.SurveyResult
	if err := w.store.View(ctx, func(tx bot.Tx) error {
		return tx.SurveyResults(c.ID, func(r *bot.SurveyResult) bool { got = append(got, r); return true })
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("stored %d results, want 1", len(got))
	}
	want := map[string]int{"satisfied": 0, "worthwhile": 10, "happy": 5, "anxious": 0}
	for k, v := range want {
		if p := got[0].Items[k]; p == nil || *p != v {
			t.Errorf("%s = %v, want %d", k, p, v)
		}
	}
}

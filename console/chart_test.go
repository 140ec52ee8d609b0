package console_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func intp(n int) *int { return &n }

// The person page draws each measure over time: one SVG per measure with a
// point per answered result (a skipped answer is no point, never zero),
// placed on the measure's scale, and nothing for someone with no results.
func TestPersonPageChartsMeasures(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	ct := w.send("sms:+447700900321", "hello")
	other := w.send("sms:+447700900322", "hello")
	day := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	ons4 := func(at time.Time, satisfied *int, anxious int) *bot.SurveyResult {
		return &bot.SurveyResult{ContactID: ct.ID, Survey: "ons4", FlowID: "ons4", Version: 1, At: at,
			Items: map[string]*int{"satisfied": satisfied, "worthwhile": intp(5), "happy": intp(6), "anxious": intp(anxious)},
			Bands: map[string]string{"anxious": map[bool]string{true: "high", false: "very low"}[anxious >= 6]}}
	}
	w.update(func(tx bot.Tx) error {
		for _, r := range []*bot.SurveyResult{
			ons4(day, intp(10), 8),
			ons4(day.Add(6*7*24*time.Hour), nil, 1),
			ons4(day.Add(12*7*24*time.Hour), intp(0), 0),
			{ContactID: ct.ID, Survey: "ons-loneliness", FlowID: "loneliness", Version: 1, At: day,
				Items: map[string]*int{"companionship": intp(3), "left_out": intp(3), "isolated": intp(3)}, Score: intp(9),
				Categories: map[string]string{"lonely": "often_always"}, Bands: map[string]string{"lonely": "chronic loneliness"}},
		} {
			if err := tx.PutSurveyResult(r); err != nil {
				return err
			}
		}
		return nil
	})
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	figures := regexp.MustCompile(`(?s)<figure class="chart">.*?</figure>`).FindAllString(res.body, -1)
	points := regexp.MustCompile(`<circle class="chart-point" cx="([\d.]+)" cy="([\d.]+)"`)
	want := []struct {
		title  string
		points int
		ys     []string // y of each point, top of the plot is 12, bottom 122
	}{
		{"ONS4 personal wellbeing · Life satisfaction", 2, []string{"12", "122"}}, // 10 then (skipped) then 0
		{"ONS4 personal wellbeing · Things done are worthwhile", 3, nil},
		{"ONS4 personal wellbeing · Happiness yesterday", 3, nil},
		{"ONS4 personal wellbeing · Anxiety yesterday", 3, []string{"34", "111", "122"}},
		{"ONS loneliness measures · Lack of companionship", 1, []string{"12"}},
		{"ONS loneliness measures · Feeling left out", 1, nil},
		{"ONS loneliness measures · Feeling isolated from others", 1, nil},
		{"ONS loneliness measures · Total", 1, []string{"12"}},
	}
	if len(figures) != len(want) {
		t.Fatalf("%d charts, want %d:\n%s", len(figures), len(want), strings.Join(figures, "\n"))
	}
	for i, wc := range want {
		f := figures[i]
		got := points.FindAllStringSubmatch(f, -1)
		if !strings.Contains(f, "<figcaption>"+wc.title) || len(got) != wc.points {
			t.Errorf("chart %d: want %q with %d points, got %d:\n%s", i, wc.title, wc.points, len(got), f)
			continue
		}
		for j, y := range wc.ys {
			if got[j][2] != y {
				t.Errorf("%s point %d at y=%s, want %s", wc.title, j, got[j][2], y)
			}
		}
	}
	sat, anx := figures[0], figures[3]
	if !strings.Contains(sat, "1 skipped") || strings.Count(sat, "<polyline") != 0 {
		t.Errorf("a skip should break the line and be counted:\n%s", sat)
	}
	if !strings.Contains(anx, "<title>5 Jan 2026: 8 (high)</title>") || !strings.Contains(anx, "higher means more anxious") ||
		!strings.Contains(anx, "Open Government Licence") {
		t.Errorf("anxious chart lacks its label, note or attribution:\n%s", anx)
	}
	if strings.Contains(res.body, "chronic loneliness") {
		t.Error("a category (the direct loneliness question) is not a number to chart")
	}
	if res := c.get("/console/contacts/" + other.ID); strings.Contains(res.body, "Wellbeing measures") {
		t.Error("a person with no results shows a measures card")
	}
}

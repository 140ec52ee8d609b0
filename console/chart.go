package console

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"sync"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

//go:embed templates/chart.svg
var chartSource string

var chartTmpl = template.Must(template.New("chart").Parse(chartSource))

// Chart geometry, in SVG user units.
const (
	chartW, chartH             = 320, 150
	chartLeft, chartRight      = 34, 12
	chartTop, chartBottom      = 12, 28
	chartPlotW, chartPlotH     = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
	chartTotalKey, chartMetric = "total", "metric"
)

// chart is one measure of one instrument over time, laid out for the SVG
// template: a line through the answered results (broken where one was
// skipped) and a point per answered result.
type chart struct {
	Title       string
	Note        string // e.g. "higher means more anxious"
	W, H        int
	Left, Right float64
	Top, Bottom float64
	Lo, Hi      string // y axis labels
	From, To    string // x axis labels
	Lines       []string
	Points      []chartPoint
	Skipped     int
	Attribution string
}

// chartPoint is one answered result: where it is drawn, and in words
// (the SVG's tooltip, and the table of values under the chart, which
// needs no mouse).
type chartPoint struct {
	X, Y              float64
	Label             string // date, score and band
	Date, Value, Band string
}

// measure is the values of one measure across a contact's results of one
// instrument, nil where skipped.
type measure struct {
	key, title string
	values     []*float64
	bands      []string
}

// contactCharts draws each measure of each survey a contact has answered
// over time, one SVG per measure, instruments in the order first answered.
// Scores are for staff; the person never sees them.
func contactCharts(tx bot.Tx, set *flows.Set, contactID string) ([]template.HTML, error) {
	byInstrument := map[string][]*bot.SurveyResult{}
	var order []string
	if err := tx.SurveyResults(contactID, func(r *bot.SurveyResult) bool {
		if _, ok := byInstrument[r.Survey]; !ok {
			order = append(order, r.Survey)
		}
		byInstrument[r.Survey] = append(byInstrument[r.Survey], r)
		return true
	}); err != nil {
		return nil, err
	}
	var out []template.HTML
	for _, inst := range order {
		results := byInstrument[inst]
		f := instrumentFlow(set, inst)
		name := humanize(inst)
		if f != nil && f.Title != "" {
			name = f.Title
		}
		for _, m := range measures(f, results) {
			lo, hi := measureRange(f, m)
			c := layout(inst, name, m, results, lo, hi)
			if f != nil {
				c.Attribution = f.Attribution
			}
			var b bytes.Buffer
			if err := chartTmpl.Execute(&b, c); err != nil {
				return nil, fmt.Errorf("chart %s %s: %w", inst, m.key, err)
			}
			out = append(out, template.HTML(b.String())) // escaped by html/template
		}
	}
	return out, nil
}

// measures lists the numeric measures of results: each scored item, in the
// flow's order when the flow is known, then the total or metric.
func measures(f *flows.Flow, results []*bot.SurveyResult) []measure {
	var keys []string
	if f != nil && f.Scoring != nil {
		for _, it := range f.Scoring.Items {
			if len(it.Categories) == 0 || len(it.Values) > 0 {
				keys = append(keys, it.Key)
			}
		}
	}
	var extra []string
	for _, r := range results {
		for k := range r.Items {
			if !slices.Contains(keys, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	sort.Strings(extra)
	keys = append(keys, extra...)

	var out []measure
	for _, k := range keys {
		m := measure{key: k, title: k}
		seen := false
		for _, r := range results {
			v, ok := r.Items[k]
			if !ok {
				m.values, m.bands = append(m.values, nil), append(m.bands, "")
				continue
			}
			seen = true
			m.values, m.bands = append(m.values, intPtr(v)), append(m.bands, r.Bands[k])
		}
		if seen {
			out = append(out, m)
		}
	}
	total := measure{key: chartTotalKey, title: "total"}
	metric := measure{key: chartMetric, title: "metric"}
	var hasTotal, hasMetric bool
	for _, r := range results {
		band := r.Bands[bot.BandTotal]
		total.values, total.bands = append(total.values, intPtr(r.Score)), append(total.bands, band)
		metric.values, metric.bands = append(metric.values, r.Metric), append(metric.bands, band)
		hasTotal, hasMetric = hasTotal || r.Score != nil, hasMetric || r.Metric != nil
	}
	switch {
	case hasMetric:
		out = append(out, metric)
	case hasTotal:
		out = append(out, total)
	}
	return out
}

func intPtr(v *int) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// measureRange is the scale of a measure: what the flow says it can take,
// widened to cover every value seen (a flow may have changed).
func measureRange(f *flows.Flow, m measure) (lo, hi float64) {
	lo, hi, known := scaleOf(f, m.key)
	for _, v := range m.values {
		if v == nil {
			continue
		}
		if !known {
			lo, hi, known = *v, *v, true
		}
		lo, hi = min(lo, *v), max(hi, *v)
	}
	if hi <= lo {
		lo, hi = min(lo, 0), lo+1
	}
	return lo, hi
}

// scaleOf reads a measure's possible range from its flow.
func scaleOf(f *flows.Flow, key string) (lo, hi float64, ok bool) {
	if f == nil || f.Scoring == nil {
		return 0, 0, false
	}
	s := f.Scoring
	if key == chartMetric {
		for _, v := range s.Lookup {
			if !ok {
				lo, hi, ok = v, v, true
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		return lo, hi, ok
	}
	if key == chartTotalKey {
		for _, it := range s.Items {
			if l, h, found := itemScale(f, it); found {
				lo, hi, ok = lo+l, hi+h, true
			}
		}
		return lo, hi, ok
	}
	for _, it := range s.Items {
		if it.Key == key {
			return itemScale(f, it)
		}
	}
	return 0, 0, false
}

func itemScale(f *flows.Flow, it flows.ScoredItem) (lo, hi float64, ok bool) {
	for _, v := range it.Values {
		if !ok {
			lo, hi, ok = float64(v), float64(v), true
		}
		lo, hi = min(lo, float64(v)), max(hi, float64(v))
	}
	if ok {
		return lo, hi, true
	}
	for _, st := range f.States {
		if st.Save == it.Key && st.Expect == flows.ExpectNumber && st.Min != nil && st.Max != nil {
			return float64(*st.Min), float64(*st.Max), true
		}
	}
	return 0, 0, false
}

// layout places a measure's points: x by the time of each result across
// the instrument's first to last, y from lo (bottom) to hi (top).
func layout(inst, name string, m measure, results []*bot.SurveyResult, lo, hi float64) chart {
	c := chart{Title: name + " · " + itemLabel(inst, m.key), W: chartW, H: chartH,
		Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBottom,
		Lo: num(lo), Hi: num(hi)}
	if inst == "ons4" && m.key == "anxious" {
		c.Note = "higher means more anxious"
	}
	first, last := results[0].At, results[len(results)-1].At
	c.From, c.To = first.Format("2 Jan 2006"), last.Format("2 Jan 2006")
	span := last.Sub(first)
	var line []string
	flush := func() {
		if len(line) > 1 {
			c.Lines = append(c.Lines, join(line))
		}
		line = nil
	}
	for i, r := range results {
		v := m.values[i]
		if v == nil {
			c.Skipped++
			flush()
			continue
		}
		x := float64(chartLeft) + float64(chartPlotW)/2
		if span > 0 {
			x = float64(chartLeft) + float64(chartPlotW)*float64(r.At.Sub(first))/float64(span)
		}
		y := float64(chartTop) + float64(chartPlotH)*(hi-*v)/(hi-lo)
		label := fmt.Sprintf("%s: %s", r.At.Format("2 Jan 2006"), num(*v))
		if b := m.bands[i]; b != "" {
			label += " (" + b + ")"
		}
		c.Points = append(c.Points, chartPoint{X: round1(x), Y: round1(y), Label: label,
			Date: r.At.Format("2 Jan 2006"), Value: num(*v), Band: m.bands[i]})
		line = append(line, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	flush()
	return c
}

func join(pts []string) string {
	var b bytes.Buffer
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }

func num(v float64) string { return fmt.Sprintf("%g", v) }

var builtinFlows = sync.OnceValue(func() *flows.Set {
	s, err := flows.Load(nil)
	if err != nil {
		return nil
	}
	return s
})

// instrumentFlow is the flow in s (the flows the service runs, a
// service's own surveys included) that scores inst, for its scale and
// attribution, or nil: the scale is then read from the results.
func instrumentFlow(s *flows.Set, inst string) *flows.Flow {
	if s == nil {
		return nil
	}
	for _, id := range s.IDs() {
		if f, _ := s.Flow(id); f != nil && f.Scoring != nil && f.Instrument() == inst {
			return f
		}
	}
	return nil
}

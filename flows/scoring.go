package flows

import (
	"fmt"
	"sort"
)

// Skipped is the answer saved for a question the person skipped (a state
// with skip: true answered SKIP). It is never a score.
const Skipped = "skipped"

// NotAsked is the category recorded for a survey question the flow did not
// ask (its path went past it).
const NotAsked = "not_asked"

// Scoring declares how a survey flow is scored, so that a service can add
// an instrument as a file, without code. For example:
//
//	scoring:
//	  instrument: ons4
//	  items:
//	    - {key: satisfied, bands: [{min: 0, max: 4, band: low}, ...]}
//	  total: sum              # or leave out: items are reported separately
//	  lookup: {7: 7.00, ...}  # raw total to reported metric, every total listed
//	  total_bands: [...]
//
// Every item is an answer the flow saves (a state's save key). A number
// item scores the number given; a choice item scores the points its
// option values are given in Values, or, with no Values, is a category
// recorded as chosen (as are choices and yesno items), and not counted in a
// total. A skipped item has no score, and then a total is not
// computed (it is never counted as zero).
type Scoring struct {
	// Instrument names the measure in stored results. Default: the flow id.
	Instrument string `yaml:"instrument"`
	// Items are the scored answers, in the order reports show them.
	Items []ScoredItem `yaml:"items"`
	// Total is "" (items reported separately, never summed) or "sum".
	Total string `yaml:"total"`
	// Lookup converts the summed raw total to the reported metric (e.g. a
	// licensed instrument's raw-to-metric table). It needs total: sum and
	// must list every possible total.
	Lookup map[int]float64 `yaml:"lookup"`
	// TotalBands band the total (the metric when Lookup is set, rounded
	// down, else the raw total).
	TotalBands []Band `yaml:"total_bands"`
}

// ScoredItem is one scored answer.
type ScoredItem struct {
	// Key is the save key of the state that asks the item.
	Key string `yaml:"key"`
	// Values give a choice item's options their points (e.g. "Often": 3).
	Values map[string]int `yaml:"values"`
	// Bands name ranges of the item's score.
	Bands []Band `yaml:"bands"`
	// Categories name bands of a category item by option value (e.g.
	// often_always: chronic loneliness); options not named have no band.
	Categories map[string]string `yaml:"categories"`
}

// Band is a named, inclusive range of scores.
type Band struct {
	Min  int    `yaml:"min"`
	Max  int    `yaml:"max"`
	Band string `yaml:"band"`
}

// BandOf returns the name of the band n falls in, or "".
func BandOf(bands []Band, n int) string {
	for _, b := range bands {
		if n >= b.Min && n <= b.Max {
			return b.Band
		}
	}
	return ""
}

// Instrument returns the name stored with the flow's results.
func (f *Flow) Instrument() string {
	if f.Scoring != nil && f.Scoring.Instrument != "" {
		return f.Scoring.Instrument
	}
	return f.ID
}

// itemRange is the lowest and highest score an item can take.
func itemRange(f *Flow, it ScoredItem) (lo, hi int, ok bool) {
	if len(it.Values) > 0 {
		first := true
		for _, v := range it.Values {
			if first || v < lo {
				lo = v
			}
			if first || v > hi {
				hi = v
			}
			first = false
		}
		return lo, hi, true
	}
	for _, st := range f.States {
		if st.Save == it.Key && st.Expect == ExpectNumber && st.Min != nil && st.Max != nil {
			return *st.Min, *st.Max, true
		}
	}
	return 0, 0, false
}

func checkScoring(f *Flow) []Problem {
	var out []Problem
	add := func(state, format string, args ...any) {
		out = append(out, Problem{File: f.File, Flow: f.ID, State: state, Msg: fmt.Sprintf(format, args...)})
	}
	scores := false
	for _, name := range sortedStates(f) {
		st := f.States[name]
		for _, a := range st.Actions {
			if a.Do == "score" {
				scores = true
			}
		}
		if st.Skip && st.Next == "" {
			add(name, "skip needs next: a skipped question moves on by next")
		}
		if st.Skip && st.Save == "" {
			add(name, "skip needs save: the skip is recorded under the save key")
		}
	}
	s := f.Scoring
	switch {
	case s == nil && scores:
		add("", "the score action needs a scoring block")
		return out
	case s == nil:
		return out
	case !scores:
		add("", "scoring is declared but no state has the action {do: score}")
	}
	if len(s.Items) == 0 {
		add("", "scoring: no items")
	}
	if s.Total != "" && s.Total != "sum" {
		add("", "scoring: total %q: want sum, or leave it out", s.Total)
	}
	if (len(s.Lookup) > 0 || len(s.TotalBands) > 0) && s.Total != "sum" {
		add("", "scoring: lookup and total_bands need total: sum")
	}
	lo, hi, summable := 0, 0, true
	seen := map[string]bool{}
	for i, it := range s.Items {
		where := fmt.Sprintf("scoring: item %d (%s)", i+1, it.Key)
		var st *State
		for _, name := range sortedStates(f) {
			if f.States[name].Save == it.Key {
				st = f.States[name]
				break
			}
		}
		if it.Key == "" || st == nil {
			add("", "%s: no state saves this key", where)
			summable = false
			continue
		}
		if st.Expect == ExpectNumber && (st.Min == nil || st.Max == nil) {
			summable = false
		}
		if seen[it.Key] {
			add("", "%s: listed twice", where)
		}
		seen[it.Key] = true
		switch st.Expect {
		case ExpectNumber:
			if len(it.Values) > 0 || len(it.Categories) > 0 {
				add("", "%s: values and categories are for choice items", where)
			}
		case ExpectChoice:
			for v := range it.Values {
				if !hasOption(st, v) {
					add("", "%s: values: %q is not an option", where, v)
				}
			}
			for v := range it.Categories {
				if !hasOption(st, v) {
					add("", "%s: categories: %q is not an option", where, v)
				}
			}
			if len(it.Values) > 0 {
				for _, o := range st.Options {
					if _, ok := it.Values[o.Value]; !ok {
						add("", "%s: option %q has no value", where, o.Value)
					}
				}
			}
		case ExpectChoices, ExpectYesNo:
			if len(it.Values) > 0 || len(it.Bands) > 0 {
				add("", "%s: a %s item is a category: it takes categories, not values or bands", where, st.Expect)
			}
		default:
			add("", "%s: a scored item must expect number, choice, choices or yesno", where)
		}
		ilo, ihi, ok := itemRange(f, it)
		if !ok {
			// A category: recorded, never part of a total.
			if len(it.Bands) > 0 {
				add("", "%s: bands need a number item or values", where)
			}
			continue
		}
		lo, hi = lo+ilo, hi+ihi
		out = append(out, checkBands(f, where, it.Bands, ilo, ihi)...)
	}
	if s.Total != "sum" {
		return out
	}
	if !summable {
		add("", "scoring: total: sum needs its items to be numbers with min and max, or choices with values")
		return out
	}
	if len(s.Lookup) > 0 {
		var missing []int
		for n := lo; n <= hi; n++ {
			if _, ok := s.Lookup[n]; !ok {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			add("", "scoring: lookup has no entry for totals %v", missing)
		}
		mlo, mhi := int(s.Lookup[lo]), int(s.Lookup[lo])
		for _, m := range s.Lookup {
			mlo, mhi = min(mlo, int(m)), max(mhi, int(m))
		}
		lo, hi = mlo, mhi
	}
	return append(out, checkBands(f, "scoring: total_bands", s.TotalBands, lo, hi)...)
}

// checkBands reports bands that overlap, run backwards, or leave a score
// between lo and hi without a band.
func checkBands(f *Flow, where string, bands []Band, lo, hi int) []Problem {
	if len(bands) == 0 {
		return nil
	}
	var out []Problem
	add := func(format string, args ...any) {
		out = append(out, Problem{File: f.File, Flow: f.ID, Msg: where + ": " + fmt.Sprintf(format, args...)})
	}
	sorted := append([]Band(nil), bands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Min < sorted[j].Min })
	for i, b := range sorted {
		if b.Band == "" || b.Min > b.Max {
			add("band %d-%d needs a name and min <= max", b.Min, b.Max)
		}
		if i > 0 && b.Min <= sorted[i-1].Max {
			add("bands %q and %q overlap", sorted[i-1].Band, b.Band)
		}
	}
	for n := lo; n <= hi; n++ {
		if BandOf(bands, n) == "" {
			add("score %d has no band", n)
			break
		}
	}
	return out
}

func hasOption(st *State, value string) bool {
	for _, o := range st.Options {
		if o.Value == value {
			return true
		}
	}
	return false
}

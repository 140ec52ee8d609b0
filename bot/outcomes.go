package bot

import (
	"sort"
	"time"

	"github.com/linkline/linkline/flows"
)

// Outcome is the service-level change on one instrument: how many people
// have a baseline and a follow-up, the mean change per item, and the
// spread across bands before and after. It is for staff and commissioners.
type Outcome struct {
	Survey string
	// Baseline counts people with at least one result; FollowUp those
	// with a later one too.
	Baseline, FollowUp int
	Items              []ItemOutcome
}

// ItemOutcome is one item (or the total, as item "total") of an Outcome.
// Only people who answered the item at both baseline and follow-up count.
type ItemOutcome struct {
	Item string
	// Pairs is how many people answered it both times.
	Pairs int
	// Numeric is false for category items, which have no means.
	Numeric                                bool
	MeanBaseline, MeanFollowUp, MeanChange float64
	// Before and After count people by band (or category, for category
	// items) at baseline and at follow-up.
	Before, After map[string]int
}

type itemAcc struct {
	numeric    bool
	pairs      int
	sumB, sumF int
	before     map[string]int
	after      map[string]int
}

type outcomeAcc struct {
	baseline, followUp int
	items              map[string]*itemAcc
}

// Outcomes summarises every survey result from tx taken at or after from
// and before to (zero times: no bound). Each person's first result on an
// instrument is their baseline and their last their follow-up. Items are
// listed in the order the instrument's flow in set declares them. It reads
// the results contact by contact and holds one contact's at a time.
func Outcomes(tx Tx, set *flows.Set, from, to time.Time) ([]Outcome, error) {
	order := map[string][]string{}
	for _, id := range set.IDs() {
		if f, _ := set.Flow(id); f.Scoring != nil {
			for _, it := range f.Scoring.Items {
				order[f.Instrument()] = append(order[f.Instrument()], it.Key)
			}
		}
	}
	accs := map[string]*outcomeAcc{}
	type pair struct{ first, last *SurveyResult }
	var contact string
	person := map[string]*pair{}
	fold := func() {
		for sv, p := range person {
			a := accs[sv]
			if a == nil {
				a = &outcomeAcc{items: map[string]*itemAcc{}}
				accs[sv] = a
			}
			a.baseline++
			if p.last == p.first {
				continue
			}
			a.followUp++
			foldPair(a, p.first, p.last)
		}
		clear(person)
	}
	err := tx.SurveyResults("", func(r *SurveyResult) bool {
		if (!from.IsZero() && r.At.Before(from)) || (!to.IsZero() && !r.At.Before(to)) || !r.Answered() {
			return true // (every item skipped: not a baseline nor a follow-up)
		}
		if r.ContactID != contact {
			fold()
			contact = r.ContactID
		}
		if p, ok := person[r.Survey]; ok {
			p.last = r
		} else {
			person[r.Survey] = &pair{first: r, last: r}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	fold()
	var out []Outcome
	for sv, a := range accs {
		o := Outcome{Survey: sv, Baseline: a.baseline, FollowUp: a.followUp}
		keys := append([]string(nil), order[sv]...)
		known := map[string]bool{}
		for _, k := range keys {
			known[k] = true
		}
		var extra []string
		for k := range a.items {
			if !known[k] && k != BandTotal {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		keys = append(append(keys, extra...), BandTotal)
		for _, k := range keys {
			it := a.items[k]
			if it == nil {
				continue
			}
			io := ItemOutcome{Item: k, Pairs: it.pairs, Numeric: it.numeric, Before: it.before, After: it.after}
			if it.numeric && it.pairs > 0 {
				n := float64(it.pairs)
				io.MeanBaseline, io.MeanFollowUp = float64(it.sumB)/n, float64(it.sumF)/n
				io.MeanChange = io.MeanFollowUp - io.MeanBaseline
			}
			o.Items = append(o.Items, io)
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Survey < out[j].Survey })
	return out, nil
}

func foldPair(a *outcomeAcc, b, f *SurveyResult) {
	item := func(k string, numeric bool) *itemAcc {
		it := a.items[k]
		if it == nil {
			it = &itemAcc{numeric: numeric, before: map[string]int{}, after: map[string]int{}}
			a.items[k] = it
		}
		return it
	}
	band := func(it *itemAcc, bb, fb string) {
		if bb != "" {
			it.before[bb]++
		}
		if fb != "" {
			it.after[fb]++
		}
	}
	for k, bv := range b.Items {
		fv := f.Items[k]
		if bv == nil || fv == nil {
			continue
		}
		it := item(k, true)
		it.pairs++
		it.sumB += *bv
		it.sumF += *fv
		band(it, b.Bands[k], f.Bands[k])
	}
	for k, bc := range b.Categories {
		fc := f.Categories[k]
		if bc == "" || fc == "" || bc == flows.Skipped || fc == flows.Skipped || bc == flows.NotAsked || fc == flows.NotAsked {
			continue
		}
		it := item(k, false)
		it.pairs++
		band(it, bc, fc)
	}
	if b.Score != nil && f.Score != nil {
		it := item(BandTotal, true)
		it.pairs++
		it.sumB += *b.Score
		it.sumF += *f.Score
		band(it, b.Bands[BandTotal], f.Bands[BandTotal])
	}
}

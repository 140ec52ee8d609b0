package directory

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/bot"
)

// Matcher ranks the directory's services for a person. It keeps an
// in-memory snapshot of the stored services (Load builds it; a sync calls
// Load again), so a query reads no records. It is safe for concurrent use.
//
// Ranking, in order: how many of the person's needs a service meets; how
// far it is, in bands (within a mile, 3 miles, 6 miles, further); whether
// it opens in the next two days; whether it is free; then the exact
// distance and the name.
type Matcher struct {
	needs *Needs
	zone  *time.Location
	snap  atomic.Pointer[snapshot]
}

type snapshot struct {
	entries []entry
	terms   map[string]string // term id → lower-case name
}

type entry struct {
	svc    *bot.DirService
	points []bot.GeoPoint
	needs  uint32
	text   string // lower-case name, organisation and description, for search
}

// NewMatcher returns a matcher for needs (nil: DefaultNeeds) whose opening
// times are read in zone (nil: Europe/London). It matches nothing until
// Load or Set.
func NewMatcher(needs *Needs, zone *time.Location) *Matcher {
	if needs == nil {
		needs = DefaultNeeds()
	}
	if zone == nil {
		zone, _ = time.LoadLocation("Europe/London")
		if zone == nil {
			zone = time.UTC
		}
	}
	m := &Matcher{needs: needs, zone: zone}
	m.snap.Store(&snapshot{})
	return m
}

// Load reads every stored service and taxonomy term and puts them in force.
func (m *Matcher) Load(ctx context.Context, store bot.Store) error {
	var svcs []*bot.DirService
	var terms []*bot.DirTerm
	err := store.View(ctx, func(tx bot.Tx) error {
		if err := tx.DirTerms(func(t *bot.DirTerm) bool { terms = append(terms, t); return true }); err != nil {
			return err
		}
		return tx.DirServices("", func(s *bot.DirService) bool { svcs = append(svcs, s); return true })
	})
	if err != nil {
		return err
	}
	m.Set(svcs, terms)
	return nil
}

// Set puts the given services and terms in force.
func (m *Matcher) Set(svcs []*bot.DirService, terms []*bot.DirTerm) {
	sn := &snapshot{terms: make(map[string]string, len(terms)), entries: make([]entry, 0, len(svcs))}
	for _, t := range terms {
		sn.terms[t.ID] = strings.ToLower(t.Name)
	}
	for _, s := range svcs {
		e := entry{svc: s}
		for _, l := range s.Locations {
			if l.HasPoint {
				e.points = append(e.points, bot.GeoPoint{Lat: l.Lat, Lon: l.Lon})
			}
		}
		var names []string
		for _, id := range s.Terms {
			names = append(names, sn.terms[id])
			if _, local, ok := strings.Cut(id, ":"); ok {
				names = append(names, strings.ToLower(local))
			}
		}
		e.text = strings.ToLower(s.Name + "\n" + s.Organization + "\n" + s.Description)
		e.needs = m.needs.match(names, e.text)
		sn.entries = append(sn.entries, e)
	}
	m.snap.Store(sn)
}

// Needs lists the needs the matcher knows, sorted.
func (m *Matcher) Needs() []string { return m.needs.Names() }

// Len is how many services the matcher holds.
func (m *Matcher) Len() int { return len(m.snap.Load().entries) }

// Query is what to match.
type Query struct {
	// From is where the person is; without it, distance is not used and
	// services without a location are included.
	From    bot.GeoPoint
	HasFrom bool
	// MaxKm drops services further than this from From. Default 10.
	MaxKm float64
	// Needs are need names (as in the needs file); services that meet none
	// of them are left out. Empty: every service.
	Needs []string
	// Text, if set, keeps services whose name, organisation or description
	// holds every word of it.
	Text string
	// Skip lists service ids to leave out (already offered).
	Skip []string
	// Limit is how many to return. Default 3.
	Limit int
	// Now is when the person asks, for "opens soon". Default time.Now().
	Now time.Time
}

// Match is one ranked service.
type Match struct {
	Service      *bot.DirService
	DistanceKm   float64
	HasDistance  bool
	NeedsMet     int
	OpensSoon    bool
	Free         bool
	distanceBand int
}

// Match returns the best services for q, best first.
func (m *Matcher) Match(q Query) []Match {
	sn := m.snap.Load()
	if q.Limit <= 0 {
		q.Limit = 3
	}
	if q.MaxKm <= 0 {
		q.MaxKm = 10
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	want := m.needs.mask(q.Needs)
	if len(q.Needs) > 0 && want == 0 {
		return nil // needs the mapping does not know ("other")
	}
	words := strings.Fields(strings.ToLower(q.Text))
	now := q.Now.In(m.zone)
	keep := q.Limit + 3 // room for repeated names, dropped below
	best := make([]Match, 0, keep+1)
	names := map[string]bool{}
	for i := range sn.entries {
		e := &sn.entries[i]
		met := bits.OnesCount32(e.needs & want)
		if want != 0 && met == 0 {
			continue
		}
		mt := Match{Service: e.svc, NeedsMet: met, Free: e.svc.Free}
		if q.HasFrom {
			if len(e.points) == 0 {
				continue
			}
			d := math.MaxFloat64
			for _, p := range e.points {
				d = min(d, haversineKm(q.From, p))
			}
			if d > q.MaxKm {
				continue
			}
			mt.DistanceKm, mt.HasDistance, mt.distanceBand = d, true, band(d)
		}
		if !allWords(e.text, words) || slices.Contains(q.Skip, e.svc.ID) {
			continue
		}
		// Opening times are only worth working out for a service that
		// could make the list even if it opens soon.
		mt.OpensSoon = true
		if len(best) == keep && compareMatch(mt, best[len(best)-1]) > 0 {
			continue
		}
		mt.OpensSoon = opensWithin(e.svc.Schedules, now, 48*time.Hour)
		best = insertRanked(best, mt, keep)
	}
	// The same service listed twice (feeds repeat names): keep the first.
	out := best[:0]
	for _, b := range best {
		key := strings.ToLower(b.Service.Name)
		if names[key] {
			continue
		}
		names[key] = true
		out = append(out, b)
	}
	return out[:min(len(out), q.Limit)]
}

func allWords(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// insertRanked puts m into best (sorted, at most limit long).
func insertRanked(best []Match, m Match, limit int) []Match {
	i, _ := slices.BinarySearchFunc(best, m, compareMatch)
	if i >= limit {
		return best
	}
	best = slices.Insert(best, i, m)
	if len(best) > limit {
		best = best[:limit]
	}
	return best
}

// compareMatch orders matches best first.
func compareMatch(a, b Match) int {
	return cmp.Or(
		cmp.Compare(b.NeedsMet, a.NeedsMet),
		cmp.Compare(a.distanceBand, b.distanceBand),
		boolFirst(a.OpensSoon, b.OpensSoon),
		boolFirst(a.Free, b.Free),
		cmp.Compare(a.DistanceKm, b.DistanceKm),
		strings.Compare(a.Service.Name, b.Service.Name),
		strings.Compare(a.Service.ID, b.Service.ID),
	)
}

func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// band puts a distance in a band: within a mile, 3 miles, 6 miles, further.
func band(km float64) int {
	switch {
	case km <= 1.61:
		return 0
	case km <= 4.83:
		return 1
	case km <= 9.66:
		return 2
	}
	return 3
}

const earthRadiusKm = 6371.0088

// haversineKm is the great-circle distance between two points.
func haversineKm(a, b bot.GeoPoint) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(s)))
}

// HaversineKm is the great-circle distance between two points in km.
func HaversineKm(a, b bot.GeoPoint) float64 { return haversineKm(a, b) }

// opensWithin reports whether one of the schedules opens (or is open)
// between now and now+d, in now's zone.
func opensWithin(scheds []bot.DirSchedule, now time.Time, d time.Duration) bool {
	for _, s := range scheds {
		if s.Opens == "" {
			continue
		}
		oh, om := clock(s.Opens)
		ch, cm := clock(s.Closes)
		for day := 0; day <= int(d/(24*time.Hour))+1; day++ {
			date := now.AddDate(0, 0, day)
			if !slices.Contains(s.Weekdays, date.Weekday()) {
				continue
			}
			open := time.Date(date.Year(), date.Month(), date.Day(), oh, om, 0, 0, now.Location())
			closeAt := time.Date(date.Year(), date.Month(), date.Day(), ch, cm, 0, 0, now.Location())
			if s.Closes == "" || !closeAt.After(open) {
				closeAt = open.Add(time.Hour)
			}
			if closeAt.After(now) && open.Before(now.Add(d)) {
				return true
			}
		}
	}
	return false
}

func clock(hhmm string) (int, int) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, 0
	}
	return t.Hour(), t.Minute()
}

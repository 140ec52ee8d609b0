package directory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// The shipped needs file covers every need of the self-referral flow except
// "other" (free text).
func TestDefaultNeedsCoverTheFlow(t *testing.T) {
	set, err := flows.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := set.Flow("self-referral")
	var want []string
	for _, o := range f.States["needs"].Options {
		if o.Value != "other" {
			want = append(want, o.Value)
		}
	}
	slices.Sort(want)
	if got := directory.DefaultNeeds().Names(); !slices.Equal(got, want) {
		t.Errorf("default needs = %v, want %v", got, want)
	}
}

func TestParseNeedsRefusesMistakes(t *testing.T) {
	for _, bad := range []string{"", "needs: {}", "needs: {lonely: {}}", "needs: {lonely: {terms: [a]}}\nextra: 1", "needs: {lonely: {tems: [a]}}"} {
		if _, err := directory.ParseNeeds([]byte(bad)); err == nil {
			t.Errorf("ParseNeeds(%q) succeeded", bad)
		}
	}
}

// monday10 is a Monday morning in Kendal.
var monday10 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func svc(id, name string, km float64, terms []string, free bool, day time.Weekday) *bot.DirService {
	// km north of the origin (54.0, -2.7): a degree of latitude is 111.2 km.
	s := &bot.DirService{ID: "f:" + id, Feed: "f", Name: name, Free: free, Terms: terms, Phone: "01539 720000",
		Locations: []bot.DirLocation{{Lat: 54.0 + km/111.2, Lon: -2.7, HasPoint: true}}}
	if day >= 0 {
		s.Schedules = []bot.DirSchedule{{Weekdays: []time.Weekday{day}, Opens: "10:00", Closes: "12:00"}}
	}
	return s
}

func TestMatchRanking(t *testing.T) {
	terms := []*bot.DirTerm{{ID: "f:T10", Name: "Social activities"}, {ID: "f:T60", Name: "Physical activity"}, {ID: "f:T30", Name: "Debt and money advice"}}
	all := []*bot.DirService{
		svc("far", "Far Lunch Club", 8, []string{"f:T10"}, true, time.Monday),
		svc("near-paid", "Near Coffee Morning", 0.5, []string{"f:T10"}, false, time.Monday),
		svc("near-free", "Near Social Group", 0.9, []string{"f:T10"}, true, time.Monday),
		svc("near-later", "Friday Club", 0.3, []string{"f:T10"}, true, time.Friday),
		svc("both", "Walking Lunch Club", 4, []string{"f:T10", "f:T60"}, false, -1),
		svc("debt", "Debt Advice", 0.1, []string{"f:T30"}, true, time.Monday),
		svc("too-far", "Distant Lunch Club", 30, []string{"f:T10"}, true, time.Monday),
		// Named like a lunch club, no taxonomy: matched by its words.
		svc("words", "Riverside Lunch Club", 2, nil, true, time.Monday),
		// The same name twice (feeds repeat services): offered once.
		svc("twice", "Near Social Group", 1.0, []string{"f:T10"}, true, time.Monday),
	}
	m := directory.NewMatcher(nil, time.UTC)
	m.Set(all, terms)
	from := bot.GeoPoint{Lat: 54.0, Lon: -2.7}
	ids := func(ms []directory.Match) []string {
		var out []string
		for _, x := range ms {
			out = append(out, strings.TrimPrefix(x.Service.ID, "f:"))
		}
		return out
	}
	tests := []struct {
		name string
		q    directory.Query
		want []string
	}{
		{"two needs met first, then near, open soon, free",
			directory.Query{From: from, HasFrom: true, Needs: []string{"lonely", "activity"}, Limit: 4, Now: monday10},
			[]string{"both", "near-free", "near-paid", "near-later"}},
		{"open soon beats free within a band",
			directory.Query{From: from, HasFrom: true, Needs: []string{"lonely"}, Limit: 3, Now: monday10},
			[]string{"near-free", "near-paid", "near-later"}},
		{"skip what was offered; distance bands; the furthest out of range",
			directory.Query{From: from, HasFrom: true, Needs: []string{"lonely"}, Skip: []string{"f:near-free", "f:near-paid", "f:near-later"}, Limit: 5, Now: monday10},
			[]string{"twice", "words", "both", "far"}},
		{"another need", directory.Query{From: from, HasFrom: true, Needs: []string{"money"}, Now: monday10}, []string{"debt"}},
		{"only a need the file does not know", directory.Query{From: from, HasFrom: true, Needs: []string{"other"}, Now: monday10}, nil},
		{"text search without a place", directory.Query{Text: "lunch CLUB", Limit: 10, Now: monday10},
			[]string{"too-far", "far", "words", "both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(m.Match(tt.q)); !slices.Equal(got, tt.want) {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOfferTextFitsTwoSegments(t *testing.T) {
	long := strings.Repeat("A very long description of what happens at the group every week. ", 10)
	tests := []struct {
		name string
		m    directory.Match
		want []string
	}{
		{"everything fits", directory.Match{DistanceKm: 0.8, HasDistance: true, Service: &bot.DirService{Name: "Riverside Lunch Club",
			Summary: "A hot meal and a chat", Free: true, Phone: "01539 720001",
			Schedules: []bot.DirSchedule{{Weekdays: []time.Weekday{time.Monday, time.Thursday}, Opens: "12:00", Closes: "13:30"}}}},
			[]string{"Riverside Lunch Club - under a mile away. A hot meal and a chat. It is free. On Mondays and Thursdays, 12pm to 1:30pm. Call 01539 720001."}},
		{"long description shortened", directory.Match{DistanceKm: 5, HasDistance: true, Service: &bot.DirService{Name: "Walking Group",
			Summary: directory.Shorten(long, 400), Email: "walk@example.org", URL: "https://example.org/walking-group/with/a/long/path"}},
			[]string{"Walking Group - about 3 miles away.", "...", "Email walk@example.org."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := directory.OfferText(tt.m)
			if n, ucs2 := templates.Segments(got); n > 2 || ucs2 {
				t.Errorf("%q is %d segments (UCS-2 %v)", got, n, ucs2)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("OfferText = %q, want it to hold %q", got, w)
				}
			}
		})
	}
}

// Every real service, worded as a text message, is plain GSM-7 in at most
// two segments.
func TestOfferTextRealFeeds(t *testing.T) {
	for _, file := range []string{"bristol-v1-services.json", "north-lincolnshire-v1-services.json"} {
		st := openStore(t)
		path := filepath.Join(realFeeds, file)
		if _, err := (&directory.Importer{Store: st}).ImportFile(context.Background(), path, "real"); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range services(t, st, "real") {
			text := directory.OfferText(directory.Match{Service: s, DistanceKm: 12.3, HasDistance: true})
			if segs, ucs2 := templates.Segments(text); segs > 2 || ucs2 || tagOrEntity.MatchString(text) {
				t.Fatalf("%s: %q is %d segments, UCS-2 %v", s.ID, text, segs, ucs2)
			}
			n++
		}
		if n < 700 {
			t.Errorf("%s: only %d services checked", file, n)
		}
	}
}

// A person in Kendal who is lonely gets three Kendal services, the fixture
// postcodes placing them.
func TestSignpostFromFixtures(t *testing.T) {
	st := openStore(t)
	feed := oruktest.New("3", oruktest.Services(150), oruktest.Options{})
	defer feed.Close()
	if _, err := (&directory.Importer{Store: st}).Sync(context.Background(), client(), feed.URL, "fixtures"); err != nil {
		t.Fatal(err)
	}
	importPostcodes(t, st, "testdata/onspd-sample.csv")
	m := directory.NewMatcher(nil, nil)
	if err := m.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	sp := &directory.Signposter{Matcher: m}
	for _, tt := range []struct{ postcode, town string }{{"LA9 4AA", "Kendal"}, {"GL5 2DD", "Stroud"}, {"GL5 9XX", "Stroud"}} {
		var offers []bot.SignpostOffer
		err := st.View(context.Background(), func(tx bot.Tx) error {
			var err error
			offers, err = sp.Signpost(context.Background(), tx, bot.SignpostQuery{Postcode: tt.postcode, Needs: []string{"lonely"}})
			return err
		})
		if err != nil || len(offers) != 3 {
			t.Fatalf("Signpost(%s) = %d offers, %v; want 3", tt.postcode, len(offers), err)
		}
		for _, o := range offers {
			if !strings.Contains(o.Name, tt.town) || o.DistanceKm > 10 || !strings.Contains(o.Text, "Call ") {
				t.Errorf("Signpost(%s) offered %q (%.1f km): %q", tt.postcode, o.Name, o.DistanceKm, o.Text)
			}
		}
	}
	// Northern Ireland and unknown areas get nothing, not an error.
	_ = st.View(context.Background(), func(tx bot.Tx) error {
		for _, pc := range []string{"BT1 1AA", "SW1A 1AA"} {
			if offers, err := sp.Signpost(context.Background(), tx, bot.SignpostQuery{Postcode: pc, Needs: []string{"lonely"}}); err != nil || len(offers) != 0 {
				t.Errorf("Signpost(%s) = %v, %v; want none", pc, offers, err)
			}
		}
		return nil
	})
}

// BenchmarkMatchNearest3 ranks 10,000 services for one person: figures in
// docs/benchmarks.md.
func BenchmarkMatchNearest3(b *testing.B) {
	all := make([]*bot.DirService, 0, 10000)
	fx := oruktest.Services(5000)
	for i, f := range fx {
		terms := []string{}
		for _, t := range f.Terms {
			terms = append(terms, "fx:"+t.ID)
		}
		s := &bot.DirService{ID: fmt.Sprintf("fx:%d", i), Feed: "fx", Name: f.Name, Description: f.Description, Free: f.Free, Terms: terms,
			Locations: []bot.DirLocation{{Lat: f.Lat, Lon: f.Lon, HasPoint: true}},
			Schedules: []bot.DirSchedule{{Weekdays: []time.Weekday{time.Monday}, Opens: f.Opens, Closes: f.Closes}}}
		all = append(all, s)
	}
	var terms []*bot.DirTerm
	for _, t := range oruktest.Terms {
		terms = append(terms, &bot.DirTerm{ID: "fx:" + t.ID, Name: t.Name})
	}
	m := directory.NewMatcher(nil, nil)
	m.Set(all, terms)
	q := directory.Query{From: bot.GeoPoint{Lat: 54.32841, Lon: -2.74631}, HasFrom: true, Needs: []string{"lonely", "activity"}, Now: monday10}
	b.ReportAllocs()
	for b.Loop() {
		if got := m.Match(q); len(got) != 3 {
			b.Fatalf("%d matches", len(got))
		}
	}
}

var _ = os.ReadFile

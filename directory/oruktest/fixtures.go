package oruktest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Town is a real town the fixtures place invented services around. The
// postcodes and their coordinates are invented but plausible (they sit in
// the town's real outward code); testdata/postcodes.csv lists the same ones
// in ONSPD layout.
type Town struct {
	Name      string
	Lat, Lon  float64
	Phone     string // dialling code
	Postcodes []Postcode
}

// Postcode is a fixture postcode and where it is.
type Postcode struct {
	Code     string
	Lat, Lon float64
}

// Towns are Kendal (Cumbria, LA9) and Stroud (Gloucestershire, GL5).
var Towns = []Town{
	{Name: "Kendal", Lat: 54.3280, Lon: -2.7460, Phone: "01539", Postcodes: []Postcode{
		{"LA9 4AA", 54.32841, -2.74631}, {"LA9 4BB", 54.33102, -2.74215}, {"LA9 5DD", 54.32215, -2.73504},
		{"LA9 6EE", 54.31502, -2.75833}, {"LA9 7HH", 54.33984, -2.76102}, {"LA8 9JJ", 54.36013, -2.71552},
	}},
	{Name: "Stroud", Lat: 51.7450, Lon: -2.2170, Phone: "01453", Postcodes: []Postcode{
		{"GL5 1AA", 51.74472, -2.21631}, {"GL5 1BB", 51.74715, -2.22048}, {"GL5 2DD", 51.73655, -2.20514},
		{"GL5 3EE", 51.75388, -2.23407}, {"GL5 4HH", 51.72953, -2.19825}, {"GL6 8JJ", 51.71204, -2.16550},
	}},
}

// Term is a fixture taxonomy term.
type Term struct{ ID, Name string }

// Terms are the fixtures' taxonomy: invented ids, names like the ones
// council directories use.
var Terms = []Term{
	{"T10", "Social activities"}, {"T11", "Befriending"}, {"T20", "Mental health support"},
	{"T30", "Debt and money advice"}, {"T31", "Benefits advice"}, {"T40", "Housing advice"},
	{"T50", "Employment and volunteering"}, {"T60", "Physical activity"}, {"T70", "Carers support"},
	{"T80", "Long-term condition support"}, {"T90", "Bereavement support"},
}

type kind struct {
	name, line string
	terms      []string
}

var kinds = []kind{
	{"Lunch Club", "A hot meal and a chat with friendly people", []string{"T10"}},
	{"Befriending", "A volunteer who calls or visits you each week", []string{"T11", "T10"}},
	{"Coffee Morning", "Tea, coffee and cake with others from the area", []string{"T10"}},
	{"Men's Shed", "Make and mend things with other men", []string{"T10"}},
	{"Wellbeing Cafe", "A calm place to talk when you feel low or stressed", []string{"T20"}},
	{"Mindfulness Group", "Learn simple ways to feel calmer", []string{"T20"}},
	{"Debt Advice", "Free help with debts and bills", []string{"T30"}},
	{"Benefits Help", "Help to check and claim benefits", []string{"T31", "T30"}},
	{"Housing Advice", "Help if you have a problem with your home or rent", []string{"T40"}},
	{"Volunteer Centre", "Find volunteering that suits you", []string{"T50"}},
	{"Job Club", "Help with CVs, forms and finding work", []string{"T50"}},
	{"Walking Group", "Gentle walks for all, starting in the town", []string{"T60", "T10"}},
	{"Chair Exercise", "Seated exercise to music", []string{"T60"}},
	{"Gardening Group", "Grow food and flowers together", []string{"T60", "T10"}},
	{"Carers Centre", "Support and a break for people who look after someone", []string{"T70"}},
	{"Carers Cafe", "Meet other carers for a cuppa and a chat", []string{"T70", "T10"}},
	{"Breathe Easy", "Support for people with lung conditions", []string{"T80"}},
	{"Diabetes Group", "Learn more and share tips about diabetes", []string{"T80"}},
	{"Bereavement Support", "Someone to talk to after a death", []string{"T90"}},
	{"Grief Cafe", "A friendly space to share your loss", []string{"T90", "T10"}},
}

var places = []string{"Riverside", "Oakfield", "Castle Street", "Fellside", "St Anne's", "Hillview",
	"Market Place", "Greenway", "Bridge End"}

// Service is one fixture service, in no feed format yet.
type Service struct {
	ID, Name, Description, Phone, Email, URL, Postcode, Address, Org string
	Lat, Lon                                                         float64
	Terms                                                            []Term
	Free                                                             bool
	Fee                                                              float64
	Weekday                                                          string // "MO"
	Opens, Closes                                                    string
}

// Services returns n invented services per town (deterministic), spread
// up to about 8 km from the town centre.
func Services(perTown int) []Service {
	rng := rand.New(rand.NewPCG(16, 2026))
	days := []string{"MO", "TU", "WE", "TH", "FR", "SA"}
	var out []Service
	for ti, town := range Towns {
		for i := range perTown {
			k := kinds[i%len(kinds)]
			place := places[(i/len(kinds))%len(places)]
			pc := town.Postcodes[rng.IntN(len(town.Postcodes))]
			dist := 8 * math.Sqrt(rng.Float64()) // km, even over the area
			bearing := rng.Float64() * 2 * math.Pi
			lat := pc.Lat + dist*math.Cos(bearing)/111.0
			lon := pc.Lon + dist*math.Sin(bearing)/(111.0*math.Cos(pc.Lat*math.Pi/180))
			if i < len(kinds) {
				// The first of each kind is near the centre, for tests.
				lat, lon = pc.Lat+float64(i%5)*0.001, pc.Lon+float64(i%3)*0.001
			}
			var terms []Term
			for _, id := range k.terms {
				for _, t := range Terms {
					if t.ID == id {
						terms = append(terms, t)
					}
				}
			}
			free := i%3 != 2
			s := Service{
				ID:   fmt.Sprintf("%c%03d", town.Name[0]+32, i+1),
				Name: fmt.Sprintf("%s %s %s", place, town.Name, k.name),
				Description: fmt.Sprintf("<p>%s &amp; a warm welcome at %s.</p><p>It\u2019s open to everyone \u2013 just come along\u2026</p>",
					k.line, place),
				Phone:    fmt.Sprintf("%s %06d", town.Phone, 720000+ti*1000+i),
				Email:    fmt.Sprintf("hello%d@example.org", i+1),
				URL:      fmt.Sprintf("https://example.org/%s/%d", town.Name, i+1),
				Postcode: pc.Code, Address: fmt.Sprintf("%d %s Road, %s", i%90+1, place, town.Name),
				Org: fmt.Sprintf("%s Community Trust", place), Lat: math.Round(lat*1e5) / 1e5, Lon: math.Round(lon*1e5) / 1e5,
				Terms: terms, Free: free, Weekday: days[i%len(days)], Opens: "10:00", Closes: "12:00",
			}
			if !free {
				s.Fee = 3
			}
			out = append(out, s)
		}
	}
	return out
}

// PostcodesCSV is the fixture postcodes as an ONSPD-style CSV (header
// pcds, lat, long), for linkline postcodes import.
func PostcodesCSV() string {
	var b strings.Builder
	b.WriteString("pcds,lat,long\n")
	for _, t := range Towns {
		for _, p := range t.Postcodes {
			fmt.Fprintf(&b, "%s,%.5f,%.5f\n", p.Code, p.Lat, p.Lon)
		}
	}
	return b.String()
}

// Package directory reads Open Referral UK (ORUK) service directories,
// version 1 and version 3, keeps their services in the store, and finds the
// services near a person for what they need.
//
// Feeds in the wild are untidy: descriptions are HTML from a rich-text
// editor, fields are empty strings, ids repeat, coordinates are missing or
// synthetic. Every record is validated as it is read: a usable one is kept
// (as plain text), an unusable one is counted with its reason.
package directory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// flexString reads a JSON string, number or null as a string (feeds send
// ids as either).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*f = flexString(b)
	default:
		return fmt.Errorf("want a string, got %.20s", b)
	}
	return nil
}

// flexFloat reads a JSON number, a string holding one, or null.
type flexFloat struct {
	v   float64
	set bool
}

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(s)), "£"))
	if t == "" {
		*f = flexFloat{}
		return nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return fmt.Errorf("want a number, got %q", t)
	}
	*f = flexFloat{v: v, set: true}
	return nil
}

// wireService is a service as either version sends it: the union of the
// v1 and v3 field names (v1: service_taxonomys, regular_schedules,
// physical_addresses; v3: attributes, schedules, addresses, phones).
type wireService struct {
	ID           flexString `json:"id"`
	Name         flexString `json:"name"`
	Description  flexString `json:"description"`
	URL          flexString `json:"url"`
	Email        flexString `json:"email"`
	Status       flexString `json:"status"`
	Fees         flexString `json:"fees"`
	FeesDesc     flexString `json:"fees_description"`
	Organization *struct {
		Name flexString `json:"name"`
	} `json:"organization"`
	ServiceAtLocations []struct {
		Location *wireLocation `json:"location"`
	} `json:"service_at_locations"`
	Locations        []wireLocation `json:"locations"`
	Contacts         []wireContact  `json:"contacts"`
	Phones           []wirePhone    `json:"phones"`
	CostOptions      []wireCost     `json:"cost_options"`
	RegularSchedules []wireSchedule `json:"regular_schedules"`
	Schedules        []wireSchedule `json:"schedules"`
	ServiceTaxonomys []struct {
		Taxonomy *wireTerm `json:"taxonomy"`
	} `json:"service_taxonomys"`
	Attributes []struct {
		TaxonomyTerm *wireTerm `json:"taxonomy_term"`
	} `json:"attributes"`
	TaxonomyTerms []wireTerm `json:"taxonomy_terms"`
}

type wireLocation struct {
	ID                flexString    `json:"id"`
	Name              flexString    `json:"name"`
	Latitude          flexFloat     `json:"latitude"`
	Longitude         flexFloat     `json:"longitude"`
	PhysicalAddresses []wireAddress `json:"physical_addresses"`
	Addresses         []wireAddress `json:"addresses"`
}

type wireAddress struct {
	Address1   flexString `json:"address_1"`
	City       flexString `json:"city"`
	PostalCode flexString `json:"postal_code"`
}

type wireContact struct {
	Name   flexString  `json:"name"`
	Title  flexString  `json:"title"`
	Email  flexString  `json:"email"`
	Phones []wirePhone `json:"phones"`
}

type wirePhone struct {
	Number flexString `json:"number"`
}

type wireCost struct {
	Option            flexString `json:"option"`
	Amount            flexFloat  `json:"amount"`
	Currency          flexString `json:"currency"`
	AmountDescription flexString `json:"amount_description"`
}

type wireSchedule struct {
	ByDay       flexString `json:"byday"`
	Weekday     flexString `json:"weekday"`
	OpensAt     flexString `json:"opens_at"`
	ClosesAt    flexString `json:"closes_at"`
	Description flexString `json:"description"`
}

type wireTerm struct {
	ID         flexString `json:"id"`
	Name       flexString `json:"name"`
	Term       flexString `json:"term"`
	Vocabulary flexString `json:"vocabulary"`
	Parent     flexString `json:"parent"`
	ParentID   flexString `json:"parent_id"`
}

// Skip is a record a feed listed that was not kept, and why.
type Skip struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason"`
}

// Reasons a record is skipped.
const (
	ReasonBroken    = "not a readable service record"
	ReasonNoID      = "no id"
	ReasonNoName    = "no name"
	ReasonInactive  = "status is not active"
	ReasonDuplicate = "id listed twice"
)

// parseService reads one record of feed into a service and the taxonomy
// terms it names. A record that cannot be used returns a *Skip. now is
// when it was read.
func parseService(raw json.RawMessage, feed, version string, now time.Time) (*bot.DirService, []bot.DirTerm, *Skip) {
	var w wireService
	if err := json.Unmarshal(raw, &w); err != nil {
		id := peekID(raw)
		return nil, nil, &Skip{ID: id, Reason: ReasonBroken + ": " + shortErr(err)}
	}
	id := strings.TrimSpace(string(w.ID))
	name := OneLine(PlainText(string(w.Name)))
	switch {
	case id == "":
		return nil, nil, &Skip{Name: name, Reason: ReasonNoID}
	case len(id) > 200:
		return nil, nil, &Skip{ID: id[:40] + "...", Name: name, Reason: ReasonNoID + " (id too long)"}
	case name == "":
		return nil, nil, &Skip{ID: id, Reason: ReasonNoName}
	}
	if st := strings.ToLower(strings.TrimSpace(string(w.Status))); st != "" && st != "active" {
		return nil, nil, &Skip{ID: id, Name: name, Reason: ReasonInactive + " (" + Shorten(st, 30) + ")"}
	}
	desc := PlainText(string(w.Description))
	s := &bot.DirService{
		ID: feed + ":" + id, Feed: feed, SourceID: id, Name: Shorten(name, 120),
		Description: desc, Summary: Summary(desc, 140),
		URL: cleanURL(string(w.URL)), Email: token(string(w.Email)),
		Fees:    OneLine(PlainText(firstNonEmpty(string(w.Fees), string(w.FeesDesc)))),
		Version: version, UpdatedAt: now,
	}
	if w.Organization != nil {
		s.Organization = OneLine(PlainText(string(w.Organization.Name)))
	}
	locs := w.Locations
	for _, sal := range w.ServiceAtLocations {
		if sal.Location != nil {
			locs = append(locs, *sal.Location)
		}
	}
	for _, l := range locs {
		s.Locations = append(s.Locations, parseLocation(l))
	}
	for _, c := range w.Contacts {
		dc := bot.DirContact{Name: OneLine(PlainText(string(c.Name))), Title: OneLine(PlainText(string(c.Title))), Email: token(string(c.Email))}
		for _, p := range c.Phones {
			if n := OneLine(PlainText(string(p.Number))); n != "" && dc.Phone == "" {
				dc.Phone = n
			}
		}
		if dc != (bot.DirContact{}) {
			s.Contacts = append(s.Contacts, dc)
		}
	}
	for _, p := range w.Phones {
		if n := OneLine(PlainText(string(p.Number))); n != "" {
			s.Phone = n
			break
		}
	}
	if s.Phone == "" {
		for _, c := range s.Contacts {
			if c.Phone != "" {
				s.Phone = c.Phone
				break
			}
		}
	}
	for _, c := range w.CostOptions {
		dc := bot.DirCost{Option: OneLine(PlainText(string(c.Option))), Amount: c.Amount.v, HasAmount: c.Amount.set,
			Currency: strings.TrimSpace(string(c.Currency)), Description: OneLine(PlainText(string(c.AmountDescription)))}
		s.Costs = append(s.Costs, dc)
	}
	s.Free = isFree(s)
	for _, sc := range append(w.RegularSchedules, w.Schedules...) {
		s.Schedules = append(s.Schedules, parseSchedule(sc))
	}
	var terms []bot.DirTerm
	add := func(t *wireTerm) {
		if t == nil {
			return
		}
		tid := strings.TrimSpace(string(t.ID))
		tname := OneLine(PlainText(firstNonEmpty(string(t.Name), string(t.Term))))
		if tid == "" {
			tid = tname
		}
		if tid == "" {
			return
		}
		dt := bot.DirTerm{ID: feed + ":" + tid, Feed: feed, Name: tname, Vocabulary: strings.TrimSpace(string(t.Vocabulary)),
			Parent: strings.TrimSpace(firstNonEmpty(string(t.Parent), string(t.ParentID)))}
		terms = append(terms, dt)
		s.Terms = append(s.Terms, dt.ID)
	}
	for _, x := range w.ServiceTaxonomys {
		add(x.Taxonomy)
	}
	for _, x := range w.Attributes {
		add(x.TaxonomyTerm)
	}
	for i := range w.TaxonomyTerms {
		add(&w.TaxonomyTerms[i])
	}
	return s, terms, nil
}

func parseLocation(l wireLocation) bot.DirLocation {
	dl := bot.DirLocation{ID: strings.TrimSpace(string(l.ID)), Name: OneLine(PlainText(string(l.Name)))}
	// The first address is the one shown.
	if addrs := append(l.PhysicalAddresses, l.Addresses...); len(addrs) > 0 {
		a := addrs[0]
		var parts []string
		for _, p := range []flexString{a.Address1, a.City} {
			if t := OneLine(PlainText(string(p))); t != "" {
				parts = append(parts, t)
			}
		}
		dl.Address = strings.Join(parts, ", ")
		if pc, err := flows.ParsePostcode(string(a.PostalCode)); err == nil {
			dl.Postcode = pc
		}
	}
	// Only points in and around the UK count: synthetic samples say 100.
	if l.Latitude.set && l.Longitude.set && ukPoint(l.Latitude.v, l.Longitude.v) {
		dl.Lat, dl.Lon, dl.HasPoint = l.Latitude.v, l.Longitude.v, true
	}
	return dl
}

// ukPoint reports whether a point is within the UK's bounding box (with
// the Channel Islands and Isle of Man).
func ukPoint(lat, lon float64) bool { return lat >= 49 && lat <= 61.1 && lon >= -8.7 && lon <= 2 }

var dayNames = map[string]time.Weekday{
	"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday,
}

func parseSchedule(w wireSchedule) bot.DirSchedule {
	ds := bot.DirSchedule{Opens: hhmm(string(w.OpensAt)), Closes: hhmm(string(w.ClosesAt)),
		Description: OneLine(PlainText(string(w.Description)))}
	for _, d := range strings.FieldsFunc(string(w.ByDay)+","+string(w.Weekday), func(r rune) bool { return r == ',' || r == ' ' }) {
		d = strings.ToUpper(strings.TrimSpace(d))
		// "MO", "1MO" (first Monday), "Monday".
		d = strings.TrimLeft(d, "-0123456789")
		if len(d) >= 2 {
			if wd, ok := dayNames[d[:2]]; ok {
				ds.Weekdays = append(ds.Weekdays, wd)
			}
		}
	}
	if len(ds.Weekdays) == 0 || ds.Opens == "" {
		ds.Opens, ds.Closes = "", ""
	}
	return ds
}

// hhmm reads "09:30", "09:30:00" or "9:30" as "09:30"; anything else as "".
func hhmm(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 8 && s[2] == ':' && s[5] == ':' {
		s = s[:5]
	}
	for _, layout := range []string{"15:04", "3:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("15:04")
		}
	}
	return ""
}

// isFree reports whether the feed says the service costs nothing.
func isFree(s *bot.DirService) bool {
	f := strings.ToLower(s.Fees)
	if f == "free" || strings.HasPrefix(f, "free ") || strings.HasPrefix(f, "free.") || strings.HasPrefix(f, "free,") ||
		strings.Contains(f, "free of charge") || f == "none" || f == "no charge" || f == "no cost" {
		return true
	}
	if len(s.Costs) == 0 {
		return false
	}
	for _, c := range s.Costs {
		if !c.HasAmount || c.Amount != 0 {
			if !strings.EqualFold(strings.TrimSpace(c.Option), "free") {
				return false
			}
		}
	}
	return true
}

// token is an email address or the like as plain text with no spaces.
func token(s string) string { return strings.Join(strings.Fields(PlainText(s)), "") }

func cleanURL(s string) string {
	s = token(s)
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// peekID reads the id of a record that does not decode as a service.
func peekID(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	var id flexString
	if json.Unmarshal(m["id"], &id) != nil {
		return ""
	}
	return string(id)
}

func shortErr(err error) string { return Shorten(err.Error(), 80) }

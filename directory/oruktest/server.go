// Package oruktest is a fake Open Referral UK feed for tests and load
// generation: it serves services in the v1 or v3 wire format over real
// HTTP on 127.0.0.1, with paging, and can add a broken record, slow a page
// down, fail a page once, or shrink the feed between syncs.
package oruktest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a fake ORUK feed. Its URL is the feed root: /services and
// /services/{id} are under it.
type Server struct {
	URL string
	srv *httptest.Server

	mu      sync.Mutex
	version string
	list    []json.RawMessage          // what /services lists
	details map[string]json.RawMessage // what /services/{id} returns
	slow    map[int]time.Duration      // page → delay, once
	fail    map[int]int                // page → 500s still to give
	reqs    int
}

// Options change what a Server serves.
type Options struct {
	// ListOnly lists services with list-level fields only, as real v1
	// feeds do; full records come from /services/{id}.
	ListOnly bool
	// Broken adds a record that is not a readable service (its locations
	// are a string), one with no name and one that is inactive.
	Broken bool
}

// New serves services in ORUK version "1" or "3".
func New(version string, services []Service, opts Options) *Server {
	s := &Server{version: version, slow: map[int]time.Duration{}, fail: map[int]int{}}
	s.SetServices(services, opts)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// NewRaw serves records exactly as given (a real feed's dump), as version.
func NewRaw(version string, records []json.RawMessage) *Server {
	s := &Server{version: version, slow: map[int]time.Duration{}, fail: map[int]int{}, list: records,
		details: map[string]json.RawMessage{}}
	for _, r := range records {
		var m struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(r, &m) == nil && m.ID != "" {
			s.details[m.ID] = r
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetServices replaces what the feed lists (a feed that grows or shrinks).
func (s *Server) SetServices(services []Service, opts Options) {
	list := make([]json.RawMessage, 0, len(services)+3)
	details := map[string]json.RawMessage{}
	for _, sv := range services {
		full := s.render(sv)
		details[sv.ID] = mustJSON(full)
		if opts.ListOnly {
			for _, k := range []string{"service_at_locations", "contacts", "cost_options", "regular_schedules",
				"schedules", "service_taxonomys", "attributes", "phones"} {
				delete(full, k)
			}
		}
		list = append(list, mustJSON(full))
	}
	if opts.Broken {
		list = append(list,
			json.RawMessage(`{"id":"broken-1","name":"Broken record","status":"active","locations":"not a list"}`),
			json.RawMessage(`{"id":"noname-1","name":"","description":"<p><br></p>","status":"active"}`),
			json.RawMessage(`{"id":"closed-1","name":"Closed group","description":"","status":"inactive"}`))
	}
	s.mu.Lock()
	s.list, s.details = list, details
	s.mu.Unlock()
}

// SlowPage makes the next request for page n wait d before it answers.
func (s *Server) SlowPage(n int, d time.Duration) {
	s.mu.Lock()
	s.slow[n] = d
	s.mu.Unlock()
}

// FailPage makes the next times requests for page n get HTTP 500.
func (s *Server) FailPage(n, times int) {
	s.mu.Lock()
	s.fail[n] = times
	s.mu.Unlock()
}

// Requests is how many requests the server has answered.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs++
	s.mu.Unlock()
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/services/"); ok {
		s.mu.Lock()
		d, found := s.details[id]
		s.mu.Unlock()
		if !found {
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(d)
		return
	}
	if r.URL.Path != "/services" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 || per > 500 {
		per = 50
	}
	s.mu.Lock()
	delay := s.slow[page]
	delete(s.slow, page)
	failing := s.fail[page] > 0
	if failing {
		s.fail[page]--
	}
	list := s.list
	s.mu.Unlock()
	if failing {
		http.Error(w, "temporarily broken", http.StatusInternalServerError)
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	from, to := min((page-1)*per, len(list)), min(page*per, len(list))
	pages := (len(list) + per - 1) / per
	items := list[from:to]
	var body map[string]any
	if s.version == "3" {
		body = map[string]any{"total_items": len(list), "total_pages": pages, "page_number": page, "size": len(items),
			"first_page": page == 1, "last_page": page >= pages, "empty": len(items) == 0, "contents": items}
	} else {
		body = map[string]any{"totalElements": len(list), "totalPages": pages, "number": page, "size": per,
			"first": page == 1, "last": page >= pages, "content": items}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

var weekdayNames = map[string]string{"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
	"FR": "Friday", "SA": "Saturday", "SU": "Sunday"}

// render writes a fixture service in the server's version's wire format.
func (s *Server) render(sv Service) map[string]any {
	m := map[string]any{"id": sv.ID, "name": sv.Name, "description": sv.Description, "url": sv.URL,
		"email": sv.Email, "status": "active", "organization": map[string]any{"id": "org-" + sv.ID, "name": sv.Org}}
	cost := map[string]any{"amount": sv.Fee, "currency": "GBP", "option": "Per session"}
	if sv.Free {
		cost["option"] = "Free"
	}
	loc := map[string]any{"id": "loc-" + sv.ID, "name": sv.Address, "latitude": sv.Lat, "longitude": sv.Lon}
	addr := []any{map[string]any{"address_1": sv.Address, "city": "", "postal_code": sv.Postcode, "country": "GB"}}
	if s.version == "3" {
		loc["addresses"] = addr
		m["phones"] = []any{map[string]any{"number": sv.Phone}}
		m["schedules"] = []any{map[string]any{"byday": sv.Weekday, "opens_at": sv.Opens + ":00", "closes_at": sv.Closes + ":00", "freq": "WEEKLY"}}
		var attrs []any
		for _, t := range sv.Terms {
			attrs = append(attrs, map[string]any{"taxonomy_term": map[string]any{"id": t.ID, "name": t.Name, "vocabulary": "linkline-fixtures"}})
		}
		m["attributes"] = attrs
		m["contacts"] = []any{map[string]any{"name": "Reception", "phones": []any{map[string]any{"number": sv.Phone}}}}
	} else {
		loc["physical_addresses"] = addr
		m["fees"] = ""
		m["contacts"] = []any{map[string]any{"name": "Reception", "phones": []any{map[string]any{"number": sv.Phone}}}}
		m["regular_schedules"] = []any{map[string]any{"weekday": weekdayNames[sv.Weekday], "opens_at": sv.Opens, "closes_at": sv.Closes}}
		var tax []any
		for _, t := range sv.Terms {
			tax = append(tax, map[string]any{"taxonomy": map[string]any{"id": t.ID, "name": t.Name, "vocabulary": "linkline-fixtures"}})
		}
		m["service_taxonomys"] = tax
	}
	m["cost_options"] = []any{cost}
	m["service_at_locations"] = []any{map[string]any{"id": "sal-" + sv.ID, "location": loc}}
	return m
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

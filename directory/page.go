package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Page is one page of a feed's service list, either version.
type Page struct {
	// Version is "1" (keys content/totalElements) or "3" (contents/
	// total_items); for a bare array, guessed from the records' fields.
	Version    string
	Items      []json.RawMessage
	Total      int
	TotalPages int
	// Last is set when the page says it is the last one.
	Last bool
}

// ErrNotAFeed is returned for a body that is not an ORUK service list.
var ErrNotAFeed = errors.New("not an Open Referral service list (want a JSON array, or an object with content or contents)")

// ParsePage reads a service list: a v3 page ({"contents": [...],
// "total_items": n, ...}), a v1 page ({"content": [...], "totalElements":
// n, ...}) or a bare JSON array of services (a dump).
func ParsePage(body []byte) (*Page, error) {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotAFeed, err)
		}
		return &Page{Version: guessVersion(items), Items: items, Total: len(items), TotalPages: 1, Last: true}, nil
	}
	var p struct {
		// v3
		Contents   *[]json.RawMessage `json:"contents"`
		TotalItems *int               `json:"total_items"`
		TotalPages *int               `json:"total_pages"`
		LastPage   *bool              `json:"last_page"`
		// v1
		Content       *[]json.RawMessage `json:"content"`
		TotalElements *int               `json:"totalElements"`
		TotalPagesV1  *int               `json:"totalPages"`
		LastV1        *bool              `json:"last"`
		// some dumps
		Services *[]json.RawMessage `json:"services"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAFeed, err)
	}
	out := &Page{}
	deref := func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	}
	switch {
	case p.Contents != nil:
		out.Version, out.Items = "3", *p.Contents
		out.Total, out.TotalPages = deref(p.TotalItems), deref(p.TotalPages)
		out.Last = p.LastPage != nil && *p.LastPage
	case p.Content != nil:
		out.Version, out.Items = "1", *p.Content
		out.Total, out.TotalPages = deref(p.TotalElements), deref(p.TotalPagesV1)
		out.Last = p.LastV1 != nil && *p.LastV1
	case p.Services != nil:
		out.Items = *p.Services
		out.Version, out.Total, out.TotalPages, out.Last = guessVersion(out.Items), len(out.Items), 1, true
	default:
		return nil, ErrNotAFeed
	}
	return out, nil
}

// guessVersion tells v3 records (attributes, schedules, phones) from v1
// ones (service_taxonomys, regular_schedules) by their fields; "1" when
// nothing says.
func guessVersion(items []json.RawMessage) string {
	for _, it := range items[:min(len(items), 20)] {
		var m map[string]json.RawMessage
		if json.Unmarshal(it, &m) != nil {
			continue
		}
		for _, k := range []string{"attributes", "schedules", "phones", "service_areas"} {
			if _, ok := m[k]; ok {
				return "3"
			}
		}
		for _, k := range []string{"service_taxonomys", "regular_schedules", "pc_targetAudience"} {
			if _, ok := m[k]; ok {
				return "1"
			}
		}
	}
	return "1"
}

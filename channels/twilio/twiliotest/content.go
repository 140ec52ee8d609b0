package twiliotest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// The Content API (content.twilio.com) as far as Linkline uses it: make
// content, list it, and send it by ContentSid. Content made here is
// session content (quick-reply buttons, list pickers, text): it goes only
// inside WhatsApp's 24-hour window, its variables are filled in when a
// message is sent, and the fake checks WhatsApp's limits on the result.
// A ContentSid the fake did not make is taken as an approved template.

// Content is one content resource the fake holds.
type Content struct {
	SID          string                     `json:"sid"`
	AccountSID   string                     `json:"account_sid"`
	FriendlyName string                     `json:"friendly_name"`
	Language     string                     `json:"language"`
	Variables    map[string]string          `json:"variables"`
	Types        map[string]json.RawMessage `json:"types"`
}

// Button is a quick-reply button or list item as a message showed it.
type Button struct {
	Title, ID string
}

// WhatsApp's limits on session content.
const (
	maxSessionButtons = 3
	maxButtonTitle    = 20
	maxListItems      = 10
	maxListItem       = 24
	maxVariable       = 255
)

type quickReply struct {
	Body    string `json:"body"`
	Actions []struct {
		Type  string `json:"type"`
		Title string `json:"title"`
		ID    string `json:"id"`
	} `json:"actions"`
}

type listPicker struct {
	Body   string `json:"body"`
	Button string `json:"button"`
	Items  []struct {
		Item string `json:"item"`
		ID   string `json:"id"`
	} `json:"items"`
}

// createContent serves POST /v1/Content.
func (s *Server) createContent(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var c Content
	if err != nil || json.Unmarshal(body, &c) != nil {
		writeError(w, http.StatusBadRequest, 20001, "Could not parse the request body")
		return
	}
	if c.Language == "" || len(c.Types) == 0 {
		writeError(w, http.StatusBadRequest, 20001, "language and types are required")
		return
	}
	for kind, raw := range c.Types {
		if msg := checkType(kind, raw); msg != "" {
			writeError(w, http.StatusBadRequest, 20001, msg)
			return
		}
	}
	c.SID, c.AccountSID = newSID("HX"), s.AccountSID
	s.mu.Lock()
	s.contents = append(s.contents, c)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(contentResource(c))
}

// checkType checks a content type's shape the way the Content API does.
func checkType(kind string, raw json.RawMessage) string {
	switch kind {
	case "twilio/text":
		return ""
	case "twilio/quick-reply":
		var q quickReply
		if json.Unmarshal(raw, &q) != nil || q.Body == "" || len(q.Actions) < 1 || len(q.Actions) > 10 {
			return "twilio/quick-reply needs a body and 1 to 10 actions"
		}
		for _, a := range q.Actions {
			if a.Title == "" {
				return "every quick-reply action needs a title"
			}
		}
	case "twilio/list-picker":
		var l listPicker
		if json.Unmarshal(raw, &l) != nil || l.Body == "" || l.Button == "" || len(l.Items) < 1 || len(l.Items) > maxListItems {
			return "twilio/list-picker needs a body, a button and 1 to 10 items"
		}
		for _, it := range l.Items {
			if it.Item == "" || it.ID == "" {
				return "every list item needs item and id"
			}
		}
	default:
		return "content type " + kind + " is not one the fake knows"
	}
	return ""
}

// listContent serves GET /v1/Content: every content, one page.
func (s *Server) listContent(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	out := []map[string]any{}
	for _, c := range s.Contents() {
		out = append(out, contentResource(c))
	}
	url := "https://content.twilio.com/v1/Content?PageSize=" + fmt.Sprint(len(out)) + "&Page=0"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"contents": out, "meta": map[string]any{
		"page": 0, "page_size": len(out), "first_page_url": url, "previous_page_url": nil,
		"url": url, "next_page_url": nil, "key": "contents"}})
}

func contentResource(c Content) map[string]any {
	now := time.Now().UTC().Format(time.RFC3339)
	return map[string]any{"sid": c.SID, "account_sid": c.AccountSID, "friendly_name": c.FriendlyName,
		"language": c.Language, "variables": c.Variables, "types": c.Types, "date_created": now, "date_updated": now,
		"url": "https://content.twilio.com/v1/Content/" + c.SID, "links": map[string]string{}}
}

// Contents returns the content made so far, oldest first.
func (s *Server) Contents() []Content {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Content(nil), s.contents...)
}

// DeleteContent deletes the content named name, as an administrator
// might in Twilio's console, and reports whether there was one. Messages
// naming it afterwards are refused with 21655, as Twilio does.
func (s *Server) DeleteContent(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.contents {
		if c.FriendlyName == name {
			s.contents = append(s.contents[:i], s.contents[i+1:]...)
			if s.deleted == nil {
				s.deleted = map[string]bool{}
			}
			s.deleted[c.SID] = true
			return true
		}
	}
	return false
}

func (s *Server) content(sid string) (Content, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.contents {
		if c.SID == sid {
			return c, true
		}
	}
	return Content{}, false
}

// authorized checks a Content API request's credentials, answering it if
// they are wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return false
	}
	return true
}

var variableRE = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// fill puts vars into text, reporting a variable with no value.
func fill(text string, vars map[string]string) (string, string) {
	missing := ""
	out := variableRE.ReplaceAllStringFunc(text, func(v string) string {
		k := strings.TrimSpace(v[2 : len(v)-2])
		val, ok := vars[k]
		if !ok && missing == "" {
			missing = k
		}
		return val
	})
	return out, missing
}

// renderSession fills in session content for m: its body and buttons, or
// the reason Twilio would refuse it.
func (s *Server) renderSession(m *Message, c Content) string {
	vars := map[string]string{}
	if m.ContentVariables != "" && json.Unmarshal([]byte(m.ContentVariables), &vars) != nil {
		return "The Content Variables parameter is invalid."
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if n := utf8.RuneCountInString(vars[k]); vars[k] == "" || n > maxVariable {
			return fmt.Sprintf("Content variable %s is empty or longer than %d characters.", k, maxVariable)
		}
	}
	for k, v := range c.Variables {
		if _, ok := vars[k]; !ok {
			vars[k] = v
		}
	}
	get := func(t string) (string, string) { return fill(t, vars) }
	var missing string
	switch {
	case c.Types["twilio/quick-reply"] != nil:
		var q quickReply
		_ = json.Unmarshal(c.Types["twilio/quick-reply"], &q)
		if len(q.Actions) > maxSessionButtons {
			return "More than 3 quick-reply buttons need an approved template."
		}
		m.Body, missing = get(q.Body)
		for _, a := range q.Actions {
			title, m1 := get(a.Title)
			id, m2 := get(a.ID)
			missing = cmp(missing, m1, m2)
			if utf8.RuneCountInString(title) > maxButtonTitle {
				return fmt.Sprintf("Button title %q is longer than %d characters.", title, maxButtonTitle)
			}
			m.Buttons = append(m.Buttons, Button{Title: title, ID: id})
		}
	case c.Types["twilio/list-picker"] != nil:
		var l listPicker
		_ = json.Unmarshal(c.Types["twilio/list-picker"], &l)
		var m1 string
		m.Body, missing = get(l.Body)
		m.ListButton, m1 = get(l.Button)
		missing = cmp(missing, m1)
		if utf8.RuneCountInString(m.ListButton) > maxButtonTitle {
			return fmt.Sprintf("List button %q is longer than %d characters.", m.ListButton, maxButtonTitle)
		}
		for _, it := range l.Items {
			title, m1 := get(it.Item)
			id, m2 := get(it.ID)
			missing = cmp(missing, m1, m2)
			if utf8.RuneCountInString(title) > maxListItem {
				return fmt.Sprintf("List item %q is longer than %d characters.", title, maxListItem)
			}
			m.Buttons = append(m.Buttons, Button{Title: title, ID: id})
		}
		m.List = true
	default:
		var t struct {
			Body string `json:"body"`
		}
		_ = json.Unmarshal(c.Types["twilio/text"], &t)
		m.Body, missing = get(t.Body)
	}
	if missing != "" {
		return "Content variable " + missing + " has no value."
	}
	return ""
}

// cmp is the first non-empty string.
func cmp(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

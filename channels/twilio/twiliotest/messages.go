package twiliotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	e164       = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	contentSID = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)
)

// validVariables reports whether vars, for an approved template, is a
// JSON object of strings none of which WhatsApp would refuse (new lines,
// tabs, more than four spaces in a row, more than 255 characters).
func validVariables(vars string) bool {
	var m map[string]string
	if json.Unmarshal([]byte(vars), &m) != nil {
		return false
	}
	for _, v := range m {
		if strings.ContainsAny(v, "\n\t") || strings.Contains(v, "     ") || utf8.RuneCountInString(v) > maxVariable {
			return false
		}
	}
	return true
}

// createMessage serves POST /2010-04-01/Accounts/{sid}/Messages.json.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken {
		s.count(func(st *Stats) { st.Rejected++ })
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if sid := r.PathValue("sid"); sid != s.AccountSID {
		s.count(func(st *Stats) { st.Rejected++ })
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.count(func(st *Stats) { st.Rejected++ })
		writeError(w, http.StatusBadRequest, 20001, "Could not parse the request body")
		return
	}
	m := Message{
		AccountSID: s.AccountSID, From: r.PostForm.Get("From"), To: r.PostForm.Get("To"),
		MessagingServiceSID: r.PostForm.Get("MessagingServiceSid"), Body: r.PostForm.Get("Body"),
		StatusCallback: r.PostForm.Get("StatusCallback"), MediaURLs: r.PostForm["MediaUrl"],
		ContentSID: r.PostForm.Get("ContentSid"), ContentVariables: r.PostForm.Get("ContentVariables"),
	}
	i := s.begin(m.To, m.Body)
	if s.injected(w, r, i, m.To) || s.fault(w, r, i, &m) {
		return
	}
	c, session := s.content(m.ContentSID)
	status, code, msg := validate(&m, session)
	s.mu.Lock()
	gone := s.deleted[m.ContentSID]
	s.mu.Unlock()
	if code == 0 && gone {
		status, code, msg = 400, 21655, "The ContentSid is Invalid."
	}
	if code == 0 && session {
		m.Session = true
		if msg = s.renderSession(&m, c); msg != "" {
			status, code = 400, 21656
		}
	}
	if code != 0 {
		s.count(func(st *Stats) { st.Rejected++ })
		s.answered(i, status, code, "", "", 0)
		writeError(w, status, code, msg)
		return
	}
	if !s.accept(&m) {
		s.answered(i, http.StatusTooManyRequests, 20429, "", "", 0)
		writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
		return
	}
	s.answered(i, http.StatusCreated, 0, "", m.SID, 0)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(s.resource(&m))
}

// accept records m as accepted, giving it a SID, unless the rate limit set
// by SetRateLimit refuses it.
func (s *Server) accept(m *Message) bool {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimit > 0 {
		cut := 0
		for cut < len(s.window) && now.Sub(s.window[cut]) >= time.Second {
			cut++
		}
		s.window = s.window[cut:]
		if float64(len(s.window)) >= s.rateLimit {
			s.stats.Throttled++
			return false
		}
		s.window = append(s.window, now)
	}
	m.SID, m.At = newSID("SM"), now
	if m.WhatsApp() && (m.ContentSID == "" || m.Session) && now.Sub(s.lastIn[m.To]) >= Window {
		// Twilio accepts it, then reports it failed (see StatusAll).
		m.ErrorCode = "63016"
	}
	s.msgs = append(s.msgs, *m)
	s.stats.Accepted++
	close(s.changed)
	s.changed = make(chan struct{})
	return true
}

// injected answers request i with a failure set up by FailNext,
// ThrottleNext, HangNext or FailTo, if one is due.
func (s *Server) injected(w http.ResponseWriter, r *http.Request, i int, to string) bool {
	s.mu.Lock()
	var kind string
	code := s.codeFor[to]
	switch {
	case s.hang > 0:
		s.hang--
		s.stats.Hung++
		kind = "hang"
	case s.fail5xx > 0:
		s.fail5xx--
		s.stats.ServerError++
		kind = "5xx"
	case s.throttle > 0:
		s.throttle--
		s.stats.Throttled++
		kind = "429"
	case code != 0:
		s.stats.Rejected++
		kind = "code"
	}
	status := s.failCode
	s.mu.Unlock()
	switch kind {
	case "hang":
		s.hangUntilDone(r)
		return true
	case "5xx":
		s.answered(i, status, 20500, "", "", 0)
		writeError(w, status, 20500, "An internal server error has occurred")
	case "429":
		s.answered(i, http.StatusTooManyRequests, 20429, "", "", 0)
		writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
	case "code":
		s.answered(i, statusFor(code), code, "", "", 0)
		writeError(w, statusFor(code), code, messageFor(code, to))
	}
	return kind != ""
}

// validate checks a message the way Twilio does and returns the error to
// answer with, if any.
func validate(m *Message, session bool) (status, code int, msg string) {
	to, wa := strings.CutPrefix(m.To, WhatsAppPrefix)
	switch {
	case m.To == "":
		return 400, 21604, "A 'To' phone number is required."
	case m.From == "" && m.MessagingServiceSID == "":
		return 400, 21603, "A 'From' phone number is required."
	case m.Body == "" && len(m.MediaURLs) == 0 && m.ContentSID == "":
		return 400, 21602, "Message body is required."
	case !e164.MatchString(to):
		return 400, 21211, messageFor(21211, m.To)
	case wa && m.From != "" && !strings.HasPrefix(m.From, WhatsAppPrefix):
		return 400, 63007, "Twilio could not find a Channel with the specified From address"
	case !wa && strings.HasPrefix(m.From, WhatsAppPrefix):
		return 400, 21910, "Invalid From and To pair. From and To should be of the same channel"
	case m.ContentSID != "" && !contentSID.MatchString(m.ContentSID):
		return 400, 21656, "The ContentSid is Invalid."
	case m.ContentSID != "" && !session && m.ContentVariables != "" && !validVariables(m.ContentVariables):
		return 400, 21656, "The Content Variables parameter is invalid."
	case utf8.RuneCountInString(m.Body) > 1600:
		return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
	}
	return 0, 0, ""
}

func statusFor(code int) int {
	switch {
	case code == 20429:
		return http.StatusTooManyRequests
	case code == 20003:
		return http.StatusUnauthorized
	case code >= 20500 && code < 20600:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func messageFor(code int, to string) string {
	switch code {
	case 21211:
		return fmt.Sprintf("Invalid 'To' Phone Number: %s", to)
	case 21610:
		return "Attempt to send to unsubscribed recipient"
	case 21614:
		return "'To' number is not a valid mobile number"
	case 21408:
		return fmt.Sprintf("Permission to send an SMS has not been enabled for the region indicated by the 'To' number: %s", to)
	case 21612:
		return "The 'To' phone number is not currently reachable via SMS"
	case 20429:
		return "Too Many Requests"
	}
	return "Error " + strconv.Itoa(code)
}

// errorBody is Twilio's error JSON.
type errorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Code: code, Message: msg,
		MoreInfo: "https://www.twilio.com/docs/errors/" + strconv.Itoa(code), Status: status})
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// resource is the Message resource JSON Twilio answers a create with.
func (s *Server) resource(m *Message) map[string]any {
	date := m.At.UTC().Format(time.RFC1123Z)
	uri := "/2010-04-01/Accounts/" + m.AccountSID + "/Messages/" + m.SID
	status := "queued"
	var from, mg any
	if m.From != "" {
		from = m.From
	}
	if m.MessagingServiceSID != "" {
		mg = m.MessagingServiceSID
		if m.From == "" {
			status = "accepted"
		}
	}
	return map[string]any{
		"account_sid":           m.AccountSID,
		"api_version":           "2010-04-01",
		"body":                  m.Body,
		"date_created":          date,
		"date_sent":             nil,
		"date_updated":          date,
		"direction":             "outbound-api",
		"error_code":            nil,
		"error_message":         nil,
		"from":                  from,
		"messaging_service_sid": mg,
		"num_media":             strconv.Itoa(len(m.MediaURLs)),
		"num_segments":          strconv.Itoa(segments(m.Body)),
		"price":                 nil,
		"price_unit":            "USD",
		"sid":                   m.SID,
		"status":                status,
		"subresource_uris":      map[string]string{"media": uri + "/Media.json"},
		"to":                    m.To,
		"uri":                   uri + ".json",
	}
}

// gsm7 is the GSM 03.38 basic character set; the extension characters
// (counted twice) follow in gsm7ext.
const (
	gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7ext = "^{}\\[~]|€\f"
)

// segments is how many SMS segments Twilio bills body as: 160 GSM-7
// characters in one, 153 per segment when split; 70 UCS-2 units, 67 when
// split.
func segments(body string) int {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsm7, r):
			septets++
		case strings.ContainsRune(gsm7ext, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		if septets <= 160 {
			return 1
		}
		return (septets + 152) / 153
	}
	units := 0
	for _, r := range body {
		units++
		if r >= 0x10000 {
			units++ // a surrogate pair
		}
	}
	if units <= 70 {
		return 1
	}
	return (units + 66) / 67
}

// Package twiliotest is an in-process fake of Twilio for tests, the load
// generator and CI. It serves the Messages API on 127.0.0.1 with Twilio's
// real request and response formats, records what was sent, injects
// failures (5xx, 429, timeouts, a given error code for a given number, a
// rate limit), and posts signed inbound-message and status webhooks to a
// server under test the way Twilio does.
package twiliotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Realistic credentials: twilio-go refuses tokens with characters a real
// one never has.
const (
	AccountSID = "AC0123456789abcdef0123456789abcdef"
	AuthToken  = "0123456789abcdef0123456789abcdef"
	// Number is the service's Twilio number, the To of inbound messages.
	Number = "+447700900000"
)

// Message is one message the fake accepted.
type Message struct {
	SID                 string
	AccountSID          string
	From                string
	MessagingServiceSID string
	To                  string
	Body                string
	StatusCallback      string
	MediaURLs           []string
	// ContentSID and ContentVariables are set for a template (WhatsApp
	// outside the 24-hour window).
	ContentSID       string
	ContentVariables string
	// Session is set for content made through the fake's Content API
	// (buttons, a list): Body is then its text with the variables filled
	// in, Buttons its buttons or list items, and List and ListButton say
	// it is a list picker and what its button says.
	Session    bool
	Buttons    []Button
	List       bool
	ListButton string
	// ErrorCode is the error Twilio reports later by status callback for a
	// message it accepted but could not deliver (WhatsApp: 63016, a
	// free-form message outside the 24-hour window); "" for none.
	ErrorCode string
	At        time.Time
}

// WhatsApp reports whether m went to a WhatsApp address.
func (m Message) WhatsApp() bool { return strings.HasPrefix(m.To, WhatsAppPrefix) }

// Stats counts what the fake answered.
type Stats struct {
	Accepted    int // 201
	ServerError int // injected 5xx
	Throttled   int // 429
	Hung        int // requests held until the client gave up
	Rejected    int // other 4xx (validation, auth, injected codes)
}

// Server is the fake. Its zero value is not usable; call New. All methods
// are safe for concurrent use.
type Server struct {
	// AccountSID and AuthToken are the credentials it accepts and signs
	// webhooks with; New sets them to the package constants.
	AccountSID, AuthToken string
	// Number is the To of inbound messages it posts.
	Number string
	// WebhookClient posts webhooks to the server under test.
	WebhookClient *http.Client

	srv *httptest.Server
	// hangDone is closed by Close to release hung requests.
	hangDone chan struct{}

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever a message is accepted
	msgs      []Message
	stats     Stats
	fail5xx   int
	failCode  int
	throttle  int
	hang      int
	codeFor   map[string]int
	rateLimit float64
	window    []time.Time // acceptance times within the last second, for rateLimit

	faults   Faults
	reqs     []Request
	attempts map[[2]string]int // requests per To and Body

	// lastIn is when each WhatsApp number last wrote (its 24-hour window);
	// reported counts the messages StatusAll has reported on.
	lastIn   map[string]time.Time
	reported int

	contents   []Content
	deleted    map[string]bool
	media      map[string]media
	mediaStats MediaStats
}

// New starts a fake on 127.0.0.1. Close it when done.
func New() *Server {
	s := &Server{AccountSID: AccountSID, AuthToken: AuthToken, Number: Number,
		WebhookClient: &http.Client{Timeout: 30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}},
		hangDone: make(chan struct{}), changed: make(chan struct{}), codeFor: map[string]int{},
		lastIn: map[string]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", s.createMessage)
	mux.HandleFunc("POST /v1/Content", s.createContent)
	mux.HandleFunc("GET /v1/Content", s.listContent)
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{media}", s.fetchMedia)
	mux.HandleFunc("GET /cdn/{msg}/{media}", s.cdn)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	s.srv = httptest.NewServer(mux)
	return s
}

// URL is the fake's base URL, to use as the Twilio API URL.
func (s *Server) URL() string { return s.srv.URL }

// Close releases hung requests and stops the server.
func (s *Server) Close() {
	close(s.hangDone)
	s.srv.Close()
	s.WebhookClient.CloseIdleConnections()
}

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// MessagesTo returns the bodies of the messages accepted for one number.
func (s *Server) MessagesTo(to string) []string {
	var out []string
	for _, m := range s.Messages() {
		if m.To == to {
			out = append(out, m.Body)
		}
	}
	return out
}

// Stats returns the counts of answers given so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// WaitMessages waits until at least n messages have been accepted and
// returns them, or returns what there is with ctx's error.
func (s *Server) WaitMessages(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		if len(s.msgs) >= n {
			out := append([]Message(nil), s.msgs...)
			s.mu.Unlock()
			return out, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("twiliotest: waiting for %d messages: %w", n, ctx.Err())
		}
	}
}

// FailNext makes the next n message requests answer HTTP status (a 5xx)
// with Twilio's error JSON, code 20500.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail5xx, s.failCode = n, status
}

// ThrottleNext makes the next n message requests answer 429 with code 20429.
func (s *Server) ThrottleNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = n
}

// HangNext makes the next n message requests hang, without accepting the
// message, until the client gives up or the fake is closed.
func (s *Server) HangNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang = n
}

// FailTo makes every message to number fail with the given Twilio error
// code (e.g. 21211, 21610, 21614); code 0 clears it.
func (s *Server) FailTo(number string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.codeFor, number)
		return
	}
	s.codeFor[number] = code
}

// SetRateLimit makes the fake answer 429 / 20429 to a request that would
// make more than perSecond messages accepted within one second; 0 clears it.
func (s *Server) SetRateLimit(perSecond float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = perSecond
}

// newSID returns prefix + 32 hex digits, the shape of every Twilio SID.
func newSID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

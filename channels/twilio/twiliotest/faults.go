package twiliotest

import (
	"encoding/binary"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is a failure the fault mode answers a message request with.
type Fault string

// The faults. The three timeouts differ in what Twilio did before the
// client gave up, which is all a sender cannot see: FaultTimeout accepted
// nothing, FaultLostAnswer accepted the message and never answered (the
// unknown outcome: a sender that tries again sends it twice), and
// FaultCutAnswer accepted it and sent "201 Created" but never the body (a
// success answer: a sender must not send it again).
const (
	FaultServerError Fault = "server_error" // 500 or 503, code 20500
	FaultThrottle    Fault = "throttle"     // 429, code 20429, with Retry-After
	FaultTimeout     Fault = "timeout"      // no answer; not accepted
	FaultLostAnswer  Fault = "lost_answer"  // accepted, then no answer
	FaultCutAnswer   Fault = "cut_answer"   // accepted, 201 sent, body never finished
	FaultBlocked     Fault = "blocked"      // 21610: the number opted out at Twilio
)

// Faults is a deterministic fault mode. Whether a request fails, and how,
// depends only on Seed, the request's To and Body and how many requests
// with that To and Body came before it, never on timing or on what other
// messages do: the same seed fails the same attempts of the same messages
// in every run, and a retry of a failed message draws afresh.
type Faults struct {
	Seed uint64
	// Rate is the share (0 to 1) of message requests that fail with one of
	// Kinds.
	Rate float64
	// Kinds are the failures drawn from, each equally likely; list a kind
	// twice to make it twice as likely. Empty means server error, throttle
	// and timeout.
	Kinds []Fault
	// RetryAfter is the Retry-After header on throttled answers, rounded up
	// to whole seconds; zero sends none.
	RetryAfter time.Duration
	// Blocked numbers (E.164) answer 21610 to every request the draw did not
	// fail otherwise; a draw that would take the message (a lost or cut
	// answer) times out instead, as a blocked number's message is never
	// taken.
	Blocked []string
}

// Request is one request to create a message (past authentication and
// form parsing), as the fake answered it.
type Request struct {
	// At is when the request arrived.
	At       time.Time
	To, Body string
	// Attempt counts requests with this To and Body: 1 for the first.
	Attempt int
	// Status is the HTTP status sent (201 for FaultCutAnswer); 0 when the
	// fake never answered (FaultTimeout, FaultLostAnswer).
	Status int
	// Code is the Twilio error code answered; 0 when none.
	Code int
	// Fault is the fault mode's failure, "" when it injected none.
	Fault Fault
	// RetryAfter is the Retry-After header sent, if any.
	RetryAfter time.Duration
	// SID is the accepted message's SID; "" when it was not accepted.
	SID string
}

// Succeeded reports whether the client was sent a success status.
func (r Request) Succeeded() bool { return r.Status >= 200 && r.Status < 300 }

// SetFaults switches the fault mode on; a zero Faults switches it off.
// FailNext, ThrottleNext, HangNext and FailTo still apply first.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(f.Kinds) == 0 {
		f.Kinds = []Fault{FaultServerError, FaultThrottle, FaultTimeout}
	}
	f.Blocked = slices.Clone(f.Blocked)
	s.faults = f
}

// Requests returns every message request so far, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// begin records a request's arrival and returns its index in s.reqs.
func (s *Server) begin(to, body string) int {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attempts == nil {
		s.attempts = map[[2]string]int{}
	}
	key := [2]string{to, body}
	s.attempts[key]++
	s.reqs = append(s.reqs, Request{At: now, To: to, Body: body, Attempt: s.attempts[key]})
	return len(s.reqs) - 1
}

// answered records how request i was answered.
func (s *Server) answered(i, status, code int, fault Fault, sid string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.reqs[i]
	r.Status, r.Code, r.Fault, r.SID, r.RetryAfter = status, code, fault, sid, retryAfter
}

// draw is the fault mode's answer to request i: "" for none.
func (s *Server) draw(i int) (Fault, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, r := s.faults, s.reqs[i]
	h := mix(f.Seed, r.To, r.Body, r.Attempt)
	if f.Rate > 0 && float64(h>>11)/(1<<53) < f.Rate {
		kind := f.Kinds[int(h%uint64(len(f.Kinds)))]
		if (kind == FaultLostAnswer || kind == FaultCutAnswer) && slices.Contains(f.Blocked, r.To) {
			kind = FaultTimeout // a blocked recipient's message is never taken
		}
		return kind, h
	}
	if slices.Contains(f.Blocked, r.To) {
		return FaultBlocked, h
	}
	return "", h
}

// mix hashes a request's identity with the seed (FNV-1a, then the
// SplitMix64 finaliser so that every bit depends on every input).
func mix(seed uint64, to, body string, attempt int) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(to))
	h.Write([]byte{0})
	h.Write([]byte(body))
	binary.LittleEndian.PutUint64(b[:], uint64(attempt))
	h.Write(b[:])
	z := h.Sum64()
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fault answers request i with the fault mode's failure, if it draws one,
// and reports whether it did. m is the parsed message, accepted by the
// faults that accept it.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, i int, m *Message) bool {
	kind, h := s.draw(i)
	switch kind {
	case "":
		return false
	case FaultServerError:
		status := http.StatusInternalServerError
		if h&(1<<40) != 0 {
			status = http.StatusServiceUnavailable
		}
		s.count(func(st *Stats) { st.ServerError++ })
		s.answered(i, status, 20500, kind, "", 0)
		writeError(w, status, 20500, "An internal server error has occurred")
	case FaultThrottle:
		s.mu.Lock()
		ra := s.faults.RetryAfter
		s.mu.Unlock()
		if ra > 0 {
			secs := int((ra + time.Second - 1) / time.Second)
			ra = time.Duration(secs) * time.Second
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		s.count(func(st *Stats) { st.Throttled++ })
		s.answered(i, http.StatusTooManyRequests, 20429, kind, "", ra)
		writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
	case FaultBlocked:
		s.count(func(st *Stats) { st.Rejected++ })
		s.answered(i, http.StatusBadRequest, 21610, kind, "", 0)
		writeError(w, http.StatusBadRequest, 21610, messageFor(21610, m.To))
	case FaultTimeout:
		s.count(func(st *Stats) { st.Hung++ })
		s.answered(i, 0, 0, kind, "", 0)
		s.hangUntilDone(r)
	case FaultLostAnswer, FaultCutAnswer:
		if !s.accept(m) { // the rate limit refused it
			s.answered(i, http.StatusTooManyRequests, 20429, "", "", 0)
			writeError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
			return true
		}
		s.count(func(st *Stats) { st.Hung++ })
		if kind == FaultLostAnswer {
			s.answered(i, 0, 0, kind, m.SID, 0)
			s.hangUntilDone(r)
			return true
		}
		s.answered(i, http.StatusCreated, 0, kind, m.SID, 0)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"account_sid": "` + m.AccountSID + `", "sid": `))
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		s.hangUntilDone(r)
	}
	return true
}

// hangUntilDone holds a request until its client gives up or the fake is
// closed.
func (s *Server) hangUntilDone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.hangDone:
	}
}

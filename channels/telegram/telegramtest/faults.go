package telegramtest

import (
	"encoding/binary"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is a failure the fault mode answers a sendMessage call with.
type Fault string

// The faults. The three timeouts differ in what Telegram did before the
// client gave up, which is all a sender cannot see: FaultTimeout sent
// nothing, FaultLostAnswer sent the message and never answered (the
// unknown outcome: a sender that tries again sends it twice), and
// FaultCutAnswer sent it and answered "200 OK" but never finished the body
// (a success answer: a sender must not send it again).
const (
	FaultServerError Fault = "server_error" // 500 or 502 {"ok":false,...}
	FaultThrottle    Fault = "throttle"     // 429 with parameters.retry_after
	FaultTimeout     Fault = "timeout"      // no answer; not sent
	FaultLostAnswer  Fault = "lost_answer"  // sent, then no answer
	FaultCutAnswer   Fault = "cut_answer"   // sent, 200 and half the body, then nothing
	FaultBlocked     Fault = "blocked"      // 403 "bot was blocked by the user"
)

// Faults is a deterministic fault mode for sendMessage. Whether a call
// fails, and how, depends only on Seed, the call's chat_id and text and how
// many sendMessage calls with that chat and text came before it, never on
// timing or on other messages: the same seed fails the same attempts of the
// same messages in every run, and a retry draws afresh.
type Faults struct {
	Seed uint64
	// Rate is the share (0 to 1) of sendMessage calls that fail with one
	// of Kinds.
	Rate float64
	// Kinds are the failures drawn from, each equally likely; list a kind
	// twice to make it twice as likely. Empty means server error, throttle
	// and timeout.
	Kinds []Fault
	// RetryAfter is parameters.retry_after on throttled answers, rounded
	// up to whole seconds (at least 1, as Telegram's is).
	RetryAfter time.Duration
	// Blocked chats answer 403 to every call the draw did not fail
	// otherwise; a draw that would send the message (a lost or cut answer)
	// times out instead, as a blocked chat's message is never sent.
	Blocked []int64
}

// SetFaults switches the fault mode on; a zero Faults switches it off.
// FailNext, HangNext and FailChat still apply first.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(f.Kinds) == 0 {
		f.Kinds = []Fault{FaultServerError, FaultThrottle, FaultTimeout}
	}
	f.Blocked = slices.Clone(f.Blocked)
	s.faults = f
}

// Succeeded reports whether the call was answered "200 OK" (a
// FaultCutAnswer was, though its body never came).
func (c Call) Succeeded() bool { return c.Code == 0 && !c.hung }

// draw is the fault mode's failure for call n, "" for none. s.mu is held.
func (s *Server) draw(n int, chat int64, text string) (Fault, uint64) {
	f := s.faults
	if s.attempts == nil {
		s.attempts = map[chatText]int{}
	}
	key := chatText{chat, text}
	s.attempts[key]++
	s.calls[n].Attempt = s.attempts[key]
	h := mix(f.Seed, chat, text, s.attempts[key])
	if f.Rate > 0 && float64(h>>11)/(1<<53) < f.Rate {
		kind := f.Kinds[int(h%uint64(len(f.Kinds)))]
		if (kind == FaultLostAnswer || kind == FaultCutAnswer) && slices.Contains(f.Blocked, chat) {
			kind = FaultTimeout // a blocked recipient's message is never taken
		}
		return kind, h
	}
	if slices.Contains(f.Blocked, chat) {
		return FaultBlocked, h
	}
	return "", h
}

type chatText struct {
	chat int64
	text string
}

// mix hashes a call's identity with the seed (FNV-1a, then the SplitMix64
// finaliser so that every bit depends on every input).
func mix(seed uint64, chat int64, text string, attempt int) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(chat))
	h.Write(b[:])
	h.Write([]byte(text))
	binary.LittleEndian.PutUint64(b[:], uint64(attempt))
	h.Write(b[:])
	z := h.Sum64()
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// faultError is the answer to a call that drew fault kind; accept records
// the message as sent and returns its JSON. s.mu is held.
func (s *Server) faultError(n int, kind Fault, h uint64, accept func() map[string]any) *apiError {
	s.calls[n].Fault = kind
	switch kind {
	case FaultServerError:
		code := http.StatusInternalServerError
		if h&(1<<40) != 0 {
			code = http.StatusBadGateway
		}
		return errorFor(code)
	case FaultThrottle:
		secs := max(1, int((s.faults.RetryAfter+time.Second-1)/time.Second))
		s.calls[n].RetryAfter = time.Duration(secs) * time.Second
		return &apiError{code: 429, description: "Too Many Requests: retry after " + strconv.Itoa(secs), retryAfter: secs}
	case FaultBlocked:
		return errorFor(http.StatusForbidden)
	case FaultTimeout:
		return errHang
	case FaultLostAnswer:
		m := accept()
		s.calls[n].MessageID = m["message_id"].(int)
		return errHang
	case FaultCutAnswer:
		m := accept()
		s.calls[n].MessageID = m["message_id"].(int)
		return &apiError{code: 0, description: "cut", partial: m}
	}
	return errorFor(http.StatusInternalServerError)
}

// Package telegramtest is an in-process fake of the Telegram Bot API on
// 127.0.0.1, for tests and load runs. It speaks the real wire format
// ({"ok":true,"result":...} and {"ok":false,"error_code":...}), keeps the
// chats it has seen, records every call, can be told to fail, and delivers
// updates from pretend people either to a webhook (with the secret token
// header) or through getUpdates with offsets and long polling.
//
// Methods: getMe, setWebhook, deleteWebhook, getWebhookInfo, getUpdates,
// sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Token is the bot token the fake accepts.
const Token = "7000001:AAFakeTokenForLinklineTests_0123456789"

// Bot identity reported by getMe.
const (
	BotID       = 7000001
	BotUsername = "linkline_test_bot"
)

// Call is one Bot API request as the fake saw it. Calls are recorded as
// they arrive; Code is filled in when the answer is known.
type Call struct {
	Method string
	Params map[string]string
	At     time.Time
	// Code is 0 for a successful call, else the error_code answered.
	Code int
	// Attempt counts sendMessage calls with this chat_id and text: 1 for
	// the first. Set for sendMessage only.
	Attempt int
	// Fault is the fault mode's failure (see SetFaults), "" for none.
	Fault Fault
	// RetryAfter is the retry_after answered with a 429 from the fault mode.
	RetryAfter time.Duration
	// MessageID is the id of the message the call sent, when the fault mode
	// sent it without a proper answer (FaultLostAnswer, FaultCutAnswer).
	MessageID int

	hung bool // never answered
}

// Button is one inline keyboard button.
type Button struct {
	Text string `json:"text"`
	Data string `json:"callback_data,omitempty"`
}

// Message is a message the bot sent, as it now stands (edits applied).
type Message struct {
	ChatID    int64
	MessageID int
	Text      string
	ParseMode string
	// Buttons is the inline keyboard, rows of buttons; nil when none.
	Buttons [][]Button
	SentAt  time.Time
	Edited  bool
}

// Server is the fake Bot API. Its zero value is not usable; call New.
type Server struct {
	srv    *httptest.Server
	client *http.Client

	mu        sync.Mutex
	calls     []Call
	sent      []*Message           // in send order
	byID      map[chatMsg]*Message // the bot's messages
	nextMsg   map[int64]int        // per chat, shared with people's messages
	queries   map[string]bool      // callback query id → answered
	failChat  map[int64]int        // chat → error code on every send
	failNext  []int                // error codes for the next sends
	hangNext  int                  // sends left that hang until the caller gives up
	webhook   string
	secret    string
	allowed   []string
	updates   []update // not yet confirmed (getUpdates mode)
	delivered map[int]json.RawMessage
	nextUpd   int
	arrived   chan struct{} // closed and replaced when an update is queued
	confirmed int           // highest offset a getUpdates call has confirmed
	faults    Faults
	attempts  map[chatText]int // sendMessage calls per chat and text
}

type chatMsg struct {
	chat int64
	id   int
}

type update struct {
	id   int
	kind string
	raw  json.RawMessage
}

// New starts a fake Bot API on 127.0.0.1. Close it when done.
func New() *Server {
	s := &Server{
		client:    &http.Client{Timeout: 30 * time.Second},
		byID:      map[chatMsg]*Message{},
		nextMsg:   map[int64]int{},
		queries:   map[string]bool{},
		failChat:  map[int64]int{},
		delivered: map[int]json.RawMessage{},
		nextUpd:   100001,
		arrived:   make(chan struct{}),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to use as TELEGRAM_API_URL.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server; long polls in progress end.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Calls returns the recorded calls of method ("" for all), oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns copies of the bot's messages to chat (every chat when chat is
// 0) in the order they were sent, with later edits applied.
func (s *Server) Sent(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sent {
		if chat == 0 || m.ChatID == chat {
			out = append(out, *m)
		}
	}
	return out
}

// WaitSent waits until the bot has sent at least n messages to chat and
// returns them, or fails when ctx ends.
func (s *Server) WaitSent(ctx context.Context, chat int64, n int) ([]Message, error) {
	for {
		if got := s.Sent(chat); len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return s.Sent(chat), fmt.Errorf("telegramtest: waiting for %d messages to chat %d: %w", n, chat, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// FailNext makes the next n sendMessage calls fail with code: 403 as a
// blocked bot, 429 with retry_after 3, 5xx as a server error.
func (s *Server) FailNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failNext = append(s.failNext, code)
	}
}

// FailChat makes every sendMessage to chat fail with code until
// FailChat(chat, 0). Block(chat) is FailChat(chat, 403).
func (s *Server) FailChat(chat int64, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.failChat, chat)
		return
	}
	s.failChat[chat] = code
}

// Block makes chat's person block the bot: every send to it gets 403.
func (s *Server) Block(chat int64) { s.FailChat(chat, http.StatusForbidden) }

// HangNext makes the next n sendMessage calls never answer: the caller's
// timeout is what ends them.
func (s *Server) HangNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangNext += n
}

// Webhook returns the webhook URL and secret token set by setWebhook.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook, s.secret
}

// apiError is a Bot API failure.
type apiError struct {
	code        int
	description string
	retryAfter  int
	partial     map[string]any // a result whose answer is cut off after the status line
}

func errorFor(code int) *apiError {
	switch code {
	case 400:
		return &apiError{code: 400, description: "Bad Request: chat not found"}
	case 401:
		return &apiError{code: 401, description: "Unauthorized"}
	case 403:
		return &apiError{code: 403, description: "Forbidden: bot was blocked by the user"}
	case 404:
		return &apiError{code: 404, description: "Not Found"}
	case 429:
		return &apiError{code: 429, description: "Too Many Requests: retry after 3", retryAfter: 3}
	default:
		return &apiError{code: code, description: http.StatusText(code)}
	}
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/bot")
	token, method, ok := strings.Cut(path, "/")
	params, perr := readParams(r)
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Params: params, At: time.Now()})
	n := len(s.calls) - 1
	s.mu.Unlock()
	var result any
	var aerr *apiError
	switch {
	case !ok || !strings.HasPrefix(r.URL.Path, "/bot"):
		aerr = errorFor(404)
	case token != Token:
		aerr = errorFor(401)
	case perr != nil:
		aerr = badRequest("%v", perr)
	default:
		result, aerr = s.dispatch(r.Context(), n, method, params)
	}
	if aerr != nil {
		s.mu.Lock()
		s.calls[n].Code = aerr.code
		s.mu.Unlock()
	}
	if aerr == errHang {
		s.mu.Lock()
		s.calls[n].hung = true
		s.mu.Unlock()
		<-r.Context().Done()
		return
	}
	if aerr != nil && aerr.partial != nil {
		// 200 OK and the start of the body, then nothing more.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		data, _ := json.Marshal(map[string]any{"ok": true, "result": aerr.partial})
		w.Write(data[:len(data)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if aerr != nil {
		body := map[string]any{"ok": false, "error_code": aerr.code, "description": aerr.description}
		if aerr.retryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": aerr.retryAfter}
		}
		w.WriteHeader(aerr.code)
		json.NewEncoder(w).Encode(body)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// errHang marks a call that gets no answer.
var errHang = &apiError{code: 0, description: "hang"}

func (s *Server) dispatch(ctx context.Context, n int, method string, p map[string]string) (any, *apiError) {
	switch method {
	case "getMe":
		return botUser(), nil
	case "setWebhook":
		return s.setWebhook(p)
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook, s.secret = "", ""
		if p["drop_pending_updates"] == "true" {
			s.updates = nil
		}
		s.mu.Unlock()
		return true, nil
	case "getWebhookInfo":
		s.mu.Lock()
		defer s.mu.Unlock()
		return map[string]any{"url": s.webhook, "has_custom_certificate": false, "pending_update_count": len(s.updates)}, nil
	case "getUpdates":
		return s.getUpdates(ctx, p)
	case "sendMessage":
		return s.sendMessage(n, p)
	case "editMessageText", "editMessageReplyMarkup":
		return s.editMessage(method, p)
	case "answerCallbackQuery":
		s.mu.Lock()
		defer s.mu.Unlock()
		answered, known := s.queries[p["callback_query_id"]]
		if !known || answered {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		s.queries[p["callback_query_id"]] = true
		return true, nil
	default:
		return nil, errorFor(404)
	}
}

func (s *Server) setWebhook(p map[string]string) (any, *apiError) {
	u, err := url.Parse(p["url"])
	if p["url"] == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	sec := p["secret_token"]
	for _, r := range sec {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return nil, badRequest("secret token contains unallowed characters")
		}
	}
	if len(sec) > 256 {
		return nil, badRequest("secret token is too long")
	}
	var allowed []string
	if a := p["allowed_updates"]; a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates JSON object")
		}
	}
	s.mu.Lock()
	s.webhook, s.secret, s.allowed = p["url"], sec, allowed
	s.mu.Unlock()
	return true, nil
}

// readParams reads a Bot API request's parameters from the query string and
// a form or JSON body, all as strings (JSON objects and arrays kept as JSON).
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, fmt.Errorf("can't parse JSON body: %w", err)
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				out[k] = str
			} else {
				out[k] = string(v)
			}
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k, v := range r.PostForm {
		out[k] = v[0]
	}
	return out, nil
}

func botUser() map[string]any {
	return map[string]any{"id": BotID, "is_bot": true, "first_name": "Linkline", "username": BotUsername,
		"can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false}
}

func chatJSON(chat int64) map[string]any {
	return map[string]any{"id": chat, "first_name": "Test", "type": "private"}
}

func parseChat(p map[string]string) (int64, *apiError) {
	chat, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	return chat, nil
}

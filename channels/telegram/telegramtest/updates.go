package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Delivery is what became of one update the fake sent towards the bot.
type Delivery struct {
	UpdateID int
	// Status is the webhook's HTTP status when a webhook is set, and 0 when
	// the update waits for getUpdates instead.
	Status int
}

// SecretHeader is the header Telegram puts the webhook secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// PushUpdate delivers an update — any value that encodes to a JSON object
// such as {"message": {...}} — to the bot: posted to the webhook when one is
// set (and the call waits for its answer), else queued for getUpdates. An
// update_id is assigned unless the object has one.
func (s *Server) PushUpdate(u any) (Delivery, error) {
	raw, err := json.Marshal(u)
	if err != nil {
		return Delivery{}, fmt.Errorf("telegramtest: encode update: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Delivery{}, fmt.Errorf("telegramtest: an update must be a JSON object: %w", err)
	}
	var kind string
	for k := range fields {
		if k != "update_id" {
			kind = k
		}
	}
	s.mu.Lock()
	id := s.nextUpd
	if v, ok := fields["update_id"]; ok {
		if err := json.Unmarshal(v, &id); err != nil {
			s.mu.Unlock()
			return Delivery{}, fmt.Errorf("telegramtest: update_id: %w", err)
		}
	} else {
		fields["update_id"], _ = json.Marshal(id)
		raw, _ = json.Marshal(fields)
	}
	s.nextUpd = max(s.nextUpd, id+1)
	s.delivered[id] = raw
	s.mu.Unlock()
	return s.deliver(update{id: id, kind: kind, raw: raw})
}

// Redeliver sends the update updateID again, as Telegram does after a
// webhook failed or when a connection dropped.
func (s *Server) Redeliver(updateID int) (Delivery, error) {
	s.mu.Lock()
	raw, ok := s.delivered[updateID]
	s.mu.Unlock()
	if !ok {
		return Delivery{}, fmt.Errorf("telegramtest: no update %d was delivered", updateID)
	}
	var fields map[string]json.RawMessage
	json.Unmarshal(raw, &fields)
	var kind string
	for k := range fields {
		if k != "update_id" {
			kind = k
		}
	}
	return s.deliver(update{id: updateID, kind: kind, raw: raw})
}

func (s *Server) deliver(u update) (Delivery, error) {
	s.mu.Lock()
	hook, secret, allowed := s.webhook, s.secret, s.allowed
	if len(allowed) > 0 && !slices.Contains(allowed, u.kind) {
		s.mu.Unlock()
		return Delivery{UpdateID: u.id}, nil // the bot did not ask for it
	}
	if hook == "" {
		s.updates = append(s.updates, u)
		close(s.arrived)
		s.arrived = make(chan struct{})
		s.mu.Unlock()
		return Delivery{UpdateID: u.id}, nil
	}
	s.mu.Unlock()
	if !loopback(hook) {
		return Delivery{UpdateID: u.id}, fmt.Errorf("telegramtest: refusing to post update %d to %s: the fake only delivers to 127.0.0.1 or localhost", u.id, hook)
	}
	req, err := http.NewRequest(http.MethodPost, hook, bytes.NewReader(u.raw))
	if err != nil {
		return Delivery{UpdateID: u.id}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return Delivery{UpdateID: u.id}, fmt.Errorf("telegramtest: deliver update %d: %w", u.id, err)
	}
	resp.Body.Close()
	return Delivery{UpdateID: u.id, Status: resp.StatusCode}, nil
}

// PushMessage delivers a message from the person in private chat chat (whose
// user id is chat, as in Telegram), with fields such as "text", "sticker" or
// "photo" added to the message object.
func (s *Server) PushMessage(chat int64, fields map[string]any) (Delivery, error) {
	s.mu.Lock()
	s.nextMsg[chat]++
	m := map[string]any{"message_id": s.nextMsg[chat], "from": userJSON(chat), "chat": chatJSON(chat),
		"date": time.Now().Unix()}
	s.mu.Unlock()
	for k, v := range fields {
		m[k] = v
	}
	return s.PushUpdate(map[string]any{"message": m})
}

// EditText delivers an edited_message: the person changed the text of
// their message messageID in chat (a caption, if caption is set).
func (s *Server) EditText(chat int64, messageID int, text string, caption bool) (Delivery, error) {
	now := time.Now().Unix()
	m := map[string]any{"message_id": messageID, "from": userJSON(chat), "chat": chatJSON(chat), "date": now - 60, "edit_date": now}
	if caption {
		m["caption"] = text
		m["photo"] = []map[string]any{{"file_id": "AgACAgQ", "file_unique_id": "AQAD", "width": 90, "height": 90}}
	} else {
		m["text"] = text
	}
	return s.PushUpdate(map[string]any{"edited_message": m})
}

// SendText delivers a text message from the person in chat; a leading
// "/command" is marked as a bot_command entity, as Telegram does.
func (s *Server) SendText(chat int64, text string) (Delivery, error) {
	fields := map[string]any{"text": text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		fields["entities"] = []map[string]any{{"offset": 0, "length": len(utf16.Encode([]rune(cmd))), "type": "bot_command"}}
	}
	return s.PushMessage(chat, fields)
}

// PressButton presses the button carrying data under the bot's message
// messageID in chat, delivering a callback_query. It fails if no such button
// is showing, as a removed keyboard cannot be pressed.
func (s *Server) PressButton(chat int64, messageID int, data string) (Delivery, error) {
	s.mu.Lock()
	m, ok := s.byID[chatMsg{chat, messageID}]
	found := false
	if ok {
		for _, row := range m.Buttons {
			for _, b := range row {
				found = found || b.Data == data
			}
		}
	}
	if !found {
		s.mu.Unlock()
		return Delivery{}, fmt.Errorf("telegramtest: no button %q on message %d in chat %d", data, messageID, chat)
	}
	qid := strconv.FormatInt(chat, 10) + strconv.Itoa(len(s.queries)+1)
	s.queries[qid] = false
	cq := map[string]any{"id": qid, "from": userJSON(chat), "message": messageJSON(m),
		"chat_instance": "-" + strconv.FormatInt(chat, 10), "data": data}
	s.mu.Unlock()
	return s.PushUpdate(map[string]any{"callback_query": cq})
}

// Answered reports whether the callback query of a PressButton was
// answered with answerCallbackQuery.
func (s *Server) Answered() (answered, pressed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.queries {
		pressed++
		if a {
			answered++
		}
	}
	return answered, pressed
}

// WaitConfirmed waits until a getUpdates call has confirmed updateID (asked
// for an offset past it), which a bot does only after handling it.
func (s *Server) WaitConfirmed(ctx context.Context, updateID int) error {
	for {
		s.mu.Lock()
		done := s.confirmed > updateID
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("telegramtest: waiting for update %d to be confirmed: %w", updateID, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Pending is how many updates wait for getUpdates, unconfirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

func (s *Server) getUpdates(ctx context.Context, p map[string]string) (any, *apiError) {
	offset, _ := strconv.Atoi(p["offset"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.webhook != "" {
			s.mu.Unlock()
			return nil, &apiError{code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if a := p["allowed_updates"]; a != "" {
			var allowed []string
			if json.Unmarshal([]byte(a), &allowed) == nil {
				s.allowed = allowed
			}
		}
		if offset > 0 {
			s.updates = slices.DeleteFunc(s.updates, func(u update) bool { return u.id < offset })
			s.confirmed = max(s.confirmed, offset)
		}
		var out []json.RawMessage
		for _, u := range s.updates {
			if len(out) < limit {
				out = append(out, u.raw)
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			return out, nil
		}
		select {
		case <-arrived:
		case <-deadline.C:
			return []json.RawMessage{}, nil
		case <-ctx.Done():
			return []json.RawMessage{}, nil
		}
	}
}

// loopback reports whether rawURL points at this machine.
func loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func userJSON(chat int64) map[string]any {
	return map[string]any{"id": chat, "is_bot": false, "first_name": "Test", "language_code": "en"}
}

// SetBlocked makes the person in chat block (true) or unblock the bot:
// sends to the chat then fail with 403 (or work again), and Telegram
// delivers the my_chat_member update it sends a bot for either.
func (s *Server) SetBlocked(chat int64, blocked bool) (Delivery, error) {
	old, now := "member", "kicked"
	if blocked {
		s.Block(chat)
	} else {
		s.FailChat(chat, 0)
		old, now = now, old
	}
	at := time.Now().Unix()
	botUser := map[string]any{"id": BotID, "is_bot": true, "first_name": "Linkline", "username": BotUsername}
	member := func(status string) map[string]any {
		m := map[string]any{"user": botUser, "status": status}
		if status == "kicked" {
			m["until_date"] = 0
		}
		return m
	}
	return s.PushUpdate(map[string]any{"my_chat_member": map[string]any{
		"chat": chatJSON(chat), "from": userJSON(chat), "date": at,
		"old_chat_member": member(old), "new_chat_member": member(now),
	}})
}

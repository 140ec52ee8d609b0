package telegramtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// sendMessage serves call n, a sendMessage.
func (s *Server) sendMessage(n int, p map[string]string) (any, *apiError) {
	chat, aerr := parseChat(p)
	if aerr != nil {
		return nil, aerr
	}
	text := p["text"]
	buttons, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hangNext > 0 {
		s.hangNext--
		return nil, errHang
	}
	if len(s.failNext) > 0 {
		code := s.failNext[0]
		s.failNext = s.failNext[1:]
		return nil, errorFor(code)
	}
	if code, ok := s.failChat[chat]; ok {
		return nil, errorFor(code)
	}
	if aerr := checkText(text, p["parse_mode"]); aerr != nil {
		return nil, aerr
	}
	accept := func() map[string]any {
		s.nextMsg[chat]++
		m := &Message{ChatID: chat, MessageID: s.nextMsg[chat], Text: text, ParseMode: p["parse_mode"],
			Buttons: buttons, SentAt: time.Now()}
		s.sent = append(s.sent, m)
		s.byID[chatMsg{chat, m.MessageID}] = m
		return messageJSON(m)
	}
	if kind, h := s.draw(n, chat, text); kind != "" {
		return nil, s.faultError(n, kind, h, accept)
	}
	return accept(), nil
}

func (s *Server) editMessage(method string, p map[string]string) (any, *apiError) {
	chat, aerr := parseChat(p)
	if aerr != nil {
		return nil, aerr
	}
	id, _ := strconv.Atoi(p["message_id"])
	buttons, aerr := parseMarkup(p["reply_markup"])
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if code, ok := s.failChat[chat]; ok {
		return nil, errorFor(code)
	}
	m, ok := s.byID[chatMsg{chat, id}]
	if !ok {
		return nil, badRequest("message to edit not found")
	}
	text := m.Text
	if method == "editMessageText" {
		text = p["text"]
		if aerr := checkText(text, p["parse_mode"]); aerr != nil {
			return nil, aerr
		}
	}
	// editMessageText without reply_markup removes the keyboard, as in Telegram.
	if text == m.Text && slices.EqualFunc(buttons, m.Buttons, slices.Equal) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	m.Text, m.Buttons, m.Edited = text, buttons, true
	if method == "editMessageText" {
		m.ParseMode = p["parse_mode"]
	}
	return messageJSON(m), nil
}

// parseMarkup reads an inline keyboard; other keyboards are ignored.
func parseMarkup(raw string) ([][]Button, *apiError) {
	if raw == "" {
		return nil, nil
	}
	var markup struct {
		InlineKeyboard [][]Button `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &markup); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range markup.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("text buttons are unallowed in the inline keyboard")
			}
			if len(b.Data) > 64 {
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
		}
	}
	if len(markup.InlineKeyboard) == 0 {
		return nil, nil
	}
	return markup.InlineKeyboard, nil
}

// checkText applies Telegram's rules for a message text: not empty, at most
// 4096 characters, and, under a parse mode, well-formed markup.
func checkText(text, mode string) *apiError {
	if strings.TrimSpace(text) == "" {
		return badRequest("message text is empty")
	}
	if utf8.RuneCountInString(text) > 4096 {
		return badRequest("message is too long")
	}
	switch mode {
	case "":
		return nil
	case "HTML":
		return checkHTML(text)
	case "MarkdownV2":
		return checkMarkdownV2(text)
	case "Markdown":
		return nil
	default:
		return badRequest("unsupported parse_mode")
	}
}

var htmlTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "span": true,
	"tg-spoiler": true, "blockquote": true}

// checkHTML accepts Telegram's HTML subset: known tags, properly nested, and
// & only as the start of an entity.
func checkHTML(text string) *apiError {
	var open []string
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 2 || end > 10 {
				return badRequest("can't parse entities: Unsupported start tag \"&\" at byte offset %d", i)
			}
		case '>':
			return badRequest("can't parse entities: Unexpected end tag at byte offset %d", i)
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return badRequest("can't parse entities: Unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name, _, _ := strings.Cut(strings.TrimPrefix(tag, "/"), " ")
			if !htmlTags[name] {
				return badRequest("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			if closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return badRequest("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", name)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, name)
			}
			i += end
		}
	}
	if len(open) > 0 {
		return badRequest("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return nil
}

// checkMarkdownV2 accepts text whose reserved characters are escaped, except
// the formatting marks * _ ~ ` | [ ] ( ), which must pair up.
func checkMarkdownV2(text string) *apiError {
	counts := map[rune]int{}
	escaped := false
	for i, r := range text {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case strings.ContainsRune("*_~`|[]()", r):
			counts[r]++
		case strings.ContainsRune(">#+-={}.!", r):
			return badRequest("can't parse entities: Character '%c' is reserved and must be escaped with the preceding '\\' at byte offset %d", r, i)
		}
	}
	for _, r := range "*_~`|" {
		if counts[r]%2 != 0 {
			return badRequest("can't parse entities: Can't find end of the entity starting with '%c'", r)
		}
	}
	if counts['['] != counts[']'] || counts['('] != counts[')'] {
		return badRequest("can't parse entities: Can't find end of a link entity")
	}
	return nil
}

func messageJSON(m *Message) map[string]any {
	out := map[string]any{"message_id": m.MessageID, "from": botUser(), "chat": chatJSON(m.ChatID),
		"date": m.SentAt.Unix(), "text": m.Text}
	if m.Edited {
		out["edit_date"] = time.Now().Unix()
	}
	if len(m.Buttons) > 0 {
		out["reply_markup"] = map[string]any{"inline_keyboard": m.Buttons}
	}
	return out
}

package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// maxText is the longest text one Telegram message may carry, in characters.
const maxText = 4096

// maxCallbackData is the most bytes a button's callback data may hold.
const maxCallbackData = 64

// Send delivers o to the chat o.To.ID, choices as an inline keyboard with
// one button per row whose callback data is the choice's value. Text is
// sent plain (no parse mode), so nothing a person typed can break it. Texts
// longer than Telegram allows are sent as several messages, the keyboard on
// the last.
//
// Send waits its turn under the pacing limits, giving up when ctx ends. It
// returns "<chat id>:<message id>" of the (last) message. Failures are
// *bot.SendError: 403 (the person blocked the bot) is permanent and
// unreachable, 429 carries Telegram's retry_after, other 4xx are permanent,
// and 5xx, network errors and timeouts are temporary.
//
// Sends are at least once: when Telegram sent a message but no answer came
// (a timeout), the dispatcher sends it again. A success answer is never
// followed by a second send, even when its body cannot be read: a "200 OK"
// cut off mid-body counts as sent, with an empty id.
func (b *Bot) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	return b.sendParts(ctx, o, false)
}

// Pace blocks until the bot's overall rate allows one more message, or ctx
// ends. With SendPaced it lets the dispatcher choose which message goes
// only when one may go (bot.PacedSender); the per-chat rate is still kept
// by SendPaced.
func (b *Bot) Pace(ctx context.Context) (release func(), err error) {
	if err := b.pace.waitAll(ctx); err != nil {
		return nil, err
	}
	return func() {}, nil
}

// SendPaced is Send for a send Pace has let through: its first part does
// not wait for the overall rate again.
func (b *Bot) SendPaced(ctx context.Context, o *bot.Outbound) (string, error) {
	return b.sendParts(ctx, o, true)
}

func (b *Bot) sendParts(ctx context.Context, o *bot.Outbound, paced bool) (string, error) {
	chat, err := strconv.ParseInt(o.To.ID, 10, 64)
	if err != nil || o.To.Channel != bot.Telegram {
		return "", &bot.SendError{Permanent: true, Code: "address",
			Err: fmt.Errorf("telegram: %s is not a Telegram chat id", o.To)}
	}
	markup, err := keyboard(o.Choices, o.Question)
	if err != nil {
		return "", &bot.SendError{Permanent: true, Code: "choices", Err: err}
	}
	text, mode := o.Text, ""
	if o.Format == bot.FormatHTML {
		// The template asked for Telegram's HTML and escaped every value
		// put into it. A message too long for one part is sent plain, as
		// splitting could cut a tag in two.
		if utf8.RuneCountInString(text) <= maxText {
			mode = ModeHTML
		} else {
			text = templates.Plain(text)
		}
	}
	parts := split(text, maxText)
	// A retry starts after the parts an earlier attempt got accepted.
	var id string
	for i := o.PartsSent; i < len(parts); i++ {
		msg := tgbotapi.NewMessage(chat, parts[i])
		msg.ParseMode = mode
		if i == len(parts)-1 && markup != nil {
			msg.ReplyMarkup = *markup
		}
		if id, err = b.send(ctx, chat, msg, paced && i == o.PartsSent); err != nil {
			se := bot.AsSendError(err)
			se.PartsSent = i
			return "", se
		}
	}
	return id, nil
}

// send sends one part; paced means the overall rate has been waited for.
func (b *Bot) send(ctx context.Context, chat int64, msg tgbotapi.MessageConfig, paced bool) (string, error) {
	err := b.pace.waitChat(ctx, chat)
	if err == nil && !paced {
		err = b.pace.waitAll(ctx)
	}
	if err != nil {
		return "", &bot.SendError{Code: "cancelled", Err: err}
	}
	cctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	api := b.api(cctx)
	sc := &statusClient{next: api.Client}
	api.Client = sc
	m, err := api.Send(msg)
	if err != nil {
		if _, isAPI := errors.AsType[*tgbotapi.Error](err); !isAPI && sc.status == http.StatusOK {
			// Telegram answers 200 only for a message it sent; the answer
			// was lost after its status line. Reporting a failure would send
			// the message twice. The message id is unknown.
			b.log.Warn("telegram sendMessage: answer cut off after 200 OK; counted as sent", "err", redact(err, b.cfg.Token))
			return "", nil
		}
		se := classify(redact(err, b.cfg.Token))
		if se.RetryAfter > 0 {
			b.pace.hold(chat, se.RetryAfter)
		}
		return "", se
	}
	return fmt.Sprintf("%d:%d", chat, m.MessageID), nil
}

// statusClient notes the HTTP status of the last answer, which
// telegram-bot-api does not report when it cannot read the body.
type statusClient struct {
	next   tgbotapi.HTTPClient
	status int
}

func (c *statusClient) Do(req *http.Request) (*http.Response, error) {
	res, err := c.next.Do(req)
	if err == nil {
		c.status = res.StatusCode
	}
	return res, err
}

// classify turns a Bot API failure into a SendError for the dispatcher.
func classify(err error) *bot.SendError {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return &bot.SendError{Err: fmt.Errorf("telegram sendMessage: %w", err)}
	}
	se := &bot.SendError{Code: strconv.Itoa(te.Code), Err: fmt.Errorf("telegram sendMessage: %w", err)}
	switch {
	case te.Code == 403:
		se.Permanent, se.Unreachable = true, true
	case te.Code == 429:
		se.RetryAfter = time.Duration(te.RetryAfter) * time.Second
		if se.RetryAfter <= 0 {
			se.RetryAfter = time.Second
		}
	case te.Code == 400:
		se.Permanent = true
	}
	// 401 and 404 mean a wrong token or API URL: an operator can fix that,
	// so the messages wait and are retried rather than lost.
	return se
}

// keyboard renders choices as an inline keyboard, one button per row,
// each carrying the question it answers.
func keyboard(choices []bot.Choice, question string) (*tgbotapi.InlineKeyboardMarkup, error) {
	if len(choices) == 0 {
		return nil, nil
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(choices))
	for _, c := range choices {
		if c.Value == "" || len(c.Value) > maxCallbackData {
			return nil, fmt.Errorf("telegram: choice value %q must be 1-%d bytes", c.Value, maxCallbackData)
		}
		label := c.Label
		if label == "" {
			label = c.Value
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(label, bot.ButtonData(c.Value, question, maxCallbackData))))
	}
	m := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &m, nil
}

// split cuts text into pieces of at most n characters, preferring to cut
// at a blank line, then a line end, then a space.
func split(text string, n int) []string {
	var out []string
	for utf8.RuneCountInString(text) > n {
		cut := len(string([]rune(text)[:n]))
		head := text[:cut]
		at := -1
		for _, sep := range []string{"\n\n", "\n", " "} {
			if i := strings.LastIndex(head, sep); i > cut/2 {
				at = i
				break
			}
		}
		if at < 0 {
			out = append(out, head)
			text = text[cut:]
			continue
		}
		out = append(out, strings.TrimRight(head[:at], " \n"))
		text = strings.TrimLeft(text[at:], " \n")
	}
	return append(out, text)
}

// chosenLabel finds the text of the button that carried data in markup.
func chosenLabel(markup *tgbotapi.InlineKeyboardMarkup, data string) (string, bool) {
	if markup == nil {
		return "", false
	}
	for _, row := range markup.InlineKeyboard {
		for _, btn := range row {
			if btn.CallbackData != nil && *btn.CallbackData == data {
				return btn.Text, true
			}
		}
	}
	return "", false
}

// jsonParam encodes v as one form parameter of a Bot API call.
func jsonParam(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

var _ bot.PacedSender = (*Bot)(nil)

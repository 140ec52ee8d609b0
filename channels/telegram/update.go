package telegram

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/linkline/linkline/bot"
)

// chosenMark introduces the chosen answer under a question whose buttons
// were pressed.
const chosenMark = "\n\n✓ "

var payloadRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// handleUpdate runs one update through eng. It returns nil once the update
// needs no more work: handled durably, or of a kind Linkline ignores
// (group chats, service messages). Only a non-nil error
// means the update should be delivered again.
func (b *Bot) handleUpdate(ctx context.Context, eng Engine, u *tgbotapi.Update) error {
	switch {
	case u.Message != nil:
		return b.onMessage(ctx, eng, u.UpdateID, u.Message)
	case u.CallbackQuery != nil:
		return b.onCallback(ctx, eng, u.UpdateID, u.CallbackQuery)
	case u.EditedMessage != nil:
		return b.onEdited(ctx, eng, u.UpdateID, u.EditedMessage)
	case u.MyChatMember != nil:
		return b.onMyChatMember(ctx, eng, u.UpdateID, u.MyChatMember)
	default:
		b.log.Debug("telegram: update ignored", "update_id", u.UpdateID, "kind", updateKind(u))
		return nil
	}
}

func (b *Bot) inbound(updateID int, chat *tgbotapi.Chat, date int) (bot.Inbound, bool) {
	if chat == nil || chat.Type != "private" {
		return bot.Inbound{}, false
	}
	in := bot.Inbound{
		Address: bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chat.ID, 10)},
		// update ids are per bot: the bot id keeps them apart if the token
		// changes to another bot.
		ProviderID: fmt.Sprintf("%d:%d", b.self.ID, updateID),
	}
	in.ReceivedAt = sentAt(date, time.Now())
	return in, true
}

// telegramEpoch is before any message Telegram has sent (it launched in
// August 2013).
var telegramEpoch = time.Date(2013, 8, 1, 0, 0, 0, 0, time.UTC)

// maxDateAhead is how far ahead of this machine's clock a message's date
// may be: the two clocks differ a little.
const maxDateAhead = 5 * time.Minute

// sentAt returns when Telegram says a message was sent (its Unix date), or
// the zero time, for which the engine takes the time it received the
// message, if the date is missing or cannot be right: before Telegram
// existed, or ahead of now by more than maxDateAhead. A broken or forged
// date must not become the transcript's time (the year 10000, which the
// store refuses, or one that sorts the message after every later one).
func sentAt(date int, now time.Time) time.Time {
	if date <= 0 {
		return time.Time{}
	}
	at := time.Unix(int64(date), 0).UTC()
	if at.Before(telegramEpoch) || at.After(now.Add(maxDateAhead)) {
		return time.Time{}
	}
	return at
}

// onEdited passes on a message the person edited: its new words are
// screened for risk and kept in the transcript, but they do not answer a
// question again.
func (b *Bot) onEdited(ctx context.Context, eng Engine, updateID int, m *tgbotapi.Message) error {
	in, ok := b.inbound(updateID, m.Chat, m.EditDate)
	if !ok {
		return nil
	}
	in.Text, in.Edited = m.Text, true
	if in.Text == "" {
		in.Text = m.Caption
	}
	if in.Text == "" {
		return nil
	}
	return eng.Handle(ctx, in)
}

func (b *Bot) onMessage(ctx context.Context, eng Engine, updateID int, m *tgbotapi.Message) error {
	in, ok := b.inbound(updateID, m.Chat, m.Date)
	if !ok {
		b.log.Debug("telegram: message outside a private chat ignored", "update_id", updateID)
		return nil
	}
	in.Text = m.Text
	if in.Text == "" {
		in.Text = m.Caption
	}
	in.Media, in.Album = media(m), m.MediaGroupID
	if in.Text == "" && len(in.Media) == 0 {
		if serviceMessage(m) {
			b.log.Debug("telegram: service message ignored", "update_id", updateID)
			return nil
		}
		// Content newer than the Bot API library (a shared story, a
		// giveaway...): kept, so a link worker sees something arrived,
		// and answered as media are.
		in.Media = []string{"unsupported"}
	}
	payload, ok := startCommand(in.Text, b.self.UserName)
	if !ok {
		return eng.Handle(ctx, in)
	}
	in.Text = "/start"
	if payload == "" {
		return eng.Handle(ctx, in)
	}
	if !payloadRE.MatchString(payload) {
		b.log.Info("telegram: malformed deep link handled as /start", "update_id", updateID)
		return eng.Handle(ctx, in)
	}
	err := eng.Enrol(ctx, payload, in)
	switch bot.ErrorCode(err) {
	case "":
		return nil
	case bot.EInvalid, bot.ENotFound, bot.EConflict:
		b.log.Info("telegram: deep link not redeemed, handled as /start", "update_id", updateID, "code", bot.ErrorCode(err))
		return eng.Handle(ctx, in)
	default:
		return err
	}
}

// startCommand reports whether text is "/start" (or "/start@<bot>") and
// returns what follows it.
func startCommand(text, username string) (payload string, ok bool) {
	text = strings.TrimSpace(text)
	cmd, rest, _ := strings.Cut(text, " ")
	cmd, at, hasAt := strings.Cut(cmd, "@")
	if !strings.EqualFold(cmd, "/start") || (hasAt && !strings.EqualFold(at, username)) {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// media lists what a message carries besides text, as "kind:file_id", or
// just the kind for things that have no file (locations, shared contacts:
// their details are personal and are not kept).
func media(m *tgbotapi.Message) []string {
	var out []string
	file := func(kind, id string) { out = append(out, kind+":"+id) }
	switch {
	case m.Sticker != nil:
		file("sticker", m.Sticker.FileID)
	case len(m.Photo) > 0:
		file("photo", m.Photo[len(m.Photo)-1].FileID) // the largest size is last
	case m.Voice != nil:
		file("voice", m.Voice.FileID)
	case m.Audio != nil:
		file("audio", m.Audio.FileID)
	case m.VideoNote != nil:
		file("video_note", m.VideoNote.FileID)
	case m.Video != nil:
		file("video", m.Video.FileID)
	case m.Animation != nil:
		file("animation", m.Animation.FileID)
	case m.Document != nil:
		file("document", m.Document.FileID)
	case m.Location != nil || m.Venue != nil:
		out = append(out, "location")
	case m.Contact != nil:
		out = append(out, "contact")
	case m.Dice != nil:
		out = append(out, "dice")
	case m.Poll != nil:
		out = append(out, "poll")
	}
	return out
}

// onMyChatMember handles the person blocking ("kicked") or unblocking
// ("member") the bot in their private chat.
func (b *Bot) onMyChatMember(ctx context.Context, eng Engine, updateID int, m *tgbotapi.ChatMemberUpdated) error {
	if m.Chat.Type != "private" {
		return nil
	}
	a := bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(m.Chat.ID, 10)}
	switch m.NewChatMember.Status {
	case "kicked":
		b.log.Info("telegram: bot blocked", "update_id", updateID)
		return eng.SetReachable(ctx, a, false, "blocked")
	case "member":
		b.log.Info("telegram: bot unblocked", "update_id", updateID)
		return eng.SetReachable(ctx, a, true, "unblocked")
	}
	return nil
}

// serviceMessage reports whether m is one of the service messages the
// library knows (a pinned message, an auto-delete timer, ...): nothing the
// person wrote.
func serviceMessage(m *tgbotapi.Message) bool {
	return len(m.NewChatMembers) > 0 || m.LeftChatMember != nil || m.NewChatTitle != "" ||
		len(m.NewChatPhoto) > 0 || m.DeleteChatPhoto || m.GroupChatCreated || m.SuperGroupChatCreated ||
		m.ChannelChatCreated || m.MessageAutoDeleteTimerChanged != nil || m.MigrateToChatID != 0 ||
		m.MigrateFromChatID != 0 || m.PinnedMessage != nil || m.Invoice != nil || m.SuccessfulPayment != nil ||
		m.ConnectedWebsite != "" || m.PassportData != nil || m.ProximityAlertTriggered != nil ||
		m.VoiceChatScheduled != nil || m.VoiceChatStarted != nil || m.VoiceChatEnded != nil ||
		m.VoiceChatParticipantsInvited != nil
}

// onCallback handles a button press: it stops the button's spinner, marks
// the question with the chosen answer and removes its buttons, then hands
// the choice to the engine. The Bot API calls are best effort: a person's
// answer counts even if the question cannot be edited.
func (b *Bot) onCallback(ctx context.Context, eng Engine, updateID int, cq *tgbotapi.CallbackQuery) error {
	if _, err := b.call(ctx, "answerCallbackQuery", tgbotapi.Params{"callback_query_id": cq.ID}); err != nil {
		b.log.Debug("telegram: answer callback query", "update_id", updateID, "err", err)
	}
	if cq.Message == nil {
		return nil // a button on an inline message: Linkline sends none
	}
	in, ok := b.inbound(updateID, cq.Message.Chat, 0)
	if !ok || cq.Data == "" {
		return nil
	}
	label, found := chosenLabel(cq.Message.ReplyMarkup, cq.Data)
	if !found {
		label = cq.Data
	}
	b.markChosen(ctx, updateID, cq.Message, label)
	in.Text = label
	in.Choice, in.Question = bot.ParseButtonData(cq.Data)
	if !found && in.Question != "" {
		in.Text = in.Choice
	}
	return eng.Handle(ctx, in)
}

// markChosen edits the question to show the chosen answer and no buttons.
func (b *Bot) markChosen(ctx context.Context, updateID int, m *tgbotapi.Message, label string) {
	params := tgbotapi.Params{"chat_id": strconv.FormatInt(m.Chat.ID, 10), "message_id": strconv.Itoa(m.MessageID)}
	method := "editMessageText"
	if text := m.Text + chosenMark + label; m.Text != "" && utf8.RuneCountInString(text) <= maxText {
		params["text"] = text // no reply_markup: the keyboard goes
	} else {
		method = "editMessageReplyMarkup"
		params["reply_markup"] = jsonParam(tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	}
	if _, err := b.call(ctx, method, params); err != nil {
		b.log.Debug("telegram: mark chosen answer", "update_id", updateID, "err", err)
	}
}

func updateKind(u *tgbotapi.Update) string {
	switch {
	case u.EditedMessage != nil:
		return "edited_message"
	case u.ChannelPost != nil, u.EditedChannelPost != nil:
		return "channel_post"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.InlineQuery != nil:
		return "inline_query"
	default:
		return "other"
	}
}

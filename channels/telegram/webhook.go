package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/linkline/linkline/bot"
)

// maxBody is the largest webhook body read; Telegram's updates are a few
// kilobytes.
const maxBody = 1 << 20

// allowedUpdates are the update kinds Linkline asks Telegram for.
// Edited messages are asked for so that their new words are screened for
// risk; my_chat_member so that a person blocking or unblocking the bot is
// known at once.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member"}

// SetWebhook tells Telegram to post updates to Config.WebhookURL with the
// secret token, and only the kinds of update Linkline reads. Call it on
// start in webhook mode; it replaces any earlier webhook.
func (b *Bot) SetWebhook(ctx context.Context) error {
	if b.cfg.WebhookURL == "" {
		return errors.New("telegram: no webhook URL configured")
	}
	_, err := b.call(ctx, "setWebhook", tgbotapi.Params{
		"url":             b.cfg.WebhookURL,
		"secret_token":    b.cfg.Secret,
		"allowed_updates": jsonParam(allowedUpdates),
	})
	return err
}

// Webhook returns the handler for POST WebhookPath. A request is read only
// if it carries the configured secret token (else 401); the body must be at
// most 1 MiB (else 413) of JSON (else 400). The handler answers 200 only
// once the update is durably handled or deliberately ignored, and 500 when
// the engine failed (429 when too many updates from one chat are already
// waiting, bot.ErrBusy), so that Telegram delivers the update again.
func (b *Bot) Webhook(eng Engine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get(SecretHeader))
		if b.cfg.Secret == "" || subtle.ConstantTimeCompare(got, []byte(b.cfg.Secret)) != 1 {
			b.cfg.Refusals.Note("telegram", "secret_token")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				b.cfg.Refusals.Note("telegram", "too_large")
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read request", http.StatusBadRequest)
			return
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(body, &u); err != nil {
			b.log.Warn("telegram webhook: malformed update", "err", err)
			http.Error(w, "malformed update", http.StatusBadRequest)
			return
		}
		if err := b.handleUpdate(r.Context(), eng, &u); err != nil {
			if bot.ErrorCode(err) == bot.EInvalid {
				// Delivering it again cannot help.
				b.log.Warn("telegram webhook: update refused", "update_id", u.UpdateID, "err", err)
				w.WriteHeader(http.StatusOK)
				return
			}
			if bot.ErrorCode(err) == bot.EBusy {
				// Too many from one chat are waiting: Telegram delivers
				// the update again later.
				b.log.Warn("telegram webhook: chat busy, update to be delivered again", "update_id", u.UpdateID)
				w.Header().Set("Retry-After", "1")
				http.Error(w, "too many updates from this chat at once", http.StatusTooManyRequests)
				return
			}
			b.log.Error("telegram webhook: handle update", "update_id", u.UpdateID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

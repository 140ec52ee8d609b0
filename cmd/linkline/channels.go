package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/twilio"
)

// channelConfig is the providers' settings. A channel is on when its
// credentials are set.
type channelConfig struct {
	TwilioSID, TwilioToken, TwilioFrom, TwilioService, TwilioAPI string
	TwilioRate                                                   float64

	TelegramToken, TelegramAPI, TelegramSecret string
	AlertChat                                  string
}

func (cc *channelConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&cc.TwilioSID, "twilio-account-sid", env("TWILIO_ACCOUNT_SID", ""), "Twilio account SID; SMS is off without it (TWILIO_ACCOUNT_SID)")
	fs.StringVar(&cc.TwilioToken, "twilio-auth-token", env("TWILIO_AUTH_TOKEN", ""), "Twilio auth token (TWILIO_AUTH_TOKEN)")
	fs.StringVar(&cc.TwilioFrom, "twilio-from", env("TWILIO_FROM_NUMBER", ""), "the number SMS is sent from (TWILIO_FROM_NUMBER)")
	fs.StringVar(&cc.TwilioService, "twilio-messaging-service", env("TWILIO_MESSAGING_SERVICE_SID", ""), "Messaging Service SID to send through instead of a number (TWILIO_MESSAGING_SERVICE_SID)")
	fs.StringVar(&cc.TwilioAPI, "twilio-api-url", env("TWILIO_API_URL", twilio.DefaultAPIURL), "Twilio REST base URL (TWILIO_API_URL)")
	rate, _ := strconv.ParseFloat(env("TWILIO_RATE", "1"), 64)
	fs.Float64Var(&cc.TwilioRate, "twilio-rate", rate, "SMS per second from the sending number (TWILIO_RATE)")
	fs.StringVar(&cc.TelegramToken, "telegram-token", env("TELEGRAM_BOT_TOKEN", ""), "Telegram bot token; Telegram is off without it (TELEGRAM_BOT_TOKEN)")
	fs.StringVar(&cc.TelegramAPI, "telegram-api-url", env("TELEGRAM_API_URL", telegram.DefaultAPIURL), "Bot API base URL (TELEGRAM_API_URL)")
	fs.StringVar(&cc.TelegramSecret, "telegram-webhook-secret", env("TELEGRAM_WEBHOOK_SECRET", ""), "secret Telegram sends back on webhooks; without it Linkline polls (TELEGRAM_WEBHOOK_SECRET)")
	fs.StringVar(&cc.AlertChat, "alert-telegram-chat", env("LINKLINE_ALERT_TELEGRAM_CHAT", ""), "Telegram chat id of the link workers' group that gets alerts (LINKLINE_ALERT_TELEGRAM_CHAT)")
}

// channelSet is the channels a server runs.
type channelSet struct {
	senders  map[bot.Channel]bot.Sender
	twilio   *twilio.Config
	telegram *telegram.Bot
	notifier bot.Notifier
	// refusals counts requests refused at the door, for /metrics.
	refusals *bot.Refusals
}

// build connects to the configured providers (Telegram's getMe checks the
// token) and returns their senders.
func (cc *channelConfig) build(ctx context.Context, publicURL string, log *slog.Logger) (*channelSet, error) {
	cs := &channelSet{senders: map[bot.Channel]bot.Sender{}, notifier: logNotifier{log}, refusals: bot.NewRefusals(log, nil, 0)}
	if cc.TwilioSID != "" {
		if cc.TwilioToken == "" || (cc.TwilioFrom == "" && cc.TwilioService == "") {
			return nil, errors.New("SMS: set TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)")
		}
		if publicURL == "" {
			return nil, errors.New("SMS: set LINKLINE_PUBLIC_URL, the URL Twilio reaches this server on: webhook signatures are checked against it")
		}
		tc := twilio.Config{AccountSID: cc.TwilioSID, AuthToken: cc.TwilioToken, From: cc.TwilioFrom,
			MessagingServiceSID: cc.TwilioService, APIURL: cc.TwilioAPI, PublicURL: publicURL, Rate: cc.TwilioRate,
			Refusals: cs.refusals}
		s, err := twilio.NewSender(tc)
		if err != nil {
			return nil, fmt.Errorf("SMS: %w", err)
		}
		cs.senders[bot.SMS], cs.twilio = s, &tc
		log.Info("SMS on", "api", cc.TwilioAPI, "rate", cc.TwilioRate)
	}
	if cc.TelegramToken != "" {
		tc := telegram.Config{Token: cc.TelegramToken, APIURL: cc.TelegramAPI, Secret: cc.TelegramSecret, Log: log, Refusals: cs.refusals}
		if publicURL != "" && cc.TelegramSecret != "" {
			tc.WebhookURL = strings.TrimRight(publicURL, "/") + telegram.WebhookPath
		}
		b, err := telegram.New(ctx, tc)
		if err != nil {
			return nil, fmt.Errorf("telegram: %w", err)
		}
		cs.senders[bot.Telegram], cs.telegram = b, b
		log.Info("Telegram on", "bot", b.Username(), "webhook", tc.WebhookURL != "")
		if cc.AlertChat != "" {
			id, err := strconv.ParseInt(cc.AlertChat, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("LINKLINE_ALERT_TELEGRAM_CHAT %q: want a chat id such as -1001234567890", cc.AlertChat)
			}
			cs.notifier = b.Notifier(id, publicURL)
		}
	} else if cc.AlertChat != "" {
		return nil, errors.New("LINKLINE_ALERT_TELEGRAM_CHAT needs TELEGRAM_BOT_TOKEN")
	}
	return cs, nil
}

// start mounts webhooks on mux and returns the background loops (Telegram
// polling) to run. It registers the Telegram webhook with Telegram.
func (cs *channelSet) start(ctx context.Context, mux *http.ServeMux, a *app, log *slog.Logger) ([]func(context.Context) error, error) {
	var loops []func(context.Context) error
	if cs.twilio != nil {
		mux.Handle("/webhooks/twilio/", twilio.NewHandler(*cs.twilio, a.engine, log))
	}
	if b := cs.telegram; b != nil {
		if b.WebhookMode() {
			if err := b.SetWebhook(ctx); err != nil {
				return nil, fmt.Errorf("telegram: set webhook: %w", err)
			}
			mux.Handle("POST "+telegram.WebhookPath, b.Webhook(a.engine))
		} else {
			p := telegram.NewPoller(b, a.engine, storeOffsets{a.store})
			loops = append(loops, p.Run)
		}
	}
	return loops, nil
}

// storeOffsets keeps Telegram's polling offset in the database.
type storeOffsets struct{ s bot.Store }

func (o storeOffsets) Offset(ctx context.Context, key string) (int64, error) {
	var v string
	err := o.s.View(ctx, func(tx bot.Tx) error {
		var err error
		v, err = tx.Setting(key)
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func (o storeOffsets) SetOffset(ctx context.Context, key string, offset int64) error {
	return o.s.Update(ctx, func(tx bot.Tx) error { return tx.PutSetting(key, strconv.FormatInt(offset, 10)) })
}

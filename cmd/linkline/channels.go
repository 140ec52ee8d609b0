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
	"github.com/linkline/linkline/bot/metrics"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/twilio"
)

// channelConfig is the providers' settings. A channel is on when its
// credentials are set.
type channelConfig struct {
	TwilioSID, TwilioToken, TwilioFrom, TwilioService, TwilioAPI string
	TwilioRate                                                   float64
	// WhatsAppFrom turns WhatsApp on; WhatsAppTemplates is
	// "kind=HX...,kind=HX..." (see parseTemplates).
	WhatsAppFrom, WhatsAppTemplates string
	WhatsAppRate                    float64
	WhatsAppService                 bool
	// TwilioContent is the Content API's base URL; WhatsAppButtons sends
	// choices as buttons or lists (made through it at start-up).
	TwilioContent   string
	WhatsAppButtons bool

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
	fs.StringVar(&cc.WhatsAppFrom, "twilio-whatsapp-from", env("TWILIO_WHATSAPP_FROM", ""), "the WhatsApp sender registered on the Twilio account (E.164); WhatsApp is off without it (TWILIO_WHATSAPP_FROM)")
	fs.BoolVar(&cc.WhatsAppService, "twilio-whatsapp-service", env("TWILIO_WHATSAPP_SERVICE", "") == "1", "send WhatsApp through the Messaging Service (which holds the WhatsApp sender) instead of TWILIO_WHATSAPP_FROM (TWILIO_WHATSAPP_SERVICE=1)")
	fs.StringVar(&cc.WhatsAppTemplates, "twilio-whatsapp-templates", env("TWILIO_WHATSAPP_TEMPLATES", ""), "approved WhatsApp templates sent outside the 24-hour window, kind=ContentSid,...; kinds: reply, worker, checkin, remind, expire, handoff, safety, * (TWILIO_WHATSAPP_TEMPLATES)")
	fs.StringVar(&cc.TwilioContent, "twilio-content-url", env("TWILIO_CONTENT_URL", ""), "Twilio Content API base URL; default https://content.twilio.com, or TWILIO_API_URL when that is not Twilio's (TWILIO_CONTENT_URL)")
	fs.BoolVar(&cc.WhatsAppButtons, "twilio-whatsapp-buttons", env("TWILIO_WHATSAPP_BUTTONS", "1") != "0", "send WhatsApp choices as quick-reply buttons or a list, made through the Content API at start-up; 0: numbered lines to type (TWILIO_WHATSAPP_BUTTONS)")
	waRate, _ := strconv.ParseFloat(env("TWILIO_WHATSAPP_RATE", "80"), 64)
	fs.Float64Var(&cc.WhatsAppRate, "twilio-whatsapp-rate", waRate, "WhatsApp messages per second from the sender (TWILIO_WHATSAPP_RATE)")
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
	// notices are set-up problems the console shows link workers.
	notices []string
	// refusals counts requests refused at the door, for /metrics.
	refusals *metrics.Refusals
}

// build connects to the configured providers (Telegram's getMe checks the
// token) and returns their senders.
func (cc *channelConfig) build(ctx context.Context, publicURL string, log *slog.Logger) (*channelSet, error) {
	cs := &channelSet{senders: map[bot.Channel]bot.Sender{}, notifier: logNotifier{log}, refusals: metrics.NewRefusals(log, nil, 0)}
	if cc.TwilioSID != "" {
		if cc.TwilioToken == "" || (cc.TwilioFrom == "" && cc.TwilioService == "") {
			return nil, errors.New("SMS: set TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)")
		}
		if publicURL == "" {
			return nil, errors.New("SMS: set LINKLINE_PUBLIC_URL, the URL Twilio reaches this server on: webhook signatures are checked against it")
		}
		tc := twilio.Config{AccountSID: cc.TwilioSID, AuthToken: cc.TwilioToken, From: cc.TwilioFrom,
			MessagingServiceSID: cc.TwilioService, APIURL: cc.TwilioAPI, ContentURL: cc.TwilioContent, PublicURL: publicURL, Rate: cc.TwilioRate,
			Refusals: cs.refusals}
		s, err := twilio.NewSender(tc)
		if err != nil {
			return nil, fmt.Errorf("SMS: %w", err)
		}
		cs.senders[bot.SMS], cs.twilio = s, &tc
		log.Info("SMS on", "api", cc.TwilioAPI, "rate", cc.TwilioRate)
		if err := cc.buildWhatsApp(ctx, cs, tc, log); err != nil {
			return nil, err
		}
	} else if cc.WhatsAppFrom != "" || cc.WhatsAppService {
		return nil, errors.New("WhatsApp goes through Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN too")
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

// whatsAppKinds are the kinds of message Linkline may send on WhatsApp
// outside the 24-hour window, which need an approved template each.
var whatsAppKinds = []string{bot.OutWorker, string(bot.TimerCheckin), string(bot.TimerRemind),
	string(bot.TimerExpire), string(bot.TimerHandoff), string(bot.TimerSafety), bot.OutReply}

// buildWhatsApp adds the WhatsApp sender when it is configured, and says
// at start-up which kinds of message have no template.
func (cc *channelConfig) buildWhatsApp(ctx context.Context, cs *channelSet, tc twilio.Config, log *slog.Logger) error {
	if cc.WhatsAppFrom == "" && !cc.WhatsAppService {
		return nil
	}
	if cc.WhatsAppService && cc.TwilioService == "" {
		return errors.New("WhatsApp: TWILIO_WHATSAPP_SERVICE=1 needs TWILIO_MESSAGING_SERVICE_SID")
	}
	tmpl, err := parseTemplates(cc.WhatsAppTemplates)
	if err != nil {
		return fmt.Errorf("TWILIO_WHATSAPP_TEMPLATES: %w", err)
	}
	tc.WhatsAppFrom, tc.WhatsAppRate, tc.Templates = cc.WhatsAppFrom, cc.WhatsAppRate, tmpl
	if cc.WhatsAppService {
		tc.WhatsAppFrom = ""
	}
	s, err := twilio.NewWhatsAppSender(tc)
	if err != nil {
		return fmt.Errorf("WhatsApp: %w", err)
	}
	cs.senders[bot.WhatsApp] = s
	log.Info("WhatsApp on", "rate", cc.WhatsAppRate, "templates", len(tmpl))
	if missing := tc.MissingTemplates(whatsAppKinds...); len(missing) > 0 {
		cs.notices = append(cs.notices, "WhatsApp: no approved template is set up for these messages: "+
			strings.Join(missing, ", ")+". If one is sent more than 24 hours after the person last wrote, it will fail; ask your administrator to set TWILIO_WHATSAPP_TEMPLATES.")
		log.Warn("WhatsApp: no approved template for these kinds of message; sent more than 24 hours after the person last wrote they will fail (set TWILIO_WHATSAPP_TEMPLATES)",
			"kinds", strings.Join(missing, ","))
	}
	if !cc.WhatsAppButtons {
		return nil
	}
	if err := s.SetUpChoices(ctx); err != nil {
		// Choices still work, typed: start anyway, and say so.
		cs.notices = append(cs.notices, "WhatsApp: choices are sent as numbered lines to type, not buttons: the buttons could not be set up at Twilio.")
		log.Warn("WhatsApp: choices go as numbered lines: the button content could not be set up through Twilio's Content API", "err", err)
		return nil
	}
	log.Info("WhatsApp: choices go as buttons or a list")
	return nil
}

// parseTemplates reads "kind=HX...,kind=HX..." into templates by kind.
func parseTemplates(s string) (map[string]twilio.Template, error) {
	out := map[string]twilio.Template{}
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		kind, sid, ok := strings.Cut(part, "=")
		kind, sid = strings.TrimSpace(kind), strings.TrimSpace(sid)
		if !ok || kind == "" || sid == "" {
			return nil, fmt.Errorf("%q: want kind=ContentSid, e.g. worker=HX0123…", part)
		}
		out[kind] = twilio.Template{ContentSID: sid}
	}
	return out, nil
}

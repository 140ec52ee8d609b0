// Package telegram is Linkline's Telegram channel. It receives updates
// either through a webhook (POST /webhooks/telegram, authenticated by the
// secret token Telegram echoes in X-Telegram-Bot-Api-Secret-Token) or by
// long polling getUpdates, hands each message or button press to the engine,
// and sends the outbox through the Bot API with choices as inline keyboards,
// paced per chat and overall.
//
// Nothing in this package reads the environment; cmd/linkline builds a
// Config. Tests point APIURL at telegramtest, the in-process fake Bot API.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
)

// WebhookPath is where Telegram posts updates, relative to the public URL.
const WebhookPath = "/webhooks/telegram"

// DefaultAPIURL is the Bot API base URL used when Config.APIURL is empty.
const DefaultAPIURL = "https://api.telegram.org"

// SecretHeader carries the webhook secret token on every webhook request.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// DefaultRate is a bot's messages per second over all chats unless its
// Config says otherwise: Telegram throttles bots that go faster.
const DefaultRate = 30

// Config is what the Telegram channel is built from.
type Config struct {
	// Token is the bot token BotFather issued ("123456:ABC-...").
	Token string
	// APIURL is the Bot API base URL; DefaultAPIURL when empty.
	APIURL string
	// WebhookURL is the full URL Telegram posts updates to, normally
	// LINKLINE_PUBLIC_URL + WebhookPath. Empty means long polling.
	WebhookURL string
	// Secret is the webhook secret token (1-256 of A-Z a-z 0-9 _ -). It is
	// required in webhook mode: without it every webhook request is refused.
	Secret string
	// HTTPClient carries Bot API requests; http.DefaultClient when nil.
	// Deadlines come from the contexts passed in, so it needs no Timeout.
	HTTPClient *http.Client
	// Log receives operational events; never message text. Optional.
	Log *slog.Logger
	// Refusals counts webhook requests refused at the door and logs them
	// aggregated; nil: a count of the bot's own, logged to Log.
	Refusals *metrics.Refusals

	// Rate is messages per second over all chats (default DefaultRate); ChatRate is
	// messages per second to one chat (default 1). Telegram throttles bots
	// that go faster.
	Rate, ChatRate float64
	// Timeout bounds one Bot API call other than a long poll; default 10s.
	Timeout time.Duration
	// PollTimeout is how long one getUpdates call waits for news; default
	// 50s. Tests use a second or less.
	PollTimeout time.Duration
	// Backoff is the first wait after a failed poll; it doubles up to 30s.
	// Default 1s.
	Backoff time.Duration
}

func (c Config) apiURL() string {
	if c.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(c.APIURL, "/")
}

// Engine is the part of *engine.Engine the channel needs: every method is
// required, none discovered by type assertion.
type Engine interface {
	// Handle runs one inbound message; when it returns nil the message is
	// durable. A repeated ProviderID returns nil without doing anything.
	Handle(ctx context.Context, in bot.Inbound) error
	// Enrol redeems a deep-link enrolment token ("/start <token>"): it
	// ties in.Address to the contact token was issued for and handles in
	// (Text "/start") as that contact's message, in one transaction:
	// durable when it returns nil, and a repeated in.ProviderID returns nil
	// without doing anything. An unknown, used or expired token is an error
	// with code bot.EInvalid, bot.ENotFound or bot.EConflict; the channel
	// then handles the message as a plain "/start".
	Enrol(ctx context.Context, token string, in bot.Inbound) error
	// SetReachable records whether a chat reaches its person: a person
	// blocking the bot marks the chat unreachable at once, and unblocking
	// clears it.
	SetReachable(ctx context.Context, a bot.Address, ok bool, why string) error
}

// OffsetStore keeps the long-polling offset: the id of the first update not
// yet durably handled. The store implements it; keys are per bot, so a new
// token does not inherit an old bot's offset.
type OffsetStore interface {
	// Offset returns the offset saved under key, or 0 when none is.
	Offset(ctx context.Context, key string) (int64, error)
	// SetOffset saves offset under key durably.
	SetOffset(ctx context.Context, key string, offset int64) error
}

// Bot is one Telegram bot: its identity, its Bot API client and its pacing.
// It is the channel's Sender; Webhook and NewPoller bring updates in.
// A Bot is safe for concurrent use.
type Bot struct {
	cfg  Config
	http *http.Client
	log  *slog.Logger
	self tgbotapi.User
	base *tgbotapi.BotAPI // a template: each call uses a copy bound to its context
	pace *pacer
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// New checks cfg and asks the Bot API who the bot is (getMe), so a wrong
// token or an unreachable API fails here rather than at the first message.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token")
	}
	if cfg.WebhookURL != "" {
		if !secretRE.MatchString(cfg.Secret) {
			return nil, errors.New("telegram: webhook mode needs a secret token of 1-256 characters A-Z a-z 0-9 _ -")
		}
		if u, err := url.Parse(cfg.WebhookURL); err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("telegram: webhook URL %q is not an absolute URL", cfg.WebhookURL)
		}
	}
	if cfg.Refusals == nil {
		cfg.Refusals = metrics.NewRefusals(cfg.Log, nil, 0)
	}
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.ChatRate <= 0 {
		cfg.ChatRate = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 50 * time.Second
	}
	b := &Bot{cfg: cfg, http: cfg.HTTPClient, log: cfg.Log, pace: newPacer(cfg.Rate, cfg.ChatRate)}
	if b.http == nil {
		b.http = http.DefaultClient
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	cctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.apiURL()+"/bot%s/%s", ctxClient{cctx, b.http})
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", redact(err, cfg.Token))
	}
	b.base, b.self = api, api.Self
	return b, nil
}

// Username is the bot's @username, without the @.
func (b *Bot) Username() string { return b.self.UserName }

// ID is the bot's Telegram user id.
func (b *Bot) ID() int64 { return b.self.ID }

// DeepLink returns the t.me link that opens a chat with the bot and sends
// "/start <token>". Tokens are at most 64 characters of A-Z a-z 0-9 _ -.
func (b *Bot) DeepLink(token string) string {
	return "https://t.me/" + b.self.UserName + "?start=" + url.QueryEscape(token)
}

// api returns a Bot API client whose requests carry ctx.
func (b *Bot) api(ctx context.Context) *tgbotapi.BotAPI {
	a := *b.base
	a.Client = ctxClient{ctx, b.http}
	return &a
}

// call runs one Bot API method with params, bounded by the configured
// timeout.
func (b *Bot) call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	resp, err := b.api(ctx).MakeRequest(method, params)
	if err != nil {
		return resp, fmt.Errorf("telegram %s: %w", method, redact(err, b.cfg.Token))
	}
	return resp, nil
}

// ctxClient makes tgbotapi's context-free requests carry a context.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

// redact keeps the bot token (which is in every request URL) out of error
// text, which is logged and stored.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redacted{err: err, msg: strings.ReplaceAll(err.Error(), token, "<token>")}
}

type redacted struct {
	err error
	msg string
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// WebhookMode reports whether updates come by webhook (Config.WebhookURL
// set) rather than by polling.
func (b *Bot) WebhookMode() bool { return b.cfg.WebhookURL != "" }

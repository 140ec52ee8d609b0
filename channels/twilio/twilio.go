// Package twilio is Linkline's SMS channel: it receives Twilio's signed
// inbound-message and status webhooks, hands each message to the engine, and
// sends the outbox through Twilio's Messages API with twilio-go, paced per
// sending number.
//
// Nothing in this package reads the environment; cmd/linkline builds a
// Config. Tests point APIURL at twiliotest, the in-process fake of Twilio.
package twilio

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
)

// Webhook paths, relative to Config.PublicURL. Twilio must be configured to
// POST to PublicURL + SMSPath for incoming messages; the Sender asks Twilio to
// report delivery to PublicURL + StatusPath.
const (
	SMSPath    = "/webhooks/twilio/sms"
	StatusPath = "/webhooks/twilio/status"
)

// DefaultAPIURL is Twilio's REST base URL, used when Config.APIURL is empty.
const DefaultAPIURL = "https://api.twilio.com"

// Config is what the SMS channel is built from.
type Config struct {
	// AccountSID ("AC" + 32 hex digits) and AuthToken (32 hex digits) are the
	// account's credentials; the token also signs webhooks.
	AccountSID string
	AuthToken  string
	// From is the sending number (E.164). MessagingServiceSID ("MG...") is
	// used instead when set.
	From                string
	MessagingServiceSID string
	// APIURL is the REST base URL; DefaultAPIURL when empty. Tests and
	// Twilio-compatible gateways set it.
	APIURL string
	// ContentURL is the Content API's base URL (WhatsApp buttons and
	// lists). When empty it is DefaultContentURL, or APIURL when that is
	// not Twilio's: a gateway or fake that stands in for the REST API
	// stands in for the Content API too, and nothing reaches Twilio.
	ContentURL string
	// PublicURL is the URL Twilio reaches this server on, e.g.
	// "https://linkline.example.org". Webhook signatures are checked against
	// PublicURL + path, and status callbacks are requested to PublicURL +
	// StatusPath. Without it every webhook is refused.
	PublicURL string
	// Rate is messages per second per sending number; default 1 (a UK long
	// code). A Messaging Service with several numbers may allow more.
	Rate float64
	// Timeout bounds one request to the REST API; default 10s. A send that
	// times out is reported as temporary and retried by the dispatcher.
	Timeout time.Duration
	// HTTPClient is used for REST calls; its Transport (default
	// http.DefaultTransport) carries the requests. Optional.
	HTTPClient *http.Client
	// Refusals counts refused webhooks and logs them aggregated; nil: a
	// count of the handler's own, logged to its logger.
	Refusals *metrics.Refusals

	// WhatsAppFrom is the WhatsApp sender registered for the account
	// (E.164, with or without the "whatsapp:" prefix). WhatsApp is on when
	// it is set (or MessagingServiceSID is, with a WhatsApp sender in the
	// service) and NewWhatsAppSender is used.
	WhatsAppFrom string
	// WhatsAppRate is WhatsApp messages per second from the sender;
	// default 80, Twilio's default WhatsApp throughput.
	WhatsAppRate float64
	// Templates maps an outbound message's Kind (bot.OutReply,
	// bot.OutWorker, "checkin", "remind", ...) to the approved WhatsApp
	// template sent in its place outside the 24-hour window. Kind "*" is
	// used for kinds not listed.
	Templates map[string]Template
	// Clock tells the WhatsApp sender the time, to judge the 24-hour
	// window; default the system clock.
	Clock bot.Clock
}

// Template is an approved WhatsApp template in Twilio's Content API. It
// must take the message's words as its one variable, {{1}}.
type Template struct {
	// ContentSID is the template's Content SID ("HX" + 32 hex digits).
	ContentSID string
}

// Engine is the part of *engine.Engine the webhooks need.
type Engine interface {
	// Handle runs one inbound message; when it returns nil the message is
	// durable. A repeated ProviderID returns nil without doing anything.
	Handle(ctx context.Context, in bot.Inbound) error
	// RecordStatus records a delivery report against the outbound message
	// sent as providerID; an unknown id is a bot.ENotFound error.
	RecordStatus(ctx context.Context, providerID string, status bot.OutStatus, errorCode string) error
}

func (c Config) publicURL() string { return strings.TrimRight(c.PublicURL, "/") }

func (c Config) apiURL() string {
	if c.APIURL == "" {
		return DefaultAPIURL
	}
	return strings.TrimRight(c.APIURL, "/")
}

func (c Config) contentURL() string {
	if c.ContentURL == "" {
		if c.APIURL != "" && c.apiURL() != DefaultAPIURL {
			return c.apiURL()
		}
		return DefaultContentURL
	}
	return strings.TrimRight(c.ContentURL, "/")
}

func (c Config) rate() float64 {
	if c.Rate <= 0 {
		return 1
	}
	return c.Rate
}

func (c Config) whatsAppRate() float64 {
	if c.WhatsAppRate <= 0 {
		return 80
	}
	return c.WhatsAppRate
}

func (c Config) now() time.Time {
	if c.Clock == nil {
		return time.Now()
	}
	return c.Clock.Now()
}

// template returns the template configured for kind, or for "*".
func (c Config) template(kind string) (Template, bool) {
	if t, ok := c.Templates[kind]; ok && t.ContentSID != "" {
		return t, true
	}
	t, ok := c.Templates["*"]
	return t, ok && t.ContentSID != ""
}

// MissingTemplates lists the kinds of message that have no WhatsApp
// template configured, of those given: sent outside the 24-hour window
// they would fail. cmd/linkline says so at start-up.
func (c Config) MissingTemplates(kinds ...string) []string {
	var out []string
	for _, k := range kinds {
		if _, ok := c.template(k); !ok {
			out = append(out, k)
		}
	}
	return out
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return 10 * time.Second
	}
	return c.Timeout
}

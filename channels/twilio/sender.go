package twilio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// Sender sends outbound SMS through Twilio's Messages API. It implements
// bot.Sender: it renders the message, waits for its turn under the
// per-number rate, makes one API call and classifies any failure. Retries,
// backoff and the record of what was sent are the dispatcher's.
//
// Sends are at least once: when Twilio accepted a message but the answer
// was lost (a timeout), the dispatcher sends it again. A success answer is
// never followed by a second send, even when it cannot be read.
type Sender struct {
	cfg       Config
	base      *url.URL
	transport http.RoundTripper
	pace      *pacer
	// channel is what the Sender sends to: bot.SMS, or bot.WhatsApp for
	// one made by NewWhatsAppSender; from is its From ("" when a
	// Messaging Service sends).
	channel bot.Channel
	from    string
	// contentBase is the Content API's base URL; choices holds the
	// Content SIDs SetUpChoices found, by shape name (nil until then).
	contentBase *url.URL
	choices     atomic.Pointer[map[string]string]
}

var alnum = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// NewSender checks cfg and returns a Sender. AccountSID, AuthToken and one
// of From or MessagingServiceSID are required.
func NewSender(cfg Config) (*Sender, error) {
	switch {
	case !alnum.MatchString(cfg.AccountSID) || !alnum.MatchString(cfg.AuthToken):
		return nil, errors.New("twilio: account SID and auth token are required and must be letters and digits")
	case cfg.From == "" && cfg.MessagingServiceSID == "":
		return nil, errors.New("twilio: a From number or a Messaging Service SID is required")
	case math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0) || cfg.Rate < 0:
		return nil, fmt.Errorf("twilio: rate %v is not a number of messages per second", cfg.Rate)
	}
	base, err := url.Parse(cfg.apiURL())
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("twilio: API URL %q: want http(s)://host", cfg.APIURL)
	}
	contentBase, err := url.Parse(cfg.contentURL())
	if err != nil || (contentBase.Scheme != "http" && contentBase.Scheme != "https") || contentBase.Host == "" {
		return nil, fmt.Errorf("twilio: Content API URL %q: want http(s)://host", cfg.ContentURL)
	}
	var tr http.RoundTripper
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		tr = cfg.HTTPClient.Transport
	} else {
		// http.DefaultTransport keeps two idle connections per host; a busy
		// outbox would open a new one for nearly every message.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		tr = t
	}
	from := cfg.From
	if cfg.MessagingServiceSID != "" {
		from = ""
	}
	return &Sender{cfg: cfg, base: base, transport: tr, pace: newPacer(cfg.rate()), channel: bot.SMS, from: from,
		contentBase: contentBase}, nil
}

// NewWhatsAppSender checks cfg and returns a Sender for WhatsApp through
// Twilio: it sends to "whatsapp:" addresses from cfg.WhatsAppFrom (or the
// Messaging Service when WhatsAppFrom is empty), paced at
// cfg.WhatsAppRate, free-form within 24 hours of the person's last message
// and as the approved template for the message's kind (cfg.Templates)
// outside it.
func NewWhatsAppSender(cfg Config) (*Sender, error) {
	wa := cfg
	wa.From = ""
	if cfg.WhatsAppFrom != "" {
		n, err := NormalizeNumber(strings.TrimPrefix(cfg.WhatsAppFrom, WhatsAppPrefix))
		if err != nil {
			return nil, fmt.Errorf("twilio: WhatsApp sender %q: %w", cfg.WhatsAppFrom, err)
		}
		wa.From, wa.MessagingServiceSID = WhatsAppPrefix+n, ""
	}
	if math.IsNaN(cfg.WhatsAppRate) || math.IsInf(cfg.WhatsAppRate, 0) || cfg.WhatsAppRate < 0 {
		return nil, fmt.Errorf("twilio: WhatsApp rate %v is not a number of messages per second", cfg.WhatsAppRate)
	}
	for kind, t := range cfg.Templates {
		if !contentSID.MatchString(t.ContentSID) {
			return nil, fmt.Errorf("twilio: WhatsApp template for %q: %q is not a Content SID (HX and 32 hex digits)", kind, t.ContentSID)
		}
	}
	wa.Rate = cfg.whatsAppRate()
	s, err := NewSender(wa)
	if err != nil {
		return nil, err
	}
	s.channel = bot.WhatsApp
	return s, nil
}

var contentSID = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)

// RenderSMS is the text an outbound message is sent as: its text, then its
// choices as numbered lines ("1. Yes"), which the person may answer with
// the number or the words. Typographic punctuation (a curly apostrophe
// typed in the console, an en dash in opening hours) is sent as its GSM-7
// equivalent so it does not make the message UCS-2 and double its cost;
// letters, such as Welsh ŵ, are sent as written.
func RenderSMS(o *bot.Outbound) string { return templates.SMSPunctuation(o.PlainText()) }

// Send sends o and returns Twilio's message SID. It blocks until the
// sending number's rate allows it or ctx ends. Failures are *bot.SendError:
// Permanent for requests that cannot succeed (invalid or unreachable
// numbers), OptOut as well for 21610, RetryAfter after a 429 / 20429 (the
// Sender also slows to four fifths of its rate for a while), temporary for 5xx, timeouts and
// network errors.
func (s *Sender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	if err := s.check(o); err != nil {
		return "", err
	}
	done, err := s.pace.wait(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	return s.SendPaced(ctx, o)
}

// Pace blocks until the sending number's rate allows one more send, or ctx
// ends; release must be called once that send has been answered. With
// SendPaced it lets the dispatcher choose which message goes only when one
// may go (bot.PacedSender).
func (s *Sender) Pace(ctx context.Context) (release func(), err error) { return s.pace.wait(ctx) }

// check refuses an address of another channel than the Sender's.
func (s *Sender) check(o *bot.Outbound) error {
	if o.To.Channel != s.channel {
		return &bot.SendError{Permanent: true, Code: "channel",
			Err: fmt.Errorf("twilio: %s sender cannot send to %s address", s.channel, o.To.Channel)}
	}
	return nil
}

// SendPaced is Send for a send Pace has let through. On WhatsApp it sends
// free-form within 24 hours of the person's last message and the
// approved template for o.Kind outside it (or when o.Template is set);
// if Twilio refuses a free-form message at once with 63016, it sends the
// template instead in the same call.
func (s *Sender) SendPaced(ctx context.Context, o *bot.Outbound) (string, error) {
	if err := s.check(o); err != nil {
		return "", err
	}
	p := &api.CreateMessageParams{}
	template, choices := false, false
	if s.channel == bot.WhatsApp {
		p.SetTo(WhatsAppPrefix + o.To.ID)
		template = o.Template || s.cfg.now().Sub(o.LastInbound) >= bot.WhatsAppWindow
		if err := s.whatsAppContent(p, o, template); err != nil {
			return "", err
		}
		choices = !template && s.choiceContent(p, o)
	} else {
		p.SetTo(o.To.ID).SetBody(RenderSMS(o))
	}
	if s.from != "" {
		p.SetFrom(s.from)
	} else {
		p.SetMessagingServiceSid(s.cfg.MessagingServiceSID)
	}
	if s.cfg.PublicURL != "" {
		p.SetStatusCallback(s.cfg.publicURL() + StatusPath)
	}
	sid, err := s.create(ctx, p)
	se, ok := errors.AsType[*bot.SendError](err)
	if ok && se.Code == bot.CodeOutsideWindow && s.channel == bot.WhatsApp && !template {
		// Refused at once as outside the window (usually Twilio reports it
		// later, by status callback): send the template instead.
		if err := s.whatsAppContent(p, o, true); err != nil {
			return "", err
		}
		return s.create(ctx, p)
	}
	if ok && choices && se.Permanent && !se.OptOut && !se.Unreachable {
		// Twilio refused the buttons (the content was deleted, or a
		// limit changed): the question goes as numbered lines instead.
		if err := s.whatsAppContent(p, o, false); err != nil {
			return "", err
		}
		return s.create(ctx, p)
	}
	return sid, err
}

// create makes one CreateMessage call; the caller has paced it.
func (s *Sender) create(ctx context.Context, p *api.CreateMessageParams) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.timeout())
	defer cancel()
	rh, tr := s.requestHandler(ctx, s.base)
	m, err := api.NewApiService(rh).CreateMessage(p)
	if err != nil {
		return "", s.classify(ctx, tr, err)
	}
	if m.Sid == nil {
		return "", nil // accepted, but no id to match delivery reports with
	}
	return *m.Sid, nil
}

// requestHandler is a twilio-go request handler whose requests go to base
// (whatever host twilio-go names) with the account's credentials, tied to
// ctx; the rebase notes each answer's status.
func (s *Sender) requestHandler(ctx context.Context, base *url.URL) (*client.RequestHandler, *rebase) {
	tr := &rebase{base: base, ctx: ctx, next: s.transport}
	c := &client.Client{
		Credentials: client.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	c.SetAccountSid(s.cfg.AccountSID)
	rh := client.NewRequestHandler(c)
	rh.Edge, rh.Region = "", "" // the base URL is ours to choose, not the environment's
	return rh, tr
}

// classify turns a failed CreateMessage into a *bot.SendError.
func (s *Sender) classify(ctx context.Context, tr *rebase, err error) error {
	if tre, ok := errors.AsType[*client.TwilioRestError](err); ok {
		e := &restError{status: tre.Status, code: tre.Code, moreInfo: tre.MoreInfo, cause: tre}
		se := &bot.SendError{Code: strconv.Itoa(tre.Code), Err: e}
		switch {
		case tre.Status == http.StatusTooManyRequests || tre.Code == 20429:
			se.RetryAfter = max(s.pace.slowDown(), tr.retryAfter)
		case tre.Status >= 500, tre.Status == http.StatusUnauthorized, tre.Code == 20003:
			// Twilio's trouble, or our credentials: retrying may help.
		case tre.Code == 21610:
			se.Permanent, se.OptOut = true, true
		case tre.Code == 21614, tre.Code == 63003:
			// Not a mobile number; not on WhatsApp: never reachable here.
			se.Permanent, se.Unreachable = true, true
		case tre.Status >= 400:
			se.Permanent = true
		}
		return se
	}
	if tr.status >= 200 && tr.status < 300 {
		// Twilio accepted the message but its answer could not be read.
		// Reporting a failure would send it twice.
		return nil
	}
	if tr.status == http.StatusTooManyRequests {
		return &bot.SendError{Code: "20429", RetryAfter: max(s.pace.slowDown(), tr.retryAfter),
			Err: fmt.Errorf("twilio: HTTP 429: %w", err)}
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("twilio: no answer within %s: %w", s.cfg.timeout(), err)
	}
	return &bot.SendError{Err: err}
}

// restError is Twilio's error answer without its message, which may quote
// the recipient's number. It unwraps to the *client.TwilioRestError.
type restError struct {
	status, code int
	moreInfo     string
	cause        error
}

func (e *restError) Error() string {
	return fmt.Sprintf("twilio: HTTP %d, error %d %s", e.status, e.code, e.moreInfo)
}

func (e *restError) Unwrap() error { return e.cause }

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h http.Header) time.Duration {
	n, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, time.Hour)
}

var _ bot.PacedSender = (*Sender)(nil)

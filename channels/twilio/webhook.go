package twilio

import (
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"

	"github.com/twilio/twilio-go/client"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
)

// MaxBody is the largest webhook body accepted; larger ones get 413. A real
// Twilio request is a few kilobytes.
const MaxBody = 64 << 10

// emptyTwiML is the answer to an incoming message: replies go through the
// outbox, never in the TwiML.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

type handler struct {
	cfg       Config
	eng       Engine
	log       *slog.Logger
	validator client.RequestValidator
	mux       *http.ServeMux
}

// NewHandler returns the handler for Twilio's webhooks: POST SMSPath (an
// incoming message) and POST StatusPath (a delivery report). Mount it on a
// mux at both paths, or at "/webhooks/twilio/".
//
// Every request must carry a valid X-Twilio-Signature for cfg.PublicURL +
// path and name cfg.AccountSID; anything else is refused (403) before the
// engine sees it. An incoming message is answered 200 with empty TwiML only
// after eng.Handle returned nil. Twilio does not retry an incoming message
// that was not stored: on an error answer it calls the number's fallback
// URL, which the README says to set to this same address, so the message
// is delivered again rather than lost.
func NewHandler(cfg Config, eng Engine, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.PublicURL == "" {
		log.Warn("twilio: no public URL configured; every webhook will be refused")
	}
	if cfg.Refusals == nil {
		cfg.Refusals = metrics.NewRefusals(log, nil, 0)
	}
	h := &handler{cfg: cfg, eng: eng, log: log, validator: client.NewRequestValidator(cfg.AuthToken),
		mux: http.NewServeMux()}
	h.mux.HandleFunc("POST "+SMSPath, h.sms)
	h.mux.HandleFunc("POST "+StatusPath, h.status)
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// readForm reads, authenticates and parses a webhook's form. On failure it
// has answered the request and returns nil.
func (h *handler) readForm(w http.ResponseWriter, r *http.Request, path string) url.Values {
	fail := func(status int, msg string) url.Values {
		h.refused(status)
		http.Error(w, msg, status)
		return nil
	}
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "application/x-www-form-urlencoded" {
		return fail(http.StatusUnsupportedMediaType, "want application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return fail(http.StatusRequestEntityTooLarge, "request body too large")
		}
		return fail(http.StatusBadRequest, "cannot read request body")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return fail(http.StatusBadRequest, "malformed form body")
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" || h.cfg.PublicURL == "" || !h.validator.Validate(h.cfg.publicURL()+path, first(form), sig) {
		return fail(http.StatusForbidden, "invalid or missing X-Twilio-Signature")
	}
	if err := checkAccount(form, h.cfg.AccountSID); err != nil {
		fe := err.(*formError)
		return fail(fe.status, fe.msg)
	}
	return form
}

// refused counts a refused webhook; refusals are logged aggregated, a
// count per reason a minute, so a flood of forged requests cannot fill the
// disk.
func (h *handler) refused(status int) {
	reason := "malformed"
	switch status {
	case http.StatusForbidden:
		reason = "signature_or_account"
	case http.StatusRequestEntityTooLarge:
		reason = "too_large"
	case http.StatusUnsupportedMediaType:
		reason = "content_type"
	}
	h.cfg.Refusals.Note("twilio", reason)
}

// first keeps the first value of each key, as Twilio signs them.
func first(f url.Values) map[string]string {
	m := make(map[string]string, len(f))
	for k, v := range f {
		m[k] = v[0]
	}
	return m
}

func (h *handler) sms(w http.ResponseWriter, r *http.Request) {
	form := h.readForm(w, r, SMSPath)
	if form == nil {
		return
	}
	in, err := parseInbound(form)
	if err != nil {
		h.refused(http.StatusBadRequest)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.eng.Handle(r.Context(), in); err != nil {
		h.engineError(w, "handle incoming message", in.ProviderID, err)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = io.WriteString(w, emptyTwiML)
}

func (h *handler) status(w http.ResponseWriter, r *http.Request) {
	form := h.readForm(w, r, StatusPath)
	if form == nil {
		return
	}
	rep, err := parseStatus(form)
	if err != nil {
		h.refused(http.StatusBadRequest)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if rep.status != "" {
		if err := h.eng.RecordStatus(r.Context(), rep.sid, rep.status, rep.errorCode); err != nil {
			h.engineError(w, "record delivery status", rep.sid, err)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// engineError maps an engine error to the answer Twilio gets: bad input is
// 400, an unknown message 404, a number with too many messages waiting 503,
// anything else 500. Twilio retries none of them; on an incoming message it
// calls the number's fallback URL instead (see NewHandler). A delivery
// report is not sent again.
func (h *handler) engineError(w http.ResponseWriter, what, sid string, err error) {
	switch bot.ErrorCode(err) {
	case bot.EInvalid:
		h.log.Info("twilio: "+what+": invalid", "sid", sid, "err", err)
		http.Error(w, "invalid message", http.StatusBadRequest)
	case bot.ENotFound:
		h.log.Warn("twilio: "+what+": unknown message", "sid", sid)
		http.Error(w, "unknown message", http.StatusNotFound)
	case bot.EBusy:
		// More messages from one number are waiting than the engine queues
		// (engine.Config.MaxWaiting). Twilio does not retry an incoming
		// message by default; it calls the number's fallback URL if one is
		// set. A phone cannot send fast enough to get here: it takes many
		// requests from one number in flight at once.
		h.log.Warn("twilio: "+what+": number busy", "sid", sid)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many messages from this number at once", http.StatusServiceUnavailable)
	default:
		h.log.Error("twilio: "+what, "sid", sid, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

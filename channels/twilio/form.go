package twilio

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/linkline/linkline/bot"
)

// maxMedia bounds the attachments read from one message; Twilio sends at
// most 10.
const maxMedia = 10

// formError is a webhook form that cannot be accepted; status is the HTTP
// answer.
type formError struct {
	status int
	msg    string
}

func (e *formError) Error() string { return e.msg }

func badForm(format string, args ...any) *formError {
	return &formError{status: 400, msg: fmt.Sprintf(format, args...)}
}

// checkAccount reports whether the form names the expected account. A
// missing AccountSid is malformed (400); another account's is refused (403):
// the request authenticated, but it is not meant for this service.
func checkAccount(f url.Values, account string) error {
	got := f.Get("AccountSid")
	switch {
	case got == "":
		return badForm("missing AccountSid")
	case got != account:
		return &formError{status: 403, msg: "AccountSid is not this service's account"}
	}
	return nil
}

// required returns the first of keys missing from f, or "".
func required(f url.Values, keys ...string) string {
	for _, k := range keys {
		if strings.TrimSpace(f.Get(k)) == "" {
			return k
		}
	}
	return ""
}

// parseInbound reads Twilio's incoming-message form.
func parseInbound(f url.Values) (bot.Inbound, error) {
	if k := required(f, "MessageSid", "From", "To"); k != "" {
		return bot.Inbound{}, badForm("missing %s", k)
	}
	ch, raw := bot.SMS, f.Get("From")
	if rest, ok := strings.CutPrefix(raw, WhatsAppPrefix); ok {
		ch, raw = bot.WhatsApp, rest
	}
	from, err := NormalizeNumber(raw)
	if err != nil {
		return bot.Inbound{}, badForm("From: %v", err)
	}
	in := bot.Inbound{
		Address:    bot.Address{Channel: ch, ID: from},
		Text:       strings.ToValidUTF8(f.Get("Body"), "\uFFFD"),
		ProviderID: f.Get("MessageSid"),
	}
	if ch == bot.WhatsApp {
		readChoice(f, &in)
		// The name on their WhatsApp profile: shown to link workers as
		// such, never taken as their confirmed name.
		in.ProfileName = f.Get("ProfileName")
	}
	// Advanced Opt-Out: Twilio has matched the account's own opt-out,
	// opt-in or help words, which Linkline may not know.
	switch strings.ToUpper(strings.TrimSpace(f.Get("OptOutType"))) {
	case "STOP":
		in.Keyword = "stop"
	case "START":
		in.Keyword = "start"
	case "HELP":
		in.Keyword = "help"
	}
	var sink mediaSink
	readContent(f, &sink, ch == bot.WhatsApp)
	in.Media = sink.media
	return in, nil
}

// readChoice reads a pressed WhatsApp button or picked list item: its
// payload (ButtonPayload, or ListId from a list) is the choice's value
// and, when Linkline sent the buttons, the question they were attached to
// (see bot.ButtonData); ButtonText / ListTitle is what the person saw. A button
// in an approved template carries only the value.
func readChoice(f url.Values, in *bot.Inbound) {
	payload, title := f.Get("ButtonPayload"), f.Get("ButtonText")
	if strings.TrimSpace(payload) == "" {
		payload, title = f.Get("ListId"), f.Get("ListTitle")
	}
	payload = strings.ToValidUTF8(strings.TrimSpace(payload), "\uFFFD")
	if payload == "" {
		return
	}
	in.Choice, in.Question = bot.ParseButtonData(payload)
	if in.Text == "" {
		in.Text = strings.ToValidUTF8(title, "\uFFFD")
	}
}

// NormalizeNumber returns a phone number in E.164 form, reading national
// numbers as UK ones: "07700 900123" and "+447700900123" both give
// "+447700900123". It does not insist the number is allocated (Ofcom's
// drama ranges are not), only that it reads as a number.
func NormalizeNumber(s string) (string, error) {
	if ukE164(s) {
		return s, nil
	}
	n, err := phonenumbers.Parse(s, "GB")
	if err != nil {
		return "", fmt.Errorf("not a phone number: %w", err)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// ukE164 reports whether s is a UK number already in E.164 form: "+44"
// then 9 or 10 digits, the first not 0. Parsing gives such a number back
// unchanged (there is no national prefix to strip), and Twilio sends every
// UK number so; phonenumbers.Parse took 7% of the server's CPU under load.
func ukE164(s string) bool {
	rest, ok := strings.CutPrefix(s, "+44")
	if !ok || len(rest) < 9 || len(rest) > 10 || rest[0] == '0' {
		return false
	}
	for i := range len(rest) {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	return true
}

// statuses maps Twilio's MessageStatus values that Linkline records. Others
// (queued, sending, accepted, scheduled, receiving, received) are progress
// reports with nothing to record.
var statuses = map[string]bot.OutStatus{
	"sent":        bot.StatusSent,
	"delivered":   bot.StatusDelivered,
	"read":        bot.StatusDelivered,
	"undelivered": bot.StatusUndelivered,
	"failed":      bot.StatusFailed,
	"canceled":    bot.StatusFailed,
}

// statusReport is one delivery report.
type statusReport struct {
	sid       string
	status    bot.OutStatus // "" when there is nothing to record
	errorCode string
}

// parseStatus reads Twilio's status-callback form.
func parseStatus(f url.Values) (statusReport, error) {
	if k := required(f, "MessageSid", "MessageStatus"); k != "" {
		return statusReport{}, badForm("missing %s", k)
	}
	code := strings.TrimSpace(f.Get("ErrorCode"))
	if code == "0" {
		code = ""
	}
	return statusReport{sid: f.Get("MessageSid"), status: statuses[f.Get("MessageStatus")], errorCode: code}, nil
}

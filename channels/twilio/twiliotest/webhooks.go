package twiliotest

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Signature is the X-Twilio-Signature Twilio sends with a POST of form to
// fullURL: base64 of HMAC-SHA1, keyed with the auth token, over the URL
// followed by each parameter's name and value, sorted by name.
func Signature(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		b.WriteString(k)
		if v := form[k]; len(v) > 0 {
			b.WriteString(v[0])
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// InboundForm is the form Twilio posts for an incoming SMS from a number to
// the fake's Number, with a fresh MessageSid.
func (s *Server) InboundForm(from, body string) url.Values {
	sid := newSID("SM")
	return url.Values{
		"ToCountry": {"GB"}, "ToState": {""}, "SmsMessageSid": {sid}, "NumMedia": {"0"},
		"ToCity": {""}, "FromZip": {""}, "SmsSid": {sid}, "FromState": {""}, "SmsStatus": {"received"},
		"FromCity": {""}, "Body": {body}, "FromCountry": {"GB"}, "To": {s.Number},
		"MessagingServiceSid": {""}, "ToZip": {""}, "NumSegments": {"1"}, "MessageSid": {sid},
		"AccountSid": {s.AccountSID}, "From": {from}, "ApiVersion": {"2010-04-01"},
	}
}

// StatusForm is the form Twilio posts to a status callback when message m
// reaches status (sent, delivered, undelivered, failed, ...), with Twilio's
// error code if any.
func (s *Server) StatusForm(m Message, status, errorCode string) url.Values {
	f := url.Values{
		"AccountSid": {s.AccountSID}, "ApiVersion": {"2010-04-01"}, "MessageSid": {m.SID},
		"SmsSid": {m.SID}, "MessageStatus": {status}, "SmsStatus": {status}, "To": {m.To},
	}
	if m.From != "" {
		f.Set("From", m.From)
	}
	if m.MessagingServiceSID != "" {
		f.Set("MessagingServiceSid", m.MessagingServiceSID)
	}
	if errorCode != "" {
		f.Set("ErrorCode", errorCode)
	}
	return f
}

// Post posts form to targetURL signed as Twilio signs it. The caller closes
// the response body.
func (s *Server) Post(ctx context.Context, targetURL string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, targetURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("X-Twilio-Signature", Signature(s.AuthToken, targetURL, form))
	return s.WebhookClient.Do(req)
}

// SendSMS posts a signed incoming-message webhook to targetURL (the full
// URL, e.g. server URL + "/webhooks/twilio/sms"), as if from sent body to
// the fake's Number. The caller closes the response body.
func (s *Server) SendSMS(ctx context.Context, targetURL, from, body string) (*http.Response, error) {
	return s.Post(ctx, targetURL, s.InboundForm(from, body))
}

// SendStatus posts a signed status callback for m to targetURL (usually
// m.StatusCallback). The caller closes the response body.
func (s *Server) SendStatus(ctx context.Context, targetURL string, m Message, status, errorCode string) (*http.Response, error) {
	return s.Post(ctx, targetURL, s.StatusForm(m, status, errorCode))
}

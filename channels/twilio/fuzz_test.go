package twilio_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// FuzzInboundWebhook posts arbitrary, correctly signed form bodies to the
// SMS webhook: the handler never panics, answers only with the statuses it
// documents, and hands the engine valid UTF-8 with an address.
func FuzzInboundWebhook(f *testing.F) {
	fake := twiliotest.New()
	defer fake.Close()
	for _, body := range []string{"hello", "", "👍🏽", "\xff\xfe", strings.Repeat("x", 2000)} {
		f.Add(fake.InboundForm("+447700900123", body).Encode())
	}
	f.Add("MessageSid=SM1&From=07700%20900123&To=%2B447700900000&AccountSid=" + twiliotest.AccountSID)
	f.Add("MessageSid=&From=&To=")
	f.Add("%zz=%zz&&&==")
	f.Fuzz(func(t *testing.T, body string) {
		eng := &recorder{}
		const public = "https://linkline.example.org"
		h := twilio.NewHandler(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, PublicURL: public}, eng, nil)
		form, err := url.ParseQuery(body)
		if err != nil {
			form = url.Values{}
		}
		req := httptest.NewRequest(http.MethodPost, twilio.SMSPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", twiliotest.Signature(twiliotest.AuthToken, public+twilio.SMSPath, form))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		for _, in := range eng.inbound {
			if !utf8.ValidString(in.Text) || in.Address.ID == "" || in.ProviderID == "" {
				t.Fatalf("engine got %+v", in)
			}
		}
		if rec.Code != http.StatusOK && len(eng.inbound) > 0 {
			t.Fatalf("status %d but the engine was handed the message", rec.Code)
		}
	})
}

package twilio_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// webhookCase is one provider request from testdata/inbound.json and what
// it must produce.
type webhookCase struct {
	Label   string            `json:"label"`
	Method  string            `json:"method"` // default POST
	Path    string            `json:"path"`   // default the SMS path
	Headers map[string]string `json:"headers"`
	Form    map[string]string `json:"form"`
	// Raw is the body as sent, instead of Form (for bytes a JSON string
	// cannot hold, or non-form bodies).
	Raw string `json:"raw"`
	// PadBody appends that many bytes to the Body field.
	PadBody int  `json:"pad_body"`
	Signed  bool `json:"signed"`
	// SignForm, when set, is what the signature is computed over instead
	// of the form sent.
	SignForm map[string]string `json:"sign_form"`
	Repeat   int               `json:"repeat"`
	// EngineError makes the engine fail with that bot error code.
	EngineError string `json:"engine_error"`

	WantStatus      int           `json:"want_status"`
	WantBody        string        `json:"want_body"`
	WantContentType string        `json:"want_content_type"`
	WantInbound     []bot.Inbound `json:"want_inbound"`
	WantReports     []report      `json:"want_reports"`
}

type report struct {
	ProviderID string        `json:"provider_id"`
	Status     bot.OutStatus `json:"status"`
	ErrorCode  string        `json:"error_code"`
}

// recorder is a stand-in engine that records what the handler passed it.
type recorder struct {
	mu      sync.Mutex
	err     error
	inbound []bot.Inbound
	reports []report
}

func (r *recorder) Handle(_ context.Context, in bot.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.inbound = append(r.inbound, in)
	return nil
}

func (r *recorder) RecordStatus(_ context.Context, id string, st bot.OutStatus, code string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.reports = append(r.reports, report{id, st, code})
	return nil
}

func values(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

// TestWebhooks plays every provider request in testdata/*.json
// (inbound.json: SMS and status callbacks; whatsapp.json: WhatsApp).
func TestWebhooks(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata: %v, %v", files, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []webhookCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) { runWebhookCases(t, cases) })
	}
}

func runWebhookCases(t *testing.T, cases []webhookCase) {
	for _, tc := range cases {
		t.Run(tc.Label, func(t *testing.T) {
			var err error
			eng := &recorder{}
			if tc.EngineError != "" {
				eng.err = bot.Errorf(tc.EngineError, "engine says %s", tc.EngineError)
			}
			mux := http.NewServeMux()
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			cfg := twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, PublicURL: srv.URL}
			mux.Handle("/webhooks/twilio/", twilio.NewHandler(cfg, eng, nil))

			path := cmp(tc.Path, twilio.SMSPath)
			form := values(tc.Form)
			if tc.PadBody > 0 {
				form.Set("Body", form.Get("Body")+strings.Repeat("x", tc.PadBody))
			}
			body := form.Encode()
			if tc.Raw != "" {
				body = tc.Raw
				if form, err = url.ParseQuery(tc.Raw); err != nil {
					form = url.Values{}
				}
			}
			headers := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			if tc.Signed {
				signed := form
				if tc.SignForm != nil {
					signed = values(tc.SignForm)
				}
				headers["X-Twilio-Signature"] = twiliotest.Signature(twiliotest.AuthToken, srv.URL+path, signed)
			}
			for k, v := range tc.Headers {
				headers[k] = v
			}
			for range max(tc.Repeat, 1) {
				req, err := http.NewRequest(cmp(tc.Method, http.MethodPost), srv.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range headers {
					req.Header.Set(k, v)
				}
				res, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != tc.WantStatus {
					t.Fatalf("status %d (%s), want %d", res.StatusCode, strings.TrimSpace(string(got)), tc.WantStatus)
				}
				if tc.WantBody != "" && string(got) != tc.WantBody {
					t.Errorf("body %q, want %q", got, tc.WantBody)
				}
				if ct := res.Header.Get("Content-Type"); tc.WantContentType != "" && ct != tc.WantContentType {
					t.Errorf("Content-Type %q, want %q", ct, tc.WantContentType)
				}
			}
			if !reflect.DeepEqual(eng.inbound, tc.WantInbound) {
				t.Errorf("engine got\n %+v\nwant\n %+v", eng.inbound, tc.WantInbound)
			}
			if !reflect.DeepEqual(eng.reports, tc.WantReports) {
				t.Errorf("status reports\n %+v\nwant\n %+v", eng.reports, tc.WantReports)
			}
		})
	}
}

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestNoPublicURLRefusesEverything: without the URL Twilio signs, no
// signature can be checked, so nothing is let through.
func TestNoPublicURLRefusesEverything(t *testing.T) {
	eng := &recorder{}
	h := twilio.NewHandler(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken}, eng, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	res, err := fake.SendSMS(t.Context(), srv.URL+twilio.SMSPath, "+447700900123", "hi")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || len(eng.inbound) != 0 {
		t.Fatalf("status %d, %d handled; want 403 and none", res.StatusCode, len(eng.inbound))
	}
}

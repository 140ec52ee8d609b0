package twiliotest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

func post(t *testing.T, fake *twiliotest.Server, user, pass, sid string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fake.URL()+"/2010-04-01/Accounts/"+sid+"/Messages.json", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, pass)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return res.StatusCode, body
}

func TestMessagesAPI(t *testing.T) {
	good := url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}, "Body": {"Hello 🙂"},
		"StatusCallback": {"https://example.org/status"}}
	for _, tc := range []struct {
		name       string
		user, pass string
		sid        string
		form       url.Values
		inject     func(*twiliotest.Server)
		wantStatus int
		wantCode   float64 // error JSON code, 0 for success
	}{
		{name: "created", form: good, wantStatus: 201},
		{name: "wrong token", pass: "ffffffffffffffffffffffffffffffff", form: good, wantStatus: 401, wantCode: 20003},
		{name: "other account in path", sid: "ACffffffffffffffffffffffffffffffff", form: good, wantStatus: 404, wantCode: 20404},
		{name: "no To", form: url.Values{"From": {twiliotest.Number}, "Body": {"x"}}, wantStatus: 400, wantCode: 21604},
		{name: "no From", form: url.Values{"To": {"+447700900123"}, "Body": {"x"}}, wantStatus: 400, wantCode: 21603},
		{name: "no Body", form: url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}}, wantStatus: 400, wantCode: 21602},
		{name: "invalid To", form: url.Values{"To": {"07700"}, "From": {twiliotest.Number}, "Body": {"x"}}, wantStatus: 400, wantCode: 21211},
		{name: "too long", form: url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}, "Body": {strings.Repeat("x", 1601)}},
			wantStatus: 400, wantCode: 21617},
		{name: "injected 503", form: good, inject: func(f *twiliotest.Server) { f.FailNext(1, 503) }, wantStatus: 503, wantCode: 20500},
		{name: "injected 429", form: good, inject: func(f *twiliotest.Server) { f.ThrottleNext(1) }, wantStatus: 429, wantCode: 20429},
		{name: "injected code for a number", form: good, inject: func(f *twiliotest.Server) { f.FailTo("+447700900123", 21610) },
			wantStatus: 400, wantCode: 21610},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliotest.New()
			t.Cleanup(fake.Close)
			if tc.inject != nil {
				tc.inject(fake)
			}
			user, pass, sid := twiliotest.AccountSID, twiliotest.AuthToken, twiliotest.AccountSID
			if tc.pass != "" {
				pass = tc.pass
			}
			if tc.sid != "" {
				sid = tc.sid
			}
			status, body := post(t, fake, user, pass, sid, tc.form)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %v", status, tc.wantStatus, body)
			}
			if tc.wantCode != 0 {
				if body["code"] != tc.wantCode || body["status"] != float64(status) || body["message"] == "" ||
					body["more_info"] != fmt.Sprintf("https://www.twilio.com/docs/errors/%d", int(tc.wantCode)) {
					t.Errorf("error JSON %v", body)
				}
				if n := len(fake.Messages()); n != 0 {
					t.Errorf("recorded %d messages after an error", n)
				}
				return
			}
			sidRE := regexp.MustCompile(`^SM[0-9a-f]{32}$`)
			if s, _ := body["sid"].(string); !sidRE.MatchString(s) || body["status"] != "queued" || body["direction"] != "outbound-api" ||
				body["account_sid"] != twiliotest.AccountSID || body["to"] != "+447700900123" || body["body"] != "Hello 🙂" ||
				body["num_segments"] != "1" || body["error_code"] != nil || body["api_version"] != "2010-04-01" {
				t.Errorf("resource JSON %v", body)
			}
			if _, err := time.Parse(time.RFC1123Z, body["date_created"].(string)); err != nil {
				t.Errorf("date_created: %v", err)
			}
			msgs := fake.Messages()
			if len(msgs) != 1 || msgs[0].SID != body["sid"] || msgs[0].StatusCallback != "https://example.org/status" {
				t.Errorf("recorded %+v", msgs)
			}
		})
	}
}

// TestSignatureMatchesTwilioGo: the fake signs webhooks exactly as
// twilio-go's validator (and so Twilio) expects.
func TestSignatureMatchesTwilioGo(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	v := client.NewRequestValidator(twiliotest.AuthToken)
	for _, u := range []string{"https://linkline.example.org/webhooks/twilio/sms", "http://127.0.0.1:8080/webhooks/twilio/status"} {
		form := fake.InboundForm("+447700900123", "Getting out more & seeing people 🙂")
		params := map[string]string{}
		for k, vs := range form {
			params[k] = vs[0]
		}
		if !v.Validate(u, params, twiliotest.Signature(twiliotest.AuthToken, u, form)) {
			t.Errorf("%s: twilio-go rejects the fake's signature", u)
		}
		if v.Validate(u, params, twiliotest.Signature("ffffffffffffffffffffffffffffffff", u, form)) {
			t.Errorf("%s: twilio-go accepts a signature made with another token", u)
		}
	}
}

// TestPostsSignedWebhooks: SendSMS and SendStatus post what Twilio posts.
func TestPostsSignedWebhooks(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	got := make(chan url.Values, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f, _ := url.ParseQuery(string(b))
		params := map[string]string{}
		for k, vs := range f {
			params[k] = vs[0]
		}
		v := client.NewRequestValidator(twiliotest.AuthToken)
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
			!v.Validate("http://"+r.Host+r.URL.Path, params, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "bad", http.StatusForbidden)
			return
		}
		got <- f
	}))
	t.Cleanup(srv.Close)
	res, err := fake.SendSMS(t.Context(), srv.URL+"/sms", "+447700900123", "hi")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("SendSMS: %v %v", res, err)
	}
	res.Body.Close()
	in := <-got
	if !regexp.MustCompile(`^SM[0-9a-f]{32}$`).MatchString(in.Get("MessageSid")) || in.Get("From") != "+447700900123" ||
		in.Get("To") != twiliotest.Number || in.Get("Body") != "hi" || in.Get("AccountSid") != twiliotest.AccountSID {
		t.Errorf("inbound form %v", in)
	}
	m := twiliotest.Message{SID: "SM0123456789abcdef0123456789abcdef", To: "+447700900123", From: twiliotest.Number}
	res, err = fake.SendStatus(t.Context(), srv.URL+"/status", m, "undelivered", "21610")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("SendStatus: %v %v", res, err)
	}
	res.Body.Close()
	st := <-got
	if st.Get("MessageSid") != m.SID || st.Get("MessageStatus") != "undelivered" || st.Get("ErrorCode") != "21610" {
		t.Errorf("status form %v", st)
	}
}

func TestRateLimit(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	fake.SetRateLimit(3)
	form := url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}, "Body": {"x"}}
	var codes []int
	for range 5 {
		status, _ := post(t, fake, twiliotest.AccountSID, twiliotest.AuthToken, twiliotest.AccountSID, form)
		codes = append(codes, status)
	}
	want := []int{201, 201, 201, 429, 429}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("answers %v, want %v (limit 3/s)", codes, want)
		}
	}
	if st := fake.Stats(); st.Accepted != 3 || st.Throttled != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestWaitMessages(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := fake.WaitMessages(ctx, 1); err == nil {
		t.Fatal("waiting for a message that never comes returned no error")
	}
	go func() {
		req, _ := http.NewRequest(http.MethodPost, fake.URL()+"/2010-04-01/Accounts/"+twiliotest.AccountSID+"/Messages.json",
			strings.NewReader(url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}, "Body": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(twiliotest.AccountSID, twiliotest.AuthToken)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	ctx, cancel = context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	msgs, err := fake.WaitMessages(ctx, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("got %d messages, %v", len(msgs), err)
	}
}

// TestHangUntilClientGivesUp: a hung request holds until the client's
// timeout, and records nothing.
func TestHangUntilClientGivesUp(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	fake.HangNext(1)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.URL()+"/2010-04-01/Accounts/"+twiliotest.AccountSID+"/Messages.json",
		strings.NewReader(url.Values{"To": {"+447700900123"}, "From": {twiliotest.Number}, "Body": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(twiliotest.AccountSID, twiliotest.AuthToken)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("got an answer %d, want the client to give up", res.StatusCode)
	}
	if st := fake.Stats(); st.Hung != 1 || st.Accepted != 0 {
		t.Errorf("stats %+v", st)
	}
}

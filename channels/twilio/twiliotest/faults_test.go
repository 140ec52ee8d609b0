package twiliotest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// send posts one message request with a short timeout and returns the
// status and body it got, or the error.
func send(fake *twiliotest.Server, to, body string) (int, string, http.Header, error) {
	form := url.Values{"To": {to}, "From": {twiliotest.Number}, "Body": {body}}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
		fake.URL()+"/2010-04-01/Accounts/"+twiliotest.AccountSID+"/Messages.json", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(twiliotest.AccountSID, twiliotest.AuthToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header, err
}

func TestFaultKinds(t *testing.T) {
	for _, tc := range []struct {
		kind       twiliotest.Fault
		wantStatus []int // what the client sees; 0 for a timeout
		wantCode   int
		accepted   bool
		wantErr    bool // the client's read fails
	}{
		{kind: twiliotest.FaultServerError, wantStatus: []int{500, 503}, wantCode: 20500},
		{kind: twiliotest.FaultThrottle, wantStatus: []int{429}, wantCode: 20429},
		{kind: twiliotest.FaultTimeout, wantStatus: []int{0}, wantErr: true},
		{kind: twiliotest.FaultLostAnswer, wantStatus: []int{0}, accepted: true, wantErr: true},
		{kind: twiliotest.FaultCutAnswer, wantStatus: []int{201}, accepted: true, wantErr: true},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			fake := twiliotest.New()
			defer fake.Close()
			fake.SetFaults(twiliotest.Faults{Seed: 1, Rate: 1, Kinds: []twiliotest.Fault{tc.kind}, RetryAfter: 1500 * time.Millisecond})
			status, body, header, err := send(fake, "+447700900123", "hello")
			if (err != nil) != tc.wantErr {
				t.Fatalf("client error %v, want one: %v", err, tc.wantErr)
			}
			if !slices.Contains(tc.wantStatus, status) {
				t.Fatalf("status %d, want one of %v", status, tc.wantStatus)
			}
			if tc.wantCode != 0 && !strings.Contains(body, fmt.Sprintf(`"code":%d`, tc.wantCode)) {
				t.Fatalf("body %s, want code %d", body, tc.wantCode)
			}
			if tc.kind == twiliotest.FaultThrottle && header.Get("Retry-After") != "2" {
				t.Fatalf("Retry-After %q, want 2 (1.5s rounded up)", header.Get("Retry-After"))
			}
			if got := len(fake.Messages()); got != map[bool]int{false: 0, true: 1}[tc.accepted] {
				t.Fatalf("%d messages accepted, want accepted=%v", got, tc.accepted)
			}
			reqs := fake.Requests()
			if len(reqs) != 1 || reqs[0].Fault != tc.kind || reqs[0].Attempt != 1 ||
				reqs[0].Succeeded() != (tc.kind == twiliotest.FaultCutAnswer) || (reqs[0].SID != "") != tc.accepted {
				t.Fatalf("requests = %+v", reqs)
			}
		})
	}
}

// The draw depends on the seed and the message, not on the order requests
// arrive in; about Rate of them fail; blocked numbers get 21610 unless the
// draw failed them otherwise.
func TestFaultsAreDeterministic(t *testing.T) {
	draw := func(seed uint64, reverse bool) map[string]twiliotest.Fault {
		fake := twiliotest.New()
		defer fake.Close()
		fake.SetFaults(twiliotest.Faults{Seed: seed, Rate: 0.3,
			Kinds: []twiliotest.Fault{twiliotest.FaultServerError, twiliotest.FaultThrottle}, Blocked: []string{"+447700900999"}})
		for i := range 400 {
			if reverse {
				i = 399 - i
			}
			to := "+447700900123"
			if i%40 == 0 {
				to = "+447700900999"
			}
			if _, _, _, err := send(fake, to, fmt.Sprint("message ", i)); err != nil {
				t.Fatal(err)
			}
		}
		out := map[string]twiliotest.Fault{}
		for _, r := range fake.Requests() {
			out[r.To+" "+r.Body] = r.Fault
			if r.Fault == twiliotest.FaultBlocked && r.Code != 21610 {
				t.Fatalf("blocked request answered %+v", r)
			}
			if r.Fault == "" && (r.To == "+447700900999" || !r.Succeeded()) {
				t.Fatalf("request %+v not failed", r)
			}
		}
		return out
	}
	a, b, c := draw(7, false), draw(7, true), draw(8, false)
	failed, differ, blocked := 0, 0, 0
	for k, f := range a {
		if b[k] != f {
			t.Fatalf("%s: %q one run, %q the other with the same seed", k, f, b[k])
		}
		if f != "" && f != twiliotest.FaultBlocked {
			failed++
		}
		if f == twiliotest.FaultBlocked {
			blocked++
		}
		if c[k] != f {
			differ++
		}
	}
	if failed < 90 || failed > 150 {
		t.Fatalf("%d of 400 failed at rate 0.3", failed)
	}
	if blocked == 0 || blocked > 10 {
		t.Fatalf("%d of 10 requests to the blocked number answered 21610", blocked)
	}
	if differ == 0 {
		t.Fatal("another seed drew the same faults")
	}
}

package telegramtest_test

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

	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

// sendMessage calls sendMessage with a short timeout and returns the status
// and body it got, or the error.
func sendMessage(f *telegramtest.Server, chat int64, text string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	form := url.Values{"chat_id": {fmt.Sprint(chat)}, "text": {text}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.URL()+"/bot"+telegramtest.Token+"/sendMessage",
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, string(data), err
}

func TestFaultKinds(t *testing.T) {
	for _, tc := range []struct {
		kind       telegramtest.Fault
		wantStatus []int // 0 for no answer
		wantBody   string
		sent       bool
		wantErr    bool
	}{
		{kind: telegramtest.FaultServerError, wantStatus: []int{500, 502}, wantBody: `"ok":false`},
		{kind: telegramtest.FaultThrottle, wantStatus: []int{429}, wantBody: `"parameters":{"retry_after":2}`},
		{kind: telegramtest.FaultTimeout, wantStatus: []int{0}, wantErr: true},
		{kind: telegramtest.FaultLostAnswer, wantStatus: []int{0}, sent: true, wantErr: true},
		{kind: telegramtest.FaultCutAnswer, wantStatus: []int{200}, sent: true, wantErr: true},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			f := telegramtest.New()
			defer f.Close()
			f.SetFaults(telegramtest.Faults{Seed: 1, Rate: 1, Kinds: []telegramtest.Fault{tc.kind}, RetryAfter: 1500 * time.Millisecond})
			status, body, err := sendMessage(f, 42, "hello")
			if tc.wantErr {
				// A cut answer's status arrives; its body never ends.
				if err == nil {
					t.Fatalf("client read %q, want a timeout", body)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(tc.wantStatus, status) || !strings.Contains(body, tc.wantBody) {
				t.Fatalf("answer %d %s, want %v %s", status, body, tc.wantStatus, tc.wantBody)
			}
			if got := len(f.Sent(42)); got != map[bool]int{false: 0, true: 1}[tc.sent] {
				t.Fatalf("%d messages sent, want sent=%v", got, tc.sent)
			}
			calls := f.Calls("sendMessage")
			if len(calls) != 1 || calls[0].Fault != tc.kind || calls[0].Attempt != 1 ||
				calls[0].Succeeded() != (tc.kind == telegramtest.FaultCutAnswer) || (calls[0].MessageID != 0) != tc.sent {
				t.Fatalf("calls = %+v", calls)
			}
		})
	}
}

// The draw depends on the seed and the message, not on the order calls
// arrive in; about Rate of them fail; blocked chats get 403 unless the draw
// failed them otherwise.
func TestFaultsAreDeterministic(t *testing.T) {
	draw := func(seed uint64, reverse bool) map[string]telegramtest.Fault {
		f := telegramtest.New()
		defer f.Close()
		f.SetFaults(telegramtest.Faults{Seed: seed, Rate: 0.3,
			Kinds: []telegramtest.Fault{telegramtest.FaultServerError, telegramtest.FaultThrottle}, Blocked: []int64{99}})
		for i := range 400 {
			if reverse {
				i = 399 - i
			}
			chat := int64(42)
			if i%40 == 0 {
				chat = 99
			}
			if _, _, err := sendMessage(f, chat, fmt.Sprint("message ", i)); err != nil {
				t.Fatal(err)
			}
		}
		out := map[string]telegramtest.Fault{}
		for _, c := range f.Calls("sendMessage") {
			out[c.Params["chat_id"]+" "+c.Params["text"]] = c.Fault
			if c.Fault == telegramtest.FaultBlocked && c.Code != 403 {
				t.Fatalf("blocked call answered %+v", c)
			}
			if c.Fault == "" && (c.Params["chat_id"] == "99" || !c.Succeeded()) {
				t.Fatalf("call %+v not failed", c)
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
		switch f {
		case "":
		case telegramtest.FaultBlocked:
			blocked++
		default:
			failed++
		}
		if c[k] != f {
			differ++
		}
	}
	if failed < 90 || failed > 150 {
		t.Fatalf("%d of 400 failed at rate 0.3", failed)
	}
	if blocked == 0 || blocked > 10 {
		t.Fatalf("%d of 10 calls to the blocked chat answered 403", blocked)
	}
	if differ == 0 {
		t.Fatal("another seed drew the same faults")
	}
}

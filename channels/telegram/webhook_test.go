package telegram_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
)

// webhookCase is one provider request from testdata/updates.json and what
// it must produce.
type webhookCase struct {
	Name      string          `json:"name"`
	Method    string          `json:"method"`
	Secret    string          `json:"secret"` // "" = the right one, "-" = none
	Body      json.RawMessage `json:"body"`
	Raw       *string         `json:"raw"`
	RawBase64 string          `json:"raw_base64"`
	Huge      int             `json:"huge"`
	EngineErr string          `json:"engine_error"`

	Status   int           `json:"status"`
	Inbound  []bot.Inbound `json:"inbound"`
	Enrolled []enrolment   `json:"enrolled"`
	Reach    []string      `json:"reach"` // the engine's SetReachable calls
	Calls    []struct {
		Method string            `json:"method"`
		Params map[string]string `json:"params"`
	} `json:"calls"`
}

func (c *webhookCase) body(t *testing.T) []byte {
	switch {
	case c.Raw != nil:
		return []byte(*c.Raw)
	case c.RawBase64 != "":
		b, err := base64.StdEncoding.DecodeString(c.RawBase64)
		if err != nil {
			t.Fatal(err)
		}
		return b
	case c.Huge > 0:
		return []byte(`{"update_id":1,"message":{"chat":{"id":42,"type":"private"},"text":"` + strings.Repeat("a", c.Huge) + `"}}`)
	}
	return c.Body
}

func TestWebhookRequests(t *testing.T) {
	data, err := os.ReadFile("testdata/updates.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []webhookCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	f := newFake(t)
	b := newBot(t, f)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			eng := &recorder{}
			switch c.EngineErr {
			case "internal":
				eng.fail = context.DeadlineExceeded
			case "invalid":
				eng.fail = bot.Errorf(bot.EInvalid, "no")
			}
			before := len(f.Calls(""))
			method := c.Method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, telegram.WebhookPath, bytes.NewReader(c.body(t)))
			req.Header.Set("Content-Type", "application/json")
			switch c.Secret {
			case "":
				req.Header.Set(telegram.SecretHeader, secret)
			case "-":
			default:
				req.Header.Set(telegram.SecretHeader, c.Secret)
			}
			rec := httptest.NewRecorder()
			b.Webhook(eng).ServeHTTP(rec, req)

			if rec.Code != c.Status {
				t.Errorf("status %d, want %d (%s)", rec.Code, c.Status, rec.Body)
			}
			got := eng.inbound()
			for i := range got {
				if i < len(c.Inbound) && c.Inbound[i].ReceivedAt.IsZero() {
					got[i].ReceivedAt = time.Time{}
				}
			}
			if len(got) != len(c.Inbound) || (len(got) > 0 && !reflect.DeepEqual(got, c.Inbound)) {
				t.Errorf("engine got\n%+v\nwant\n%+v", got, c.Inbound)
			}
			for i := range eng.enrolled {
				eng.enrolled[i].In.ReceivedAt = time.Time{}
			}
			if len(eng.enrolled) != len(c.Enrolled) || (len(c.Enrolled) > 0 && !reflect.DeepEqual(eng.enrolled, c.Enrolled)) {
				t.Errorf("enrolled\n%+v\nwant\n%+v", eng.enrolled, c.Enrolled)
			}
			if !slices.Equal(eng.reach, c.Reach) {
				t.Errorf("reachability %q, want %q", eng.reach, c.Reach)
			}
			calls := f.Calls("")[before:]
			if len(calls) != len(c.Calls) {
				t.Fatalf("Bot API calls %+v, want %+v", calls, c.Calls)
			}
			for i, want := range c.Calls {
				if calls[i].Method != want.Method {
					t.Errorf("call %d: %s, want %s", i, calls[i].Method, want.Method)
				}
				for k, v := range want.Params {
					if calls[i].Params[k] != v {
						t.Errorf("call %d %s: %s=%q, want %q", i, want.Method, k, calls[i].Params[k], v)
					}
				}
			}
		})
	}
}

// The whole webhook path through the fake: setWebhook registers the URL
// and secret, the fake posts a person's message with the secret header, a
// button press is answered, the question edited and its buttons removed.
func TestWebhookThroughFake(t *testing.T) {
	f := newFake(t)
	eng := &recorder{}
	var b *telegram.Bot
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { b.Webhook(eng).ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	b = newBot(t, f, func(c *telegram.Config) { c.WebhookURL = srv.URL + telegram.WebhookPath })
	ctx := context.Background()
	if err := b.SetWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	url, sec := f.Webhook()
	if url != srv.URL+telegram.WebhookPath || sec != secret {
		t.Fatalf("webhook set to %q with secret %q", url, sec)
	}
	if got := f.Calls("setWebhook")[0].Params["allowed_updates"]; got != `["message","edited_message","callback_query","my_chat_member"]` {
		t.Errorf("allowed_updates %s", got)
	}

	d, err := f.SendText(42, "hello")
	if err != nil || d.Status != http.StatusOK {
		t.Fatalf("deliver: %+v %v", d, err)
	}
	if _, err := b.Send(ctx, &bot.Outbound{To: bot.Address{Channel: bot.Telegram, ID: "42"}, Text: "Can we keep a record?",
		Choices: []bot.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}}); err != nil {
		t.Fatal(err)
	}
	q := f.Sent(42)[0]
	d, err = f.PressButton(42, q.MessageID, "no")
	if err != nil || d.Status != http.StatusOK {
		t.Fatalf("press: %+v %v", d, err)
	}
	got := eng.inbound()
	if len(got) != 2 || got[0].Text != "hello" || got[1].Choice != "no" || got[1].Text != "No" {
		t.Fatalf("engine got %+v", got)
	}
	if answered, pressed := f.Answered(); answered != 1 || pressed != 1 {
		t.Errorf("%d of %d button presses answered", answered, pressed)
	}
	q = f.Sent(42)[0]
	if q.Text != "Can we keep a record?\n\n✓ No" || q.Buttons != nil {
		t.Errorf("question after the press: %q with buttons %v", q.Text, q.Buttons)
	}
	if _, err := f.PressButton(42, q.MessageID, "yes"); err == nil {
		t.Error("an old button could be pressed again")
	}
}

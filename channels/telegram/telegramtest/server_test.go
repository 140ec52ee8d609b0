package telegramtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

func post(t *testing.T, base, token, method string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(base+"/bot"+token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatalf("%s answered %q, not JSON: %v", method, data, err)
	}
	return resp.StatusCode, body
}

// The fake answers with the Bot API's own JSON shapes.
func TestWireFormat(t *testing.T) {
	f := telegramtest.New()
	defer f.Close()
	cases := []struct {
		name, token, method string
		setup               func()
		form                url.Values
		status              int
		want                string // the body, as JSON
	}{
		{name: "getMe", method: "getMe", status: 200,
			want: `{"ok":true,"result":{"can_join_groups":false,"can_read_all_group_messages":false,"first_name":"Linkline","id":7000001,"is_bot":true,"supports_inline_queries":false,"username":"linkline_test_bot"}}`},
		{name: "wrong token", token: "1:nope", method: "getMe", status: 401,
			want: `{"ok":false,"error_code":401,"description":"Unauthorized"}`},
		{name: "unknown method", method: "sendPigeon", status: 404,
			want: `{"ok":false,"error_code":404,"description":"Not Found"}`},
		{name: "blocked", method: "sendMessage", setup: func() { f.Block(9) }, form: url.Values{"chat_id": {"9"}, "text": {"hi"}}, status: 403,
			want: `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`},
		{name: "throttled", method: "sendMessage", setup: func() { f.FailNext(1, 429) }, form: url.Values{"chat_id": {"8"}, "text": {"hi"}}, status: 429,
			want: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`},
		{name: "empty text", method: "sendMessage", form: url.Values{"chat_id": {"8"}, "text": {" "}}, status: 400,
			want: `{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}`},
		{name: "button data too long", method: "sendMessage", status: 400,
			form: url.Values{"chat_id": {"8"}, "text": {"hi"}, "reply_markup": {`{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("x", 65) + `"}]]}`}},
			want: `{"ok":false,"error_code":400,"description":"Bad Request: BUTTON_DATA_INVALID"}`},
		{name: "unknown callback query", method: "answerCallbackQuery", form: url.Values{"callback_query_id": {"123"}}, status: 400,
			want: `{"ok":false,"error_code":400,"description":"Bad Request: query is too old and response timeout expired or query ID is invalid"}`},
		{name: "edit a missing message", method: "editMessageText", form: url.Values{"chat_id": {"8"}, "message_id": {"99"}, "text": {"x"}}, status: 400,
			want: `{"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"}`},
		{name: "getUpdates while a webhook is set", method: "getUpdates", status: 409,
			setup: func() {
				post(t, f.URL(), telegramtest.Token, "setWebhook", url.Values{"url": {"https://example.org/hook"}})
			},
			want: `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}`},
		{name: "deleteWebhook", method: "deleteWebhook", status: 200, want: `{"ok":true,"result":true}`},
		{name: "getUpdates with nothing waiting", method: "getUpdates", status: 200, want: `{"ok":true,"result":[]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup()
			}
			token := c.token
			if token == "" {
				token = telegramtest.Token
			}
			status, body := post(t, f.URL(), token, c.method, c.form)
			got, _ := json.Marshal(body)
			var want map[string]any
			json.Unmarshal([]byte(c.want), &want)
			wantJSON, _ := json.Marshal(want)
			if status != c.status || string(got) != string(wantJSON) {
				t.Errorf("%d %s\nwant %d %s", status, got, c.status, wantJSON)
			}
		})
	}
}

// getUpdates waits for news up to its timeout, returns an update as soon as
// one arrives, and an offset past an update confirms it.
func TestGetUpdatesLongPoll(t *testing.T) {
	f := telegramtest.New()
	defer f.Close()
	done := make(chan map[string]any)
	go func() {
		_, body := post(t, f.URL(), telegramtest.Token, "getUpdates", url.Values{"timeout": {"10"}})
		done <- body
	}()
	for len(f.Calls("getUpdates")) == 0 {
		time.Sleep(time.Millisecond)
	}
	d, err := f.SendText(77, "/help extra")
	if err != nil || d.Status != 0 {
		t.Fatalf("%+v %v", d, err)
	}
	body := <-done
	ups := body["result"].([]any)
	if len(ups) != 1 {
		t.Fatalf("got %v", body)
	}
	msg := ups[0].(map[string]any)["message"].(map[string]any)
	ent := msg["entities"].([]any)[0].(map[string]any)
	if msg["text"] != "/help extra" || msg["chat"].(map[string]any)["type"] != "private" || ent["type"] != "bot_command" || ent["length"] != 5.0 {
		t.Errorf("message %v", msg)
	}
	if f.Pending() != 1 {
		t.Fatal("an update was dropped before it was confirmed")
	}
	post(t, f.URL(), telegramtest.Token, "getUpdates", url.Values{"offset": {jsonNum(d.UpdateID + 1)}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := f.WaitConfirmed(ctx, d.UpdateID); err != nil || f.Pending() != 0 {
		t.Fatalf("offset past the update did not confirm it: %v, %d pending", err, f.Pending())
	}
}

func jsonNum(n int) string { b, _ := json.Marshal(n); return string(b) }

// The fake never posts updates anywhere but this machine.
func TestWebhookOnlyToLoopback(t *testing.T) {
	f := telegramtest.New()
	defer f.Close()
	post(t, f.URL(), telegramtest.Token, "setWebhook", url.Values{"url": {"https://api.example.org/hook"}, "secret_token": {"abc"}})
	if _, err := f.SendText(1, "hi"); err == nil {
		t.Fatal("the fake posted an update to a host on the internet")
	}
}

package telegram_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

// FuzzWebhook posts arbitrary bodies with the right secret: the handler
// never panics, answers only the statuses it documents, and hands the
// engine valid UTF-8 with an address.
func FuzzWebhook(f *testing.F) {
	f.Add(`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hello"}}`)
	f.Add(`{"update_id":2,"message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"text":"/start abc","entities":[{"type":"bot_command","offset":0,"length":6}]}}`)
	f.Add(`{"update_id":3,"callback_query":{"id":"q","from":{"id":5},"message":{"message_id":9,"date":1,"chat":{"id":5,"type":"private"}},"data":"yes"}}`)
	f.Add(`{"update_id":4,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"sticker":{"file_id":"x"}}}`)
	f.Add(`{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"\ud800 bad"}}`)
	f.Add(`{`)
	f.Add(`null`)
	fake := telegramtest.New()
	defer fake.Close()
	b, err := telegram.New(context.Background(), telegram.Config{Token: telegramtest.Token, APIURL: fake.URL(),
		WebhookURL: "https://linkline.example.org" + telegram.WebhookPath, Secret: secret, HTTPClient: &http.Client{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		eng := &recorder{}
		req := httptest.NewRequest(http.MethodPost, telegram.WebhookPath, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, secret)
		rec := httptest.NewRecorder()
		b.Webhook(eng).ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		for _, in := range eng.inbound() {
			if !utf8.ValidString(in.Text) || in.Address.ID == "" {
				t.Fatalf("engine got %+v", in)
			}
		}
	})
}

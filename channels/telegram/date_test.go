package telegram_test

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/telegram"
)

// TestMessageDate: a message's date becomes the time it was received, unless
// it is missing or cannot be right (a broken or forged update), when the
// channel leaves the time to the engine's clock. A date of the year 10000
// once reached the transcript, which the store then could not export.
func TestMessageDate(t *testing.T) {
	f := newFake(t)
	b := newBot(t, f)
	now := time.Now().Unix()
	for i, tc := range []struct {
		name string
		date int64
		want time.Time // zero: left to the engine
	}{
		{"a past date", 1764200000, time.Unix(1764200000, 0).UTC()},
		{"a minute ahead (clocks differ)", now + 60, time.Unix(now+60, 0).UTC()},
		{"no date", 0, time.Time{}},
		{"negative", -5, time.Time{}},
		{"before Telegram", 1, time.Time{}},
		{"a day ahead", now + 86400, time.Time{}},
		{"the year 10000", 253402300800, time.Time{}},
		{"the largest int", math.MaxInt64, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A new message's time is its date; an edit's, its edit date.
			for _, kind := range []struct{ update, date string }{{"message", "date"}, {"edited_message", "edit_date"}} {
				eng := &recorder{}
				body := fmt.Sprintf(`{"update_id":%d,%q:{"message_id":1,"chat":{"id":42,"type":"private"},%q:%d,"text":"hi"}}`,
					7000+i, kind.update, kind.date, tc.date)
				req := httptest.NewRequest(http.MethodPost, telegram.WebhookPath, bytes.NewReader([]byte(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(telegram.SecretHeader, secret)
				rec := httptest.NewRecorder()
				b.Webhook(eng).ServeHTTP(rec, req)
				got := eng.inbound()
				if rec.Code != http.StatusOK || len(got) != 1 {
					t.Fatalf("%s: status %d, %d inbound (%s)", kind.update, rec.Code, len(got), rec.Body)
				}
				if !got[0].ReceivedAt.Equal(tc.want) {
					t.Errorf("%s: received at %v, want %v", kind.update, got[0].ReceivedAt, tc.want)
				}
			}
		})
	}
}

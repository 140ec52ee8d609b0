package telegram_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
)

// failNth answers the nth sendMessage request with a 502 instead of
// passing it on.
type failNth struct {
	mu   sync.Mutex
	n, i int
}

func (f *failNth) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") {
		f.mu.Lock()
		f.i++
		fail := f.i == f.n
		f.mu.Unlock()
		if fail {
			return &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{},
				Body: io.NopCloser(strings.NewReader(`{"ok":false,"error_code":502,"description":"Bad Gateway"}`)), Request: r}, nil
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A message too long for one Telegram message goes in parts; when a later
// part fails, the retry starts after the parts Telegram already took, so
// nobody gets the start of a long message twice.
func TestLongMessageRetryResumes(t *testing.T) {
	f := newFake(t)
	rt := &failNth{n: 2}
	b := newBot(t, f, func(c *telegram.Config) { c.HTTPClient = &http.Client{Transport: rt} })
	words := strings.Fields(strings.Repeat("a long reply from the link worker ", 400)) // about 13,600 characters
	o := &bot.Outbound{To: to(42), Text: strings.Join(words, " ")}

	_, err := b.Send(context.Background(), o)
	var se *bot.SendError
	if !errors.As(err, &se) || se.Permanent || se.PartsSent != 1 {
		t.Fatalf("second part failing: %#v, want a temporary failure after 1 part", err)
	}
	o.PartsSent = se.PartsSent // what the dispatcher records on the row
	if _, err := b.Send(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	sent := f.Sent(42)
	if len(sent) < 3 {
		t.Fatalf("%d parts at Telegram, want at least 3", len(sent))
	}
	var got []string
	for _, m := range sent {
		got = append(got, m.Text)
	}
	joined := strings.Join(got, " ")
	if strings.Join(strings.Fields(joined), " ") != o.Text {
		t.Fatalf("the parts Telegram has do not make the message once: %d parts, %d characters of %d", len(sent), len(joined), len(o.Text))
	}
}

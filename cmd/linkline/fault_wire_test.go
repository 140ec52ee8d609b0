package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// wire is the senders' HTTP transport in the fault test: it records each
// send as the client saw it, so "sent again after a success answer" means
// after an answer the client really got. (The fake knows what it wrote; on
// a loaded machine an answer it wrote can still reach the client after the
// client gave up, which is a lost answer, not a success.)
type wire struct {
	ch   bot.Channel
	next http.RoundTripper

	mu    sync.Mutex
	tries map[string][]clientTry
}

// clientTry is one send as the client saw it.
type clientTry struct {
	at     time.Time
	status int // the status line received; 0 when none came
}

func newWire(ch bot.Channel) *wire {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &wire{ch: ch, next: t, tries: map[string][]clientTry{}}
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || (w.ch == bot.Telegram && !strings.HasSuffix(r.URL.Path, "/sendMessage")) {
		return w.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	k := key(w.ch, form.Get("To"), form.Get("Body"))
	if w.ch == bot.Telegram {
		k = key(w.ch, form.Get("chat_id"), form.Get("text"))
	}
	at := time.Now()
	res, err := w.next.RoundTrip(r)
	try := clientTry{at: at}
	if err == nil {
		try.status = res.StatusCode
	}
	w.mu.Lock()
	w.tries[k] = append(w.tries[k], try)
	w.mu.Unlock()
	return res, err
}

// sends returns every message's sends as the client saw them, by key.
func (w *wire) sends() map[string][]clientTry {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string][]clientTry, len(w.tries))
	for k, v := range w.tries {
		out[k] = append([]clientTry(nil), v...)
	}
	return out
}

func key(ch bot.Channel, to, text string) string { return string(ch) + " " + to + " " + text }

// attempt is one request for one message as a fake recorded it.
type attempt struct {
	at         time.Time
	fault      string
	accepted   bool // the provider took the message
	retryAfter time.Duration
}

// attempts returns each message's requests as the fakes saw them, by
// channel, recipient and the text as sent, in order of arrival; how many
// copies each provider took; and when it took the first.
func (fs *faultSystem) attempts() (map[string][]attempt, map[string]int, map[string]time.Time) {
	reqs, copies, first := map[string][]attempt{}, map[string]int{}, map[string]time.Time{}
	took := func(k string, at time.Time) {
		copies[k]++
		if f, ok := first[k]; !ok || at.Before(f) {
			first[k] = at
		}
	}
	for _, r := range fs.tw.Requests() {
		k := key(bot.SMS, r.To, r.Body)
		reqs[k] = append(reqs[k], attempt{at: r.At, fault: string(r.Fault), accepted: r.SID != "", retryAfter: r.RetryAfter})
	}
	for _, m := range fs.tw.Messages() {
		took(key(bot.SMS, m.To, m.Body), m.At)
	}
	for _, c := range fs.tg.Calls("sendMessage") {
		k := key(bot.Telegram, c.Params["chat_id"], c.Params["text"])
		reqs[k] = append(reqs[k], attempt{at: c.At, fault: string(c.Fault),
			accepted: c.Succeeded() || c.MessageID != 0, retryAfter: c.RetryAfter})
	}
	for _, m := range fs.tg.Sent(0) {
		took(key(bot.Telegram, strconv.FormatInt(m.ChatID, 10), m.Text), m.SentAt)
	}
	return reqs, copies, first
}

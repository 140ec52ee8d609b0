package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
)

// abuseServer is the real server (serve, as `linkline serve` runs it) with
// SMS and Telegram (webhook mode) pointed at the fakes.
type abuseServer struct {
	t      *testing.T
	public string
	db     string
	tw     *twiliotest.Server
	tg     *telegramtest.Server
	stop   func()
}

const abuseSecret, abuseMetrics = "abuse-test-secret", "abuse-metrics-token"

func startAbuseServer(t *testing.T, change func(*config)) *abuseServer {
	t.Helper()
	s := &abuseServer{t: t, tw: twiliotest.New(), tg: telegramtest.New()}
	t.Cleanup(s.tw.Close)
	t.Cleanup(s.tg.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.public = "http://" + ln.Addr().String()
	c := defaultConfig(t)
	s.db = t.TempDir() + "/abuse.db"
	c.DB, c.PublicURL, c.LogLevel, c.MetricsToken = s.db, s.public, "error", abuseMetrics
	c.channels = channelConfig{
		TwilioSID: twiliotest.AccountSID, TwilioToken: twiliotest.AuthToken, TwilioFrom: twiliotest.Number,
		TwilioAPI: s.tw.URL(), TwilioRate: 2000,
		TelegramToken: telegramtest.Token, TelegramAPI: s.tg.URL(), TelegramSecret: abuseSecret,
	}
	if change != nil {
		change(c)
	}
	log, _ := c.logger(io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(s.stop)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if u, _ := s.tg.Webhook(); u != "" {
			if res, err := http.Get(s.public + "/healthz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start (healthy, Telegram webhook set)")
		}
	}
	return s
}

// metrics reads /metrics.
func (s *abuseServer) metrics() string {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.public+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+abuseMetrics)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// drained waits until the outbox is empty.
func (s *abuseServer) drained() {
	s.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(s.metrics(), "linkline_outbox_depth 0\n"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.t.Fatal("the outbox did not drain")
		}
	}
}

// transcripts stops the server and reads the transcripts of addrs.
func (s *abuseServer) transcripts(addrs ...bot.Address) (map[bot.Address][]*bot.Message, map[bot.Address]*bot.Handoff, map[uint64]*bot.Outbound) {
	s.t.Helper()
	s.stop()
	store, err := bolt.Open(context.Background(), s.db, bolt.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	defer store.Close()
	msgs, handoffs, out := map[bot.Address][]*bot.Message{}, map[bot.Address]*bot.Handoff{}, map[uint64]*bot.Outbound{}
	err = store.View(context.Background(), func(tx bot.Tx) error {
		for _, a := range addrs {
			c, err := tx.ContactByAddress(a)
			if err != nil {
				return fmt.Errorf("%s: %w", a, err)
			}
			if h, err := tx.ActiveHandoff(c.ID); err == nil {
				handoffs[a] = h
			}
			if err := tx.Messages(c.ID, func(m *bot.Message) bool {
				msgs[a] = append(msgs[a], m)
				if m.OutboxID != 0 {
					if o, err := tx.Outbound(m.OutboxID); err == nil {
						out[m.OutboxID] = o
					}
				}
				return true
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return msgs, handoffs, out
}

// TestFloodFromOneNumber: one number sends 50 messages at once while eight
// people work through a self-referral. Everyone else gets every normal
// reply; the flooder's messages are all stored (none lost), only the first
// 20 (the burst) are answered by the flow, and risk language sent over the
// limit still gets the crisis reply and an urgent handoff.
func TestFloodFromOneNumber(t *testing.T) {
	s := startAbuseServer(t, func(c *config) { c.flood = floodFlags{Burst: "20", Every: "1h"} })
	const flooder, floodN, people = "+447700900999", 50, 8
	sms := s.public + "/webhooks/twilio/sms"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var mu sync.Mutex
	sids := map[string]bool{}
	post := func(from, body string) {
		form := s.tw.InboundForm(from, body)
		res, err := s.tw.Post(ctx, sms, form)
		if err != nil {
			t.Errorf("%s %q: %v", from, body, err)
			return
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s %q: status %d", from, body, res.StatusCode)
			return
		}
		if from == flooder {
			mu.Lock()
			sids[form.Get("MessageSid")] = true
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for p := range people {
		wg.Go(func() {
			for _, body := range script[:6] {
				post(fmt.Sprintf("+4477009%05d", 20000+p), body)
			}
		})
	}
	for i := range floodN {
		body := "hello " + strconv.Itoa(i)
		if i == floodN/2 {
			body = "i want to end it all" // risk inside the flood, in or over the limit
		}
		wg.Go(func() { post(flooder, body) })
	}
	wg.Wait()
	// Risk certainly over the limit: the crisis window of the flood's first
	// crisis reply may have passed it by, but its risk must be recorded.
	post(flooder, "i can't go on, i want to kill myself")
	s.drained()
	m := s.metrics()
	if !strings.Contains(m, `linkline_inbound_limited_total{channel="sms"} 31`) {
		t.Errorf("metrics do not count the 31 limited messages:\n%s", grepLines(m, "limited"))
	}

	flood := bot.Address{Channel: bot.SMS, ID: flooder}
	addrs := []bot.Address{flood}
	for p := range people {
		addrs = append(addrs, bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+4477009%05d", 20000+p)})
	}
	msgs, handoffs, out := s.transcripts(addrs...)

	for _, a := range addrs[1:] {
		var in int
		answered := true
		for _, m := range msgs[a] {
			switch {
			case m.Direction == bot.In:
				if !answered {
					t.Errorf("%s: message before %q got no reply", a, m.Text)
				}
				in, answered = in+1, false
				if m.Limited {
					t.Errorf("%s: %q was limited", a, m.Text)
				}
			default:
				answered = true
				if o := out[m.OutboxID]; o == nil || o.Status != bot.StatusSent {
					t.Errorf("%s: reply %d not sent: %+v", a, m.OutboxID, o)
				}
			}
		}
		if in != 6 || !answered {
			t.Errorf("%s: %d messages in the transcript (want 6), last answered %v", a, in, answered)
		}
		if got, want := len(s.tw.MessagesTo(a.ID)), len(msgs[a])-in; got != want {
			t.Errorf("%s: the fake Twilio got %d replies, the transcript has %d", a, got, want)
		}
	}

	var in, limited, crisis int
	var last *bot.Message
	seen := map[string]int{}
	for _, m := range msgs[flood] {
		if m.Direction == bot.In {
			in++
			seen[m.ProviderID]++
			if m.Limited {
				limited++
			}
			last = m
			continue
		}
		if m.Text == risk.CrisisText {
			crisis++
			continue
		}
		if last == nil || last.Limited {
			t.Errorf("the bot answered a message over the limit with %q", m.Text)
		}
	}
	if in != floodN+1 || limited != floodN+1-20 {
		t.Errorf("flooder: %d messages stored (want %d), %d limited (want %d)", in, floodN+1, limited, floodN+1-20)
	}
	for sid := range sids {
		if seen[sid] != 1 {
			t.Errorf("acknowledged flood message %s is in the transcript %d times", sid, seen[sid])
		}
	}
	if crisis == 0 || crisis > 2 {
		t.Errorf("flooder got %d crisis replies, want 1 or 2 (one in the burst, one over the limit)", crisis)
	}
	if got := s.tw.MessagesTo(flooder); !containsString(got, risk.CrisisText) {
		t.Errorf("the crisis reply did not reach the flooder: %q", got)
	}
	if h := handoffs[flood]; h == nil || !h.Urgent {
		t.Errorf("flooder's handoff = %+v, want urgent", h)
	}
}

// TestTelegramFloodIsBounded: 150 updates from one chat at once. The
// engine keeps at most 64 waiting; the rest are answered 429 and
// delivered again, as Telegram does. Every update ends up in the
// transcript exactly once.
func TestTelegramFloodIsBounded(t *testing.T) {
	s := startAbuseServer(t, nil)
	const chat, n = int64(7001), 150
	var busy atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[int]bool{}
	for i := range n {
		wg.Go(func() {
			d, err := s.tg.SendText(chat, "message "+strconv.Itoa(i))
			for tries := 0; err == nil && d.Status != http.StatusOK && tries < 200; tries++ {
				if d.Status == http.StatusTooManyRequests {
					busy.Add(1)
				} else {
					t.Errorf("update %d: status %d", d.UpdateID, d.Status)
					return
				}
				time.Sleep(20 * time.Millisecond)
				d, err = s.tg.Redeliver(d.UpdateID)
			}
			if err != nil || d.Status != http.StatusOK {
				t.Errorf("update %d never accepted: %+v %v", d.UpdateID, d, err)
				return
			}
			mu.Lock()
			ids[d.UpdateID] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	t.Logf("%d answers were 429 (busy) and delivered again", busy.Load())
	if m := s.metrics(); !strings.Contains(m, "linkline_inbound_busy_total "+strconv.FormatInt(busy.Load(), 10)+"\n") {
		t.Errorf("metrics disagree with %d busy answers:\n%s", busy.Load(), grepLines(m, "busy"))
	}
	msgs, _, _ := s.transcripts(bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chat, 10)})
	var in int
	for _, m := range msgs[bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chat, 10)}] {
		if m.Direction == bot.In {
			in++
		}
	}
	if len(ids) != n || in != n {
		t.Errorf("%d updates accepted, %d in the transcript; want %d each", len(ids), in, n)
	}
}

// TestBodyTooLarge: a 10 MB body to either webhook or to the console's
// forms is refused with 413 (or the connection is cut) long before it has
// all been sent, with a Content-Length and chunked.
func TestBodyTooLarge(t *testing.T) {
	s := startAbuseServer(t, nil)
	const size = 10 << 20
	targets := []struct {
		path, ctype string
		header      [2]string
	}{
		{"/webhooks/twilio/sms", "application/x-www-form-urlencoded", [2]string{"X-Twilio-Signature", "x"}},
		{"/webhooks/twilio/status", "application/x-www-form-urlencoded", [2]string{"X-Twilio-Signature", "x"}},
		{"/webhooks/telegram", "application/json", [2]string{telegramtest.SecretHeader, abuseSecret}},
		{"/console/login", "application/x-www-form-urlencoded", [2]string{"Sec-Fetch-Site", "same-origin"}},
		{"/console/contacts/c1/reply", "application/x-www-form-urlencoded", [2]string{"Sec-Fetch-Site", "same-origin"}},
		{"/console/admin/users", "application/x-www-form-urlencoded", [2]string{"Sec-Fetch-Site", "same-origin"}},
	}
	for _, tt := range targets {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s chunked=%v", tt.path, chunked), func(t *testing.T) {
				body := &slowBody{left: size}
				req, _ := http.NewRequest("POST", s.public+tt.path, body)
				if !chunked {
					req.ContentLength = size
				}
				req.Header.Set("Content-Type", tt.ctype)
				req.Header.Set(tt.header[0], tt.header[1])
				client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
				defer client.CloseIdleConnections()
				res, err := client.Do(req)
				sent := body.sent.Load()
				if err == nil {
					res.Body.Close()
					if res.StatusCode != http.StatusRequestEntityTooLarge {
						t.Errorf("status %d, want 413", res.StatusCode)
					}
				}
				if sent >= size/2 {
					t.Errorf("%d of %d bytes were sent before the answer (%v): the body was read", sent, size, err)
				}
			})
		}
	}
}

// slowBody is size bytes of form-like text, handed over 32 KiB at a time
// with a short pause, so that the server's answer can arrive before the
// client has written all of it.
type slowBody struct {
	left int
	sent atomic.Int64
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(time.Millisecond)
	n := min(len(p), b.left, 32<<10)
	for i := range n {
		p[i] = 'a'
	}
	b.left -= n
	b.sent.Add(int64(n))
	return n, nil
}

// TestSlowClientsCutOff: with the server's timeouts shortened, a client
// that dribbles its headers, one that sends headers then dribbles its
// body, and one that idles after a request are all disconnected; a normal
// request still works.
func TestSlowClientsCutOff(t *testing.T) {
	s := startAbuseServer(t, func(c *config) {
		c.timeouts = serverTimeouts{ReadHeader: 200 * time.Millisecond, Read: 500 * time.Millisecond,
			Write: 2 * time.Second, Idle: 500 * time.Millisecond}
	})
	addr := strings.TrimPrefix(s.public, "http://")
	const generous = 10 * time.Second

	tests := []struct {
		name  string
		head  string // sent at once
		drip  string // then one byte every 20 ms, repeated
		check func(t *testing.T, answer string)
	}{
		{name: "headers one byte at a time", drip: "POST /webhooks/twilio/sms HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{name: "body one byte at a time",
			head: "POST /console/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
			drip: "email=a"},
		{name: "idle after a request", head: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
			check: func(t *testing.T, answer string) {
				if !strings.HasPrefix(answer, "HTTP/1.1 200") {
					t.Errorf("the request before idling was not answered: %q", answer)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			stop := make(chan struct{})
			defer close(stop)
			if _, err := io.WriteString(conn, tt.head); err != nil {
				t.Fatal(err)
			}
			if tt.drip != "" {
				go func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
						if _, err := conn.Write([]byte{tt.drip[i%len(tt.drip)]}); err != nil {
							return
						}
					}
				}()
			}
			conn.SetReadDeadline(time.Now().Add(generous))
			answer, err := io.ReadAll(conn) // until the server closes or resets
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("not disconnected within %s: %v (read %q)", generous, err, answer)
			}
			if tt.check != nil {
				tt.check(t, string(answer))
			}
		})
	}
	// A normal request is served.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("normal request: %v %v", res, err)
	}
}

func grepLines(s, word string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, word) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFloodFlags(t *testing.T) {
	tests := []struct {
		burst, every string
		want         engine.FloodLimit
		err          string
	}{
		{"20", "10s", engine.FloodLimit{Burst: 20, Every: 10 * time.Second}, ""},
		{"0", "10s", engine.FloodLimit{}, ""},
		{"5", "1m", engine.FloodLimit{Burst: 5, Every: time.Minute}, ""},
		{"-1", "10s", engine.FloodLimit{}, "LINKLINE_INBOUND_BURST"},
		{"lots", "10s", engine.FloodLimit{}, "LINKLINE_INBOUND_BURST"},
		{"20", "0", engine.FloodLimit{}, "LINKLINE_INBOUND_EVERY"},
		{"20", "soon", engine.FloodLimit{}, "LINKLINE_INBOUND_EVERY"},
	}
	for _, tt := range tests {
		f := floodFlags{Burst: tt.burst, Every: tt.every}
		got, err := f.parse()
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("parse(%q, %q) = %v, %v; want %v, error naming %q", tt.burst, tt.every, got, err, tt.want, tt.err)
		}
	}
}

package twilio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/templates"
)

const publicURL = "https://linkline.example.org"

func newSender(t *testing.T, fake *twiliotest.Server, edit func(*twilio.Config)) *twilio.Sender {
	t.Helper()
	cfg := twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, From: twiliotest.Number,
		APIURL: fake.URL(), PublicURL: publicURL, Rate: 1000, Timeout: 300 * time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func out(to, text string, choices ...string) *bot.Outbound {
	o := &bot.Outbound{ID: 1, To: bot.Address{Channel: bot.SMS, ID: to}, Text: text}
	for i, c := range choices {
		o.Choices = append(o.Choices, bot.Choice{Value: string(rune('a' + i)), Label: c})
	}
	return o
}

var smSID = regexp.MustCompile(`^SM[0-9a-f]{32}$`)

func TestSendSuccess(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*twilio.Config)
		wantFrom string
		wantMG   string
		wantCB   string
	}{
		{name: "from number", wantFrom: twiliotest.Number, wantCB: publicURL + twilio.StatusPath},
		{name: "messaging service", wantMG: "MG0123456789abcdef0123456789abcdef", wantCB: publicURL + twilio.StatusPath,
			edit: func(c *twilio.Config) { c.From, c.MessagingServiceSID = "", "MG0123456789abcdef0123456789abcdef" }},
		{name: "no public URL, no status callback", wantFrom: twiliotest.Number,
			edit: func(c *twilio.Config) { c.PublicURL = "" }},
		{name: "API URL with trailing slash", wantFrom: twiliotest.Number, wantCB: publicURL + twilio.StatusPath,
			edit: func(c *twilio.Config) { c.APIURL += "/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliotest.New()
			t.Cleanup(fake.Close)
			s := newSender(t, fake, tc.edit)
			id, err := s.Send(t.Context(), out("+447700900123", "How would you like a link worker to contact you?", "Text message", "Phone call"))
			if err != nil {
				t.Fatal(err)
			}
			msgs := fake.Messages()
			if len(msgs) != 1 {
				t.Fatalf("fake got %d messages, want 1", len(msgs))
			}
			m := msgs[0]
			if !smSID.MatchString(id) || id != m.SID {
				t.Errorf("provider id %q, fake recorded %q", id, m.SID)
			}
			want := "How would you like a link worker to contact you?\n1. Text message\n2. Phone call"
			if m.Body != want || m.To != "+447700900123" || m.From != tc.wantFrom || m.MessagingServiceSID != tc.wantMG || m.StatusCallback != tc.wantCB {
				t.Errorf("sent %+v\nwant body %q from %q service %q callback %q", m, want, tc.wantFrom, tc.wantMG, tc.wantCB)
			}
		})
	}
}

// TestSendKeepsOneRate: typographic punctuation is sent as GSM-7, so the
// fake Twilio receives a one-rate message; letters and emoji are not
// touched, so those messages are (rightly) sent as UCS-2.
func TestSendKeepsOneRate(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
		ucs2             bool
	}{
		{"curly quotes and dashes", "Mrs O\u2019Brien \u2013 see you \u201csoon\u201d\u2026", `Mrs O'Brien - see you "soon"...`, false},
		{"non-breaking and zero-width spaces", "Mon\u00a0to\u202fFri\u200b 9am", "Mon to Fri 9am", false},
		{"Welsh letters stay", "Diolch i\u2019r t\u00eem, d\u0175r", "Diolch i'r t\u00eem, d\u0175r", true},
		{"emoji stay", "Thank you \U0001F60A", "Thank you \U0001F60A", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliotest.New()
			t.Cleanup(fake.Close)
			s := newSender(t, fake, nil)
			if _, err := s.Send(t.Context(), out("+447700900123", tc.text)); err != nil {
				t.Fatal(err)
			}
			msgs := fake.Messages()
			if len(msgs) != 1 || msgs[0].Body != tc.want {
				t.Fatalf("fake got %+v, want one message %q", msgs, tc.want)
			}
			if _, ucs2 := templates.Segments(msgs[0].Body); ucs2 != tc.ucs2 {
				t.Errorf("%q: UCS-2 = %v, want %v", msgs[0].Body, ucs2, tc.ucs2)
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	for _, tc := range []struct {
		name          string
		to            string
		inject        func(*twiliotest.Server)
		edit          func(*twilio.Config)
		wantPermanent bool
		wantOptOut    bool
		wantRetry     bool // RetryAfter set
		wantCode      string
	}{
		{name: "500 is temporary", inject: func(f *twiliotest.Server) { f.FailNext(1, 500) }, wantCode: "20500"},
		{name: "503 is temporary", inject: func(f *twiliotest.Server) { f.FailNext(1, 503) }, wantCode: "20500"},
		{name: "429 asks to wait", inject: func(f *twiliotest.Server) { f.ThrottleNext(1) }, wantRetry: true, wantCode: "20429"},
		{name: "invalid number 21211 is permanent", to: "+44123", wantPermanent: true, wantCode: "21211"},
		{name: "unsubscribed 21610 opts out", inject: func(f *twiliotest.Server) { f.FailTo("+447700900123", 21610) },
			wantPermanent: true, wantOptOut: true, wantCode: "21610"},
		{name: "not a mobile 21614 is permanent", inject: func(f *twiliotest.Server) { f.FailTo("+447700900123", 21614) },
			wantPermanent: true, wantCode: "21614"},
		{name: "region not enabled 21408 is permanent", inject: func(f *twiliotest.Server) { f.FailTo("+447700900123", 21408) },
			wantPermanent: true, wantCode: "21408"},
		{name: "unreachable 30003 is permanent", inject: func(f *twiliotest.Server) { f.FailTo("+447700900123", 30003) },
			wantPermanent: true, wantCode: "30003"},
		{name: "timeout is temporary", inject: func(f *twiliotest.Server) { f.HangNext(1) }},
		{name: "bad credentials are temporary: fixing them must not lose messages",
			edit: func(c *twilio.Config) { c.AuthToken = "ffffffffffffffffffffffffffffffff" }, wantCode: "20003"},
		{name: "nothing listening is temporary", edit: func(c *twilio.Config) { c.APIURL = "http://127.0.0.1:1" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliotest.New()
			t.Cleanup(fake.Close)
			if tc.inject != nil {
				tc.inject(fake)
			}
			s := newSender(t, fake, tc.edit)
			id, err := s.Send(t.Context(), out(cmp(tc.to, "+447700900123"), "Hello"))
			if err == nil {
				t.Fatalf("sent as %s, want an error", id)
			}
			var se *bot.SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *bot.SendError", err, err)
			}
			if se.Permanent != tc.wantPermanent || se.OptOut != tc.wantOptOut || (se.RetryAfter > 0) != tc.wantRetry || se.Code != tc.wantCode {
				t.Errorf("got %+v, want permanent %v opt-out %v retry-after %v code %q", se, tc.wantPermanent, tc.wantOptOut, tc.wantRetry, tc.wantCode)
			}
			if strings.Contains(se.Error(), "900123") {
				t.Errorf("error text quotes the number: %s", se.Error())
			}
			if tc.wantCode != "" && tc.wantCode != "20003" {
				if _, ok := errors.AsType[*client.TwilioRestError](err); !ok {
					t.Errorf("error does not unwrap to twilio-go's TwilioRestError: %v", err)
				}
			}
			if n := len(fake.Messages()); n != 0 {
				t.Errorf("fake accepted %d messages", n)
			}
		})
	}
}

func TestSendRefusesOtherChannels(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	_, err := newSender(t, fake, nil).Send(t.Context(), &bot.Outbound{To: bot.Address{Channel: bot.Telegram, ID: "42"}, Text: "hi"})
	if se := bot.AsSendError(err); err == nil || !se.Permanent {
		t.Fatalf("got %v, want a permanent failure", err)
	}
}

func TestNewSenderChecksConfig(t *testing.T) {
	good := twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, From: twiliotest.Number}
	for name, edit := range map[string]func(*twilio.Config){
		"no account":        func(c *twilio.Config) { c.AccountSID = "" },
		"token with spaces": func(c *twilio.Config) { c.AuthToken = "not a token" },
		"no sender":         func(c *twilio.Config) { c.From = "" },
		"bad API URL":       func(c *twilio.Config) { c.APIURL = "ftp://example.org" },
		"negative rate":     func(c *twilio.Config) { c.Rate = -1 },
	} {
		cfg := good
		edit(&cfg)
		if _, err := twilio.NewSender(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := twilio.NewSender(good); err != nil {
		t.Errorf("good config refused: %v", err)
	}
}

// TestSendPacing sends many messages at once and checks the fake saw them
// spread out at the configured rate: in any quarter second, no more than
// the rate allows plus some slack for scheduling.
func TestSendPacing(t *testing.T) {
	const rate, n = 20.0, 12
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	fake.SetRateLimit(2 * rate)
	s := newSender(t, fake, func(c *twilio.Config) { c.Rate = rate; c.Timeout = 5 * time.Second })
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := s.Send(t.Context(), out("+447700900123", "Hello")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	msgs := fake.Messages()
	if len(msgs) != n {
		t.Fatalf("fake got %d messages, want %d", len(msgs), n)
	}
	times := make([]time.Time, n)
	for i, m := range msgs {
		times[i] = m.At
	}
	slices.SortFunc(times, time.Time.Compare)
	const window = 250 * time.Millisecond
	limit := int(rate*window.Seconds()) + 2
	for i := range times {
		j := i
		for j < n && times[j].Sub(times[i]) < window {
			j++
		}
		if j-i > limit {
			t.Fatalf("%d sends within %v of each other; pacing at %v/s allows about %d", j-i, window, rate, limit)
		}
	}
	if st := fake.Stats(); st.Throttled != 0 {
		t.Errorf("fake throttled %d requests", st.Throttled)
	}
}

// TestSendHonoursContextWhilePaced: a send waiting for its turn gives up
// when its context ends.
func TestSendHonoursContextWhilePaced(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newSender(t, fake, func(c *twilio.Config) { c.Rate = 0.01 })
	if _, err := s.Send(t.Context(), out("+447700900123", "first")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Send(ctx, out("+447700900123", "second")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's deadline", err)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Fatalf("fake got %d messages, want 1", n)
	}
}

// TestSendAgainstRateLimit: against a provider rate limit, a 429 is
// reported with a wait, and the sender slows down so that retries get
// through.
func TestSendAgainstRateLimit(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	fake.SetRateLimit(3)
	s := newSender(t, fake, func(c *twilio.Config) { c.Rate = 1000 })
	throttled := 0
	for range 6 {
		_, err := s.Send(t.Context(), out("+447700900123", "Hello"))
		if err == nil {
			continue
		}
		se := bot.AsSendError(err)
		if se.RetryAfter <= 0 || se.Permanent || se.Code != "20429" {
			t.Fatalf("got %+v, want a 429 with a wait", se)
		}
		throttled++
	}
	if throttled == 0 || len(fake.Messages()) != 6-throttled {
		t.Fatalf("%d throttled, %d accepted; want some throttled and the rest accepted", throttled, len(fake.Messages()))
	}
}

// TestSendAcceptedButUnreadable: when Twilio accepted a message but its
// answer cannot be read, Send reports success, so the dispatcher does not
// send the message twice.
func TestSendAcceptedButUnreadable(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "<html>not json")
	}))
	t.Cleanup(srv.Close)
	s, err := twilio.NewSender(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken,
		From: twiliotest.Number, APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := s.Send(t.Context(), out("+447700900123", "Hello")); err != nil || id != "" || hits != 1 {
		t.Fatalf("got id %q, err %v after %d requests; want success with no id after 1", id, err, hits)
	}
}

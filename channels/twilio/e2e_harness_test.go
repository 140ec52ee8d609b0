package twilio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/flows/flowtest"
	"github.com/linkline/linkline/store/bolt"
)

// server is Linkline's SMS path end to end: the Twilio webhooks over real
// HTTP on 127.0.0.1, the real engine on a real bbolt file, the outbox
// dispatcher sending through the real twilio-go client to the fake Twilio.
type server struct {
	t     *testing.T
	fake  *twiliotest.Server
	path  string
	store *bolt.DB
	eng   *engine.Engine
	http  *httptest.Server
	stop  func()
	seen  map[string]int // messages to each number already returned by say
}

func newServer(t *testing.T, fake *twiliotest.Server) *server {
	s := &server{t: t, fake: fake, path: filepath.Join(t.TempDir(), "linkline.db"), seen: map[string]int{}}
	s.start()
	t.Cleanup(s.shutdown)
	return s
}

// start opens the store and serves; it is also the restart after shutdown.
func (s *server) start() {
	t := s.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := bolt.Open(ctx, s.path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.http = httptest.NewServer(mux)
	cfg := twilio.Config{AccountSID: s.fake.AccountSID, AuthToken: s.fake.AuthToken, From: s.fake.Number,
		APIURL: s.fake.URL(), PublicURL: s.http.URL, Rate: 1000, Timeout: 300 * time.Millisecond}
	sender, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// One worker keeps one person's replies in the order they were queued.
	disp := outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.SMS: sender}, outbox.DispatchOptions{
		Workers: 1, BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Idle: 50 * time.Millisecond})
	ecfg := bottest.Config(t, store)
	ecfg.OnOutbox = disp.Wake
	eng, err := engine.NewEngine(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/webhooks/twilio/", twilio.NewHandler(cfg, eng, nil))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := disp.Run(ctx); err != nil {
			t.Errorf("dispatcher: %v", err)
		}
	}()
	s.store, s.eng = store, eng
	s.stop = func() {
		s.http.Close()
		cancel()
		<-done
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	}
}

func (s *server) shutdown() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

func (s *server) restart() {
	s.t.Helper()
	s.shutdown()
	s.start()
}

func (s *server) smsURL() string    { return s.http.URL + twilio.SMSPath }
func (s *server) statusURL() string { return s.http.URL + twilio.StatusPath }

// post sends a signed webhook form and returns the status code.
func (s *server) post(target string, form url.Values) int {
	s.t.Helper()
	res, err := s.fake.Post(s.t.Context(), target, form)
	if err != nil {
		s.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// say texts the service from a number (any format) and returns the replies
// that reached the fake Twilio because of it.
func (s *server) say(from, text string) []string {
	s.t.Helper()
	if code := s.post(s.smsURL(), s.fake.InboundForm(from, text)); code != http.StatusOK {
		s.t.Fatalf("webhook for %q answered %d", text, code)
	}
	return s.replies(from)
}

// replies waits for the outbox to settle for a number and returns the
// messages the fake accepted for it since the last call.
func (s *server) replies(from string) []string {
	s.t.Helper()
	num := e164(s.t, from)
	s.settle(num)
	s.checkOnce(num)
	got := s.fake.MessagesTo(num)
	out := got[s.seen[num]:]
	s.seen[num] = len(got)
	return out
}

// settle waits until no outbox row for the number is pending.
func (s *server) settle(num string) {
	s.t.Helper()
	settle(s.t, s.store, time.Now(), num)
}

// settle waits until no outbox row for num, due by now plus two days, is
// pending in store.
func settle(t testing.TB, store bot.Store, now time.Time, num string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending := 0
		err := store.View(context.Background(), func(tx bot.Tx) error {
			return tx.Pending(now.Add(48*time.Hour), func(o *bot.Outbound) bool {
				if o.To.ID == num {
					pending++
				}
				return true
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages to %s still pending", pending, num)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// selfReferralScript is the built-in script that completes a
// self-referral, played over SMS and WhatsApp alike.
func selfReferralScript(t *testing.T) *flowtest.Script {
	t.Helper()
	data, err := os.ReadFile("../../flows/builtin/tests/self-referral.yaml")
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := flowtest.Parse("self-referral.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if strings.Contains(scripts[i].Name, "completes a self-referral") {
			return &scripts[i]
		}
	}
	t.Fatal("no 'completes a self-referral' script in flows/builtin/tests/self-referral.yaml")
	return nil
}

// checkOnce checks that Twilio accepted each of a number's sent outbox
// rows exactly once, under the id the row records.
func (s *server) checkOnce(num string) {
	s.t.Helper()
	if s.contact(num) == nil {
		return
	}
	_, rows := s.transcript(num)
	bySID := map[string]int{}
	for _, m := range s.fake.Messages() {
		if m.To == num {
			bySID[m.SID]++
		}
	}
	sent := 0
	for _, o := range rows {
		if o.ProviderID == "" {
			continue
		}
		sent++
		if bySID[o.ProviderID] != 1 {
			s.t.Errorf("outbox row %d (%q) is at Twilio %d times under its id", o.ID, o.Text, bySID[o.ProviderID])
		}
	}
	if len(bySID) != sent {
		s.t.Errorf("Twilio accepted %d messages for %s; the outbox sent %d", len(bySID), num, sent)
	}
}

func e164(t *testing.T, n string) string {
	t.Helper()
	num, err := twilio.NormalizeNumber(n)
	if err != nil {
		t.Fatal(err)
	}
	return num
}

// contact returns the contact texting from a number, or nil.
func (s *server) contact(from string) *bot.Contact {
	s.t.Helper()
	var c *bot.Contact
	err := s.store.View(s.t.Context(), func(tx bot.Tx) error {
		var err error
		c, err = tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: e164(s.t, from)})
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// transcript returns a number's transcript and the outbox rows of its
// outbound lines.
func (s *server) transcript(from string) (msgs []*bot.Message, rows []*bot.Outbound) {
	s.t.Helper()
	c := s.contact(from)
	if c == nil {
		s.t.Fatalf("no contact for %s", from)
	}
	err := s.store.View(s.t.Context(), func(tx bot.Tx) error {
		if err := tx.Messages(c.ID, func(m *bot.Message) bool { msgs = append(msgs, m); return true }); err != nil {
			return err
		}
		for _, m := range msgs {
			if m.OutboxID == 0 {
				continue
			}
			o, err := tx.Outbound(m.OutboxID)
			if err != nil {
				return err
			}
			rows = append(rows, o)
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return msgs, rows
}

// inbound counts the person's lines in a transcript.
func inbound(msgs []*bot.Message) int {
	n := 0
	for _, m := range msgs {
		if m.Direction == bot.In {
			n++
		}
	}
	return n
}

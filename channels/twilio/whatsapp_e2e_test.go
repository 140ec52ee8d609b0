package twilio_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
)

// Template SIDs the WhatsApp tests configure.
const (
	tmplWorker = "HX11111111111111111111111111111111"
	tmplAny    = "HX22222222222222222222222222222222"
)

// waServer is Linkline's WhatsApp path end to end: SMS and WhatsApp
// senders on one Twilio account, real webhooks on 127.0.0.1, the real
// engine on a bbolt file and twilio-go talking to the fake. One manual
// clock drives the engine, the dispatcher and the senders, so a test can
// let the 24-hour window pass.
type waServer struct {
	t     *testing.T
	fake  *twiliotest.Server
	clock *bot.ManualClock
	store *bolt.DB
	eng   *engine.Engine
	http  *httptest.Server
	seen  map[string]int
	wa    *twilio.Sender
}

func newWAServer(t *testing.T, fake *twiliotest.Server, templates map[string]twilio.Template) *waServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := bot.NewManualClock(time.Now())
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	cfg := twilio.Config{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken, From: fake.Number,
		WhatsAppFrom: fake.Number, Templates: templates, Clock: clock,
		APIURL: fake.URL(), ContentURL: fake.URL(), PublicURL: hs.URL, Rate: 1000, WhatsAppRate: 1000, Timeout: time.Second}
	sms, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wa, err := twilio.NewWhatsAppSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.SMS: sms, bot.WhatsApp: wa}, outbox.DispatchOptions{
		Workers: 1, Clock: clock, BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Idle: 20 * time.Millisecond})
	ecfg := bottest.Config(t, store)
	ecfg.Clock, ecfg.OnOutbox = clock, disp.Wake
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
	t.Cleanup(func() {
		hs.Close()
		cancel()
		<-done
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return &waServer{t: t, fake: fake, clock: clock, store: store, eng: eng, http: hs, seen: map[string]int{}, wa: wa}
}

// post sends a signed webhook and fails the test unless it is answered 200.
func (s *waServer) post(path string, form url.Values) {
	s.t.Helper()
	res, err := s.fake.Post(s.t.Context(), s.http.URL+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("webhook %s answered %d", path, res.StatusCode)
	}
}

// say writes to the service on WhatsApp and returns what reached the fake
// for the number since the last call.
func (s *waServer) say(num, text string, extra url.Values) []twiliotest.Message {
	s.t.Helper()
	s.post(twilio.SMSPath, s.fake.WhatsAppForm(num, "Sam", text, extra))
	return s.replies(num)
}

// replies waits until nothing for num is pending in the outbox and returns
// the messages the fake accepted for whatsapp:num since the last call.
func (s *waServer) replies(num string) []twiliotest.Message {
	s.t.Helper()
	settle(s.t, s.store, s.clock.Now(), num)
	var got []twiliotest.Message
	for _, m := range s.fake.Messages() {
		if m.To == twilio.WhatsAppPrefix+num {
			got = append(got, m)
		}
	}
	out := got[s.seen[num]:]
	s.seen[num] = len(got)
	return out
}

func (s *waServer) contact(a bot.Address) *bot.Contact {
	s.t.Helper()
	var c *bot.Contact
	err := s.store.View(s.t.Context(), func(tx bot.Tx) error {
		var err error
		c, err = tx.ContactByAddress(a)
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// rows returns a contact's outbox rows, oldest first.
func (s *waServer) rows(c *bot.Contact) []*bot.Outbound {
	s.t.Helper()
	var rows []*bot.Outbound
	err := s.store.View(s.t.Context(), func(tx bot.Tx) error {
		var msgs []*bot.Message
		if err := tx.Messages(c.ID, func(m *bot.Message) bool { msgs = append(msgs, m); return true }); err != nil {
			return err
		}
		for _, m := range msgs {
			if m.OutboxID != 0 {
				o, err := tx.Outbound(m.OutboxID)
				if err != nil {
					return err
				}
				rows = append(rows, o)
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return rows
}

func bodies(ms []twiliotest.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Body
	}
	return out
}

// TestWhatsAppSelfReferral plays the built-in self-referral script over
// WhatsApp: the person is a WhatsApp contact of their own (not an SMS one),
// every reply goes from the WhatsApp sender to whatsapp:+44..., free-form,
// and nothing goes by SMS.
func TestWhatsAppSelfReferral(t *testing.T) {
	script := selfReferralScript(t)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, nil)
	const num = "+447700900301"
	var said []string
	for i, st := range script.Steps {
		switch {
		case st.Person != nil:
			got := s.say(num, *st.Person, nil)
			for _, m := range got {
				if m.From != twilio.WhatsAppPrefix+fake.Number || m.ContentSID != "" {
					t.Fatalf("sent %+v, want free-form from whatsapp:%s", m, fake.Number)
				}
			}
			said = append(said, bodies(got)...)
		case st.Bot != nil:
			if len(said) == 0 {
				t.Fatalf("step %d: want the bot to say %q, it said nothing more", i+1, *st.Bot)
			}
			if !strings.Contains(strings.ToLower(said[0]), strings.ToLower(*st.Bot)) {
				t.Fatalf("step %d: want the bot to say %q, it said %q", i+1, *st.Bot, said[0])
			}
			if strings.ContainsAny(said[0], "<>") {
				t.Fatalf("step %d: HTML sent to WhatsApp: %q", i+1, said[0])
			}
			said = said[1:]
		case st.Nothing:
			if len(said) > 0 {
				t.Fatalf("step %d: want nothing more, the bot said %q", i+1, said)
			}
		}
	}
	if c := s.contact(bot.Address{Channel: bot.SMS, ID: num}); c != nil {
		t.Fatalf("the WhatsApp person became an SMS contact too: %+v", c)
	}
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	if c == nil {
		t.Fatal("no WhatsApp contact")
	}
	optIns := 0
	err := s.store.View(t.Context(), func(tx bot.Tx) error {
		return tx.Events(func(e *bot.Event) bool {
			if e.ContactID == c.ID && e.Kind == bot.EventOptIn && e.Data["channel"] == "whatsapp" {
				optIns++
			}
			return true
		})
	})
	if err != nil || optIns != 1 {
		t.Fatalf("%d WhatsApp opt-ins recorded (%v), want 1 at first contact", optIns, err)
	}
	var ref *bot.Referral
	err = s.store.View(t.Context(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool {
			if r.ContactID == c.ID {
				ref = r
			}
			return true
		})
	})
	if err != nil || ref == nil || ref.Name != "Sam Jones" {
		t.Fatalf("referral %+v, %v", ref, err)
	}
	for _, m := range fake.Messages() {
		if !m.WhatsApp() {
			t.Fatalf("an SMS was sent: %+v", m)
		}
	}
	if n, err := fake.StatusAll(t.Context()); err != nil || n == 0 {
		t.Fatalf("status callbacks: %d, %v", n, err)
	}
	for _, o := range s.rows(c) {
		if o.Status != bot.StatusDelivered {
			t.Fatalf("row %d %q is %s, want delivered", o.ID, o.Text, o.Status)
		}
	}
}

// TestWhatsAppWindow: within 24 hours of the person's last message a link
// worker's reply goes free-form; after it, as the approved template for
// worker replies with the words as its variable; with no template for the
// kind, the row fails at once saying so, and nothing reaches Twilio.
func TestWhatsAppWindow(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, map[string]twilio.Template{bot.OutWorker: {ContentSID: tmplWorker}})
	const num = "+447700900302"
	if got := s.say(num, "I want to talk to someone", nil); len(got) == 0 {
		t.Fatal("no reply")
	}
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	if c == nil || c.LastInboundAt.IsZero() {
		t.Fatalf("contact %+v: want LastInboundAt set", c)
	}
	if _, err := s.eng.TakeOver(t.Context(), c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Hello Sam, this is Jo.\nI can call you today."); err != nil {
		t.Fatal(err)
	}
	got := s.replies(num)
	if len(got) != 1 || got[0].ContentSID != "" || !strings.Contains(got[0].Body, "this is Jo") {
		t.Fatalf("inside the window: %+v", got)
	}

	// Two days on, the window has closed.
	s.clock.Advance(48 * time.Hour)
	fake.OpenWindow(num, time.Now().Add(-48*time.Hour))
	if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Hi Sam,\nare you free on Monday?"); err != nil {
		t.Fatal(err)
	}
	got = s.replies(num)
	if len(got) != 1 || got[0].ContentSID != tmplWorker || got[0].Body != "" {
		t.Fatalf("outside the window: %+v, want the worker template", got)
	}
	var vars map[string]string
	if err := json.Unmarshal([]byte(got[0].ContentVariables), &vars); err != nil || vars["1"] != "Hi Sam, / are you free on Monday?" {
		t.Fatalf("variables %q (%v)", got[0].ContentVariables, err)
	}
	if got[0].ErrorCode != "" {
		t.Fatalf("the fake refused the template: %s", got[0].ErrorCode)
	}
}

// TestWhatsAppNoTemplate: outside the window with no template for the
// kind, the row fails at once with 63016 and the reason, and nothing
// reaches Twilio.
func TestWhatsAppNoTemplate(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, nil)
	const num = "+447700900303"
	s.say(num, "I want to talk to someone", nil)
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	if _, err := s.eng.TakeOver(t.Context(), c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(25 * time.Hour)
	if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Are you free on Monday?"); err != nil {
		t.Fatal(err)
	}
	if got := s.replies(num); len(got) != 0 {
		t.Fatalf("sent %+v, want nothing", got)
	}
	rows := s.rows(c)
	last := rows[len(rows)-1]
	if last.Status != bot.StatusFailed || last.ErrorCode != bot.CodeOutsideWindow || !strings.Contains(last.Error, "no template") {
		t.Fatalf("row %+v: want failed 63016, no template", last)
	}
}

// TestWhatsApp63016: Twilio accepts a free-form message and reports it
// failed with 63016 (the person's window closed although Linkline thought
// it open): the row goes again as the template, and is delivered.
func TestWhatsApp63016(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, map[string]twilio.Template{"*": {ContentSID: tmplAny}})
	const num = "+447700900304"
	s.say(num, "I want to talk to someone", nil)
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	if _, err := s.eng.TakeOver(t.Context(), c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.StatusAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	fake.OpenWindow(num, time.Now().Add(-25*time.Hour))
	if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Are you free on Monday?"); err != nil {
		t.Fatal(err)
	}
	got := s.replies(num)
	if len(got) != 1 || got[0].ContentSID != "" || got[0].ErrorCode != "63016" {
		t.Fatalf("first try %+v: want free-form, failed 63016", got)
	}
	if _, err := fake.StatusAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	got = s.replies(num)
	if len(got) != 1 || got[0].ContentSID != tmplAny {
		t.Fatalf("after 63016 %+v: want the template", got)
	}
	if _, err := fake.StatusAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	rows := s.rows(c)
	last := rows[len(rows)-1]
	if last.Status != bot.StatusDelivered || !last.Template || last.ProviderID != got[0].SID {
		t.Fatalf("row %+v: want delivered as the template", last)
	}
}

// TestWhatsAppContent: what people really send on WhatsApp, end to end.
// Each kind is answered by what it is; a caption is screened for risk like
// any text (the crisis reply goes before anything else); STOP is honoured
// and a link worker's later message is not sent.
func TestWhatsAppContent(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, map[string]twilio.Template{"*": {ContentSID: tmplAny}})
	const num = "+447700900305"
	s.say(num, "hello", nil)
	media := func(ct string) url.Values {
		return url.Values{"NumMedia": {"1"}, "MediaContentType0": {ct},
			"MediaUrl0": {"https://api.twilio.com/2010-04-01/Accounts/" + fake.AccountSID + "/Messages/MM" + strings.Repeat("a", 32) + "/Media/ME" + strings.Repeat("b", 32)}}
	}
	for _, tc := range []struct {
		name  string
		body  string
		extra url.Values
		want  string
	}{
		{"location", "", url.Values{"MessageType": {"location"}, "Latitude": {"51.5"}, "Longitude": {"-0.12"}, "Label": {"Home"}}, "the place you shared"},
		{"contact", "", media("text/vcard"), "the contact you shared"},
		{"voice", "", media("audio/ogg"), "voice message"},
		{"sticker", "", media("image/webp"), "sticker"},
		{"unsupported", "", url.Values{"MessageType": {"reaction"}}, "can't show that kind of message"},
	} {
		got := bodies(s.say(num, tc.body, tc.extra))
		if len(got) == 0 || !strings.Contains(got[0], tc.want) {
			t.Errorf("%s: replies %q, want one saying %q", tc.name, got, tc.want)
		}
	}
	got := bodies(s.say(num, "I want to kill myself", media("image/jpeg")))
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("photo with a risk caption: replies %q, want the crisis text first", got)
	}
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	var msgs []*bot.Message
	err := s.store.View(t.Context(), func(tx bot.Tx) error {
		return tx.Messages(c.ID, func(m *bot.Message) bool { msgs = append(msgs, m); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		for _, x := range m.Media {
			if strings.Contains(x, "http") || strings.Contains(x, "Home") || strings.Contains(x, "51.5") {
				t.Fatalf("transcript keeps %q: want kinds and references only", x)
			}
		}
	}

	if got := bodies(s.say(num, "STOP", nil)); len(got) != 1 || !strings.Contains(got[0], "won't get any more messages") {
		t.Fatalf("STOP: %q", got)
	}
	if _, err := s.eng.TakeOver(t.Context(), c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	if err := s.eng.Reply(t.Context(), c.ID, "lw1", "Hello?"); err != nil {
		t.Fatal(err)
	}
	if got := s.replies(num); len(got) != 0 {
		t.Fatalf("after STOP a worker's message was sent: %q", bodies(got))
	}
}

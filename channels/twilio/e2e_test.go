package twilio_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestE2ESelfReferral plays the built-in self-referral script over SMS:
// signed webhooks in, replies out through twilio-go to the fake, choices as
// numbered lines. The person writes from both the national and the
// international form of one number; it is one conversation. Delivery
// reports then mark every reply delivered.
func TestE2ESelfReferral(t *testing.T) {
	script := selfReferralScript(t)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)

	forms := []string{"07700 900201", "+447700900201"}
	var said []string
	turn := 0
	for i, st := range script.Steps {
		switch {
		case st.Person != nil:
			got := s.say(forms[turn%2], *st.Person)
			t.Logf("%q -> %q", *st.Person, got)
			said = append(said, got...)
			turn++
		case st.Bot != nil:
			if len(said) == 0 {
				t.Fatalf("step %d: want the bot to say %q, it said nothing more", i+1, *st.Bot)
			}
			if !strings.Contains(strings.ToLower(said[0]), strings.ToLower(*st.Bot)) {
				t.Fatalf("step %d: want the bot to say %q, it said %q", i+1, *st.Bot, said[0])
			}
			said = said[1:]
		case st.Nothing:
			if len(said) > 0 {
				t.Fatalf("step %d: want nothing more, the bot said %q", i+1, said)
			}
		default:
			t.Fatalf("step %d: the SMS end-to-end test cannot play %+v", i+1, st)
		}
	}

	c := s.contact("+447700900201")
	var ref *bot.Referral
	err := s.store.View(t.Context(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool {
			if r.ContactID == c.ID {
				ref = r
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref == nil || ref.Name != "Sam Jones" || ref.Postcode != "SW1A 2AA" || ref.Method != bot.ReferralMethodSelf {
		t.Fatalf("referral %+v", ref)
	}

	msgs := fake.Messages()
	for _, m := range msgs {
		if m.StatusCallback != s.statusURL() || m.From != fake.Number {
			t.Fatalf("sent %+v, want From %s and status callback %s", m, fake.Number, s.statusURL())
		}
		res, err := fake.SendStatus(t.Context(), m.StatusCallback, m, "delivered", "")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status callback answered %d", res.StatusCode)
		}
	}
	_, rows := s.transcript("+447700900201")
	if len(rows) != len(msgs) {
		t.Fatalf("%d outbox rows, %d messages at Twilio", len(rows), len(msgs))
	}
	for _, o := range rows {
		if o.Status != bot.StatusDelivered {
			t.Errorf("outbox row %d is %s, want delivered", o.ID, o.Status)
		}
	}
}

// TestE2EForgedWebhook: a webhook signed with another token is refused and
// leaves no trace.
func TestE2EForgedWebhook(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	forger := twiliotest.New()
	t.Cleanup(forger.Close)
	forger.AuthToken = "ffffffffffffffffffffffffffffffff"
	res, err := forger.SendSMS(t.Context(), s.smsURL(), "+447700900202", "hello")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("forged webhook answered %d, want 403", res.StatusCode)
	}
	if c := s.contact("+447700900202"); c != nil {
		t.Fatalf("forged webhook created contact %+v", c)
	}
	if n := len(fake.Messages()); n != 0 {
		t.Fatalf("forged webhook caused %d replies", n)
	}
}

// TestE2ERetriedWebhook: Twilio posting one MessageSid again, also while
// the first is still running, is handled once.
func TestE2ERetriedWebhook(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	form := fake.InboundForm("+447700900203", "hello")
	if code := s.post(s.smsURL(), form); code != http.StatusOK {
		t.Fatalf("first post answered %d", code)
	}
	first := s.replies("+447700900203")
	if len(first) == 0 {
		t.Fatal("no replies to the first post")
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if code := s.post(s.smsURL(), form); code != http.StatusOK {
				t.Errorf("retry answered %d, want 200", code)
			}
		})
	}
	wg.Wait()
	if again := s.replies("+447700900203"); len(again) != 0 {
		t.Fatalf("retries caused replies %q", again)
	}
	if msgs, _ := s.transcript("+447700900203"); inbound(msgs) != 1 {
		t.Fatalf("transcript has %d inbound lines, want 1", inbound(msgs))
	}
}

// TestE2EStop: after STOP the person gets one confirmation and then
// nothing, whatever they write, until START.
func TestE2EStop(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	const person = "+447700900204"
	if got := s.say(person, "hi"); len(got) == 0 {
		t.Fatal("no reply to hi")
	}
	if got := s.say(person, "STOP"); len(got) != 1 || !strings.Contains(got[0], "START") {
		t.Fatalf("STOP replies %q, want one confirmation mentioning START", got)
	}
	// (YES is not among them: like Twilio, Linkline reads it as START.)
	for _, text := range []string{"ok", "Sam Jones", "HELP", "hello?"} {
		if got := s.say(person, text); len(got) != 0 {
			t.Fatalf("after STOP, %q got replies %q", text, got)
		}
	}
	if c := s.contact(person); !c.OptedOut {
		t.Fatal("contact not opted out")
	}
	if msgs, _ := s.transcript(person); inbound(msgs) != 6 {
		t.Fatalf("transcript kept %d of 6 inbound messages", inbound(msgs))
	}
	if got := s.say(person, "START"); len(got) == 0 {
		t.Fatal("START got no reply")
	}
}

// TestE2EProviderOptOut: Twilio's 21610 (the person unsubscribed at
// Twilio), whether it comes back from the API or in a delivery report,
// opts the contact out, and nothing more is sent to them.
func TestE2EProviderOptOut(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)

	const viaAPI = "+447700900205"
	fake.FailTo(viaAPI, 21610)
	s.say(viaAPI, "hi")
	if c := s.contact(viaAPI); !c.OptedOut {
		t.Fatal("21610 from the API did not opt the contact out")
	}
	_, rows := s.transcript(viaAPI)
	if len(rows) == 0 || rows[0].Status != bot.StatusFailed || rows[0].ErrorCode != "21610" {
		t.Fatalf("first outbox row %+v, want failed with 21610", rows[0])
	}
	before := fake.Stats().Rejected
	s.say(viaAPI, "hello?")
	if after := fake.Stats().Rejected; after != before {
		t.Fatalf("%d more sends attempted to an opted-out contact", after-before)
	}

	const viaReport = "+447700900206"
	got := s.say(viaReport, "hi")
	if len(got) == 0 {
		t.Fatal("no reply")
	}
	var last twiliotest.Message
	for _, m := range fake.Messages() {
		if m.To == viaReport {
			last = m
		}
	}
	res, err := fake.SendStatus(t.Context(), last.StatusCallback, last, "undelivered", "21610")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status callback answered %d", res.StatusCode)
	}
	if c := s.contact(viaReport); !c.OptedOut {
		t.Fatal("21610 in a delivery report did not opt the contact out")
	}
	if got := s.say(viaReport, "hello?"); len(got) != 0 {
		t.Fatalf("opted-out contact was sent %q", got)
	}
}

// TestE2EInjectedFailures: 5xx answers, a 429 and a request that hangs
// until the client gives up all end with every reply at Twilio exactly
// once, each outbox row sent with the id Twilio gave it.
func TestE2EInjectedFailures(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	fake.FailNext(2, http.StatusInternalServerError)
	fake.ThrottleNext(1)
	fake.HangNext(1)
	people := []string{"+447700900207", "+447700900208", "+447700900209"}
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			if code := s.post(s.smsURL(), fake.InboundForm(p, "hi")); code != http.StatusOK {
				t.Errorf("webhook answered %d", code)
			}
		})
	}
	wg.Wait()
	bySID := map[string]twiliotest.Message{}
	for _, p := range people {
		s.settle(p)
	}
	for _, m := range fake.Messages() {
		bySID[m.SID] = m
	}
	total := 0
	for _, p := range people {
		_, rows := s.transcript(p)
		if len(rows) == 0 {
			t.Fatalf("%s: no replies queued", p)
		}
		bodies := map[string]bool{}
		for _, o := range rows {
			m, ok := bySID[o.ProviderID]
			if o.Status != bot.StatusSent || !ok || m.To != p || m.Body != twilio.RenderSMS(o) {
				t.Errorf("%s: outbox row %+v; Twilio has %+v", p, o, m)
			}
			bodies[m.Body] = true
		}
		if got := fake.MessagesTo(p); len(got) != len(rows) {
			t.Errorf("%s: Twilio got %d messages for %d outbox rows: %q", p, len(got), len(rows), got)
		}
		total += len(rows)
	}
	st := fake.Stats()
	if st.ServerError != 2 || st.Throttled != 1 || st.Hung != 1 || st.Accepted != total {
		t.Errorf("fake stats %+v, want 2 errors, 1 throttled, 1 hung, %d accepted", st, total)
	}
}

// TestE2ERestart: a server restarted in the middle of a conversation loses
// nothing: replies Twilio refused before the restart go out after it, and
// the conversation carries on where it was.
func TestE2ERestart(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newServer(t, fake)
	const person = "+447700900210"
	if got := s.say(person, "hi"); len(got) == 0 {
		t.Fatal("no reply to hi")
	}
	fake.FailNext(1000, http.StatusServiceUnavailable)
	if code := s.post(s.smsURL(), fake.InboundForm(person, "yes")); code != http.StatusOK {
		t.Fatalf("webhook answered %d", code)
	}
	s.restart()
	fake.FailNext(0, 0)
	if got := s.replies(person); len(got) != 1 || !strings.Contains(got[0], "name") {
		t.Fatalf("after restart, replies %q; want the question that was waiting (name)", got)
	}
	if got := s.say(person, "Sam Jones"); len(got) == 0 || !strings.Contains(strings.ToLower(got[0]), "date of birth") {
		t.Fatalf("after restart, conversation went on with %q", got)
	}
}

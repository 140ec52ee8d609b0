package twilio_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/flows"
)

// TestWhatsAppChoiceContentSetUpOnce: SetUpChoices makes one content
// resource per shape through the Content API (on the fake, reached by
// ContentURL), and a second start finds them by name instead of making
// more.
func TestWhatsAppChoiceContentSetUpOnce(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, nil)
	for range 2 {
		if err := s.wa.SetUpChoices(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	got := fake.Contents()
	if want := flows.WhatsAppMaxButtons + flows.WhatsAppMaxListItems; len(got) != want {
		t.Fatalf("%d content resources after two starts, want %d", len(got), want)
	}
	names := map[string]bool{}
	for _, c := range got {
		names[c.FriendlyName] = true
	}
	for _, n := range []string{"linkline_buttons_1_v1", "linkline_buttons_3_v1", "linkline_list_10_v1"} {
		if !names[n] {
			t.Errorf("no content %q in %v", n, names)
		}
	}
	sms, err := twilio.NewSender(twilio.Config{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken, From: fake.Number,
		APIURL: fake.URL(), ContentURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := sms.SetUpChoices(t.Context()); err == nil {
		t.Fatal("an SMS sender set up buttons")
	}
}

// TestWhatsAppButtons: inside the window the consent question goes as two
// quick-reply buttons; pressing Yes answers it; pressing the same Yes
// again while the name is asked is acknowledged and ignored (the name is
// not "Yes"), and the name is asked again.
func TestWhatsAppButtons(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, nil)
	if err := s.wa.SetUpChoices(t.Context()); err != nil {
		t.Fatal(err)
	}
	const num = "+447700900401"
	got := s.say(num, "Hi, my GP said to text you", nil)
	if len(got) == 0 {
		t.Fatal("no reply")
	}
	consent := got[len(got)-1]
	if !consent.Session || consent.List || len(consent.Buttons) != 2 {
		t.Fatalf("consent question sent as %+v, want two quick-reply buttons", consent)
	}
	if !strings.Contains(consent.Body, "Is that OK?") || strings.Contains(consent.Body, "\n1. ") {
		t.Fatalf("question text %q: want the question without numbered lines", consent.Body)
	}
	for i, want := range []string{"yes", "no"} {
		b := consent.Buttons[i]
		if b.ID != want+"|self-referral/consent" || b.Title == "" || utf8.RuneCountInString(b.Title) > flows.WhatsAppMaxButtonTitle {
			t.Fatalf("button %d is %+v, want id %q|self-referral/consent and a title of at most 20 characters", i, b, want)
		}
	}
	s.post(twilio.SMSPath, fake.PressForm(consent, 0))
	got = s.replies(num)
	if len(got) != 1 || !strings.Contains(got[0].Body, "What is your name?") {
		t.Fatalf("after Yes: %q, want the name asked", bodies(got))
	}
	s.post(twilio.SMSPath, fake.PressForm(consent, 0)) // the old Yes, again
	got = s.replies(num)
	if len(got) == 0 || !strings.Contains(got[len(got)-1].Body, "What is your name?") {
		t.Fatalf("after a stale Yes: %q, want it acknowledged and the name asked again", bodies(got))
	}
	c := s.contact(bot.Address{Channel: bot.WhatsApp, ID: num})
	if c.WhatsAppName != "Sam" || c.Name != "" {
		t.Fatalf("contact name %q, WhatsApp name %q: want the ProfileName kept as the WhatsApp name only", c.Name, c.WhatsAppName)
	}
	var conv *bot.Conversation
	err := s.store.View(t.Context(), func(tx bot.Tx) error {
		var err error
		conv, err = tx.Conversation(c.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if conv.State != "name" || conv.Answers["name"] != "" {
		t.Fatalf("after a stale Yes the conversation is at %q with name %q, want still asking the name", conv.State, conv.Answers["name"])
	}
	stale := 0
	_ = s.store.View(t.Context(), func(tx bot.Tx) error {
		return tx.Events(func(e *bot.Event) bool {
			if e.ContactID == c.ID && e.Kind == bot.EventStaleButton {
				stale++
			}
			return true
		})
	})
	if stale != 1 {
		t.Fatalf("%d stale-button events, want 1", stale)
	}
}

// TestWhatsAppChoiceStyles sends questions straight through the sender:
// four short choices go as a list picker whose picked item comes back as
// the choice; a label too long for a list goes as numbered lines to type;
// outside the window the template carries the numbered lines.
func TestWhatsAppChoiceStyles(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, map[string]twilio.Template{"*": {ContentSID: tmplAny}})
	if err := s.wa.SetUpChoices(t.Context()); err != nil {
		t.Fatal(err)
	}
	const num = "+447700900402"
	fake.OpenWindow(num, s.clock.Now())
	ask := func(lastIn time.Time, labels ...string) twiliotest.Message {
		t.Helper()
		o := &bot.Outbound{ID: 1, To: bot.Address{Channel: bot.WhatsApp, ID: num}, Text: "Which day suits you?",
			Question: "t/day", LastInbound: lastIn, Kind: bot.OutReply}
		for i, l := range labels {
			o.Choices = append(o.Choices, bot.Choice{Value: string(rune('a' + i)), Label: l})
		}
		sid, err := s.wa.Send(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fake.Messages() {
			if m.SID == sid {
				return m
			}
		}
		t.Fatalf("message %s not at the fake", sid)
		return twiliotest.Message{}
	}
	now := s.clock.Now()
	list := ask(now, "Monday", "Tuesday", "Wednesday", "Thursday")
	if !list.Session || !list.List || len(list.Buttons) != 4 || list.ListButton == "" || list.Body != "Which day suits you?" {
		t.Fatalf("four choices sent as %+v, want a list picker", list)
	}
	if list.Buttons[2] != (twiliotest.Button{Title: "Wednesday", ID: "c|t/day"}) {
		t.Fatalf("third item %+v", list.Buttons[2])
	}
	typed := ask(now, "Monday", "A day in the middle of the week")
	if typed.ContentSID != "" || !strings.Contains(typed.Body, "\n2. A day in the middle of the week") {
		t.Fatalf("a 31-character choice sent as %+v, want numbered lines", typed)
	}
	late := ask(now.Add(-25*time.Hour), "Monday", "Tuesday")
	if late.ContentSID != tmplAny || !strings.Contains(late.ContentVariables, "1. Monday / 2. Tuesday") {
		t.Fatalf("outside the window sent as %+v, want the template with numbered choices", late)
	}
}

// TestWhatsAppButtonsRefusedGoTyped: when Twilio refuses the buttons (the
// content was deleted in its console), the question goes at once as
// numbered lines in the same send, and is not lost.
func TestWhatsAppButtonsRefusedGoTyped(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	s := newWAServer(t, fake, nil)
	if err := s.wa.SetUpChoices(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !fake.DeleteContent("linkline_buttons_2_v1") {
		t.Fatal("no two-button content to delete")
	}
	const num = "+447700900403"
	fake.OpenWindow(num, s.clock.Now())
	o := &bot.Outbound{ID: 1, To: bot.Address{Channel: bot.WhatsApp, ID: num}, Text: "Is now a good time?",
		Question: "t/now", LastInbound: s.clock.Now(), Kind: bot.OutReply,
		Choices: []bot.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}}
	sid, err := s.wa.Send(t.Context(), o)
	if err != nil {
		t.Fatalf("send with the buttons refused: %v", err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].SID != sid || msgs[0].ContentSID != "" || msgs[0].Body != "Is now a good time?\n1. Yes\n2. No" {
		t.Fatalf("sent %+v, want the question once as numbered lines", msgs)
	}
	if st := fake.Stats(); st.Rejected != 1 {
		t.Fatalf("fake stats %+v: want the buttons refused once", st)
	}
}

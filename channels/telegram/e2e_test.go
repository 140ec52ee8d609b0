package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/store/bolt"
)

// e2e is the real engine on a real bbolt file, reached through the Telegram
// channel in webhook mode, replying through the channel's Sender to the fake
// Bot API.
type e2e struct {
	t      *testing.T
	fake   *telegramtest.Server
	bot    *telegram.Bot
	store  *bolt.DB
	engine *engine.Engine
	disp   *outbox.Dispatcher
}

func newE2E(t *testing.T, wrap ...func(*engine.Engine) telegram.Engine) *e2e {
	t.Helper()
	ctx := context.Background()
	store, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	eng, err := engine.NewEngine(bottest.Config(t, store))
	if err != nil {
		t.Fatal(err)
	}
	w := &e2e{t: t, fake: newFake(t), store: store, engine: eng}
	var channelEngine telegram.Engine = eng
	for _, f := range wrap {
		channelEngine = f(eng)
	}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { handler.ServeHTTP(rw, r) }))
	t.Cleanup(srv.Close)
	w.bot = newBot(t, w.fake, func(c *telegram.Config) { c.WebhookURL = srv.URL + telegram.WebhookPath })
	handler = w.bot.Webhook(channelEngine)
	if err := w.bot.SetWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	w.disp = outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.Telegram: w.bot}, outbox.DispatchOptions{})
	return w
}

// deliver checks the webhook took an update and sends the replies it caused.
func (w *e2e) deliver(d telegramtest.Delivery, err error) telegramtest.Delivery {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	if d.Status != http.StatusOK {
		w.t.Fatalf("webhook answered %d to update %d", d.Status, d.UpdateID)
	}
	if err := w.disp.Drain(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return d
}

// say has the person in chat type text and returns the bot's new messages.
func (w *e2e) say(chat int64, text string) []telegramtest.Message {
	w.t.Helper()
	before := len(w.fake.Sent(chat))
	w.deliver(w.fake.SendText(chat, text))
	return w.fake.Sent(chat)[before:]
}

// press has the person press the button carrying data under the bot's
// latest message with a keyboard.
func (w *e2e) press(chat int64, data string) []telegramtest.Message {
	w.t.Helper()
	sent := w.fake.Sent(chat)
	before := len(sent)
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Buttons != nil {
			for _, row := range sent[i].Buttons {
				for _, b := range row {
					if v, _, _ := strings.Cut(b.Data, "|"); v == data {
						data = b.Data // the button carries its question too
					}
				}
			}
			w.deliver(w.fake.PressButton(chat, sent[i].MessageID, data))
			return w.fake.Sent(chat)[before:]
		}
	}
	w.t.Fatalf("no message with buttons in chat %d", chat)
	return nil
}

func (w *e2e) contact(chat int64) *bot.Contact {
	w.t.Helper()
	var c *bot.Contact
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		c, err = tx.ContactByAddress(to(chat))
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *e2e) referrals() []*bot.Referral {
	w.t.Helper()
	var refs []*bot.Referral
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return refs
}

func texts(msgs []telegramtest.Message) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.Text)
	}
	return strings.Join(s, " | ")
}

func TestE2ESelfReferralWithButtons(t *testing.T) {
	w := newE2E(t)
	const chat = 5550001
	got := w.say(chat, "/start")
	if !strings.Contains(texts(got), "Is that OK?") {
		t.Fatalf("/start got %q", texts(got))
	}
	steps := []struct {
		text, press string
		want        string // in the bot's answer
	}{
		{press: "yes", want: "name"},
		{text: "Zoë O'Neil <b>", want: "date of birth"},
		{text: "12 March 1958"},
		{text: "SW1A 1AA"},
		{text: "Riverside Surgery"},
		{press: "no"},
		{text: "Getting out more 🙂"},
		{press: "money"},
		{press: "text"},
		{press: "morning"},
		{press: "send"},
	}
	for _, s := range steps {
		var got []telegramtest.Message
		if s.press != "" {
			got = w.press(chat, s.press)
		} else {
			got = w.say(chat, s.text)
		}
		if len(got) == 0 || !strings.Contains(strings.ToLower(texts(got)), s.want) {
			t.Fatalf("after %q%q the bot said %q, want %q", s.text, s.press, texts(got), s.want)
		}
	}
	refs := w.referrals()
	if len(refs) != 1 {
		t.Fatalf("%d referrals, want 1", len(refs))
	}
	r := refs[0]
	if r.Name != "Zoë O'Neil <b>" || r.ContactMethod != "text" || r.ContactTime != "morning" || !slices.Equal(r.Needs, []string{"money"}) {
		t.Errorf("referral %+v", r)
	}
	// Every pressed question shows its answer and has no buttons left.
	pressed := 0
	for _, m := range w.fake.Sent(chat) {
		if m.Edited {
			pressed++
			if m.Buttons != nil || !strings.Contains(m.Text, "\n\n✓ ") {
				t.Errorf("pressed question %q still has buttons %v", m.Text, m.Buttons)
			}
		}
	}
	if answered, presses := w.fake.Answered(); pressed != 6 || answered != 6 || presses != 6 {
		t.Errorf("%d questions marked, %d of %d presses answered; want 6", pressed, answered, presses)
	}
}

func TestE2EStopAndDuplicates(t *testing.T) {
	w := newE2E(t)
	const chat = 5550002
	d := w.deliver(w.fake.SendText(chat, "hello"))
	first := len(w.fake.Sent(chat))
	if first == 0 {
		t.Fatal("no reply to hello")
	}
	// Telegram delivers the same update again (a lost 200): handled once.
	w.deliver(w.fake.Redeliver(d.UpdateID))
	if n := len(w.fake.Sent(chat)); n != first {
		t.Fatalf("a replayed update was answered again: %d messages, want %d", n, first)
	}
	got := w.say(chat, "/stop")
	if len(got) != 1 || !w.contact(chat).OptedOut {
		t.Fatalf("/stop got %q; opted out %v", texts(got), w.contact(chat).OptedOut)
	}
	if got := w.say(chat, "hello again"); len(got) != 0 {
		t.Fatalf("after /stop the bot said %q", texts(got))
	}
	if got := w.say(chat, "/help@"+telegramtest.BotUsername); len(got) != 0 {
		t.Fatalf("after /stop /help got %q", texts(got))
	}
}

func TestE2EMediaAnsweredPolitely(t *testing.T) {
	w := newE2E(t)
	const chat = 5550003
	w.say(chat, "hi")
	before := len(w.fake.Sent(chat))
	w.deliver(w.fake.PushMessage(chat, map[string]any{"sticker": map[string]any{"file_id": "CAACAgI", "file_unique_id": "A",
		"width": 512, "height": 512, "is_animated": false}}))
	got := w.fake.Sent(chat)[before:]
	if len(got) != 1 || !strings.Contains(got[0].Text, "type your answer") {
		t.Fatalf("sticker got %q", texts(got))
	}
}

// A person who edits a message, or a photo's caption, into words of risk
// gets the crisis text; an ordinary edit changes nothing.
func TestE2EEditedMessagesAreScreened(t *testing.T) {
	w := newE2E(t)
	const chat = 5550009
	w.say(chat, "hi")
	before := len(w.fake.Sent(chat))
	w.deliver(w.fake.EditText(chat, 1, "hello there", false))
	if got := w.fake.Sent(chat)[before:]; len(got) != 0 {
		t.Fatalf("ordinary edit got replies %q", texts(got))
	}
	w.deliver(w.fake.EditText(chat, 1, "i want to kill myself", false))
	if got := w.fake.Sent(chat)[before:]; len(got) != 1 || got[0].Text != risk.CrisisText {
		t.Fatalf("edit into risk got %q, want the crisis text", texts(got))
	}
	before = len(w.fake.Sent(chat))
	w.deliver(w.fake.EditText(chat, 2, "my wrists, cut again tonight", true))
	if got := w.fake.Sent(chat)[before:]; len(got) != 1 || got[0].Text != risk.CrisisText {
		t.Fatalf("caption edited into risk got %q, want the crisis text", texts(got))
	}
	if calls := w.fake.Calls("setWebhook"); len(calls) == 0 || !strings.Contains(calls[len(calls)-1].Params["allowed_updates"], "edited_message") {
		t.Errorf("setWebhook did not ask for edited messages: %+v", calls)
	}
}

// A chat that blocked the bot is marked unreachable after one 403, and
// what was queued for it is not tried again; a link worker's message is
// suppressed. When the person writes again (they can only write after
// unblocking) the mark is cleared and replies reach them.
func TestE2EBlockedBotStopsRetrying(t *testing.T) {
	w := newE2E(t)
	ctx := context.Background()
	const chat = 5550004
	w.fake.Block(chat)
	w.deliver(w.fake.SendText(chat, "I want to talk to someone"))
	c := w.contact(chat)
	if !slices.Contains(c.Unreachable, bot.Telegram) {
		t.Fatalf("contact not marked unreachable: %+v", c)
	}
	tries := len(w.fake.Calls("sendMessage"))
	if _, err := w.engine.TakeOver(ctx, c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Reply(ctx, c.ID, "lw1", "Hello, are you OK?"); err != nil {
		t.Fatal(err)
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(w.fake.Calls("sendMessage")); n != tries {
		t.Errorf("%d more sends to a chat that blocked the bot", n-tries)
	}

	w.fake.FailChat(chat, 0) // unblocked
	before := len(w.fake.Sent(chat))
	w.deliver(w.fake.SendText(chat, "sorry, I'm back"))
	if c := w.contact(chat); slices.Contains(c.Unreachable, bot.Telegram) {
		t.Fatalf("still unreachable after writing again: %+v", c)
	}
	if err := w.engine.Reply(ctx, c.ID, "lw1", "Good to hear from you."); err != nil {
		t.Fatal(err)
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := texts(w.fake.Sent(chat)[before:]); !strings.Contains(got, "Good to hear from you.") {
		t.Fatalf("after unblocking, sent %q; want the worker's message", got)
	}
}

// A link worker enrols a carer; the carer's first /start ties the chat to
// that contact, once.
func TestE2EDeepLink(t *testing.T) {
	w := newE2E(t)
	ctx := context.Background()
	// A name that would break Telegram's HTML if it were not escaped.
	en, c, err := w.engine.CreateEnrolment(ctx, "Zoë <O'Neil> & co", "u1", 0)
	if err != nil {
		t.Fatal(err)
	}
	link := w.bot.DeepLink(en.Token)
	_, token, _ := strings.Cut(link, "?start=")
	if token != en.Token || !strings.HasPrefix(link, "https://t.me/"+telegramtest.BotUsername+"?start=") {
		t.Fatalf("deep link = %q", link)
	}
	got := w.say(5550005, "/start "+token)
	if len(got) != 1 || got[0].ParseMode != telegram.ModeHTML ||
		!strings.HasPrefix(got[0].Text, "Hello <b>Zoë &lt;O&#39;Neil&gt; &amp; co</b>, you are now connected") {
		t.Fatalf("deep link replies %q (parse mode %q)", texts(got), got[0].ParseMode)
	}
	if w.contact(5550005).ID != c.ID {
		t.Fatalf("chat tied to %s, want %s", w.contact(5550005).ID, c.ID)
	}
	// Used once: from another chat it is a plain /start, a new contact.
	if got := w.say(5550006, "/start "+token); len(got) == 0 || strings.Contains(got[0].Text, "Zoë") {
		t.Fatalf("used deep link replies %q", texts(got))
	}
	if w.contact(5550006).ID == c.ID {
		t.Fatal("a used token tied a second chat to the contact")
	}
}

// Polling with the real engine: a restart between updates neither loses
// nor repeats one.
func TestE2EPollingRestart(t *testing.T) {
	w := newE2E(t)
	offsets := &memOffsets{}
	const chat = 5550007
	poll := func(texts ...string) {
		t.Helper()
		b := newBot(t, w.fake, func(c *telegram.Config) { c.WebhookURL = "" })
		stop := runPoller(t, telegram.NewPoller(b, w.engine, offsets))
		defer stop()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if url, _ := w.fake.Webhook(); url == "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("poller did not delete the webhook")
			}
		}
		ids := sendTexts(t, w.fake, chat, texts...)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.fake.WaitConfirmed(ctx, ids[len(ids)-1]); err != nil {
			t.Fatal(err)
		}
	}
	poll("hello", "yes")
	poll("Sam Jones")
	var in []string
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Messages(w.contact(chat).ID, func(m *bot.Message) bool {
			if m.Direction == bot.In {
				in = append(in, m.Text)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(in) != "[hello yes Sam Jones]" {
		t.Fatalf("transcript holds %q", in)
	}
}

// Telegram says when a person blocks the bot (my_chat_member "kicked"):
// the chat is marked unreachable at once, before any send fails, with the
// reason recorded; unblocking ("member") clears it and a link worker's
// message then goes.
func TestE2EBlockAndUnblockUpdates(t *testing.T) {
	w := newE2E(t)
	ctx := context.Background()
	const chat = 5550011
	w.say(chat, "I want to talk to someone")
	tries := len(w.fake.Calls("sendMessage"))
	w.deliver(w.fake.SetBlocked(chat, true))
	if c := w.contact(chat); !slices.Contains(c.Unreachable, bot.Telegram) {
		t.Fatalf("not unreachable after the block update: %+v", c)
	}
	if n := len(w.fake.Calls("sendMessage")); n != tries {
		t.Fatalf("%d sends caused by the block update", n-tries)
	}
	w.deliver(w.fake.SetBlocked(chat, false))
	c := w.contact(chat)
	if slices.Contains(c.Unreachable, bot.Telegram) {
		t.Fatalf("still unreachable after unblocking: %+v", c)
	}
	if _, err := w.engine.TakeOver(ctx, c.ID, "lw1"); err != nil {
		t.Fatal(err)
	}
	before := len(w.fake.Sent(chat))
	if err := w.engine.Reply(ctx, c.ID, "lw1", "Hello again."); err != nil {
		t.Fatal(err)
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := texts(w.fake.Sent(chat)[before:]); !strings.Contains(got, "Hello again.") {
		t.Fatalf("after unblocking, sent %q", got)
	}
}

// A person types "yes" to the consent question, then presses the old Yes
// button while being asked their name: the press answers nothing. They are
// told the button was for an earlier question and asked their name again;
// the name is not saved as "Yes".
func TestE2EStaleButtonIsNotAnAnswer(t *testing.T) {
	w := newE2E(t)
	const chat = 5550012
	w.say(chat, "hi")
	if got := w.say(chat, "yes"); !strings.Contains(strings.ToLower(texts(got)), "name") {
		t.Fatalf("after consent: %q, want the name question", texts(got))
	}
	got := texts(w.press(chat, "yes"))
	if !strings.Contains(got, "earlier question") || !strings.Contains(strings.ToLower(got), "name") {
		t.Fatalf("stale press got %q: want it acknowledged and the name asked again", got)
	}
	var conv *bot.Conversation
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		conv, err = tx.Conversation(w.contact(chat).ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range conv.Answers {
		if strings.EqualFold(v, "yes") && k != "consent" {
			t.Fatalf("answer %s saved as %q from a stale button", k, v)
		}
	}
	if got := texts(w.say(chat, "Sam Jones")); strings.Contains(got, "earlier question") || got == "" {
		t.Fatalf("typed name after the stale press: %q", got)
	}
}

// An album of three pictures arrives as three messages; the person is
// told once that their pictures came, and all three are in the
// transcript. A second album is answered again.
func TestE2EAlbumAnsweredOnce(t *testing.T) {
	w := newE2E(t)
	const chat = 5550013
	w.say(chat, "hi")
	before := len(w.fake.Sent(chat))
	photo := func(album, id string) map[string]any {
		return map[string]any{"media_group_id": album,
			"photo": []map[string]any{{"file_id": id, "file_unique_id": id, "width": 90, "height": 90}}}
	}
	for _, id := range []string{"p1", "p2", "p3"} {
		w.deliver(w.fake.PushMessage(chat, photo("album-1", id)))
	}
	if got := w.fake.Sent(chat)[before:]; len(got) != 1 || !strings.Contains(got[0].Text, "picture") {
		t.Fatalf("album of three got %d replies %q, want one", len(got), texts(got))
	}
	w.deliver(w.fake.PushMessage(chat, photo("album-2", "p4")))
	if got := w.fake.Sent(chat)[before:]; len(got) != 2 {
		t.Fatalf("a second album got no reply: %q", texts(got))
	}
	pictures := 0
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Messages(w.contact(chat).ID, func(m *bot.Message) bool {
			if len(m.Media) > 0 {
				pictures++
			}
			return true
		})
	})
	if err != nil || pictures != 4 {
		t.Fatalf("%d pictures in the transcript (%v), want 4", pictures, err)
	}
}

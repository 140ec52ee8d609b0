package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

func to(chat int64) bot.Address { return bot.Address{Channel: bot.Telegram, ID: fmt.Sprint(chat)} }

func TestSendRendersKeyboard(t *testing.T) {
	f := newFake(t)
	b := newBot(t, f)
	id, err := b.Send(context.Background(), &bot.Outbound{To: to(42), Text: "What would help? <b>not bold</b> & *not starred*",
		Choices: []bot.Choice{{Value: "lonely", Label: "Feeling lonely"}, {Value: "money", Label: "Money worries"}}})
	if err != nil {
		t.Fatal(err)
	}
	sent := f.Sent(42)
	if len(sent) != 1 || id != fmt.Sprintf("42:%d", sent[0].MessageID) {
		t.Fatalf("provider id %q for %+v", id, sent)
	}
	m := sent[0]
	if m.ParseMode != "" || m.Text != "What would help? <b>not bold</b> & *not starred*" {
		t.Errorf("sent %q with parse mode %q; want the text as is, plain", m.Text, m.ParseMode)
	}
	want := [][]telegramtest.Button{{{Text: "Feeling lonely", Data: "lonely"}}, {{Text: "Money worries", Data: "money"}}}
	if fmt.Sprint(m.Buttons) != fmt.Sprint(want) {
		t.Errorf("keyboard %v, want %v", m.Buttons, want)
	}
}

func TestSendSplitsLongText(t *testing.T) {
	f := newFake(t)
	b := newBot(t, f)
	para := strings.Repeat("word ", 500) // 2500 characters
	text := strings.TrimSpace(para) + "\n\n" + strings.TrimSpace(para)
	if _, err := b.Send(context.Background(), &bot.Outbound{To: to(42), Text: text,
		Choices: []bot.Choice{{Value: "ok", Label: "OK"}}}); err != nil {
		t.Fatal(err)
	}
	sent := f.Sent(42)
	if len(sent) != 2 || sent[0].Buttons != nil || sent[1].Buttons == nil {
		t.Fatalf("want two messages with the keyboard on the last, got %d", len(sent))
	}
	if sent[0].Text+"\n\n"+sent[1].Text != text {
		t.Error("the pieces do not add up to the text")
	}
}

func TestSendFailures(t *testing.T) {
	cases := []struct {
		name        string
		to          bot.Address
		choices     []bot.Choice
		fail        func(*telegramtest.Server)
		permanent   bool
		unreachable bool
		retryAfter  time.Duration
		code        string
	}{
		{name: "blocked", to: to(42), fail: func(f *telegramtest.Server) { f.Block(42) }, permanent: true, unreachable: true, code: "403"},
		{name: "too many requests", to: to(42), fail: func(f *telegramtest.Server) { f.FailNext(1, 429) }, retryAfter: 3 * time.Second, code: "429"},
		{name: "server error", to: to(42), fail: func(f *telegramtest.Server) { f.FailNext(1, 502) }, code: "502"},
		{name: "internal error", to: to(42), fail: func(f *telegramtest.Server) { f.FailNext(1, 500) }, code: "500"},
		{name: "timeout", to: to(42), fail: func(f *telegramtest.Server) { f.HangNext(1) }},
		{name: "bad request", to: to(42), fail: func(f *telegramtest.Server) { f.FailChat(42, 400) }, permanent: true, code: "400"},
		{name: "not a chat id", to: bot.Address{Channel: bot.Telegram, ID: "@ann"}, permanent: true, code: "address"},
		{name: "an SMS address", to: bot.Address{Channel: bot.SMS, ID: "+447700900123"}, permanent: true, code: "address"},
		{name: "choice value too long for a button", to: to(42), choices: []bot.Choice{{Value: strings.Repeat("x", 65), Label: "X"}}, permanent: true, code: "choices"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			b := newBot(t, f, func(cfg *telegram.Config) { cfg.Timeout = 300 * time.Millisecond })
			if c.fail != nil {
				c.fail(f)
			}
			_, err := b.Send(context.Background(), &bot.Outbound{To: c.to, Text: "hello", Choices: c.choices})
			var se *bot.SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *bot.SendError", err)
			}
			if se.Permanent != c.permanent || se.Unreachable != c.unreachable || se.RetryAfter != c.retryAfter || se.Code != c.code {
				t.Errorf("got permanent=%v unreachable=%v retryAfter=%v code=%q, want %v %v %v %q",
					se.Permanent, se.Unreachable, se.RetryAfter, se.Code, c.permanent, c.unreachable, c.retryAfter, c.code)
			}
			if strings.Contains(err.Error(), telegramtest.Token) {
				t.Errorf("error text shows the bot token: %v", err)
			}
			if len(f.Sent(42)) != 0 {
				t.Error("a failed send shows as sent")
			}
		})
	}
}

func TestSendPacing(t *testing.T) {
	f := newFake(t)
	// 10 a second to one chat, 20 a second overall.
	b := newBot(t, f, func(c *telegram.Config) { c.ChatRate, c.Rate = 10, 20 })
	start := time.Now()
	var wg sync.WaitGroup
	for chat := int64(1); chat <= 3; chat++ {
		for i := range 5 {
			wg.Go(func() {
				if _, err := b.Send(context.Background(), &bot.Outbound{To: to(chat), Text: fmt.Sprint("message ", i)}); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	all := f.Sent(0)
	if len(all) != 15 {
		t.Fatalf("%d messages sent, want 15", len(all))
	}
	// Paced, the 15th send cannot leave before 14 gaps of 1/20 s from the
	// start, nor a chat's 5th before 4 gaps of 1/10 s: lower bounds, which
	// a busy machine (that only delays sends) cannot break, where counting
	// sends in a window can (a stall lets reserved sends arrive together).
	// Unpaced, all 15 arrive within milliseconds. A tenth is allowed for
	// the bucket's rounding.
	if got := all[len(all)-1].SentAt.Sub(start); got < 630*time.Millisecond {
		t.Errorf("15 messages sent in %v, want at least 700ms at 20 a second", got)
	}
	for chat := int64(1); chat <= 3; chat++ {
		sent := f.Sent(chat)
		if got := sent[len(sent)-1].SentAt.Sub(start); got < 360*time.Millisecond {
			t.Errorf("5 messages to chat %d sent in %v, want at least 400ms at 10 a second", chat, got)
		}
	}
}

// A send waiting for its turn gives up when its context ends, and a 429
// keeps that chat quiet for retry_after.
func TestSendWaitHonoursContext(t *testing.T) {
	f := newFake(t)
	b := newBot(t, f, func(c *telegram.Config) { c.ChatRate = 1000 })
	f.FailNext(1, 429)
	if _, err := b.Send(context.Background(), &bot.Outbound{To: to(42), Text: "one"}); err == nil {
		t.Fatal("want the injected 429")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := b.Send(ctx, &bot.Outbound{To: to(42), Text: "two"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send during retry_after: %v, want the context's deadline", err)
	}
	if _, err := b.Send(context.Background(), &bot.Outbound{To: to(43), Text: "other chat"}); err != nil {
		t.Fatalf("another chat is held up too: %v", err)
	}
	if len(f.Sent(42)) != 0 || len(f.Sent(43)) != 1 {
		t.Errorf("sent %d to the throttled chat and %d to the other", len(f.Sent(42)), len(f.Sent(43)))
	}
}

func TestNew(t *testing.T) {
	f := newFake(t)
	b := newBot(t, f)
	if b.Username() != telegramtest.BotUsername || b.ID() != telegramtest.BotID {
		t.Errorf("bot is @%s (%d)", b.Username(), b.ID())
	}
	if got := b.DeepLink("tok_abc-1"); got != "https://t.me/"+telegramtest.BotUsername+"?start=tok_abc-1" {
		t.Errorf("deep link %q", got)
	}
	for _, c := range []struct {
		name string
		edit func(*telegram.Config)
	}{
		{"wrong token", func(c *telegram.Config) { c.Token = "7000001:wrong-token-value" }},
		{"no token", func(c *telegram.Config) { c.Token = "" }},
		{"webhook without secret", func(c *telegram.Config) { c.Secret = "" }},
		{"secret with spaces", func(c *telegram.Config) { c.Secret = "not allowed" }},
		{"relative webhook URL", func(c *telegram.Config) { c.WebhookURL = "/webhooks/telegram" }},
	} {
		cfg := telegram.Config{Token: telegramtest.Token, APIURL: f.URL(), WebhookURL: "https://example.org/webhooks/telegram", Secret: secret}
		c.edit(&cfg)
		_, err := telegram.New(context.Background(), cfg)
		if err == nil {
			t.Errorf("%s: New succeeded", c.name)
		} else if strings.Contains(err.Error(), "wrong-token-value") {
			t.Errorf("%s: error shows the token: %v", c.name, err)
		}
	}
}

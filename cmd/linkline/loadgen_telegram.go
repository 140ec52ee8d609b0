package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

// telegramLoad is `linkline loadgen --fake-telegram`: a fake Bot API the
// server under load polls, and pretend people who write to it at
// --telegram-rate, each working through the same script as the SMS
// numbers. A nil *telegramLoad does nothing.
type telegramLoad struct {
	fake  *telegramtest.Server
	rate  float64
	chats int
	done  chan int // the number of messages pushed, when the run ends
}

// registerTelegramLoad adds loadgen's Telegram flags to fs.
func registerTelegramLoad(fs *flag.FlagSet, o *loadOptions) {
	fs.BoolVar(&o.FakeTelegram, "fake-telegram", false, "with --url: also start a fake Bot API (print its TELEGRAM_API_URL for the server, which polls it) and push Telegram messages")
	fs.Float64Var(&o.TelegramRate, "telegram-rate", 1, "with --fake-telegram: Telegram messages per second")
	fs.IntVar(&o.TelegramChats, "telegram-chats", 200, "with --fake-telegram: distinct Telegram chats, each working through the script")
}

// newTelegramLoad starts the fake and prints the settings to give the
// server, or returns nil without --fake-telegram.
func newTelegramLoad(o loadOptions, info io.Writer) *telegramLoad {
	if !o.FakeTelegram {
		return nil
	}
	fake := telegramtest.New()
	fmt.Fprintf(info, "fake Telegram: TELEGRAM_API_URL=%s TELEGRAM_BOT_TOKEN=%s\n", fake.URL(), telegramtest.Token)
	return &telegramLoad{fake: fake, rate: o.TelegramRate, chats: max(1, o.TelegramChats)}
}

// start pushes messages on schedule, chat after chat, for d.
func (tl *telegramLoad) start(ctx context.Context, d time.Duration) {
	if tl == nil {
		return
	}
	tl.done = make(chan int, 1)
	go func() {
		steps := make([]int, tl.chats)
		n, pushed := int(tl.rate*d.Seconds()), 0
		start := time.Now()
		for i := 0; i < n && ctx.Err() == nil; i++ {
			due := start.Add(time.Duration(float64(i) / tl.rate * float64(time.Second)))
			if w := time.Until(due); w > 0 {
				time.Sleep(w)
			}
			c := i % tl.chats
			if _, err := tl.fake.SendText(int64(900_000_001+c), script[steps[c]]); err == nil {
				pushed++
				if steps[c]++; steps[c] == len(script) {
					steps[c] = 1
				}
			}
		}
		tl.done <- pushed
	}()
}

// finish waits for the schedule to end and says what happened.
func (tl *telegramLoad) finish() string {
	if tl == nil || tl.done == nil {
		return ""
	}
	pushed := <-tl.done
	return fmt.Sprintf("telegram   %d messages from %d chats queued for getUpdates at %g/s; the bot answered with %d sendMessage calls",
		pushed, tl.chats, tl.rate, len(tl.fake.Calls("sendMessage")))
}

// close stops the fake.
func (tl *telegramLoad) close() {
	if tl != nil {
		tl.fake.Close()
	}
}

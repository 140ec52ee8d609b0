package main

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

// TestTelegramLoad pushes Telegram messages through loadgen's fake Bot API
// to the real server polling it: every message is queued, every chat is
// answered, and the report says so. Without --fake-telegram nothing starts.
func TestTelegramLoad(t *testing.T) {
	for _, tc := range []struct {
		name       string
		on         bool
		wantReport string
	}{
		{name: "on", on: true, wantReport: "telegram   10 messages from 5 chats queued for getUpdates at 10/s"},
		{name: "off", on: false, wantReport: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := loadOptions{FakeTelegram: tc.on, TelegramRate: 10, TelegramChats: 5}
			var info strings.Builder
			tl := newTelegramLoad(o, &info)
			defer tl.close()
			if !tc.on {
				tl.start(t.Context(), time.Second)
				if tl != nil || info.Len() != 0 || tl.finish() != tc.wantReport {
					t.Fatalf("off: load %v, printed %q", tl, info.String())
				}
				return
			}
			if !strings.Contains(info.String(), "TELEGRAM_API_URL="+tl.fake.URL()) {
				t.Errorf("printed %q, want the fake's URL", info.String())
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			c := defaultConfig(t)
			c.DB = t.TempDir() + "/tg.db"
			c.channels = channelConfig{TelegramToken: strings.TrimSpace(strings.SplitN(info.String(), "TELEGRAM_BOT_TOKEN=", 2)[1]),
				TelegramAPI: tl.fake.URL()}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- serve(ctx, c, ln, slog.New(slog.DiscardHandler)) }()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
			}()

			tl.start(ctx, time.Second)
			wait, stop := context.WithTimeout(ctx, 20*time.Second)
			defer stop()
			for chat := range int64(5) {
				if _, err := tl.fake.WaitSent(wait, 900_000_001+chat, 1); err != nil {
					t.Fatalf("chat %d got no answer: %v", chat, err)
				}
			}
			if got := tl.finish(); !strings.HasPrefix(got, tc.wantReport) {
				t.Errorf("report %q, want it to start %q", got, tc.wantReport)
			}
		})
	}
}

package telegram_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

// Each way a send can fail is classified so the dispatcher neither loses
// the message nor sends it twice after a success answer. A "200 OK" whose
// body is cut off is a success: the fault test found it sent again.
func TestSendUnderFaults(t *testing.T) {
	for _, tc := range []struct {
		kind       telegramtest.Fault
		wantErr    bool
		retryAfter time.Duration
		permanent  bool
		sent       int // copies Telegram has
	}{
		{kind: telegramtest.FaultServerError, wantErr: true},
		{kind: telegramtest.FaultThrottle, wantErr: true, retryAfter: 2 * time.Second},
		{kind: telegramtest.FaultTimeout, wantErr: true},
		{kind: telegramtest.FaultLostAnswer, wantErr: true, sent: 1}, // at least once: the dispatcher will send again
		{kind: telegramtest.FaultCutAnswer, sent: 1},
		{kind: telegramtest.FaultBlocked, wantErr: true, permanent: true},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			f := newFake(t)
			b := newBot(t, f, func(c *telegram.Config) { c.Timeout = 200 * time.Millisecond })
			faults := telegramtest.Faults{Seed: 3, Rate: 1, Kinds: []telegramtest.Fault{tc.kind}, RetryAfter: 2 * time.Second}
			if tc.kind == telegramtest.FaultBlocked {
				faults = telegramtest.Faults{Blocked: []int64{42}}
			}
			f.SetFaults(faults)
			_, err := b.Send(context.Background(), &bot.Outbound{To: to(42), Text: "hello"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("Send: %v, want an error: %v", err, tc.wantErr)
			}
			if err != nil {
				var se *bot.SendError
				if !errors.As(err, &se) || se.RetryAfter != tc.retryAfter || se.Permanent != tc.permanent || se.Unreachable != tc.permanent {
					t.Fatalf("Send: %#v, want retry after %v, permanent and unreachable %v", err, tc.retryAfter, tc.permanent)
				}
			}
			if got := len(f.Sent(42)); got != tc.sent {
				t.Fatalf("Telegram has %d copies, want %d", got, tc.sent)
			}
		})
	}
}

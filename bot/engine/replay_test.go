package engine_test

import (
	"context"
	"testing"
	"time"
)

// TestOldWebhookReplayRefused: a signed Twilio webhook captured and played
// again weeks later is dropped as a duplicate: the scheduler's
// housekeeping no longer forgets provider ids after 7 days.
func TestOldWebhookReplayRefused(t *testing.T) {
	w := newWorld(t)
	w.sendID("sms:+447700900123", "hello", "SM0123456789abcdef0123456789abcdef")
	before := len(w.transcript("sms:+447700900123"))
	for range 3 {
		w.clock.Advance(10 * 24 * time.Hour)
		w.sched.Tidy(context.Background())
	}
	w.sendID("sms:+447700900123", "hello", "SM0123456789abcdef0123456789abcdef")
	if after := len(w.transcript("sms:+447700900123")); after != before {
		t.Errorf("a webhook replayed 30 days later was handled again: transcript %d -> %d messages", before, after)
	}
}

package console

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestLimiterBounded: however many keys are tried, and however long each
// is, the limiter holds at most maxKeys fixed-size keys; a key still being
// slowed down survives a flood of new ones.
func TestLimiterBounded(t *testing.T) {
	clock := bot.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	l := newLimiter(clock)
	guessed := keyOf("account", "ann@example.org")
	for range accountSlow.free + 3 {
		l.fail(guessed, accountSlow)
	}
	long := strings.Repeat("x", 4<<10)
	for i := range 3 * maxKeys {
		l.fail(keyOf("ip", long+strconv.Itoa(i)), addressSlow)
		if i%1000 == 0 {
			clock.Advance(time.Millisecond)
		}
	}
	if n := l.size(); n > maxKeys {
		t.Errorf("limiter holds %d keys, want at most %d", n, maxKeys)
	}
	if l.wait(guessed) <= 0 {
		t.Errorf("the guessed account was forgotten in the flood")
	}
}

func TestSlowingDelays(t *testing.T) {
	tests := []struct {
		s     slowing
		fails int
		want  time.Duration
	}{
		{accountSlow, 5, 0},
		{accountSlow, 6, time.Second},
		{accountSlow, 8, 4 * time.Second},
		{accountSlow, 11, 30 * time.Second},
		{accountSlow, 1000, 30 * time.Second},
		{addressSlow, 20, 0},
		{addressSlow, 21, time.Second},
		{addressSlow, 40, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := tt.s.delay(tt.fails); got != tt.want {
			t.Errorf("%+v.delay(%d) = %v, want %v", tt.s, tt.fails, got, tt.want)
		}
	}
}

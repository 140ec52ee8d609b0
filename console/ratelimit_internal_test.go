package console

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
)

// TestLimiterBounded: however many keys are tried, and however long each
// is, the store keeps at most the limiter's bound of fixed-size keys; a
// key still being slowed down survives a flood of new ones.
func TestLimiterBounded(t *testing.T) {
	ctx := context.Background()
	clock := bot.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l := newLimiter(db, clock)
	l.most = 50 // the same rule as maxKeys, at a size a test can flood
	guessed := []limitKey{{keyOf("account", "ann@example.org"), accountSlow}}
	for range accountSlow.free + 3 {
		if err := l.fail(ctx, guessed); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Second)
	long := strings.Repeat("x", 4<<10)
	for i := range 3 * l.most {
		if err := l.fail(ctx, []limitKey{{keyOf("ip", long+strconv.Itoa(i)), addressSlow}}); err != nil {
			t.Fatal(err)
		}
		if n, err := l.size(ctx); err != nil || n > l.most {
			t.Fatalf("after %d keys the store keeps %d, %v; want at most %d", i+2, n, err, l.most)
		}
		clock.Advance(time.Millisecond)
	}
	if w, err := l.wait(ctx, guessed); err != nil || w <= 0 {
		t.Errorf("the guessed account was forgotten in the flood: wait %v, %v", w, err)
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

// TestAddressKey: IPv6 addresses count by their /64, which one client is
// handed whole; IPv4 and IPv4-mapped addresses by themselves.
func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":          "203.0.113.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":   "::ffff:203.0.113.7",
		"not an address":       "not an address",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

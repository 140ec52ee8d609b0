package bot_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func TestTokenBucket(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	const burst, every = 2, 10 * time.Second
	steps := []struct {
		name string
		at   time.Duration // after t0
		op   func(b *bot.TokenBucket, now time.Time) any
		want any
	}{
		{"a new bucket is full: first", 0, take, true},
		{"second of the burst", 0, take, true},
		{"empty", 0, take, false},
		{"still empty just before a token", 9 * time.Second, take, false},
		{"one token back after every", 10 * time.Second, take, true},
		{"a reservation now waits a whole interval", 10 * time.Second, reserve, every},
		{"a second reservation waits two", 10 * time.Second, reserve, 2 * every},
		{"after a long rest, full but not more", time.Hour, take, true},
		{"the burst's second", time.Hour, take, true},
		{"and no third", time.Hour, take, false},
	}
	var b bot.TokenBucket
	for _, s := range steps {
		if got := s.op(&b, t0.Add(s.at)); got != s.want {
			t.Fatalf("%s: got %v, want %v (bucket %+v)", s.name, got, s.want, b)
		}
	}
	if full := b.FullAt(burst, every); !full.Equal(t0.Add(time.Hour + 2*every)) {
		t.Errorf("FullAt = %v, want two intervals after the last take", full)
	}
	var h bot.TokenBucket
	h.Hold(t0, burst, every, 30*time.Second)
	if d := h.Reserve(t0, burst, every); d != 30*time.Second {
		t.Errorf("after Hold(30s) the next token is in %v, want 30s", d)
	}
}

func take(b *bot.TokenBucket, now time.Time) any    { return b.Take(now, 2, 10*time.Second) }
func reserve(b *bot.TokenBucket, now time.Time) any { return b.Reserve(now, 2, 10*time.Second) }

// TestFloodBucketRecordUnchanged: a contact's flood allowance is stored as
// it was before it shared the one token bucket, so records written by an
// older Linkline read back.
func TestFloodBucketRecordUnchanged(t *testing.T) {
	old := `{"tokens":1.5,"at":"2026-12-04T10:00:00Z","over":true}`
	var fb bot.FloodBucket
	if err := json.Unmarshal([]byte(old), &fb); err != nil {
		t.Fatal(err)
	}
	if fb.Tokens != 1.5 || !fb.At.Equal(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)) || !fb.Over {
		t.Fatalf("decoded %+v", fb)
	}
	out, err := json.Marshal(&fb)
	if err != nil || string(out) != old {
		t.Errorf("encoded %s, %v; want %s", out, err, old)
	}
}

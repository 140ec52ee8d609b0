package bot

import (
	"time"
)

// TokenBucket is the one token bucket Linkline keeps: burst tokens, one
// more every interval, spent one at a time. It is plain data (Tokens left
// at At), so it can be kept on a record (a contact's flood allowance), in
// the store (Tx.TakeToken's buckets) or in memory (a channel's send
// pacing). A bucket never used (zero At) is full.
type TokenBucket struct {
	Tokens float64   `json:"tokens"`
	At     time.Time `json:"at"`
}

// fill brings the bucket up to now.
func (b *TokenBucket) fill(now time.Time, burst int, every time.Duration) {
	if b.At.IsZero() {
		b.Tokens, b.At = float64(burst), now
		return
	}
	if d := now.Sub(b.At); d > 0 {
		b.Tokens = min(float64(burst), b.Tokens+float64(d)/float64(every))
		b.At = now
	}
}

// Take spends one token at now and reports whether there was one.
func (b *TokenBucket) Take(now time.Time, burst int, every time.Duration) bool {
	b.fill(now, burst, every)
	if b.Tokens < 1 {
		return false
	}
	b.Tokens--
	return true
}

// Reserve spends one token at now whether or not it is there yet, and
// returns how long until it is (0: at once): a pacer sleeps that long.
func (b *TokenBucket) Reserve(now time.Time, burst int, every time.Duration) time.Duration {
	b.fill(now, burst, every)
	b.Tokens--
	if b.Tokens >= 0 {
		return 0
	}
	return time.Duration(-b.Tokens * float64(every))
}

// Hold empties the bucket so that its next token is due d after now (a
// provider said "retry after d").
func (b *TokenBucket) Hold(now time.Time, burst int, every, d time.Duration) {
	b.fill(now, burst, every)
	b.Tokens = min(b.Tokens, 0) - float64(d)/float64(every) + 1
}

// FullAt is when the bucket, left alone, is full again: until then
// forgetting it would give tokens back.
func (b *TokenBucket) FullAt(burst int, every time.Duration) time.Time {
	return b.At.Add(time.Duration((float64(burst) - b.Tokens) * float64(every)))
}

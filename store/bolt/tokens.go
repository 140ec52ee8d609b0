package bolt

import (
	"bytes"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
)

// tokenBucket is one TakeToken bucket as stored.
type tokenBucket struct {
	bot.TokenBucket
	Full time.Time `json:"full"` // when it is full again
}

// sweepTokens is how many buckets full again one TakeToken forgets at
// most, so the work is spread over calls.
const sweepTokens = 16

// TakeToken spends a token from key's bucket. Each call first forgets up
// to sweepTokens buckets that are full again by now.
func (t *Tx) TakeToken(key string, burst int, every time.Duration, now time.Time) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	if key == "" || burst <= 0 || every <= 0 {
		return false, fmt.Errorf("store: token bucket %q needs a key, a burst and an interval", key)
	}
	if err := t.sweepTokens(now); err != nil {
		return false, err
	}
	var b tokenBucket
	if data := t.b(bTokens).Get([]byte(key)); data != nil {
		if err := decodeRecord(data, &b); err != nil {
			return false, fmt.Errorf("store: decode token bucket: %w", err)
		}
		if err := t.b(bTokensFull).Delete(join(timeKey(b.Full), []byte(key))); err != nil {
			return false, err
		}
	}
	ok := b.Take(now, burst, every)
	b.Full = b.FullAt(burst, every)
	if err := t.b(bTokensFull).Put(join(timeKey(b.Full), []byte(key)), nil); err != nil {
		return false, err
	}
	return ok, t.put(bTokens, []byte(key), &b)
}

// sweepTokens forgets buckets full again by now, up to sweepTokens.
func (t *Tx) sweepTokens(now time.Time) error {
	limit := timeKey(now)
	var keys [][]byte
	c := t.b(bTokensFull).Cursor()
	for k, _ := c.First(); k != nil && len(keys) < sweepTokens && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := t.b(bTokensFull).Delete(k); err != nil {
			return err
		}
		if err := t.b(bTokens).Delete(k[8:]); err != nil {
			return err
		}
	}
	return nil
}

package bolt

import "github.com/linkline/linkline/bot"

// LockKey takes the lock named key for the transaction. bbolt has one
// writer: a read-write transaction already excludes every other, so there
// is nothing to take. It still refuses what any backend refuses (an empty
// key, a read-only transaction), so a caller's mistake shows here first.
func (t *Tx) LockKey(key string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if key == "" {
		return bot.Errorf(bot.EInvalid, "lock: empty key")
	}
	return nil
}

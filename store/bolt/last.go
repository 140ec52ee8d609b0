package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/linkline/linkline/bot"
)

// LastInbound returns the newest message the contact sent (direction
// bot.In), or an error wrapping bot.ErrNotFound when they sent none. It
// reads backwards from the newest message and decodes only the messages
// newer than the one it returns.
func (t *Tx) LastInbound(contactID string) (*bot.Message, error) {
	return t.lastMessage(contactID, func(m *bot.Message) bool { return m.Direction == bot.In })
}

// lastMessage walks the contact's transcript from newest to oldest and
// returns the first message that match accepts.
func (t *Tx) lastMessage(contactID string, match func(*bot.Message) bool) (*bot.Message, error) {
	prefix := msgPrefix(contactID)
	// Keys are contact id, 0, id: every key of this contact sorts before
	// contact id, 1, and every key of a longer id sharing the prefix
	// (c1 and c10) sorts after it, as its next byte is not 0 or 1.
	end := append([]byte(contactID), 1)
	c := t.b(bMessages).Cursor()
	var k, v []byte
	if past, _ := c.Seek(end); past == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if len(k) != len(prefix)+8 {
			continue
		}
		m := new(bot.Message)
		if err := decodeRecord(v, m); err != nil {
			return nil, fmt.Errorf("store: decode message %d: %w", binary.BigEndian.Uint64(k[len(prefix):]), err)
		}
		if match(m) {
			return m, nil
		}
	}
	return nil, fmt.Errorf("last message of %s: %w", contactID, bot.ErrNotFound)
}

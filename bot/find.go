package bot

import (
	"errors"
	"fmt"
	"strings"
)

// FindContact finds a contact by id, or by address when s reads as one
// ("sms:+447700900123").
func FindContact(tx Tx, s string) (*Contact, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ":") {
		a, err := ParseAddress(s)
		if err != nil {
			return nil, err
		}
		c, err := tx.ContactByAddress(a)
		if errors.Is(err, ErrNotFound) {
			// Say which address: the store's error names only the channel.
			return nil, fmt.Errorf("no contact at %s: %w", a, ErrNotFound)
		}
		return c, err
	}
	if s == "" {
		return nil, Errorf(EInvalid, "no contact given")
	}
	return tx.Contact(s)
}

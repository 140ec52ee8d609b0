package console

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/linkline/linkline/bot"
)

// maxFound is how many contacts a search shows.
const maxFound = 50

// contactsSearch finds people by name (theirs, or the one on a referral),
// by number or chat id, or by contact id.
func (c *Console) contactsSearch(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var found []*bot.Contact
	if q != "" {
		err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
			var err error
			found, err = searchContacts(tx, q)
			return err
		})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		c.audit(r.Context(), userFrom(r.Context()), "search", "", "")
	}
	c.render(w, r, "contacts", http.StatusOK, map[string]any{"Title": "Contacts", "Page": "contacts", "Q": q,
		"Found": found, "Searched": q != "", "New": newContact{}})
}

func searchContacts(tx bot.Tx, q string) ([]*bot.Contact, error) {
	var out []*bot.Contact
	add := func(c *bot.Contact) {
		if len(out) < maxFound && !slices.ContainsFunc(out, func(o *bot.Contact) bool { return o.ID == c.ID }) {
			out = append(out, c)
		}
	}
	// Exact: a contact id, a number in any usual form, a chat id.
	if c, err := tx.Contact(q); err == nil {
		add(c)
	} else if !errors.Is(err, bot.ErrNotFound) {
		return nil, err
	}
	for _, a := range addressesFor(q) {
		if c, err := tx.ContactByAddress(a); err == nil {
			add(c)
		} else if !errors.Is(err, bot.ErrNotFound) {
			return nil, err
		}
	}
	err := tx.SearchContacts(q, maxFound, func(c *bot.Contact) bool {
		add(c)
		return len(out) < maxFound
	})
	return out, err
}

// addressesFor reads q as the addresses it may mean: a UK number as
// typed (07700 900123, +44 7700 900123) or a Telegram chat id.
func addressesFor(q string) []bot.Address {
	if a, err := bot.ParseAddress(q); err == nil {
		return []bot.Address{a}
	}
	digits := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || r == '+' {
			return r
		}
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return 'x'
	}, q)
	if digits == "" || strings.ContainsRune(digits, 'x') {
		return nil
	}
	var out []bot.Address
	switch {
	case strings.HasPrefix(digits, "+"):
		out = append(out, bot.Address{Channel: bot.SMS, ID: digits})
	case strings.HasPrefix(digits, "0"):
		out = append(out, bot.Address{Channel: bot.SMS, ID: "+44" + digits[1:]})
	case strings.HasPrefix(digits, "44"):
		out = append(out, bot.Address{Channel: bot.SMS, ID: "+" + digits})
	}
	return append(out, bot.Address{Channel: bot.Telegram, ID: digits})
}

package postgres

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
)

// MarkSeen records that the contact sent the message with providerID;
// seen reports whether it had already been recorded for that contact (its
// first time is kept). The primary key decides: of two transactions
// marking one id for one contact, the second waits for the first and
// finds it seen (or, if the first rolls back, records it itself).
func (t *Tx) MarkSeen(contactID, providerID string, at time.Time) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if err := checkID(contactID, "seen contact"); err != nil {
		return false, err
	}
	if err := text(providerID, "provider id"); err != nil {
		return false, err
	}
	n, err := t.exec("INSERT INTO seen (contact_id, provider_id, at_ns) VALUES ($1, $2, $3) ON CONFLICT (contact_id, provider_id) DO NOTHING",
		contactID, providerID, ns(at))
	return n == 0, err
}

// ForgetSeen removes provider ids recorded before cutoff and returns how
// many it removed.
func (t *Tx) ForgetSeen(cutoff time.Time) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	n, err := t.exec("DELETE FROM seen WHERE at_ns < $1", ns(cutoff))
	return int(n), err
}

// SeenIDs calls fn with each provider id recorded for the contact, by id,
// until fn returns false, a page at a time.
func (t *Tx) SeenIDs(contactID string, fn func(*bot.SeenID) bool) error {
	if t.failed != nil {
		return t.failed
	}
	if strings.IndexByte(contactID, 0) >= 0 {
		return nil // no row holds one (writes refuse them first)
	}
	after := ""
	for {
		rows, err := t.tx.Query(t.ctx, `SELECT provider_id, at_ns FROM seen WHERE contact_id = $1 AND provider_id > $2
			ORDER BY provider_id LIMIT $3`, contactID, after, pageSize)
		if err != nil {
			return t.note(err)
		}
		var page []*bot.SeenID
		for rows.Next() {
			var s bot.SeenID
			var at int64
			if err := rows.Scan(&s.ID, &at); err != nil {
				rows.Close()
				return t.note(err)
			}
			s.At = nsTime(at)
			page = append(page, &s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t.note(err)
		}
		for _, s := range page {
			if !fn(s) {
				return nil
			}
		}
		if len(page) < pageSize {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// DeleteSeen removes every provider id recorded for the contact.
func (t *Tx) DeleteSeen(contactID string) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(contactID, "seen contact"); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM seen WHERE contact_id = $1", contactID)
	return err
}

// Contact returns the contact with the given id.
func (t *Tx) Contact(id string) (*bot.Contact, error) {
	c := new(bot.Contact)
	if err := t.get(c, "contact "+id, "SELECT data FROM contacts WHERE id = $1"+t.forUpdate(), id); err != nil {
		return nil, err
	}
	return c, nil
}

// ContactByAddress returns the contact reached at a.
func (t *Tx) ContactByAddress(a bot.Address) (*bot.Contact, error) {
	c := new(bot.Contact)
	err := t.get(c, "contact at "+string(a.Channel), `SELECT c.data FROM contact_addresses a JOIN contacts c ON c.id = a.contact_id
		WHERE a.address = $1`+t.forUpdate(), a.String())
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ContactIDAt returns the id of the contact reached at a. It locks
// nothing: the caller takes the person's lock and then reads the contact.
func (t *Tx) ContactIDAt(a bot.Address) (string, error) {
	var id string
	err := t.row("SELECT contact_id FROM contact_addresses WHERE address = $1", []any{a.String()}, &id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("contact at %s: %w", a.Channel, bot.ErrNotFound)
	}
	return id, err
}

// PutContact creates (ID empty: one is assigned) or replaces a contact and
// keeps the address and search indexes in step. An address that belongs
// to another contact is a conflict (bot.EConflict) and nothing is written.
// Two transactions giving one new address to two contacts meet at the
// address's primary key: the second runs again and finds the conflict.
func (t *Tx) PutContact(c *bot.Contact) error {
	if err := t.check(); err != nil {
		return err
	}
	if c.ID != "" {
		if err := checkID(c.ID, "contact"); err != nil {
			return err
		}
	}
	addrs := make([]string, 0, len(c.Addresses))
	for _, a := range c.Addresses {
		if err := text(a.String(), "address"); err != nil {
			return err
		}
		addrs = append(addrs, a.String())
	}
	var owner, addr string
	err := t.row(`SELECT address, contact_id FROM contact_addresses WHERE address = ANY($1) AND contact_id <> $2 LIMIT 1`,
		[]any{addrs, c.ID}, &addr, &owner)
	if err == nil {
		return bot.Errorf(bot.EConflict, "a %s address of contact %q already belongs to contact %s", channelOf(addr), c.ID, owner)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if c.ID == "" {
		n, err := t.nextID("contacts_seq")
		if err != nil {
			return err
		}
		c.ID = newID("c", n)
		t.onUndo(func() { c.ID = "" })
	}
	data, err := encode(c)
	if err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM contact_addresses WHERE contact_id = $1 AND address <> ALL($2)", c.ID, addrs); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO contact_addresses (address, contact_id)
		SELECT DISTINCT a, $1 FROM unnest($2::text[]) a
		WHERE NOT EXISTS (SELECT 1 FROM contact_addresses x WHERE x.address = a AND x.contact_id = $1)`, c.ID, addrs); err != nil {
		return err
	}
	if err := t.putTerms(terms.Contact(c), c.ID, c.ID); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO contacts (id, data) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`, c.ID, data)
	return err
}

// putTerms replaces the search terms of one source record.
func (t *Tx) putTerms(ts []string, contactID, sourceID string) error {
	if _, err := t.exec("DELETE FROM search_terms WHERE contact_id = $1 AND source_id = $2", contactID, sourceID); err != nil {
		return err
	}
	if len(ts) == 0 {
		return nil
	}
	_, err := t.exec(`INSERT INTO search_terms (term, contact_id, source_id)
		SELECT DISTINCT term, $2, $3 FROM unnest($1::text[]) term`, ts, contactID, sourceID)
	return err
}

// Conversation returns the contact's conversation.
func (t *Tx) Conversation(contactID string) (*bot.Conversation, error) {
	c := new(bot.Conversation)
	if err := t.get(c, "conversation of "+contactID, "SELECT data FROM conversations WHERE contact_id = $1"+t.forUpdate(), contactID); err != nil {
		return nil, err
	}
	return c, nil
}

// PutConversation creates or replaces the contact's conversation.
func (t *Tx) PutConversation(c *bot.Conversation) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(c.ContactID, "conversation contact"); err != nil {
		return err
	}
	data, err := encode(c)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO conversations (contact_id, data) VALUES ($1, $2)
		ON CONFLICT (contact_id) DO UPDATE SET data = EXCLUDED.data`, c.ContactID, data)
	return err
}

// AppendMessage adds m to its contact's transcript, assigning m.ID. IDs
// increase across all transcripts.
func (t *Tx) AppendMessage(m *bot.Message) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(m.ContactID, "message contact"); err != nil {
		return err
	}
	n, err := t.nextID("messages_seq")
	if err != nil {
		return err
	}
	old := m.ID
	m.ID = uint64(n)
	t.onUndo(func() { m.ID = old })
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO messages (contact_id, id, inbound, data) VALUES ($1, $2, $3, $4)",
		m.ContactID, n, m.Direction == bot.In, data)
	return err
}

// Messages calls fn with the contact's transcript from oldest to newest
// until fn returns false.
func (t *Tx) Messages(contactID string, fn func(*bot.Message) bool) error {
	return scan(t, "message", 1, func(after []any) (string, []any) {
		if after == nil {
			return "SELECT data, id FROM messages WHERE contact_id = $1 ORDER BY id LIMIT $2", []any{contactID, pageSize}
		}
		return "SELECT data, id FROM messages WHERE contact_id = $1 AND id > $3 ORDER BY id LIMIT $2", []any{contactID, pageSize, after[0]}
	}, fn)
}

// LastInbound returns the newest message the contact sent, or an error
// wrapping bot.ErrNotFound when they sent none.
func (t *Tx) LastInbound(contactID string) (*bot.Message, error) {
	m := new(bot.Message)
	if err := t.get(m, "last message of "+contactID,
		"SELECT data FROM messages WHERE contact_id = $1 AND inbound ORDER BY id DESC LIMIT 1", contactID); err != nil {
		return nil, err
	}
	return m, nil
}

// SearchContacts calls fn for up to limit contacts (limit <= 0: all) that
// match query, each once, until fn returns false: the same matches as
// store/bolt's (store/internal/terms).
func (t *Tx) SearchContacts(query string, limit int, fn func(*bot.Contact) bool) error {
	firsts, others, ok := terms.Query(query)
	if !ok {
		return nil
	}
	pats := make([]string, len(firsts))
	for i, f := range firsts {
		pats[i] = f + "%"
	}
	more := make([]string, len(others))
	for i, w := range others {
		more[i] = "w" + w + "%"
	}
	lim := any(nil)
	if limit > 0 {
		lim = limit
	}
	// Terms are letters and digits only, so they hold no LIKE wildcards.
	p, err := t.page(`SELECT c.data FROM contacts c WHERE c.id IN (
			SELECT s.contact_id FROM search_terms s WHERE s.term LIKE ANY($1)
			AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) w WHERE NOT EXISTS (
				SELECT 1 FROM search_terms o WHERE o.contact_id = s.contact_id AND o.source_id = s.source_id AND o.term LIKE w)))
		ORDER BY length(c.id), c.id LIMIT $3`, []any{pats, more, lim}, 0)
	if err != nil {
		return err
	}
	for _, data := range p.data {
		c := new(bot.Contact)
		if err := jsonDecode(data, c, "contact"); err != nil {
			return err
		}
		if !fn(c) {
			return nil
		}
	}
	return nil
}

// Contacts calls fn for every contact until fn returns false.
func (t *Tx) Contacts(fn func(*bot.Contact) bool) error {
	return scan(t, "contact", 1, keyset("contacts", "id", ""), fn)
}

// keyset is the pager of a scan of a whole table (where: a condition on
// it, with no arguments) in the order of one text key column.
func keyset(table, key, where string) func(after []any) (string, []any) {
	cond := "true"
	if where != "" {
		cond = where
	}
	return func(after []any) (string, []any) {
		if after == nil {
			return fmt.Sprintf("SELECT data, %[2]s FROM %[1]s WHERE %[3]s ORDER BY %[2]s LIMIT $1", table, key, cond), []any{pageSize}
		}
		return fmt.Sprintf("SELECT data, %[2]s FROM %[1]s WHERE %[3]s AND %[2]s > $2 ORDER BY %[2]s LIMIT $1", table, key, cond), []any{pageSize, after[0]}
	}
}

// channelOf is the channel part of an address key ("sms:+44...").
func channelOf(addr string) string {
	ch, _, _ := strings.Cut(addr, ":")
	return ch
}

package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// PutHandoff creates (ID empty: one is assigned) or replaces a handoff. A
// contact has at most one active handoff (a partial unique index):
// making a second one active is a conflict (bot.EConflict) and nothing is
// written; two transactions racing to open one meet at the index, and the
// second runs again and finds the conflict.
func (t *Tx) PutHandoff(h *bot.Handoff) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(h.ContactID, "handoff contact"); err != nil {
		return err
	}
	if h.ID != "" {
		if err := checkID(h.ID, "handoff"); err != nil {
			return err
		}
	}
	if h.Active() {
		var owner string
		err := t.row("SELECT id FROM handoffs WHERE contact_id = $1 AND active AND id <> $2"+t.forUpdate(), []any{h.ContactID, h.ID}, &owner)
		if err == nil {
			return bot.Errorf(bot.EConflict, "contact %s already has active handoff %s", h.ContactID, owner)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
	}
	if h.ID == "" {
		n, err := t.nextID("handoffs_seq")
		if err != nil {
			return err
		}
		h.ID = newID("h", n)
		t.onUndo(func() { h.ID = "" })
	}
	data, err := encode(h)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO handoffs (id, contact_id, active, urgent, opened_ns, data) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET contact_id = EXCLUDED.contact_id, active = EXCLUDED.active, urgent = EXCLUDED.urgent,
			opened_ns = EXCLUDED.opened_ns, data = EXCLUDED.data`,
		h.ID, h.ContactID, h.Active(), h.Urgent, ns(h.OpenedAt), data)
	return err
}

// Handoff returns the handoff with the given id.
func (t *Tx) Handoff(id string) (*bot.Handoff, error) {
	h := new(bot.Handoff)
	if err := t.get(h, "handoff "+id, "SELECT data FROM handoffs WHERE id = $1"+t.forUpdate(), id); err != nil {
		return nil, err
	}
	return h, nil
}

// ActiveHandoff returns the contact's open or claimed handoff.
func (t *Tx) ActiveHandoff(contactID string) (*bot.Handoff, error) {
	h := new(bot.Handoff)
	if err := t.get(h, "active handoff of "+contactID, "SELECT data FROM handoffs WHERE contact_id = $1 AND active"+t.forUpdate(), contactID); err != nil {
		return nil, err
	}
	return h, nil
}

// ActiveHandoffs calls fn for open and claimed handoffs, urgent ones first,
// then oldest first, then in the order they were created, until fn
// returns false.
func (t *Tx) ActiveHandoffs(fn func(*bot.Handoff) bool) error {
	return scan(t, "handoff", 4, func(after []any) (string, []any) {
		const cols = "SELECT data, NOT urgent, opened_ns, length(id), id FROM handoffs WHERE active"
		const order = " ORDER BY NOT urgent, opened_ns, length(id), id LIMIT $1"
		if after == nil {
			return cols + order, []any{pageSize}
		}
		return cols + " AND (NOT urgent, opened_ns, length(id), id) > ($2, $3, $4, $5)" + order, []any{pageSize, after[0], after[1], after[2], after[3]}
	}, fn)
}

// Handoffs calls fn for every handoff, active or not, by id, until fn
// returns false.
func (t *Tx) Handoffs(fn func(*bot.Handoff) bool) error {
	return scan(t, "handoff", 1, keyset("handoffs", "id", ""), fn)
}

package postgres

import (
	"errors"
	"fmt"
	"time"

	"github.com/linkline/linkline/bot"
)

// saveOutbound writes o with the columns its queries need.
func (t *Tx) saveOutbound(o *bot.Outbound, insert bool) error {
	if err := text(o.ProviderID, "provider id"); err != nil {
		return err
	}
	if err := text(o.Owner, "outbox owner"); err != nil {
		return err
	}
	data, err := encode(o)
	if err != nil {
		return err
	}
	args := []any{int64(o.ID), string(o.Status), string(o.To.Channel), int(o.Rank()), ns(o.NextAttempt), o.Owner, ns(o.LeaseUntil), o.ProviderID, data}
	if insert {
		_, err = t.exec(`INSERT INTO outbox (id, status, channel, rank, next_ns, owner, lease_ns, provider_id, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
		return err
	}
	n, err := t.exec(`UPDATE outbox SET status = $2, channel = $3, rank = $4, next_ns = $5, owner = $6, lease_ns = $7,
		provider_id = $8, data = $9 WHERE id = $1`, args...)
	if err == nil && n == 0 {
		return fmt.Errorf("outbound %d: %w", o.ID, bot.ErrNotFound)
	}
	return err
}

// Enqueue adds a message to the outbox, assigning o.ID. An empty Status is
// set to pending.
func (t *Tx) Enqueue(o *bot.Outbound) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := text(string(o.To.Channel), "channel"); err != nil {
		return err
	}
	n, err := t.nextID("outbox_seq")
	if err != nil {
		return err
	}
	oldID, oldStatus := o.ID, o.Status
	o.ID = uint64(n)
	if o.Status == "" {
		o.Status = bot.StatusPending
	}
	t.onUndo(func() { o.ID, o.Status = oldID, oldStatus })
	return t.saveOutbound(o, true)
}

// Outbound returns the outbox row with the given id.
func (t *Tx) Outbound(id uint64) (*bot.Outbound, error) {
	o := new(bot.Outbound)
	if id > 1<<63-1 {
		return nil, fmt.Errorf("outbound %d: %w", id, bot.ErrNotFound)
	}
	if err := t.get(o, fmt.Sprintf("outbound %d", id), "SELECT data FROM outbox WHERE id = $1"+t.forUpdate(), int64(id)); err != nil {
		return nil, err
	}
	return o, nil
}

// PutOutbound replaces an existing outbox row. A row that is not there is
// bot.ErrNotFound.
func (t *Tx) PutOutbound(o *bot.Outbound) error {
	if err := t.check(); err != nil {
		return err
	}
	if o.ID > 1<<63-1 {
		return fmt.Errorf("outbound %d: %w", o.ID, bot.ErrNotFound)
	}
	return t.saveOutbound(o, false)
}

// OutboundByProviderID finds an outbox row by the provider's message id:
// of several rows given one id, the newest.
func (t *Tx) OutboundByProviderID(providerID string) (*bot.Outbound, error) {
	o := new(bot.Outbound)
	if providerID == "" || text(providerID, "") != nil {
		return nil, fmt.Errorf("outbound with provider id %s: %w", providerID, bot.ErrNotFound)
	}
	err := t.get(o, "outbound with provider id "+providerID,
		"SELECT data FROM outbox WHERE provider_id = $1 ORDER BY id DESC LIMIT 1"+t.forUpdate(), providerID)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// pendingPager pages pending rows due at or before now, by NextAttempt
// then id.
func pendingPager(cols string, now time.Time) func(after []any) (string, []any) {
	limit := ns(now)
	return func(after []any) (string, []any) {
		if after == nil {
			return "SELECT " + cols + ", next_ns, id FROM outbox WHERE status = 'pending' AND next_ns <= $1 ORDER BY next_ns, id LIMIT $2",
				[]any{limit, pageSize}
		}
		return "SELECT " + cols + ", next_ns, id FROM outbox WHERE status = 'pending' AND next_ns <= $1 AND (next_ns, id) > ($3, $4) ORDER BY next_ns, id LIMIT $2",
			[]any{limit, pageSize, after[0], after[1]}
	}
}

// Pending calls fn for pending outbox rows whose NextAttempt is at or
// before now, by NextAttempt then id, until fn returns false.
func (t *Tx) Pending(now time.Time, fn func(*bot.Outbound) bool) error {
	return scan(t, "outbound", 2, pendingPager("data", now), fn)
}

// PendingIDs calls fn with the id of each pending row due at or before
// now, oldest first, until fn returns false. It does not read the rows.
func (t *Tx) PendingIDs(now time.Time, fn func(id uint64) bool) error {
	next := pendingPager("'{}'::bytea", now)
	var after []any
	for {
		sql, args := next(after)
		p, err := t.page(sql, args, 2)
		if err != nil {
			return err
		}
		for _, k := range p.keys {
			if !fn(uint64(k[1].(int64))) {
				return nil
			}
			after = k
		}
		if len(p.keys) < pageSize {
			return nil
		}
	}
}

// NextPendingAfter returns the earliest NextAttempt of any pending row due
// strictly after t.
func (t *Tx) NextPendingAfter(after time.Time) (time.Time, bool, error) {
	o := new(bot.Outbound)
	err := t.get(o, "next pending", "SELECT data FROM outbox WHERE status = 'pending' AND next_ns > $1 ORDER BY next_ns, id LIMIT 1", ns(after))
	if errors.Is(err, bot.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return o.NextAttempt, true, nil
}

// ClaimOutbound claims c.Channel's due rows for c.Owner, most pressing
// first. Rows are read with FOR UPDATE SKIP LOCKED: a row another
// claimer's transaction is claiming right now is passed over rather than
// waited for, and a row whose lease has run out (its dispatcher died or
// stalled) is claimed again. Rows are read a page at a time, only as many
// as are still wanted, so a claim locks little beyond what it takes; the
// rows c.Skip turns down stay locked until this transaction ends, and
// other claimers pass over them meanwhile. With c.SkipOwn the rows
// c.Owner holds under a live lease are not read, so not locked: a
// dispatcher's claim does not hold up its own records of the rows it is
// sending. The rows taken are written in one statement.
func (t *Tx) ClaimOutbound(c bot.OutboxClaim) ([]*bot.Outbound, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if c.Owner == "" || c.Lease <= 0 {
		return nil, bot.Errorf(bot.EInvalid, "a claim needs an owner and a lease")
	}
	if err := text(c.Owner, "outbox owner"); err != nil {
		return nil, err
	}
	before := int(bot.PriorityScheduled) + 1
	if c.Before != 0 {
		before = int(c.Before)
	}
	now := ns(c.Now)
	var out []*bot.Outbound
	var ids []int64
	var datas [][]byte
	var after []any
	for len(out) < c.Limit {
		want := c.Limit - len(out)
		sql := `SELECT data, rank, next_ns, id FROM outbox
			WHERE status = 'pending' AND channel = $1 AND rank < $2 AND next_ns <= $3
			AND (owner = '' OR lease_ns <= $3 OR (owner = $4 AND NOT $6))`
		args := []any{string(c.Channel), before, now, c.Owner, want, c.SkipOwn}
		if after != nil {
			sql += " AND (rank, next_ns, id) > ($7, $8, $9)"
			args = append(args, after...)
		}
		sql += " ORDER BY rank, next_ns, id LIMIT $5 FOR UPDATE SKIP LOCKED"
		p, err := t.page(sql, args, 3)
		if err != nil {
			return nil, err
		}
		for i, data := range p.data {
			after = p.keys[i]
			o := new(bot.Outbound)
			if err := jsonDecode(data, o, "outbound"); err != nil {
				return nil, err
			}
			if c.Skip != nil && c.Skip(o) {
				continue
			}
			o.Owner, o.LeaseUntil = c.Owner, c.Now.Add(c.Lease)
			data, err := encode(o)
			if err != nil {
				return nil, err
			}
			ids, datas = append(ids, int64(o.ID)), append(datas, data)
			out = append(out, o)
		}
		if len(p.data) < want {
			break
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	// One statement for every row taken, not one each: the claim is on
	// the dispatcher's path to every send.
	n, err := t.exec(`UPDATE outbox SET owner = $1, lease_ns = $2, data = v.data
		FROM unnest($3::bigint[], $4::bytea[]) AS v(id, data) WHERE outbox.id = v.id`,
		c.Owner, ns(c.Now.Add(c.Lease)), ids, datas)
	if err != nil {
		return nil, err
	}
	if n != int64(len(ids)) {
		return nil, fmt.Errorf("store: claimed %d outbox rows, wrote %d", len(ids), n)
	}
	return out, nil
}

// Outbox calls fn for every outbox row, oldest first, until fn returns
// false.
func (t *Tx) Outbox(fn func(*bot.Outbound) bool) error {
	return scan(t, "outbound", 1, keyset("outbox", "id", ""), fn)
}

// DeleteOutbound removes an outbox row; removing an absent row is
// harmless.
func (t *Tx) DeleteOutbound(id uint64) error {
	if err := t.check(); err != nil {
		return err
	}
	if id > 1<<63-1 {
		return nil
	}
	_, err := t.exec("DELETE FROM outbox WHERE id = $1", int64(id))
	return err
}

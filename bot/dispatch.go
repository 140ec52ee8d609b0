package bot

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// DispatchOptions tune the outbox dispatcher.
type DispatchOptions struct {
	Clock Clock
	Log   *slog.Logger
	// Workers is how many sends run at once per channel. Pacing is the
	// Sender's job; Workers only bounds concurrency. Default 16.
	Workers int
	// MaxAttempts before a temporarily failing message is given up as
	// failed. Default 12 (about a day of backoff).
	MaxAttempts int
	// BaseBackoff is the first retry delay; each retry doubles it, with
	// jitter, up to MaxBackoff. Defaults 2s and 1h. The retry after the
	// n-th failed attempt waits at least half of min(BaseBackoff·2^(n-1),
	// MaxBackoff), and at least the provider's Retry-After when it gave one.
	BaseBackoff, MaxBackoff time.Duration
	// Idle is the longest the dispatcher sleeps without being woken.
	// Default 1 minute.
	Idle time.Duration
	// Metrics, if set, counts send outcomes.
	Metrics *Metrics
}

// Dispatcher sends the outbox. Rows are durable before the dispatcher sees
// them; a row is marked sent only after its Sender reports success, so a
// crash between the provider accepting a message and the record being
// written sends it again after restart (at least once). A success response
// is never followed by a second send. A person's messages go out in the
// order they were written: while one waits to be tried again, the later
// ones wait too, except urgent ones (the crisis text) and the confirmation
// of an opt-out, which never wait.
type Dispatcher struct {
	store   Store
	senders map[Channel]Sender
	opts    DispatchOptions
	wake    chan struct{}

	seed     maphash.Seed
	mu       sync.Mutex
	inflight map[uint64]bool
	// retrying holds, per contact, the ids of its rows waiting to
	// be tried again. The contact's later rows wait behind it, so that a
	// person's replies arrive in order; urgent rows do not wait.
	retrying map[string][]uint64
	// rows caches the feeder's decoded pending rows by id. The feeder uses
	// only fields that never change (id, contact, channel, urgency), and
	// send reads the row afresh; without the cache, rows left because
	// their worker was busy were decoded again on every pass.
	rows map[uint64]*Outbound
}

// maxCachedRows bounds Dispatcher.rows; past it the cache starts again.
const maxCachedRows = 4096

// NewDispatcher returns a dispatcher that sends each channel's messages
// with that channel's Sender.
func NewDispatcher(store Store, senders map[Channel]Sender, opts DispatchOptions) *Dispatcher {
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 12
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 2 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.Idle <= 0 {
		opts.Idle = time.Minute
	}
	return &Dispatcher{store: store, senders: senders, opts: opts,
		wake: make(chan struct{}, 1), inflight: map[uint64]bool{}, retrying: map[string][]uint64{}, rows: map[uint64]*Outbound{},
		seed: maphash.MakeSeed()}
}

// Wake tells the dispatcher new rows are waiting. It never blocks.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends due rows until ctx is cancelled, sleeping until the next row is
// due or Wake is called. Sends in progress when ctx ends are abandoned and
// their rows stay pending, to be sent on the next start.
func (d *Dispatcher) Run(ctx context.Context) error {
	if err := d.loadRetrying(ctx); err != nil {
		return err
	}
	// Each channel has Workers queues; a contact's rows always go to the
	// same queue, so one person's replies go out in order.
	queues := map[Channel][]chan *Outbound{}
	var wg sync.WaitGroup
	for ch, s := range d.senders {
		for range d.opts.Workers {
			// A short queue: rows wait in the store, in order, rather than
			// in memory, so an urgent row is never stuck behind many.
			q := make(chan *Outbound, 1)
			queues[ch] = append(queues[ch], q)
			wg.Go(func() {
				for o := range q {
					d.send(ctx, s, o)
					d.done(o.ID)
				}
			})
		}
	}
	defer func() {
		for _, qs := range queues {
			for _, q := range qs {
				close(q)
			}
		}
		wg.Wait()
	}()
	for {
		next, err := d.feed(ctx, queues)
		if err != nil && ctx.Err() == nil {
			d.opts.Log.Error("outbox: read pending", "err", err)
		}
		// Rows due now but left by feed (their workers busy, or held behind
		// a retry) are woken for: a worker finishing, or a retry settling,
		// wakes us. Otherwise sleep until the next row falls due.
		sleep := d.opts.Idle
		if !next.IsZero() {
			sleep = min(sleep, max(next.Sub(d.opts.Clock.Now()), 0))
		}
		timer := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-d.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// feed hands due rows to the channel queues and returns when the next
// not-yet-due row falls due (zero if none). Due rows it leaves (their
// worker busy, or held behind a retry) are handed out when a worker
// finishing wakes the feeder.
func (d *Dispatcher) feed(ctx context.Context, queues map[Channel][]chan *Outbound) (time.Time, error) {
	for {
		// Read only about as many rows as there is room for in the worker
		// queues: the feeder runs each time a send finishes, and reading
		// (decoding) hundreds of rows each time would cost more than sending.
		room := 0
		for _, qs := range queues {
			for _, q := range qs {
				room += cap(q) - len(q)
			}
		}
		if room == 0 && len(queues) > 0 {
			return time.Time{}, nil
		}
		batch := min(256, 2*room+8)
		var due []*Outbound
		var next time.Time
		err := d.store.View(ctx, func(tx Tx) error {
			due = due[:0]
			held := heldContacts{}
			var rerr error
			if err := tx.PendingIDs(d.opts.Clock.Now(), func(id uint64) bool {
				if d.claimed(id) {
					return true // handed out: not worth decoding
				}
				o, err := d.row(tx, id)
				if err != nil {
					rerr = err
					return false
				}
				if !d.waitsIn(held, o) {
					due = append(due, o)
				}
				return len(due) < batch
			}); err != nil {
				return err
			}
			if rerr != nil {
				return rerr
			}
			// Rows due now that this pass left (handed out, held behind a
			// retry, or their worker busy) wake the feeder when they can
			// go; what else there is to do is the first row due later.
			n, ok, err := tx.NextPendingAfter(d.opts.Clock.Now())
			if ok {
				next = n
			}
			return err
		})
		if err != nil || len(due) == 0 {
			return next, err
		}
		queued := 0
		// A contact one of whose rows found its queue full has its later
		// rows left too: handing one over once the worker has taken the
		// queued row would send it first.
		left := heldContacts{}
		for _, o := range due {
			if left.after(o) {
				continue
			}
			qs, ok := queues[o.To.Channel]
			if !ok {
				d.finish(ctx, o, StatusFailed, &SendError{Permanent: true, Code: "no_channel",
					Err: fmt.Errorf("channel %q is not configured", o.To.Channel)})
				continue
			}
			// A full queue is skipped, not waited on: that worker is busy,
			// and waiting would leave the others idle. The row stays in the
			// store and is handed out when a worker is done (done wakes us).
			d.claim(o.ID)
			select {
			case qs[maphash.String(d.seed, o.ContactID)%uint64(len(qs))] <- o:
				queued++
			default:
				d.unclaim(o.ID)
				left.hold(o)
			}
		}
		if len(due) < batch || queued == 0 {
			return next, nil
		}
	}
}

// row returns pending row id, decoded once while it stays pending.
func (d *Dispatcher) row(tx Tx, id uint64) (*Outbound, error) {
	d.mu.Lock()
	o, ok := d.rows[id]
	d.mu.Unlock()
	if ok {
		return o, nil
	}
	o, err := tx.Outbound(id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if len(d.rows) >= maxCachedRows {
		clear(d.rows)
	}
	d.rows[id] = o
	d.mu.Unlock()
	return o, nil
}

// loadRetrying finds, after a start, each contact's earliest row that is
// waiting to be tried again.
func (d *Dispatcher) loadRetrying(ctx context.Context) error {
	far := d.opts.Clock.Now().Add(100 * 365 * 24 * time.Hour)
	return d.store.View(ctx, func(tx Tx) error {
		return tx.Pending(far, func(o *Outbound) bool {
			if o.Attempts > 0 {
				d.retry(o)
			}
			return true
		})
	})
}

// waits reports whether o must wait for an earlier row of its contact that
// is waiting to be tried again.
func (d *Dispatcher) waits(o *Outbound) bool {
	if skipsQueue(o) {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.ContainsFunc(d.retrying[o.ContactID], func(id uint64) bool { return id < o.ID })
}

// skipsQueue reports whether o goes out without waiting for the contact's
// earlier rows: the crisis text, and the last message before an opt-out.
func skipsQueue(o *Outbound) bool { return o.Urgent || o.Final }

// heldContacts holds, for one pass over the pending rows, the smallest id
// of each contact's rows the pass has left. A later row of that contact is
// left too, even if the row it waited for settles during the pass:
// otherwise the pass could leave a contact's earlier row and hand out its
// later one.
type heldContacts map[string]uint64

// hold records that the pass left o.
func (h heldContacts) hold(o *Outbound) {
	if id, ok := h[o.ContactID]; !ok || o.ID < id {
		h[o.ContactID] = o.ID
	}
}

// after reports whether the pass left an earlier row of o's contact.
func (h heldContacts) after(o *Outbound) bool {
	id, ok := h[o.ContactID]
	return ok && id < o.ID && !skipsQueue(o)
}

// waitsIn is waits for one pass over the pending rows.
func (d *Dispatcher) waitsIn(held heldContacts, o *Outbound) bool {
	if held.after(o) || d.waits(o) {
		held.hold(o)
		return true
	}
	return false
}

// retry notes that o will be tried again later.
func (d *Dispatcher) retry(o *Outbound) {
	if skipsQueue(o) {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if ids := d.retrying[o.ContactID]; !slices.Contains(ids, o.ID) {
		d.retrying[o.ContactID] = append(ids, o.ID)
	}
}

// settled notes that o will not be tried again, releasing the rows of its
// contact that waited behind it.
func (d *Dispatcher) settled(o *Outbound) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := slices.DeleteFunc(d.retrying[o.ContactID], func(id uint64) bool { return id == o.ID })
	if len(ids) == 0 {
		delete(d.retrying, o.ContactID)
	} else {
		d.retrying[o.ContactID] = ids
	}
}

func (d *Dispatcher) claimed(id uint64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inflight[id]
}

func (d *Dispatcher) claim(id uint64) {
	d.mu.Lock()
	d.inflight[id] = true
	d.mu.Unlock()
}

func (d *Dispatcher) unclaim(id uint64) {
	d.mu.Lock()
	delete(d.inflight, id)
	d.mu.Unlock()
}

func (d *Dispatcher) done(id uint64) {
	d.unclaim(id)
	d.Wake() // a retry may now be due, or the queue had more
}

// Drain sends every row due now, one at a time, and returns when none is
// left. `linkline chat` and tests use it instead of Run.
func (d *Dispatcher) Drain(ctx context.Context) error {
	if err := d.loadRetrying(ctx); err != nil {
		return err
	}
	for {
		var due []*Outbound
		err := d.store.View(ctx, func(tx Tx) error {
			due = due[:0]
			held := heldContacts{}
			return tx.Pending(d.opts.Clock.Now(), func(o *Outbound) bool {
				if !d.waitsIn(held, o) {
					due = append(due, o)
				}
				return len(due) < 256
			})
		})
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		for _, o := range due {
			s, ok := d.senders[o.To.Channel]
			if !ok {
				d.finish(ctx, o, StatusFailed, &SendError{Permanent: true, Code: "no_channel",
					Err: fmt.Errorf("channel %q is not configured", o.To.Channel)})
				continue
			}
			d.send(ctx, s, o)
		}
	}
}

// send makes one attempt at one row and records the outcome. The row is
// read again first: the copy it was handed may be stale (another worker,
// or an earlier pass of the feeder, may have sent it since), and a row
// that is no longer pending and due is never sent again.
func (d *Dispatcher) send(ctx context.Context, s Sender, handed *Outbound) {
	var o *Outbound
	var c *Contact
	err := d.store.View(ctx, func(tx Tx) error {
		var err error
		if o, err = tx.Outbound(handed.ID); err != nil {
			return err
		}
		c, err = tx.Contact(o.ContactID)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			d.opts.Log.Error("outbox: read row before sending", "outbox_id", handed.ID, "err", err)
		}
		return
	}
	if o.Status != StatusPending || o.NextAttempt.After(d.opts.Clock.Now()) || d.waits(o) {
		return // sent since, not due, or an earlier row of the contact failed since it was handed out
	}
	if !o.Urgent && !o.Final && (c.OptedOut || slices.Contains(c.Unreachable, o.To.Channel)) {
		d.finish(ctx, o, StatusSuppressed, nil)
		return
	}
	id, err := s.Send(ctx, o)
	if err == nil {
		o.ProviderID = id
		d.finish(ctx, o, StatusSent, nil)
		return
	}
	if ctx.Err() != nil {
		return // shutting down: the row stays pending
	}
	se := AsSendError(err)
	o.Attempts++
	o.PartsSent = max(o.PartsSent, se.PartsSent)
	switch {
	case se.Permanent || se.OptOut || se.Unreachable:
		d.finish(ctx, o, StatusFailed, se)
	case o.Attempts >= d.opts.MaxAttempts:
		d.finish(ctx, o, StatusFailed, se)
	default:
		// The provider's Retry-After is a floor on the backoff, not a
		// replacement: repeated 429s must not use up MaxAttempts in seconds.
		delay := max(se.RetryAfter, d.backoff(o.Attempts))
		o.NextAttempt = d.opts.Clock.Now().Add(delay)
		d.finish(ctx, o, StatusPending, se)
	}
}

// backoff is exponential with full jitter in its upper half.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.opts.BaseBackoff << min(attempt-1, 20)
	if b <= 0 || b > d.opts.MaxBackoff {
		b = d.opts.MaxBackoff
	}
	return b/2 + rand.N(b/2+1)
}

// finish writes the outcome of an attempt. Records are written with a
// fresh context so that a send that succeeded is recorded even while the
// server shuts down.
func (d *Dispatcher) finish(ctx context.Context, o *Outbound, status OutStatus, se *SendError) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := d.opts.Clock.Now()
	err := d.store.Update(wctx, func(tx Tx) error {
		cur, err := tx.Outbound(o.ID)
		if err != nil {
			return err
		}
		cur.Status, cur.Attempts, cur.NextAttempt, cur.UpdatedAt = status, o.Attempts, o.NextAttempt, now
		cur.PartsSent = max(cur.PartsSent, o.PartsSent)
		if o.ProviderID != "" {
			cur.ProviderID = o.ProviderID
		}
		if se != nil {
			cur.Error, cur.ErrorCode = se.Error(), se.Code
		}
		if err := tx.PutOutbound(cur); err != nil {
			return err
		}
		if status == StatusSent {
			return applyEarlyStatus(tx, cur, now)
		}
		if se == nil || status == StatusPending {
			return nil
		}
		if err := tx.AddEvent(&Event{At: now, Kind: EventDeliveryFailed, ContactID: o.ContactID,
			Data: map[string]string{"outbox_id": fmt.Sprint(o.ID), "code": se.Code}}); err != nil {
			return err
		}
		switch {
		case se.OptOut:
			return optOut(tx, o.ContactID, now, "provider")
		case se.Unreachable:
			return markUnreachable(tx, o.ContactID, o.To.Channel, se.Code, now)
		}
		return nil
	})
	if err != nil {
		d.opts.Log.Error("outbox: record send outcome", "outbox_id", o.ID, "status", status, "err", err)
		return
	}
	d.mu.Lock()
	delete(d.rows, o.ID)
	d.mu.Unlock()
	outcome := status
	if status == StatusPending {
		outcome = "retry"
		d.retry(o)
	} else {
		d.settled(o)
	}
	d.opts.Metrics.outboundDone(o.To.Channel, outcome)
	if se != nil {
		level := slog.LevelWarn
		if status == StatusPending {
			level = slog.LevelInfo
		}
		d.opts.Log.Log(ctx, level, "outbox: send failed", "outbox_id", o.ID, "channel", o.To.Channel,
			"attempt", o.Attempts, "final", status != StatusPending, "code", se.Code)
	}
}

// Package outbox sends what the engine left in the outbox: it claims rows
// in the store, paces them per sending identity with the crisis text first,
// retries, and records each row's status.
package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	rand "math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/metrics"
)

// DispatchOptions tune the outbox dispatcher.
type DispatchOptions struct {
	Clock bot.Clock
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
	Metrics *metrics.Metrics
	// Owner names this dispatcher in the store's claims on rows; a
	// dispatcher takes back at once the rows claimed under its own name
	// (after a crash), and another's only once their lease has run out.
	// Dispatchers sharing a store need different names. Default: the
	// host's name.
	Owner string
	// OwnerPerProcess says Owner names this process alone (a name made
	// at its start, as each instance on PostgreSQL has), not its host: no
	// row claimed under it predates this dispatcher, which holds every
	// row it has claimed and not finished. Its claims then pass over the
	// rows it holds in the store (OutboxClaim.SkipOwn) rather than lock
	// and rewrite them each time, and a row it claimed and could not send
	// is given back at once rather than taken back by its next claim.
	OwnerPerProcess bool
	// Lease is how long a claim on a row holds before another dispatcher
	// may take the row (after a crash). Default 2 minutes.
	Lease time.Duration
}

// Dispatcher sends the outbox. Rows are durable before the dispatcher sees
// them; a row is marked sent only after its Sender reports success, so a
// crash between the provider accepting a message and the record being
// written sends it again after restart (at least once). A success response
// is never followed by a second send.
//
// Each sending identity (a channel: its number or bot) has its own lane,
// so one channel's backlog never holds up another's. A lane claims rows in
// the store (Tx.ClaimOutbound: an owner and a lease, so that several
// dispatchers on one store send each row once) and sends the most pressing
// first: the crisis text, then link workers' replies, then the bot's
// replies, then check-ins and surveys (Outbound.Rank). For a PacedSender
// the lane picks the row only once the pace allows a send, so a crisis
// text waits for one free moment, never behind the rows already waiting.
//
// A person's messages go out in the order they were written: while one
// waits to be tried again, the later ones wait too, except urgent ones
// (the crisis text) and the confirmation of an opt-out, which never wait.
type Dispatcher struct {
	store   bot.Store
	senders map[bot.Channel]bot.Sender
	opts    DispatchOptions
	lanes   map[bot.Channel]*lane
	// spare is woken with the lanes: it fails rows for channels that
	// have no sender.
	spare chan struct{}

	mu sync.Mutex
	// retrying holds, per contact, the ids of its rows waiting to
	// be tried again. The contact's later rows wait behind it, so that a
	// person's replies arrive in order; urgent rows do not wait.
	retrying map[string][]uint64
}

// NewDispatcher returns a dispatcher that sends each channel's messages
// with that channel's Sender.
func NewDispatcher(store bot.Store, senders map[bot.Channel]bot.Sender, opts DispatchOptions) *Dispatcher {
	if opts.Clock == nil {
		opts.Clock = bot.SystemClock{}
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
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.Owner == "" {
		opts.Owner = defaultOwner()
	}
	d := &Dispatcher{store: store, senders: senders, opts: opts, lanes: map[bot.Channel]*lane{},
		spare: make(chan struct{}, 1), retrying: map[string][]uint64{}}
	for ch, s := range senders {
		l := &lane{d: d, ch: ch, sender: s, wake: make(chan struct{}, 1), avail: make(chan struct{}, 1),
			busy: map[string]bool{}, held: map[uint64]bool{}}
		l.paced, _ = s.(bot.PacedSender)
		l.dirty.Store(true)
		d.lanes[ch] = l
	}
	return d
}

// Wake tells the dispatcher new rows are waiting. It never blocks.
func (d *Dispatcher) Wake() {
	for _, l := range d.lanes {
		l.poke()
	}
	select {
	case d.spare <- struct{}{}:
	default:
	}
}

// Run sends due rows until ctx is cancelled, sleeping until the next row is
// due or Wake is called. Sends in progress when ctx ends are abandoned;
// their rows, and those claimed but not yet sent, are given back (pending,
// unclaimed) to be sent on the next start.
func (d *Dispatcher) Run(ctx context.Context) error {
	if err := d.loadRetrying(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, l := range d.lanes {
		wg.Go(func() { l.run(ctx) })
	}
	wg.Go(func() { d.failUnconfigured(ctx) })
	wg.Wait()
	return nil
}

// lane sends one sending identity's rows. A claimer goroutine keeps rows
// claimed ahead (woken by Wake, by rows falling due, and when the lane
// runs low); the lane's loop waits for a worker and for the pace, then
// sends the most pressing row it holds.
type lane struct {
	d      *Dispatcher
	ch     bot.Channel
	sender bot.Sender
	paced  bot.PacedSender // nil when the sender does not pace
	// wake wakes the claimer; avail wakes the sending loop.
	wake, avail chan struct{}
	// dirty is set when rows may have come in since the lane last
	// claimed (Wake, a row falling due, a retry settling); more when the
	// last claim stopped at its limit.
	dirty, more atomic.Bool
	// next is when the next row not yet due falls due, as the claimer
	// last read it (the claimer's own).
	next time.Time

	// filling is held while the claimer claims, so that the sending loop
	// can wait for a claim in progress (one that has a crisis text).
	filling sync.Mutex

	mu sync.Mutex
	// rows are claimed and waiting, most pressing first.
	rows []*bot.Outbound
	// busy holds the contacts with a send in flight.
	busy map[string]bool
	// held holds every row claimed and not yet finished, to give back
	// at shutdown.
	held map[uint64]bool
}

// depth is how many rows a lane claims ahead of sending them: enough to
// keep every worker busy, few enough that none waits long under a lease.
func (l *lane) depth() int { return 2 * l.d.opts.Workers }

// poke tells the claimer rows may be waiting in the store.
func (l *lane) poke() {
	l.dirty.Store(true)
	signal(l.wake)
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (l *lane) run(ctx context.Context) {
	sem := make(chan struct{}, l.d.opts.Workers)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		l.giveBack(ctx)
	}()
	wg.Go(func() { l.claim(ctx) })
	for ctx.Err() == nil {
		if l.waiting() == 0 {
			l.waitAvail(ctx)
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		release := func() {}
		if l.paced != nil {
			// The row is chosen only once the pace allows a send: a crisis
			// text claimed while the lane waited goes first.
			r, err := l.paced.Pace(ctx)
			if err != nil {
				<-sem
				continue
			}
			release = r
		}
		// A claim in progress may hold a row more pressing than any here.
		o := l.popAfterClaim(ctx)
		if o == nil {
			// Every waiting row's person has a send in flight: a send
			// finishing wakes the lane.
			release()
			<-sem
			l.waitAvail(ctx)
			continue
		}
		if l.more.Load() && l.waiting() <= l.depth()/2 {
			signal(l.wake) // running low: claim the next rows
		}
		wg.Go(func() {
			defer func() {
				release()
				l.finished(o)
				<-sem
			}()
			if !l.d.send(ctx, l.sender, l.paced, o) && l.d.opts.OwnerPerProcess && ctx.Err() == nil {
				// Not sent (not due, or behind a person's earlier row
				// now waiting to be tried again): this dispatcher's
				// claims pass over its own rows, so give it back.
				l.d.release(ctx, []uint64{o.ID})
			}
		})
	}
}

func (l *lane) waitAvail(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-l.avail:
	}
}

// claim is the lane's claimer: it claims rows until ctx ends, sleeping
// until it is woken, the next row falls due, or Idle.
func (l *lane) claim(ctx context.Context) {
	for ctx.Err() == nil {
		next := l.fill(ctx)
		if l.waiting() > 0 {
			signal(l.avail)
		}
		wait := l.d.opts.Idle
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(l.d.opts.Clock.Now()), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-l.wake:
		case <-t.C:
			l.dirty.Store(true)
		}
		t.Stop()
	}
}

// fill claims rows for the lane when some may be waiting: up to its
// depth, and past it rows more pressing than the least pressing it holds.
// It returns when the next row not yet due falls due (zero if none).
func (l *lane) fill(ctx context.Context) time.Time {
	l.filling.Lock()
	defer l.filling.Unlock()
	l.mu.Lock()
	n := len(l.rows)
	var worst bot.Priority
	if n > 0 {
		worst = l.rows[n-1].Rank()
	}
	l.mu.Unlock()
	if !l.dirty.Swap(false) && !(l.more.Load() && n <= l.depth()/2) {
		return l.next
	}
	d := l.d
	// Rows the lane holds already are passed over: by the store when the
	// owner is this process's alone, or here (the store gives an owner's
	// own claims back to it, so that a restarted process takes back its
	// rows at once).
	var got []*bot.Outbound
	// Which rows wait behind a retry is read once for the whole claim: a
	// retry settling halfway through must not let a person's later row be
	// claimed without the earlier one it released with it.
	waits := d.waitsNow()
	skip := func(o *bot.Outbound) bool {
		return waits(o) || l.holds(o.ID) || slices.ContainsFunc(got, func(g *bot.Outbound) bool { return g.ID == o.ID })
	}
	// First rows more pressing than the least pressing the lane holds,
	// however full it is; then up to its depth.
	var pressing, fill bot.OutboxClaim
	if n > 0 && worst > bot.PriorityCrisis {
		pressing = bot.OutboxClaim{Owner: d.opts.Owner, Channel: l.ch, Lease: d.opts.Lease, Limit: l.depth(), Before: worst, Skip: skip, SkipOwn: d.opts.OwnerPerProcess}
	}
	var next time.Time
	err := d.store.Update(ctx, func(tx bot.Tx) error {
		got, next = got[:0], time.Time{}
		now := d.opts.Clock.Now()
		if pressing.Limit > 0 {
			pressing.Now = now
			more, err := tx.ClaimOutbound(pressing)
			if err != nil {
				return err
			}
			got = append(got, more...)
		}
		fill = bot.OutboxClaim{Owner: d.opts.Owner, Channel: l.ch, Now: now, Lease: d.opts.Lease, Limit: l.depth() - n - len(got), Skip: skip, SkipOwn: d.opts.OwnerPerProcess}
		if fill.Limit > 0 {
			more, err := tx.ClaimOutbound(fill)
			if err != nil {
				return err
			}
			got = append(got, more...)
		}
		at, ok, err := tx.NextPendingAfter(now)
		if ok {
			next = at
		}
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			d.opts.Log.Error("outbox: claim rows", "channel", l.ch, "err", err)
			l.dirty.Store(true)
			next = d.opts.Clock.Now().Add(time.Second)
		}
		return next
	}
	l.next = next
	if pressing.Limit > 0 && len(got) >= pressing.Limit {
		l.dirty.Store(true) // more pressing rows than room: look again soon
	}
	l.more.Store(fill.Limit <= 0 || len(got) >= l.depth()-n)
	l.mu.Lock()
	for _, o := range got {
		if !l.held[o.ID] {
			l.held[o.ID] = true
			l.rows = append(l.rows, o)
		}
	}
	slices.SortStableFunc(l.rows, compareRows)
	// More pressing rows push the least pressing back to the store, so
	// the lane never holds more than its depth.
	var back []uint64
	if len(l.rows) > l.depth() {
		for _, o := range l.rows[l.depth():] {
			back = append(back, o.ID)
			delete(l.held, o.ID)
		}
		l.rows = slices.Clip(l.rows[:l.depth()])
	}
	l.mu.Unlock()
	if len(back) > 0 {
		d.release(ctx, back)
		l.more.Store(true)
	}
	return next
}

// compareRows orders rows most pressing first, then oldest first.
func compareRows(a, b *bot.Outbound) int {
	if r := int(a.Rank()) - int(b.Rank()); r != 0 {
		return r
	}
	if c := a.NextAttempt.Compare(b.NextAttempt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func (l *lane) holds(id uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held[id]
}

func (l *lane) waiting() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.rows)
}

// pop takes the most pressing row that may go now: one whose person has
// no send in flight and no earlier row waiting, unless it skips the queue.
func (l *lane) pop(ctx context.Context) *bot.Outbound {
	// Rows that must now wait behind a retry of their person's earlier row
	// are given back rather than held for the length of its backoff.
	if back := l.dropWaiting(); len(back) > 0 {
		l.d.release(ctx, back)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, o := range l.rows {
		if !skipsQueue(o) {
			if l.busy[o.ContactID] || slices.ContainsFunc(l.rows, func(p *bot.Outbound) bool {
				return p.ContactID == o.ContactID && p.ID < o.ID && !skipsQueue(p)
			}) {
				continue
			}
		}
		l.rows = slices.Delete(l.rows, i, i+1)
		l.busy[o.ContactID] = true
		return o
	}
	return nil
}

// popAfterClaim is pop once a claim in progress (which may hold a row
// more pressing than any the lane has) has ended.
func (l *lane) popAfterClaim(ctx context.Context) *bot.Outbound {
	l.filling.Lock()
	defer l.filling.Unlock()
	return l.pop(ctx)
}

// dropWaiting removes the rows that wait behind a retry and returns their
// ids.
func (l *lane) dropWaiting() []uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var back []uint64
	l.rows = slices.DeleteFunc(l.rows, func(o *bot.Outbound) bool {
		if l.d.waits(o) {
			back = append(back, o.ID)
			delete(l.held, o.ID)
			return true
		}
		return false
	})
	return back
}

// finished notes that o's send is over: the person's next row may go.
func (l *lane) finished(o *bot.Outbound) {
	l.mu.Lock()
	delete(l.busy, o.ContactID)
	delete(l.held, o.ID)
	l.mu.Unlock()
	signal(l.avail)
}

// giveBack releases the rows the lane claimed and did not finish, so that
// the next start (or another dispatcher) sends them without waiting for
// the lease.
func (l *lane) giveBack(ctx context.Context) {
	l.mu.Lock()
	ids := slices.Collect(maps.Keys(l.held))
	l.rows, l.held = nil, map[uint64]bool{}
	l.mu.Unlock()
	if len(ids) > 0 {
		l.d.release(ctx, ids)
	}
}

// release gives back claimed rows that were not sent.
func (d *Dispatcher) release(ctx context.Context, ids []uint64) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := d.store.Update(wctx, func(tx bot.Tx) error {
		for _, id := range ids {
			o, err := tx.Outbound(id)
			if errors.Is(err, bot.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if o.Owner != d.opts.Owner {
				continue
			}
			o.Owner, o.LeaseUntil = "", time.Time{}
			if err := tx.PutOutbound(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		d.opts.Log.Error("outbox: give back claimed rows", "rows", len(ids), "err", err)
	}
}

// channels are the channels Linkline knows; rows for one without a sender
// fail.
var channels = []bot.Channel{bot.SMS, bot.Telegram, bot.Sim}

// failUnconfigured fails due rows for channels that have no sender, each
// time the dispatcher is woken, until ctx ends.
func (d *Dispatcher) failUnconfigured(ctx context.Context) {
	for {
		d.failNoChannel(ctx)
		t := time.NewTimer(d.opts.Idle)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.spare:
		case <-t.C:
		}
		t.Stop()
	}
}

func (d *Dispatcher) failNoChannel(ctx context.Context) {
	for _, ch := range channels {
		if _, ok := d.senders[ch]; ok {
			continue
		}
		var got []*bot.Outbound
		err := d.store.Update(ctx, func(tx bot.Tx) error {
			var err error
			got, err = tx.ClaimOutbound(bot.OutboxClaim{Owner: d.opts.Owner, Channel: ch, Now: d.opts.Clock.Now(),
				Lease: d.opts.Lease, Limit: 256, SkipOwn: d.opts.OwnerPerProcess})
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				d.opts.Log.Error("outbox: claim rows", "channel", ch, "err", err)
			}
			return
		}
		for _, o := range got {
			d.finish(ctx, o, bot.StatusFailed, &bot.SendError{Permanent: true, Code: "no_channel",
				Err: fmt.Errorf("channel %q is not configured", o.To.Channel)})
		}
	}
}

// loadRetrying finds, after a start, each contact's earliest row that is
// waiting to be tried again.
func (d *Dispatcher) loadRetrying(ctx context.Context) error {
	far := d.opts.Clock.Now().Add(100 * 365 * 24 * time.Hour)
	return d.store.View(ctx, func(tx bot.Tx) error {
		return tx.Pending(far, func(o *bot.Outbound) bool {
			if o.Attempts > 0 {
				d.retry(o)
			}
			return true
		})
	})
}

// waits reports whether o must wait for an earlier row of its contact that
// is waiting to be tried again.
func (d *Dispatcher) waits(o *bot.Outbound) bool {
	if skipsQueue(o) {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.ContainsFunc(d.retrying[o.ContactID], func(id uint64) bool { return id < o.ID })
}

// waitsNow is waits as of now: later retries and settlements do not
// change its answers.
func (d *Dispatcher) waitsNow() func(*bot.Outbound) bool {
	d.mu.Lock()
	snap := make(map[string][]uint64, len(d.retrying))
	for c, ids := range d.retrying {
		snap[c] = slices.Clone(ids)
	}
	d.mu.Unlock()
	return func(o *bot.Outbound) bool {
		return !skipsQueue(o) && slices.ContainsFunc(snap[o.ContactID], func(id uint64) bool { return id < o.ID })
	}
}

// skipsQueue reports whether o goes out without waiting for the contact's
// earlier rows: the crisis text, and the last message before an opt-out.
func skipsQueue(o *bot.Outbound) bool { return o.Urgent || o.Final }

// retry notes that o will be tried again later.
func (d *Dispatcher) retry(o *bot.Outbound) {
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
func (d *Dispatcher) settled(o *bot.Outbound) {
	d.mu.Lock()
	ids, was := d.retrying[o.ContactID]
	ids = slices.DeleteFunc(ids, func(id uint64) bool { return id == o.ID })
	if len(ids) == 0 {
		delete(d.retrying, o.ContactID)
	} else {
		d.retrying[o.ContactID] = ids
	}
	d.mu.Unlock()
	if was {
		d.Wake() // rows given back behind it may go now
	}
}

// Drain sends every row due now, one at a time, most pressing first, and
// returns when none is left. `linkline chat` and tests use it instead of
// Run.
func (d *Dispatcher) Drain(ctx context.Context) error {
	if err := d.loadRetrying(ctx); err != nil {
		return err
	}
	d.failNoChannel(ctx)
	chans := slices.Sorted(maps.Keys(d.senders))
	for {
		var due []*bot.Outbound
		err := d.store.Update(ctx, func(tx bot.Tx) error {
			due = due[:0]
			for _, ch := range chans {
				got, err := tx.ClaimOutbound(bot.OutboxClaim{Owner: d.opts.Owner, Channel: ch, Now: d.opts.Clock.Now(),
					Lease: d.opts.Lease, Limit: 256, Skip: d.waits, SkipOwn: d.opts.OwnerPerProcess})
				if err != nil {
					return err
				}
				due = append(due, got...)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		slices.SortStableFunc(due, compareRows)
		var left []uint64
		for _, o := range due {
			if !d.drainOne(ctx, o) {
				left = append(left, o.ID)
			}
		}
		if len(left) > 0 {
			d.release(ctx, left)
		}
		if len(left) == len(due) {
			return nil // none could go: they wait for a retry
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// drainOne sends o for Drain, waiting for its sender's pace.
func (d *Dispatcher) drainOne(ctx context.Context, o *bot.Outbound) bool {
	s := d.senders[o.To.Channel]
	p, _ := s.(bot.PacedSender)
	if p != nil {
		release, err := p.Pace(ctx)
		if err != nil {
			return false
		}
		defer release()
	}
	return d.send(ctx, s, p, o)
}

// send makes one attempt at one row this dispatcher has claimed and
// records the outcome. The row is read again first: the copy it was handed
// may be stale, and a row that is no longer pending and due, or no longer
// this dispatcher's, is never sent. A claim whose lease has run low is
// renewed first, so the lease covers the send. With p set the caller has
// already waited for p's pace. send reports whether it settled the row
// (false: the row is still claimed, unsent, for the caller to give back).
func (d *Dispatcher) send(ctx context.Context, s bot.Sender, p bot.PacedSender, handed *bot.Outbound) bool {
	var o *bot.Outbound
	var c *bot.Contact
	read := func(tx bot.Tx) error {
		var err error
		if o, err = tx.Outbound(handed.ID); err != nil {
			return err
		}
		c, err = tx.Contact(o.ContactID)
		return err
	}
	err := d.store.View(ctx, read)
	now := d.opts.Clock.Now()
	if err == nil && o.Owner == d.opts.Owner && o.LeaseUntil.Sub(now) < d.opts.Lease/2 {
		err = d.store.Update(ctx, func(tx bot.Tx) error {
			if err := read(tx); err != nil || o.Owner != d.opts.Owner || o.Status != bot.StatusPending {
				return err
			}
			o.LeaseUntil = now.Add(d.opts.Lease)
			return tx.PutOutbound(o)
		})
	}
	if err != nil {
		if ctx.Err() == nil {
			d.opts.Log.Error("outbox: read row before sending", "outbox_id", handed.ID, "err", err)
		}
		return false
	}
	if o.Owner != d.opts.Owner || o.Status != bot.StatusPending {
		return true // another dispatcher's now, or settled since
	}
	if o.NextAttempt.After(now) || d.waits(o) {
		return false // not due, or an earlier row of the contact failed since it was claimed
	}
	if !o.Urgent && !o.Final && (c.OptedOut || slices.Contains(c.Unreachable, o.To.Channel)) {
		d.finish(ctx, o, bot.StatusSuppressed, nil)
		return true
	}
	var id string
	if p != nil {
		id, err = p.SendPaced(ctx, o)
	} else {
		id, err = s.Send(ctx, o)
	}
	if err == nil {
		o.ProviderID = id
		d.finish(ctx, o, bot.StatusSent, nil)
		return true
	}
	if ctx.Err() != nil {
		return false // shutting down: the row stays pending
	}
	se := bot.AsSendError(err)
	o.Attempts++
	o.PartsSent = max(o.PartsSent, se.PartsSent)
	switch {
	case se.Permanent || se.OptOut || se.Unreachable:
		d.finish(ctx, o, bot.StatusFailed, se)
	case o.Attempts >= d.opts.MaxAttempts:
		d.finish(ctx, o, bot.StatusFailed, se)
	default:
		// The provider's Retry-After is a floor on the backoff, not a
		// replacement: repeated 429s must not use up MaxAttempts in seconds.
		delay := max(se.RetryAfter, d.backoff(o.Attempts))
		o.NextAttempt = d.opts.Clock.Now().Add(delay)
		d.finish(ctx, o, bot.StatusPending, se)
	}
	return true
}

// backoff is exponential with full jitter in its upper half.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.opts.BaseBackoff << min(attempt-1, 20)
	if b <= 0 || b > d.opts.MaxBackoff {
		b = d.opts.MaxBackoff
	}
	return b/2 + rand.N(b/2+1)
}

// defaultOwner is DispatchOptions.Owner's default: the host's name, the
// same after a restart.
func defaultOwner() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return "host:" + h
	}
	return "host:linkline"
}

// errDeposed is finish's error for a row another dispatcher has claimed
// since this one did.
var errDeposed = bot.Errorf(bot.EConflict, "the row's claim passed to another dispatcher")

// finish writes the outcome of an attempt. Records are written with a
// fresh context so that a send that succeeded is recorded even while the
// server shuts down. They are committed lazily (bot.WithLazyCommit): a
// record the database loses in a crash leaves the row pending, and it is
// sent again, which at-least-once allows.
func (d *Dispatcher) finish(ctx context.Context, o *bot.Outbound, status bot.OutStatus, se *bot.SendError) {
	wctx, cancel := context.WithTimeout(bot.WithLazyCommit(context.WithoutCancel(ctx)), 10*time.Second)
	defer cancel()
	now := d.opts.Clock.Now()
	err := d.store.Update(wctx, func(tx bot.Tx) error {
		// A delivery report for the provider id may be arriving, and the
		// outcome may change the person (opted out, unreachable).
		if o.ProviderID != "" {
			if err := bot.LockProviderID(tx, o.ProviderID); err != nil {
				return err
			}
		}
		if err := bot.LockPerson(tx, o.ContactID); err != nil {
			return err
		}
		cur, err := tx.Outbound(o.ID)
		if err != nil {
			return err
		}
		if cur.Owner != d.opts.Owner {
			// The lease ran out and another dispatcher claimed the row:
			// its record of the row wins.
			return errDeposed
		}
		cur.Owner, cur.LeaseUntil = "", time.Time{}
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
		if status == bot.StatusSent {
			return bot.ApplyEarlyStatus(tx, cur, now)
		}
		if se == nil || status == bot.StatusPending {
			return nil
		}
		if err := tx.AddEvent(&bot.Event{At: now, Kind: bot.EventDeliveryFailed, ContactID: o.ContactID,
			Data: map[string]string{"outbox_id": fmt.Sprint(o.ID), "code": se.Code}}); err != nil {
			return err
		}
		switch {
		case se.OptOut:
			return bot.OptOut(tx, o.ContactID, now, "provider")
		case se.Unreachable:
			return bot.MarkUnreachable(tx, o.ContactID, o.To.Channel, se.Code, now)
		}
		return nil
	})
	if err != nil {
		d.opts.Log.Error("outbox: record send outcome", "outbox_id", o.ID, "status", status, "err", err)
		return
	}
	outcome := status
	if status == bot.StatusPending {
		outcome = "retry"
		d.retry(o)
		d.Wake() // the claimers' next due time may be this retry's
	} else {
		d.settled(o)
	}
	d.opts.Metrics.OutboundDone(o.To.Channel, outcome)
	if se != nil {
		level := slog.LevelWarn
		if status == bot.StatusPending {
			level = slog.LevelInfo
		}
		d.opts.Log.Log(ctx, level, "outbox: send failed", "outbox_id", o.ID, "channel", o.To.Channel,
			"attempt", o.Attempts, "final", status != bot.StatusPending, "code", se.Code)
	}
}

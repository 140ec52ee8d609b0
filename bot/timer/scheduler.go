// Package timer fires the store's timers when they fall due, each through
// the Kind registered for its kind (the engine registers its own).
package timer

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/linkline/linkline/bot"
)

// A Kind fires one timer of its kind that has fallen due. It takes the
// timer with Tx.TakeTimer in the same transaction as its effects, so a
// stale or duplicate fire does nothing.
type Kind func(ctx context.Context, t bot.Timer) error

// Kinds maps each timer kind to what fires it. The engine registers its
// kinds (reminders, expiry, handoff re-alerts, check-ins, safety checks);
// a timer of a kind nobody registered stays in the store and is logged.
type Kinds map[bot.TimerKind]Kind

// Scheduler fires store-backed timers when they fall due. One goroutine
// sleeps until the earliest timer; timers survive restarts, and one that
// fell due while the server was down fires when it starts again.
type Scheduler struct {
	store bot.Store
	kinds Kinds
	clock bot.Clock
	log   *slog.Logger
	wake  chan struct{}
	// SeenRetention is how long provider message ids are kept for
	// de-duplication; 0 (the default) keeps them for good. A Twilio
	// signature has no timestamp, so a captured webhook is valid for ever:
	// only a remembered id stops it being played again. An id costs about
	// 100 bytes of the database.
	SeenRetention time.Duration
	idle          time.Duration
}

// NewScheduler returns a scheduler that fires each timer through the
// entry in kinds for its kind.
func NewScheduler(store bot.Store, kinds Kinds, clock bot.Clock, log *slog.Logger) *Scheduler {
	if clock == nil {
		clock = bot.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{store: store, kinds: kinds, clock: clock, log: log,
		wake: make(chan struct{}, 1), idle: time.Minute}
}

// Wake tells the scheduler timers changed. It never blocks.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run fires due timers until ctx is cancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	lastPurge := time.Time{}
	for {
		if _, err := s.FireDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("timers: fire", "err", err)
		}
		if now := s.clock.Now(); now.Sub(lastPurge) > time.Hour {
			lastPurge = now
			s.Tidy(ctx)
		}
		sleep := s.idle
		var next time.Time
		var ok bool
		err := s.store.View(ctx, func(tx bot.Tx) error {
			var err error
			next, ok, err = tx.NextTimer()
			return err
		})
		if err == nil && ok {
			sleep = min(sleep, max(next.Sub(s.clock.Now()), 0))
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// FireDue fires every timer due now and returns how many it fired. A timer
// that fails is logged and left for the next pass; it does not hold up the
// others (an SLA re-alert must not wait behind a broken reminder).
func (s *Scheduler) FireDue(ctx context.Context) (int, error) {
	fired := 0
	failed := map[string]bool{}
	var firstErr error
	for {
		var due []bot.Timer
		err := s.store.View(ctx, func(tx bot.Tx) error {
			due = due[:0]
			return tx.DueTimers(s.clock.Now(), func(t *bot.Timer) bool {
				if !failed[t.ID] {
					due = append(due, *t)
				}
				return len(due) < 256
			})
		})
		if err != nil {
			return fired, err
		}
		if len(due) == 0 {
			return fired, firstErr
		}
		n, err := s.fireAll(ctx, due, failed)
		fired += n
		if err != nil && ctx.Err() != nil {
			return fired, ctx.Err()
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
}

// fireLanes is how many contacts' timers fire at once. Firing in parallel
// lets their commits share an fsync; one contact's timers stay in order.
const fireLanes = 32

// fireAll fires due, each contact's timers in order on one lane, lanes in
// parallel. Failed timers are logged and added to failed.
func (s *Scheduler) fireAll(ctx context.Context, due []bot.Timer, failed map[string]bool) (int, error) {
	var lanes [][]bot.Timer
	index := map[string]int{}
	for _, t := range due {
		i, ok := index[t.ContactID]
		if !ok {
			i = len(lanes)
			index[t.ContactID] = i
			lanes = append(lanes, nil)
		}
		lanes[i] = append(lanes[i], t)
	}
	var (
		mu       sync.Mutex
		fired    int
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, fireLanes)
	)
	for _, lane := range lanes {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, t := range lane {
				err := s.fire(ctx, t)
				mu.Lock()
				if err == nil {
					fired++
				} else if ctx.Err() == nil {
					s.log.Error("timers: fire", "timer", t.ID, "kind", t.Kind, "err", err)
					failed[t.ID] = true
					if firstErr == nil {
						firstErr = err
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return fired, firstErr
}

// fire runs t through its kind. A kind nobody registered (perhaps written
// by a newer Linkline) is an error: the timer is kept, and logged.
func (s *Scheduler) fire(ctx context.Context, t bot.Timer) error {
	k, ok := s.kinds[t.Kind]
	if !ok {
		return fmt.Errorf("fire timer %s: unknown timer kind %q", t.ID, t.Kind)
	}
	return k(ctx, t)
}

// Tidy does the scheduler's hourly housekeeping now: it forgets provider
// ids older than SeenRetention, if that is set.
func (s *Scheduler) Tidy(ctx context.Context) {
	if s.SeenRetention <= 0 {
		return
	}
	now := s.clock.Now()
	var n int
	err := s.store.Update(ctx, func(tx bot.Tx) error {
		var err error
		n, err = tx.ForgetSeen(now.Add(-s.SeenRetention))
		return err
	})
	if err != nil {
		s.log.Error("timers: forget old provider ids", "err", err)
		return
	}
	if n > 0 {
		s.log.Debug("timers: forgot old provider ids", "count", n)
	}
}

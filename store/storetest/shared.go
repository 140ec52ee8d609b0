package storetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// RunShared runs the part of the suite about coordination: two store
// handles on one database (two processes, on a backend that allows them)
// claim outbox rows, take timers and spend token buckets once between
// them; of many writers racing for one provider id, address, email or
// active handoff exactly one wins; and a reader following the event feed
// sees every committed event once and in order while writers hold their
// transactions open. open returns the two handles on a new, empty database; a backend
// whose database one handle holds (bbolt) returns that handle twice.
// RunShared closes them.
func RunShared(t *testing.T, open func(t *testing.T) (a, b bot.Store)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b bot.Store)
	}{
		{"Claims", testSharedClaims},
		{"Takes", testSharedTakes},
		{"Tokens", testSharedTokens},
		{"Limits", testSharedLimits},
		{"Seen", testSharedSeen},
		{"Unique", testSharedUnique},
		{"Lease", testSharedLease},
		{"Locks", testSharedLocks},
		{"EventCursor", testSharedEventCursor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := open(t)
			t.Cleanup(func() {
				if err := a.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
				if b != a {
					if err := b.Close(); err != nil {
						t.Errorf("close: %v", err)
					}
				}
			})
			tt.fn(t, a, b)
		})
	}
}

// testSharedClaims: sixteen owners claiming at once through the two
// handles get every row once between them.
func testSharedClaims(t *testing.T, a, b bot.Store) {
	const rows = 200
	update(t, a, func(tx bot.Tx) error {
		for i := range rows {
			if err := tx.Enqueue(&bot.Outbound{ContactID: fmt.Sprint("c", i%7), To: bot.Address{Channel: bot.SMS, ID: "1"},
				Status: bot.StatusPending, NextAttempt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	got := map[uint64]string{}
	var wg sync.WaitGroup
	type claimer struct {
		owner   string
		s       bot.Store
		skipOwn bool
	}
	var claimers []claimer
	for i := range 16 { // eight dispatchers on each handle, half passing over their own claims in the store
		claimers = append(claimers, claimer{fmt.Sprint("d", i), []bot.Store{a, b}[i%2], i%4 < 2})
	}
	for _, h := range claimers {
		wg.Go(func() {
			for {
				var claimed []*bot.Outbound
				err := h.s.Update(context.Background(), func(tx bot.Tx) error {
					var err error
					// An owner is given its own claims back unless it
					// claims with SkipOwn: it passes over the rows it
					// holds, as a dispatcher does.
					held := func(o *bot.Outbound) bool {
						mu.Lock()
						defer mu.Unlock()
						return got[o.ID] == h.owner
					}
					claimed, err = tx.ClaimOutbound(bot.OutboxClaim{Owner: h.owner, Channel: bot.SMS, Now: t0, Lease: time.Minute, Limit: 7, Skip: held, SkipOwn: h.skipOwn})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(claimed) == 0 {
					return
				}
				mu.Lock()
				for _, o := range claimed {
					if prev, ok := got[o.ID]; ok {
						t.Errorf("row %d claimed by %s and %s", o.ID, prev, h.owner)
					}
					got[o.ID] = h.owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != rows {
		t.Errorf("%d rows claimed, want %d", len(got), rows)
	}
	// The other handle sees the claims: nothing is left before the leases
	// run out, and everything after.
	for _, st := range []struct {
		at   time.Duration
		want int
	}{{30 * time.Second, 0}, {2 * time.Minute, rows}} {
		update(t, b, func(tx bot.Tx) error {
			claimed, err := tx.ClaimOutbound(bot.OutboxClaim{Owner: "late", Channel: bot.SMS, Now: t0.Add(st.at), Lease: time.Minute, Limit: rows + 1})
			if len(claimed) != st.want {
				t.Errorf("at +%s another owner claimed %d, want %d", st.at, len(claimed), st.want)
			}
			return err
		})
	}
}

// testSharedTakes: a timer fired through both handles at once is taken
// once.
func testSharedTakes(t *testing.T, a, b bot.Store) {
	const timers = 50
	update(t, a, func(tx bot.Tx) error {
		for i := range timers {
			if err := tx.PutTimer(&bot.Timer{ID: fmt.Sprint("remind:c", i), Due: t0, Kind: bot.TimerRemind, ContactID: fmt.Sprint("c", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	var taken atomic.Int64
	var wg sync.WaitGroup
	for _, s := range []bot.Store{a, b, a, b} {
		wg.Go(func() {
			for i := range timers {
				err := s.Update(context.Background(), func(tx bot.Tx) error {
					ok, err := tx.TakeTimer(fmt.Sprint("remind:c", i), t0)
					if ok {
						taken.Add(1)
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := taken.Load(); n != timers {
		t.Errorf("%d takes succeeded, want %d (each timer once)", n, timers)
	}
}

// testSharedTokens: a token bucket spent through one handle is spent for
// the other.
func testSharedTokens(t *testing.T, a, b bot.Store) {
	var got []bool
	for _, s := range []bot.Store{a, b, a, b} {
		update(t, s, func(tx bot.Tx) error {
			ok, err := tx.TakeToken("signin:x", 3, time.Hour, t0)
			got = append(got, ok)
			return err
		})
	}
	if fmt.Sprint(got) != "[true true true false]" {
		t.Errorf("takes through both handles = %v, want three then none", got)
	}
}

// race runs fn from n goroutines, alternately through a and b, each in
// its own Update, and returns their errors.
func race(a, b bot.Store, n int, fn func(i int, tx bot.Tx) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = []bot.Store{a, b}[i%2].Update(context.Background(), func(tx bot.Tx) error { return fn(i, tx) })
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// testSharedSeen: of many writers marking one provider id at once, one
// finds it new.
func testSharedSeen(t *testing.T, a, b bot.Store) {
	for id := range 5 {
		// fresh[i] is what writer i's last run found: the run that
		// committed (a store may run fn again after a lost race).
		fresh := make([]bool, 16)
		errs := race(a, b, len(fresh), func(i int, tx bot.Tx) error {
			seen, err := tx.MarkSeen("c1", fmt.Sprint("SM", id), t0)
			fresh[i] = err == nil && !seen
			return err
		})
		n := 0
		for i, err := range errs {
			if err != nil {
				t.Error(err)
			}
			if fresh[i] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("provider id %d: %d writers found it new, want 1", id, n)
		}
	}
}

// testSharedUnique: of many writers taking one address, one email or one
// person's active handoff at once, exactly one wins and the others are
// told it is taken (bot.EConflict).
func testSharedUnique(t *testing.T, a, b bot.Store) {
	const n = 12
	cases := []struct {
		name string
		fn   func(i int, tx bot.Tx) error
	}{
		{"address", func(i int, tx bot.Tx) error {
			return tx.PutContact(&bot.Contact{Name: fmt.Sprint("p", i), Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900123"}}, CreatedAt: t0})
		}},
		{"email", func(i int, tx bot.Tx) error {
			return tx.PutUser(&bot.User{Email: "Same@Example.org", Name: fmt.Sprint("u", i), CreatedAt: t0})
		}},
		{"active handoff", func(i int, tx bot.Tx) error {
			return tx.PutHandoff(&bot.Handoff{ContactID: "c1", Status: bot.HandoffOpen, OpenedAt: t0, Detail: fmt.Sprint(i)})
		}},
	}
	for _, c := range cases {
		won := 0
		for _, err := range race(a, b, n, c.fn) {
			switch {
			case err == nil:
				won++
			case bot.ErrorCode(err) != bot.EConflict:
				t.Errorf("%s: a loser's error is %v, want EConflict", c.name, err)
			}
		}
		if won != 1 {
			t.Errorf("%s: %d writers won, want 1", c.name, won)
		}
	}
	view(t, a, func(tx bot.Tx) error {
		users, _ := collect(0, tx.Users)
		handoffs, _ := collect(0, tx.Handoffs)
		contacts, _ := collect(0, tx.Contacts)
		if len(users) != 1 || len(handoffs) != 1 || len(contacts) != 1 {
			t.Errorf("after the races: %d users, %d handoffs, %d contacts; want one of each", len(users), len(handoffs), len(contacts))
		}
		return nil
	})
}

// testSharedLease: a row whose dispatcher stopped before its lease ran out
// is claimed by another after it, and the first then sees the row is no
// longer its own (so the dispatcher does not record an outcome on it).
func testSharedLease(t *testing.T, a, b bot.Store) {
	var id uint64
	update(t, a, func(tx bot.Tx) error {
		o := &bot.Outbound{ContactID: "c1", To: bot.Address{Channel: bot.SMS, ID: "1"}, Status: bot.StatusPending, NextAttempt: t0}
		err := tx.Enqueue(o)
		id = o.ID
		return err
	})
	claim := func(s bot.Store, owner string, at time.Duration) int {
		n := 0
		update(t, s, func(tx bot.Tx) error {
			got, err := tx.ClaimOutbound(bot.OutboxClaim{Owner: owner, Channel: bot.SMS, Now: t0.Add(at), Lease: time.Minute, Limit: 5})
			n = len(got)
			return err
		})
		return n
	}
	if n := claim(a, "first", 0); n != 1 {
		t.Fatalf("first claim took %d rows, want 1", n)
	}
	if n := claim(b, "second", 59*time.Second); n != 0 {
		t.Errorf("claim inside the lease took %d rows, want 0", n)
	}
	if n := claim(b, "second", 61*time.Second); n != 1 {
		t.Errorf("claim after the lease took %d rows, want 1", n)
	}
	view(t, a, func(tx bot.Tx) error {
		o, err := tx.Outbound(id)
		if err != nil || o.Owner != "second" || !o.LeaseUntil.Equal(t0.Add(121*time.Second)) {
			t.Errorf("row after the lease passed: %+v, %v; want owner second until +121s", o, err)
		}
		return nil
	})
}

// testSharedEventCursor: while writers on both handles add events, a
// reader following the cursor through either handle sees every event
// exactly once. Where ids commit out of order (several writers), a cursor
// that is only the last id seen would pass over a late commit.
func testSharedEventCursor(t *testing.T, a, b bot.Store) {
	const writers, each = 4, 50
	var wg sync.WaitGroup
	var done atomic.Bool
	for i, s := range []bot.Store{a, b, a, b}[:writers] {
		wg.Go(func() {
			for j := range each {
				err := s.Update(context.Background(), func(tx bot.Tx) error {
					return tx.AddEvent(&bot.Event{At: t0, Kind: "shared", Data: map[string]string{"w": fmt.Sprint(i), "n": fmt.Sprint(j)}})
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	go func() { wg.Wait(); done.Store(true) }()
	seen := map[uint64]int{}
	var cur bot.EventCursor
	// A store may hand an event out a little after it commits (PostgreSQL
	// holds back events while an older transaction anywhere on the server
	// is still open), so once the writers are done the reader keeps going
	// until it has them all; the deadline only stops a broken store.
	var deadline time.Time
	for turn := 0; ; turn++ {
		finished := done.Load() // read before the pass: a pass after it misses nothing committed before
		if finished && deadline.IsZero() {
			deadline = time.Now().Add(time.Minute)
		}
		s := []bot.Store{a, b}[turn%2]
		err := s.View(context.Background(), func(tx bot.Tx) error {
			return tx.EventsSince(cur, func(e *bot.Event, next bot.EventCursor) bool {
				seen[e.ID]++
				cur = next
				return true
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if finished && (len(seen) >= writers*each || time.Now().After(deadline)) {
			break
		}
	}
	if len(seen) != writers*each {
		t.Errorf("the reader saw %d events, want %d", len(seen), writers*each)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %d seen %d times", id, n)
		}
	}
}

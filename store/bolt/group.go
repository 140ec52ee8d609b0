package bolt

import (
	"errors"
	"fmt"
	"sync"

	bbolt "go.etcd.io/bbolt"
)

// committer group-commits writes without a timer. One goroutine commits;
// each commit takes every Update that queued while the previous commit was
// on its way to disk, so a lone write commits at once and many concurrent
// writes share one fsync. (bbolt's own DB.Batch closes each group on a
// timer instead; on a disk where a commit takes longer than the timer,
// small groups pile up behind the write lock.)
type committer struct {
	db    *bbolt.DB
	max   int
	calls chan call

	mu     sync.RWMutex // held shared by Updates in flight; Close takes it
	closed bool
	done   chan struct{}
}

type call struct {
	fn  func(*bbolt.Tx) error
	err chan error
}

// errAlone tells a call that failed inside a group to run on its own, so
// its error is its own and the others commit without it.
var errAlone = errors.New("run alone")

// errClosed is returned by Update after Close.
var errClosed = errors.New("store: database is closed")

func newCommitter(db *bbolt.DB, max int) *committer {
	c := &committer{db: db, max: max, calls: make(chan call, max), done: make(chan struct{})}
	go c.loop()
	return c
}

// update runs fn in a shared transaction and returns once it is durable.
// fn may run more than once.
func (c *committer) update(fn func(*bbolt.Tx) error) error {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return errClosed
	}
	k := call{fn: fn, err: make(chan error, 1)}
	c.calls <- k
	err := <-k.err
	c.mu.RUnlock()
	if err == errAlone {
		err = c.db.Update(fn)
	}
	return err
}

// close stops the committer once the Updates in flight have returned.
func (c *committer) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	close(c.calls)
	<-c.done
}

func (c *committer) loop() {
	defer close(c.done)
	for first := range c.calls {
		group := []call{first}
	more:
		for len(group) < c.max {
			select {
			case k, ok := <-c.calls:
				if !ok {
					break more
				}
				group = append(group, k)
			default:
				break more
			}
		}
		for len(group) > 0 {
			failed := -1
			err := c.db.Update(func(tx *bbolt.Tx) error {
				for i, k := range group {
					if err := safely(k.fn, tx); err != nil {
						failed = i
						return err
					}
				}
				return nil
			})
			if failed >= 0 {
				// Roll the others back and try them again without it.
				group[failed].err <- errAlone
				group = append(group[:failed], group[failed+1:]...)
				continue
			}
			for _, k := range group {
				k.err <- err
			}
			break
		}
	}
}

// safely runs fn, turning a panic into an error so one bad write cannot
// take the committer (and every writer) down. Run alone, the panic is
// raised again in the caller's goroutine by bbolt.
func safely(fn func(*bbolt.Tx) error, tx *bbolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: panic in transaction: %v", p)
		}
	}()
	return fn(tx)
}

package bot

import (
	"context"
	"time"
)

// Store keeps everything Linkline knows. Every method of Tx runs inside one
// ACID transaction; Update commits all of fn's writes or none of them.
//
// Update may run fn more than once when the store groups concurrent commits
// (bbolt's Batch does), so fn must have no effects outside the transaction.
// store/storetest is the conformance suite every implementation passes.
type Store interface {
	// Update runs fn in a read-write transaction and commits durably
	// (unless ctx is marked WithLazyCommit).
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// OutboxClaim is what Tx.ClaimOutbound claims.
type OutboxClaim struct {
	// Owner names the dispatcher claiming; it is recorded on each row.
	Owner string
	// Channel is the sending identity whose rows are claimed.
	Channel Channel
	// Now is the time rows must be due by, and the lease counts from.
	Now time.Time
	// Lease is how long the claim holds before another owner may take
	// the row.
	Lease time.Duration
	// Limit is the most rows claimed.
	Limit int
	// Before, when set, claims only rows that rank before it (a lane full
	// of ordinary replies still takes a crisis text).
	Before Priority
	// Skip, when set, turns down rows that must wait (behind a person's
	// earlier row waiting to be tried again); they are left unclaimed.
	Skip func(*Outbound) bool
	// SkipOwn passes over the rows Owner already holds under a lease
	// that has not run out, as it does other owners' rows. A dispatcher
	// whose Owner names its own process (not its host, so no row claimed
	// under it predates the process) holds those rows already; claiming
	// them again would only lock and rewrite them. Unset, an owner gets
	// its own claims back: a process restarted under the same name takes
	// back its rows at once.
	SkipOwn bool
}

// EventCursor marks a place in the event log, after the events a reader
// has seen. It is text a store makes and reads back, opaque to everyone
// else, fit for a URL and a Server-Sent Events id; the empty cursor is the
// start of the log. On bbolt it is the last event's id in decimal, so a
// browser's Last-Event-ID from before cursors keeps working; a store with
// several writers, whose ids can commit out of order, keeps more in it.
type EventCursor string

// Tx is one transaction. Lookups that find nothing return an error for which
// errors.Is(err, ErrNotFound) holds. Methods that write fail in a read-only
// transaction.
//
// A method that calls fn for each of a set of records (a scan) lets fn
// write in the same transaction: a store pages a scan by key and holds no
// cursor open while fn runs. A record fn deletes ahead of the scan is not
// passed; one fn adds ahead of it may or may not be; none is passed twice.
type Tx interface {
	// LockKey takes the lock named key until the transaction ends: another
	// transaction taking the same key waits for this one to commit or roll
	// back. Taking a key this transaction holds again returns at once. Every
	// path that changes a person takes that person's lock first (see
	// bot/lock.go), so on a store with several writers two turns about one
	// person never interleave. A store with one writer (bbolt) has nothing
	// more to do. An empty key is an EInvalid error, and LockKey fails in a
	// read-only transaction as writes do.
	LockKey(key string) error

	ContactTx
	ConversationTx
	TranscriptTx
	OutboxTx
	TimerTx
	HandoffTx
	ReferralTx
	UserTx
	LogTx
	CheckinTx
	SettingTx
	LimitTx     // the console's sign-in limiter (bot/store_limits.go)
	DirectoryTx // directory services, taxonomy and postcodes (bot/directory.go)
}

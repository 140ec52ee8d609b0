package bot

import "time"

// LimitKey names one thing the console's sign-in limiter slows down (an
// account, an address): a SHA-256 of what was typed, so every key is the
// same small size however long the email a stranger sent.
type LimitKey [32]byte

// Limit is what a store keeps about one LimitKey: the failures counted,
// and until when the next try must wait. The console decides the policy
// (how many failures are free, how the wait grows); the store keeps the
// state, shared by every process on one database and kept across
// restarts.
type Limit struct {
	// Fails is how many failures are counted.
	Fails int `json:"fails"`
	// Last is when the last failure was.
	Last time.Time `json:"last"`
	// Until is when the next try may be made.
	Until time.Time `json:"until"`
	// Expires is when the store forgets the key; it must be after Until.
	Expires time.Time `json:"expires"`
}

// LimitTx keeps the sign-in limiter's state: few keys, each small and
// each forgotten when it expires, so the store's share of it is bounded
// however many keys strangers try.
type LimitTx interface {
	// Limit returns what is kept under key, or an ErrNotFound error when
	// nothing is or it expired by now. In a read-write transaction it
	// also holds key until the transaction ends, so that a read, a change
	// and PutLimit count every failure once when several processes record
	// failures for one key at the same moment.
	Limit(key LimitKey, now time.Time) (*Limit, error)
	// PutLimit keeps l under key until l.Expires. It first forgets a few
	// keys expired by now and, when a key not kept yet would make more
	// than most, as many of those expiring soonest as it takes: after it,
	// at most most keys are kept (give or take transactions putting new
	// keys at the same moment, which the next put corrects). most must be
	// positive and l.Expires after now.
	PutLimit(key LimitKey, l *Limit, now time.Time, most int) error
	// DeleteLimit forgets key; forgetting an absent one is harmless.
	DeleteLimit(key LimitKey) error
	// LimitCount is how many keys are kept, counting expired ones not yet
	// forgotten.
	LimitCount() (int, error)
}

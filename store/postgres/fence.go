package postgres

import "context"

// Fencing a deposed leader's late writes. A leader's background work
// (the dispatcher finishing a send, the scheduler firing a timer, a
// retention sweep) may still be running when its lease passes to another
// instance: a long GC pause, a network partition, a connection the server
// killed. Its writes must then be refused, not land after the new
// leader's. The idea is the fencing token of Kleppmann's "How to do
// distributed locking" and river's leadership epoch
// (riverqueue/river internal/leadership): every write of the work carries
// the epoch it was given, and the database refuses a write whose epoch is
// no longer the lease's.
//
// Here the epoch travels in the context, so the bot package's loops need
// not know about leases: Lead hands its work a context made by
// WithFence, and every Update on that context (or one derived from it)
// first checks, in the same transaction, that the lease is still held at
// that epoch (Fence), and fails with ErrFenced otherwise, writing
// nothing. Reads (View) are not fenced.

type fenceKey struct{}

type fence struct {
	name, holder string
	epoch        int64
}

// WithFence returns a context under which every Update fails with
// ErrFenced, and writes nothing, unless holder still holds lease name at
// epoch when the transaction starts; the lease cannot change hands until
// that transaction ends. Lead gives its work such a context.
func WithFence(ctx context.Context, name, holder string, epoch int64) context.Context {
	return context.WithValue(ctx, fenceKey{}, fence{name: name, holder: holder, epoch: epoch})
}

// fenceFrom returns the fence ctx carries, if any.
func fenceFrom(ctx context.Context) (fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(fence)
	return f, ok
}

package bot

import "context"

// lazyKey marks a context whose Update may commit lazily.
type lazyKey struct{}

// WithLazyCommit marks the Update made with the returned context as one
// whose loss in a crash of the database only repeats what at-least-once
// already allows: the dispatcher's record of a send's outcome (lost, the
// row is still pending and is sent again). A store may then commit it
// without waiting for it to reach the disk. It changes nothing else: the
// transaction's locks, its isolation and when others see it are as
// before, and a later durable commit makes it durable too. PostgreSQL
// commits it with synchronous_commit off; bbolt ignores it.
func WithLazyCommit(ctx context.Context) context.Context {
	return context.WithValue(ctx, lazyKey{}, true)
}

// LazyCommit reports whether ctx was marked by WithLazyCommit.
func LazyCommit(ctx context.Context) bool {
	lazy, _ := ctx.Value(lazyKey{}).(bool)
	return lazy
}

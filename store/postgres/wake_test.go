package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/linkline/linkline/store/postgres/pgtest"
)

// TestWakeUps: a wake-up one process sends after its commit reaches
// another process listening on the same database, on its channel only;
// a burst of them is not lost, and Notify after Close is harmless.
func TestWakeUps(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	a, b := openTest(t, url), openTest(t, url)
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outbox, timer := make(chan struct{}, 100), make(chan struct{}, 100)
	err := b.Listen(ctx, map[string]func(){
		ChannelOutbox: func() { outbox <- struct{}{} },
		ChannelTimer:  func() { timer <- struct{}{} },
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		a.Notify(ChannelOutbox)
	}
	// The test's deadline is a failure guard, not a measurement.
	select {
	case <-outbox:
	case <-time.After(30 * time.Second):
		t.Fatal("no outbox wake-up reached the other process")
	}
	a.Notify(ChannelTimer)
	select {
	case <-timer:
	case <-time.After(30 * time.Second):
		t.Fatal("no timer wake-up reached the other process")
	}
	a.Close()
	a.Notify(ChannelOutbox) // after Close: harmless
}

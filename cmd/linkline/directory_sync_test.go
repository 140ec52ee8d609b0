package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
	"github.com/linkline/linkline/store/bolt"
)

// serve's directory sync stores the feed and puts it in force at once; a
// feed that then fails keeps what was stored.
func TestSyncDirectoryLoop(t *testing.T) {
	store, err := bolt.Open(context.Background(), filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	feed := oruktest.New("3", oruktest.Services(30), oruktest.Options{})
	defer feed.Close()
	a := &app{store: store, log: slog.New(slog.DiscardHandler), matcher: directory.NewMatcher(nil, nil)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c := &directory.Client{Backoff: time.Millisecond, Retries: 1}
	go func() { syncDirectory(ctx, a, c, feed.URL, 50*time.Millisecond); close(done) }()
	waitFor(t, func() bool { return a.matcher.Len() == 60 })
	feed.FailPage(1, 1000)
	before := feed.Requests()
	waitFor(t, func() bool { return feed.Requests() > before+4 }) // two more syncs tried, twice each
	if n := a.matcher.Len(); n != 60 {
		t.Errorf("after failed syncs the matcher has %d services, want the 60 stored", n)
	}
	cancel()
	<-done
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not met in 10s")
}

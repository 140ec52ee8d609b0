package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/risk"
)

// A person's replies arrive in order: while one waits to be tried again,
// the ones after it wait too, also across a restart of the dispatcher; an
// urgent reply (the crisis text) does not wait. The fault test found later
// replies overtaking a retried one for 40% of people.
func TestRepliesWaitBehindARetry(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := &scriptedSender{results: []error{errors.New("503")}}
	opts := outbox.DispatchOptions{Clock: w.clock, BaseBackoff: 10 * time.Second}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s}, opts)
	a, _ := bot.ParseAddress(person)
	for _, text := range []string{"HELP", "hello"} {
		if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	rows := outboxRows(t, w)
	if len(rows) < 2 || rows[0].Status != bot.StatusPending || rows[0].Attempts != 1 {
		t.Fatalf("after the first reply failed: %+v", rows)
	}
	for _, o := range rows[1:] {
		if o.Status != bot.StatusPending || o.Attempts != 0 {
			t.Fatalf("a later reply went ahead of the failed one: %+v", o)
		}
	}

	// A restarted dispatcher knows the first reply is waiting.
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s}, opts)
	w.clock.Advance(time.Second)
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, sent := s.count(); sent != 0 {
		t.Fatalf("after a restart, %d later replies went ahead of the failed one", sent)
	}

	// Risk language: the crisis text goes at once, ahead of the queue.
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "i want to die"}); err != nil {
		t.Fatal(err)
	}
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	first := append([]string(nil), s.sent...)
	s.mu.Unlock()
	if len(first) != 1 || first[0] != risk.CrisisText {
		t.Fatalf("sent %q while a reply waits, want only the crisis text", first)
	}

	// After the backoff, the rest go in the order they were written.
	w.clock.Advance(10 * time.Second)
	if err := w.disp.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	rows = outboxRows(t, w)
	var want []string
	for _, o := range rows {
		if o.Status != bot.StatusSent {
			t.Fatalf("not sent after the backoff: %+v", o)
		}
		if o.Text != risk.CrisisText {
			want = append(want, o.Text)
		}
	}
	s.mu.Lock()
	got := s.sent[1:]
	s.mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("sent %d, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reply %d sent was %q, want %q (outbox order)", i, got[i], want[i])
		}
	}
}

// countingStore counts read transactions.
type countingStore struct {
	bot.Store
	mu    sync.Mutex
	views int
}

func (s *countingStore) View(ctx context.Context, fn func(bot.Tx) error) error {
	s.mu.Lock()
	s.views++
	s.mu.Unlock()
	return s.Store.View(ctx, fn)
}

// While a reply waits out its backoff with another held behind it, the
// dispatcher sleeps: it is woken by the retry falling due, not by polling.
// (It used to take the held row's past due time as its next wake-up and
// read the outbox hundreds of thousands of times a second.)
func TestDispatcherSleepsWhileRowsAreHeld(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	a, _ := bot.ParseAddress(person)
	for _, text := range []string{"HELP", "hello"} {
		if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	s := &scriptedSender{results: []error{errors.New("503")}}
	cs := &countingStore{Store: w.store}
	d := outbox.NewDispatcher(cs, map[bot.Channel]bot.Sender{bot.SMS: s},
		outbox.DispatchOptions{Clock: w.clock, BaseBackoff: time.Hour})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(rctx) }()
	for calls, _ := s.count(); calls == 0; calls, _ = s.count() {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	cs.mu.Lock()
	views := cs.views
	cs.mu.Unlock()
	if calls, sent := s.count(); calls != 1 || sent != 0 {
		t.Fatalf("%d sends, %d sent while the first reply waits an hour", calls, sent)
	}
	if views > 50 {
		t.Fatalf("%d reads of the outbox while nothing could be sent: the dispatcher polls", views)
	}
}

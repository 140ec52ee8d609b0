package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/risk"
)

// scriptedSender answers each Send with the next scripted error (nil for
// success) and records what it was asked to send.
type scriptedSender struct {
	mu      sync.Mutex
	results []error
	sent    []string
	calls   int
}

func (s *scriptedSender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.results) > 0 {
		err := s.results[0]
		s.results = s.results[1:]
		if err != nil {
			return "", err
		}
	}
	s.sent = append(s.sent, o.Text)
	return "P" + o.Text, nil
}

func (s *scriptedSender) count() (calls, sent int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, len(s.sent)
}

func outboxRows(t *testing.T, w *world) []*bot.Outbound {
	t.Helper()
	var out []*bot.Outbound
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		for id := uint64(1); ; id++ {
			o, err := tx.Outbound(id)
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			out = append(out, o)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDispatcherOutcomes(t *testing.T) {
	cases := []struct {
		name       string
		results    []error
		wantStatus bot.OutStatus
		wantSent   int
		optedOut   bool
		blocked    bool
	}{
		{"success", nil, bot.StatusSent, 1, false, false},
		{"temporary then success", []error{errors.New("503"), &bot.SendError{RetryAfter: time.Second}}, bot.StatusSent, 1, false, false},
		{"permanent", []error{&bot.SendError{Permanent: true, Code: "21211"}}, bot.StatusFailed, 0, false, false},
		{"opted out at provider", []error{&bot.SendError{Permanent: true, OptOut: true, Code: "21610"}}, bot.StatusFailed, 0, true, false},
		{"blocked the bot", []error{&bot.SendError{Permanent: true, Unreachable: true, Code: "403"}}, bot.StatusFailed, 0, false, true},
		{"gives up after max attempts", []error{errors.New("a"), errors.New("b"), errors.New("c")}, bot.StatusFailed, 0, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			s := &scriptedSender{results: c.results}
			w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s},
				outbox.DispatchOptions{Clock: w.clock, MaxAttempts: 3, BaseBackoff: time.Second, MaxBackoff: time.Minute})
			a, _ := bot.ParseAddress(person)
			// "HELP" gives one reply, so there is one outbox row.
			if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "HELP"}); err != nil {
				t.Fatal(err)
			}
			for range 5 {
				if err := w.disp.Drain(context.Background()); err != nil {
					t.Fatal(err)
				}
				w.clock.Advance(2 * time.Minute) // past any backoff
			}
			rows := outboxRows(t, w)
			if len(rows) != 1 || rows[0].Status != c.wantStatus {
				t.Fatalf("outbox = %+v, want one row %s", rows, c.wantStatus)
			}
			if _, sent := s.count(); sent != c.wantSent {
				t.Fatalf("sent %d times, want %d", sent, c.wantSent)
			}
			if c.wantStatus == bot.StatusSent && rows[0].ProviderID == "" {
				t.Fatal("provider id not recorded")
			}
			ct := w.contact(person)
			if ct.OptedOut != c.optedOut || (len(ct.Unreachable) == 1) != c.blocked {
				t.Fatalf("contact = %+v", ct)
			}
		})
	}
}

func TestDispatcherBacksOff(t *testing.T) {
	w := newWorld(t)
	s := &scriptedSender{results: []error{errors.New("timeout")}}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s},
		outbox.DispatchOptions{Clock: w.clock, BaseBackoff: 10 * time.Second})
	a, _ := bot.ParseAddress(person)
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: "HELP"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	w.disp.Drain(ctx)
	row := outboxRows(t, w)[0]
	wait := row.NextAttempt.Sub(w.clock.Now())
	if row.Status != bot.StatusPending || row.Attempts != 1 || wait < 5*time.Second || wait > 10*time.Second {
		t.Fatalf("after a temporary failure: %+v (retry in %v, want 5s..10s)", row, wait)
	}
	w.disp.Drain(ctx) // not due yet
	if calls, _ := s.count(); calls != 1 {
		t.Fatalf("retried before the backoff: %d calls", calls)
	}
	w.clock.Advance(wait)
	w.disp.Drain(ctx)
	if calls, sent := s.count(); calls != 2 || sent != 1 {
		t.Fatalf("after the backoff: %d calls, %d sent", calls, sent)
	}
}

func TestOptedOutContactIsNotSent(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	w.send(person, "STOP")
	// A message queued for an opted-out contact (e.g. a reminder raced
	// with STOP) is suppressed, not sent.
	c := w.contact(person)
	err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		return tx.Enqueue(&bot.Outbound{ContactID: c.ID, To: c.Primary(), Text: "late", Status: bot.StatusPending, NextAttempt: w.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 0 {
		t.Fatalf("sent %q to an opted-out contact", got)
	}
	rows := outboxRows(t, w)
	if last := rows[len(rows)-1]; last.Status != bot.StatusSuppressed {
		t.Fatalf("last row = %+v", last)
	}
}

func TestDispatcherRunWakes(t *testing.T) {
	w := newWorld(t)
	s := &scriptedSender{}
	disp := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s}, outbox.DispatchOptions{Clock: w.clock})
	w.cfg.OnOutbox = disp.Wake
	eng, err := engine.NewEngine(w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { disp.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	a, _ := bot.ParseAddress(person)
	if err := eng.Handle(ctx, bot.Inbound{Address: a, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, sent := s.count(); sent == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the running dispatcher did not send the two replies")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRecordStatus(t *testing.T) {
	w := newWorld(t)
	s := &scriptedSender{}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s}, outbox.DispatchOptions{Clock: w.clock})
	w.send(person, "HELP")
	ctx := context.Background()
	row := outboxRows(t, w)[0]
	if err := w.engine.RecordStatus(ctx, row.ProviderID, bot.StatusDelivered, ""); err != nil {
		t.Fatal(err)
	}
	// A late "sent" after "delivered" does not move it back.
	if err := w.engine.RecordStatus(ctx, row.ProviderID, bot.StatusSent, ""); err != nil {
		t.Fatal(err)
	}
	if got := outboxRows(t, w)[0].Status; got != bot.StatusDelivered {
		t.Fatalf("status = %s", got)
	}
	if err := w.engine.RecordStatus(ctx, "", bot.StatusDelivered, ""); bot.ErrorCode(err) != bot.EInvalid {
		t.Fatalf("empty provider id: %v", err)
	}
	// A report that beats the dispatcher's record of the provider id is
	// kept and applied when the id is recorded.
	a, _ := bot.ParseAddress(person)
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	var first *bot.Outbound
	for _, o := range outboxRows(t, w) {
		if o.Status == bot.StatusPending {
			first = o
			break
		}
	}
	if err := w.engine.RecordStatus(ctx, "P"+first.Text, bot.StatusDelivered, ""); err != nil {
		t.Fatalf("early report: %v", err)
	}
	w.disp.Drain(ctx)
	if got, _ := findOutbound(t, w, first.ID); got.Status != bot.StatusDelivered {
		t.Fatalf("early report not applied: %+v", got)
	}
	w.send(person, "HELP")
	rows := outboxRows(t, w)
	row = rows[len(rows)-1]
	if err := w.engine.RecordStatus(ctx, row.ProviderID, bot.StatusUndelivered, "21610"); err != nil {
		t.Fatal(err)
	}
	if !w.contact(person).OptedOut || len(w.events(bot.EventDeliveryFailed)) != 1 {
		t.Fatal("21610 did not opt the contact out and record the failure")
	}
}

func findOutbound(t *testing.T, w *world, id uint64) (*bot.Outbound, error) {
	t.Helper()
	for _, o := range outboxRows(t, w) {
		if o.ID == id {
			return o, nil
		}
	}
	t.Fatalf("no outbox row %d", id)
	return nil, nil
}

func TestCrisisReplyJumpsTheQueue(t *testing.T) {
	w := newWorld(t)
	s := &scriptedSender{}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: s}, outbox.DispatchOptions{Clock: w.clock})
	ctx := context.Background()
	// Ten people's replies are waiting when an eleventh shows risk.
	for i := range 10 {
		a := bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+4477009001%02d", i)}
		if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "HELP"}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Second)
	}
	a, _ := bot.ParseAddress(person)
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "i want to kill myself"}); err != nil {
		t.Fatal(err)
	}
	w.disp.Drain(ctx)
	if len(s.sent) != 11 || s.sent[0] != risk.CrisisText {
		t.Fatalf("first sent = %q of %d, want the crisis text first", s.sent[0], len(s.sent))
	}
}

func TestSchedulerCarriesOnPastABrokenTimer(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.send(person, "hi")
	c := w.contact(person)
	err := w.store.Update(ctx, func(tx bot.Tx) error {
		return tx.PutTimer(&bot.Timer{ID: "broken", Due: w.clock.Now(), Kind: "no-such-kind", ContactID: c.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(25 * time.Hour)
	n, err := w.sched.FireDue(ctx)
	if err == nil || n != 1 {
		t.Fatalf("FireDue = %d, %v; want the reminder fired and the broken timer's error", n, err)
	}
	a, _ := bot.ParseAddress(person)
	if got := w.replies(a); len(got) != 2 || !containsStr(got[0], "still here") {
		t.Fatalf("reminder = %q, want it and the question again", got)
	}
}

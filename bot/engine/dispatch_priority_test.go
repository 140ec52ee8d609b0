package engine_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/outbox"
)

// gatedSender is a PacedSender whose pace the test sets: each send waits
// for a token the test hands out, as a number at 1 SMS/s waits a second.
// The test then says what goes next, not how soon.
type gatedSender struct {
	tokens chan struct{}
	mu     sync.Mutex
	sent   []*bot.Outbound
	pacing int // callers waiting in Pace
}

func newGatedSender() *gatedSender { return &gatedSender{tokens: make(chan struct{})} }

func (s *gatedSender) Pace(ctx context.Context) (func(), error) {
	s.mu.Lock()
	s.pacing++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.pacing--
		s.mu.Unlock()
	}()
	select {
	case <-s.tokens:
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *gatedSender) SendPaced(_ context.Context, o *bot.Outbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, o)
	return fmt.Sprint("P", o.ID), nil
}

func (s *gatedSender) Send(ctx context.Context, o *bot.Outbound) (string, error) {
	release, err := s.Pace(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return s.SendPaced(ctx, o)
}

func (s *gatedSender) snapshot() (sent []*bot.Outbound, pacing int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent), s.pacing
}

// until waits for cond, failing the test after a generous deadline (the
// deadline only stops a broken test; nothing asserts how fast).
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

// backlog writes n pending scheduled check-ins to SMS numbers, older than
// anything the test adds later.
func backlog(t *testing.T, w *world, n int) {
	t.Helper()
	const people = 1000
	err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		ids := make([]string, people)
		for i := range people {
			c := &bot.Contact{Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i)}}, CreatedAt: w.clock.Now()}
			if err := tx.PutContact(c); err != nil {
				return err
			}
			ids[i] = c.ID
		}
		for i := range n {
			id := ids[i%people]
			o := &bot.Outbound{ContactID: id, To: bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+447700%06d", i%people)},
				Text: fmt.Sprint("check-in ", i), Priority: bot.PriorityScheduled, CreatedAt: w.clock.Now(),
				NextAttempt: w.clock.Now().Add(-time.Hour)}
			if err := tx.Enqueue(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// enqueue writes one pending row for a new contact at addr.
func enqueue(t *testing.T, w *world, addr bot.Address, text string, o bot.Outbound) uint64 {
	t.Helper()
	err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		c := &bot.Contact{Addresses: []bot.Address{addr}, CreatedAt: w.clock.Now()}
		if err := tx.PutContact(c); err != nil {
			return err
		}
		o.ContactID, o.To, o.Text, o.CreatedAt, o.NextAttempt = c.ID, addr, text, w.clock.Now(), w.clock.Now()
		return tx.Enqueue(&o)
	})
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// With 10,000 check-ins waiting on one number paced at 1 SMS/s, rows that
// come in later go out in priority order at the next free moments — the
// crisis text first, then a link worker's reply, then the bot's reply —
// and a Telegram reply is not held behind the SMS backlog at all. (The
// dispatcher used to hand rows to 16 workers, each already waiting for the
// pace, and read only the first batch of due rows across all channels.)
func TestPriorityHoldsWhereRowsWaitForThePace(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.clock.Set(time.Now()) // the lanes sleep by the clock: keep it real
	backlog(t, w, 10_000)
	sms, tg := newGatedSender(), &scriptedSender{}
	d := outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: sms, bot.Telegram: tg},
		outbox.DispatchOptions{Clock: bot.SystemClock{}})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(rctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	// Two check-ins leave; the lane then waits for the pace again.
	for i := range 2 {
		sms.tokens <- struct{}{}
		until(t, "a check-in sent", func() bool { sent, _ := sms.snapshot(); return len(sent) == 1+i })
	}
	until(t, "two check-ins sent and the lane waiting for the pace", func() bool {
		sent, pacing := sms.snapshot()
		return len(sent) == 2 && pacing >= 1
	})

	// Now a conversation reply, a link worker's reply and a crisis text
	// come in (written in that order), and a Telegram reply.
	conv := enqueue(t, w, bot.Address{Channel: bot.SMS, ID: "+447700900001"}, "bot reply", bot.Outbound{})
	worker := enqueue(t, w, bot.Address{Channel: bot.SMS, ID: "+447700900002"}, "worker reply", bot.Outbound{Priority: bot.PriorityWorker})
	crisis := enqueue(t, w, bot.Address{Channel: bot.SMS, ID: "+447700900003"}, "crisis text", bot.Outbound{Urgent: true})
	tgReply := enqueue(t, w, bot.Address{Channel: bot.Telegram, ID: "42"}, "telegram reply", bot.Outbound{})
	d.Wake()

	until(t, "the Telegram reply recorded as sent", func() bool {
		_, n := tg.count()
		return n == 1 && outboxRows(t, w)[tgReply-1].Status == bot.StatusSent
	})
	if sent, _ := sms.snapshot(); len(sent) != 2 {
		t.Fatalf("%d SMS sent while no SMS could go", len(sent))
	}

	// They are claimed while the lane waits for the pace (a claim takes
	// one commit; the pace, at 1 SMS/s, up to a second).
	until(t, "the new rows claimed", func() bool {
		rows := outboxRows(t, w)
		return rows[conv-1].Owner != "" && rows[worker-1].Owner != "" && rows[crisis-1].Owner != ""
	})
	// One at a time, as the pace lets them go.
	for i := range 4 {
		sms.tokens <- struct{}{}
		until(t, "the next SMS sent", func() bool { sent, _ := sms.snapshot(); return len(sent) == 3+i })
	}
	sent, _ := sms.snapshot()
	var got []uint64
	for _, o := range sent[2:] {
		got = append(got, o.ID)
	}
	if want := []uint64{crisis, worker, conv}; !slices.Equal(got[:3], want) {
		t.Fatalf("sent after the backlog started: %v, want crisis %d, worker %d, bot %d first", got, crisis, worker, conv)
	}
	if o := sent[5]; o.Rank() != bot.PriorityScheduled {
		t.Fatalf("then %+v, want the check-ins again", o)
	}

	// A burst of replies while the lane is full pushes check-ins back to
	// the store: the lane holds at most its depth (2×16 workers), not every
	// row more pressing than its least pressing one.
	for i := range 100 {
		enqueue(t, w, bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+447700901%03d", i)}, "bot reply", bot.Outbound{})
	}
	d.Wake()
	until(t, "the replies claimed in place of check-ins, at most 32 rows held", func() bool {
		held, replies := 0, 0
		for _, o := range outboxRows(t, w) {
			if o.Owner != "" && o.Status == bot.StatusPending {
				held++
				if o.Rank() == bot.PriorityConversation {
					replies++
				}
			}
		}
		return replies == 32 && held <= 32
	})
}

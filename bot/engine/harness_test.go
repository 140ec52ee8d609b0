package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/channels/sim"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/store/teststore"
)

// world is a real engine on a real bbolt file, replying through the sim
// channel into an inbox.
type world struct {
	t      testing.TB
	path   string
	store  bot.Store
	engine *engine.Engine
	disp   *outbox.Dispatcher
	sched  *timer.Scheduler
	// privacy exports and erases over the same store.
	privacy *privacy.Service
	clock   *bot.ManualClock
	inbox   *sim.Inbox
	cfg     engine.Config
	flows   *flows.Set
}

type option func(*engine.Config)

func newWorld(t testing.TB, opts ...option) *world {
	t.Helper()
	w := &world{t: t, path: filepath.Join(t.TempDir(), "linkline.db"),
		clock: bot.NewManualClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)), inbox: &sim.Inbox{}}
	w.open(opts...)
	return w
}

func (w *world) open(opts ...option) {
	w.t.Helper()
	store := teststore.Open(w.t, w.path) // bbolt, or PostgreSQL under LINKLINE_TEST_PG
	w.t.Cleanup(func() { store.Close() })
	w.cfg = bottest.Config(w.t, store)
	w.cfg.Clock = w.clock
	for _, o := range opts {
		o(&w.cfg)
	}
	eng, err := engine.NewEngine(w.cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	sender := sim.NewSender(w.inbox.Deliver)
	w.store, w.engine, w.flows = store, eng, w.cfg.Flows
	w.disp = outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.Sim: sender, bot.SMS: sender, bot.Telegram: sender}, outbox.DispatchOptions{Clock: w.clock})
	w.sched = timer.NewScheduler(store, eng.TimerKinds(), w.clock, nil)
	// Export and erase see the store as the engine does (a test may wrap
	// it), as they did when they were the engine's methods.
	w.privacy = &privacy.Service{Store: w.cfg.Store, Clock: w.clock}
}

// restart closes the database and opens it again, as a server restart would.
func (w *world) restart(opts ...option) {
	w.t.Helper()
	if err := w.store.Close(); err != nil {
		w.t.Fatal(err)
	}
	w.open(opts...)
}

var seq int

// send delivers text from addr and returns the replies it caused.
func (w *world) send(addr, text string) []string {
	w.t.Helper()
	seq++
	return w.sendID(addr, text, time.Now().Format("150405.000000000")+"-"+string(rune('a'+seq%26)))
}

func (w *world) sendID(addr, text, providerID string) []string {
	w.t.Helper()
	a, err := bot.ParseAddress(addr)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Text: text, ProviderID: providerID}); err != nil {
		w.t.Fatalf("Handle(%q): %v", text, err)
	}
	return w.replies(a)
}

func (w *world) replies(a bot.Address) []string {
	w.t.Helper()
	if err := w.disp.Drain(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	return w.inbox.Take(a)
}

func (w *world) contact(addr string) *bot.Contact {
	w.t.Helper()
	a, _ := bot.ParseAddress(addr)
	var c *bot.Contact
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		c, err = tx.ContactByAddress(a)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) conversation(addr string) *bot.Conversation {
	w.t.Helper()
	c := w.contact(addr)
	var conv *bot.Conversation
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		var err error
		conv, err = tx.Conversation(c.ID)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return conv
}

func (w *world) transcript(addr string) []*bot.Message {
	w.t.Helper()
	c := w.contact(addr)
	var out []*bot.Message
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Messages(c.ID, func(m *bot.Message) bool { out = append(out, m); return true })
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func (w *world) events(kind bot.EventKind) []*bot.Event {
	w.t.Helper()
	var out []*bot.Event
	err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Events(func(e *bot.Event) bool {
			if e.Kind == kind {
				out = append(out, e)
			}
			return true
		})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

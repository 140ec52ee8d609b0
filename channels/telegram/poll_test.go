package telegram_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

// runPoller starts a poller and returns a function that stops it and waits
// for it to return.
func runPoller(t *testing.T, p *telegram.Poller) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := p.Run(ctx); err != nil {
			t.Errorf("poller: %v", err)
		}
	})
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return stop
}

func sendTexts(t *testing.T, f *telegramtest.Server, chat int64, texts ...string) []int {
	t.Helper()
	var ids []int
	for _, text := range texts {
		d, err := f.SendText(chat, text)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.UpdateID)
	}
	return ids
}

// A poller restarted with the saved offset picks up exactly where the last
// one stopped: nothing lost, nothing offered twice.
func TestPollerRestartNeitherLosesNorRepeats(t *testing.T) {
	f := newFake(t)
	offsets := &memOffsets{}
	eng := &recorder{}
	b := newBot(t, f, func(c *telegram.Config) { c.WebhookURL = "" })

	// A webhook left over from an earlier deployment must not block polling.
	hooked := newBot(t, f)
	if err := hooked.SetWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}

	p := telegram.NewPoller(b, eng, offsets)
	stop := runPoller(t, p)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if url, _ := f.Webhook(); url == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("poller did not delete the webhook")
		}
	}
	ids := sendTexts(t, f, 42, "one", "two", "three")
	eng.waitInbound(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.WaitConfirmed(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	stop()
	if got, want := offsets.only(t), int64(ids[2]+1); got != want {
		t.Fatalf("saved offset %d, want %d", got, want)
	}

	more := sendTexts(t, f, 42, "four", "five")
	b2 := newBot(t, f, func(c *telegram.Config) { c.WebhookURL = "" })
	runPoller(t, telegram.NewPoller(b2, eng, offsets))
	eng.waitInbound(t, 5)
	if err := f.WaitConfirmed(ctx, more[1]); err != nil {
		t.Fatal(err)
	}
	if got := eng.texts(); !slices.Equal(got, []string{"one", "two", "three", "four", "five"}) {
		t.Fatalf("engine got %q", got)
	}
	if f.Pending() != 0 {
		t.Errorf("%d updates left unconfirmed", f.Pending())
	}
}

// An update the engine could not take is offered again, before later ones;
// an offset that could not be saved means the update comes again, with the
// same ProviderID so the engine drops the repeat.
func TestPollerRetries(t *testing.T) {
	f := newFake(t)
	offsets := &memOffsets{failSets: 1}
	b := newBot(t, f, func(c *telegram.Config) { c.WebhookURL = "" })
	ids := sendTexts(t, f, 42, "first", "second")
	eng := &recorder{failOnce: map[string]bool{fmt.Sprintf("%d:%d", telegramtest.BotID, ids[1]): true}}
	runPoller(t, telegram.NewPoller(b, eng, offsets))
	got := eng.waitInbound(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.WaitConfirmed(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	// first (offset save fails), first again, second (engine fails, then succeeds).
	if texts := eng.texts(); !slices.Equal(texts, []string{"first", "first", "second"}) {
		t.Fatalf("engine got %q", texts)
	}
	if got[0].ProviderID != got[1].ProviderID {
		t.Errorf("a repeated update changed ProviderID: %q then %q", got[0].ProviderID, got[1].ProviderID)
	}
}

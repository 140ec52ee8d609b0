package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
)

const secret = "s3cret_token-for-tests"

// newFake starts the fake Bot API for one test.
func newFake(t *testing.T) *telegramtest.Server {
	t.Helper()
	f := telegramtest.New()
	t.Cleanup(f.Close)
	return f
}

// newBot builds the channel against the fake, with pacing fast enough not to
// slow tests unless a test sets its own.
func newBot(t *testing.T, f *telegramtest.Server, edit ...func(*telegram.Config)) *telegram.Bot {
	t.Helper()
	cfg := telegram.Config{Token: telegramtest.Token, APIURL: f.URL(), WebhookURL: "https://linkline.example.org" + telegram.WebhookPath,
		Secret: secret, Rate: 1000, ChatRate: 1000, Timeout: 5 * time.Second, PollTimeout: time.Second, Backoff: 10 * time.Millisecond,
		HTTPClient: &http.Client{}}
	for _, e := range edit {
		e(&cfg)
	}
	b, err := telegram.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recorder is an engine stand-in that records what the channel hands it,
// for tests that look at the channel's parsing. End-to-end tests use the
// real engine.
type recorder struct {
	mu       sync.Mutex
	got      []bot.Inbound
	enrolled []enrolment
	reach    []string // SetReachable calls: "address ok why"
	fail     error    // returned by Handle while set
	failOnce map[string]bool
}

type enrolment struct {
	Token string      `json:"token"`
	In    bot.Inbound `json:"in"`
}

func (r *recorder) Handle(ctx context.Context, in bot.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	if r.failOnce[in.ProviderID] {
		delete(r.failOnce, in.ProviderID)
		return errors.New("store busy")
	}
	r.got = append(r.got, in)
	return nil
}

// Enrol accepts tokens starting "tok_GOOD" and refuses others as unknown.
func (r *recorder) Enrol(ctx context.Context, token string, in bot.Inbound) error {
	if !strings.HasPrefix(token, "tok_GOOD") {
		return bot.Errorf(bot.ENotFound, "no such enrolment token")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.enrolled = append(r.enrolled, enrolment{Token: token, In: in})
	return nil
}

// SetReachable records what the channel said about the chat.
func (r *recorder) SetReachable(ctx context.Context, a bot.Address, ok bool, why string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reach = append(r.reach, fmt.Sprint(a, " ", ok, " ", why))
	return nil
}

func (r *recorder) inbound() []bot.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Inbound(nil), r.got...)
}

func (r *recorder) texts() []string {
	var out []string
	for _, in := range r.inbound() {
		out = append(out, in.Text)
	}
	return out
}

// waitInbound waits until the recorder holds n messages.
func (r *recorder) waitInbound(t *testing.T, n int) []bot.Inbound {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := r.inbound()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("engine got %d messages, want %d: %q", len(got), n, r.texts())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// memOffsets is an in-memory OffsetStore that can be told to fail.
type memOffsets struct {
	mu       sync.Mutex
	m        map[string]int64
	failSets int
}

func (o *memOffsets) Offset(ctx context.Context, key string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[key], nil
}

func (o *memOffsets) SetOffset(ctx context.Context, key string, v int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failSets > 0 {
		o.failSets--
		return errors.New("disk full")
	}
	if o.m == nil {
		o.m = map[string]int64{}
	}
	o.m[key] = v
	return nil
}

// only returns the one offset saved, under the bot's key.
func (o *memOffsets) only(t *testing.T) int64 {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.m) != 1 {
		t.Fatalf("offsets saved under %d keys, want 1: %v", len(o.m), o.m)
	}
	for k, v := range o.m {
		if !strings.HasPrefix(k, "telegram:") {
			t.Fatalf("offset saved under %q, want telegram:<bot id>", k)
		}
		return v
	}
	return 0
}

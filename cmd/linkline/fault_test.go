package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/store/bolt"
)

// The fault test's settings. Sends time out after sendTimeout; retries
// back off from faultBase to faultMax. Real deployments use seconds to an
// hour; the promise checked is the same.
const (
	faultPeople   = 100 // per channel
	faultBlocked  = 12  // every 12th person blocks the service
	faultRate     = 0.3
	faultSeed     = 20260801
	sendTimeout   = time.Second
	faultBase     = 40 * time.Millisecond
	faultMax      = 320 * time.Millisecond
	retryAfterSec = 1
	maxAttempts   = 12 // the dispatcher's default
)

// faultKinds are the failures both fakes draw from, equally likely: two
// answers that say "try again" and three timeouts that differ in whether
// the provider had taken the message.
var faultKinds = []string{"server_error", "throttle", "timeout", "lost_answer", "cut_answer"}

// faultSystem is Linkline as serve wires it — the real engine on a real
// bbolt file, the outbox dispatcher, the twilio-go and telegram-bot-api
// based senders and both webhooks over HTTP on 127.0.0.1 — with the fake
// providers failing a share of sends.
type faultSystem struct {
	tw     *twiliotest.Server
	tg     *telegramtest.Server
	wires  map[bot.Channel]*wire // the senders' transports
	store  *bolt.DB
	public string
	stop   func() // stops the server and the dispatcher; the store stays open
}

func startFaultSystem(t *testing.T) *faultSystem {
	t.Helper()
	fs := &faultSystem{tw: twiliotest.New(), tg: telegramtest.New(),
		wires: map[bot.Channel]*wire{bot.SMS: newWire(bot.SMS), bot.Telegram: newWire(bot.Telegram)}}
	t.Cleanup(fs.tw.Close)
	t.Cleanup(fs.tg.Close)
	var twKinds []twiliotest.Fault
	var tgKinds []telegramtest.Fault
	for _, k := range faultKinds {
		twKinds, tgKinds = append(twKinds, twiliotest.Fault(k)), append(tgKinds, telegramtest.Fault(k))
	}
	var twBlocked []string
	var tgBlocked []int64
	for i := range faultPeople {
		if i%faultBlocked == faultBlocked-1 {
			twBlocked, tgBlocked = append(twBlocked, smsNumber(i)), append(tgBlocked, chatID(i))
		}
	}
	fs.tw.SetFaults(twiliotest.Faults{Seed: faultSeed, Rate: faultRate, Kinds: twKinds,
		RetryAfter: retryAfterSec * time.Second, Blocked: twBlocked})
	fs.tg.SetFaults(telegramtest.Faults{Seed: faultSeed, Rate: faultRate, Kinds: tgKinds,
		RetryAfter: retryAfterSec * time.Second, Blocked: tgBlocked})

	ctx, cancel := context.WithCancel(context.Background())
	store, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "fault.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs.store, fs.public = store, "http://"+ln.Addr().String()
	twCfg := twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, From: twiliotest.Number,
		APIURL: fs.tw.URL(), PublicURL: fs.public, Rate: 4000, Timeout: sendTimeout,
		HTTPClient: &http.Client{Transport: fs.wires[bot.SMS]}}
	sms, err := twilio.NewSender(twCfg)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := telegram.New(ctx, telegram.Config{Token: telegramtest.Token, APIURL: fs.tg.URL(),
		WebhookURL: fs.public + telegram.WebhookPath, Secret: "fault-test-secret",
		Rate: 4000, ChatRate: 1000, Timeout: sendTimeout, HTTPClient: &http.Client{Transport: fs.wires[bot.Telegram]}})
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.SMS: sms, bot.Telegram: tg},
		outbox.DispatchOptions{Workers: 64, BaseBackoff: faultBase, MaxBackoff: faultMax, Idle: 100 * time.Millisecond})
	cfg := bottest.Config(t, store)
	cfg.OnOutbox = disp.Wake
	eng, err := engine.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/twilio/", twilio.NewHandler(twCfg, eng, nil))
	if err := tg.SetWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	mux.Handle("POST "+telegram.WebhookPath, tg.Webhook(eng))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	var wg sync.WaitGroup
	wg.Go(func() { srv.Serve(ln) })
	wg.Go(func() { disp.Run(ctx) })
	var once sync.Once
	fs.stop = func() {
		once.Do(func() {
			srv.Close()
			cancel()
			wg.Wait()
		})
	}
	t.Cleanup(func() {
		fs.stop()
		if err := store.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return fs
}

func smsNumber(i int) string { return fmt.Sprintf("+447700900%03d", 100+i) }
func chatID(i int) int64     { return int64(5000 + i) }

// faultScript is what each person says: the start of a self-referral,
// three messages that get four replies. The consent is "yeah", not "yes":
// YES is also the SMS opt-in keyword, so a blocked person the dispatcher
// had already marked opted out before their "yes" arrived was opted in
// again and asked the consent question a second time, a row the test
// cannot tell from a duplicate send (a failure seen once in session 51).
func faultScript(i int) []string {
	return []string{"Hi, my GP said to text you", "yeah", fmt.Sprintf("Person %d", i)}
}

// drive has every person say their script, each message after the last
// was answered 200, people in parallel. It returns the number of webhooks.
func (fs *faultSystem) drive(t *testing.T) int {
	t.Helper()
	ctx := t.Context()
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	sem := make(chan struct{}, 64)
	for i := range faultPeople {
		for _, ch := range []bot.Channel{bot.SMS, bot.Telegram} {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				for _, text := range faultScript(i) {
					var status int
					if ch == bot.SMS {
						res, err := fs.tw.SendSMS(ctx, fs.public+twilio.SMSPath, smsNumber(i), text)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						status = res.StatusCode
					} else {
						d, err := fs.tg.SendText(chatID(i), text)
						if err != nil {
							t.Error(err)
							return
						}
						status = d.Status
					}
					if status != http.StatusOK {
						t.Errorf("%s person %d: webhook answered %d", ch, i, status)
						return
					}
					mu.Lock()
					sent++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return sent
}

// settle waits until no outbox row is pending, however far off its retry.
func (fs *faultSystem) settle(t *testing.T) {
	t.Helper()
	// The deadline only stops a broken test: under the race detector on a
	// busy machine settling can take well over a minute.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		pending := 0
		err := fs.store.View(t.Context(), func(tx bot.Tx) error {
			return tx.Pending(time.Now().Add(24*time.Hour), func(*bot.Outbound) bool { pending++; return true })
		})
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox rows still pending after three minutes", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// outbox reads every outbox row.
func (fs *faultSystem) outbox(t *testing.T) []*bot.Outbound {
	t.Helper()
	var out []*bot.Outbound
	err := fs.store.View(t.Context(), func(tx bot.Tx) error {
		for id := uint64(1); ; id++ {
			o, err := tx.Outbound(id)
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			} else if err != nil {
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

func (fs *faultSystem) contact(t *testing.T, a bot.Address) *bot.Contact {
	t.Helper()
	var c *bot.Contact
	err := fs.store.View(t.Context(), func(tx bot.Tx) error {
		var err error
		c, err = tx.ContactByAddress(a)
		return err
	})
	if err != nil {
		t.Fatalf("contact %s: %v", a, err)
	}
	return c
}

// minRetryDelay is the least the dispatcher promises to wait before the
// retry that follows failed attempt n (1 for the first): half of
// faultBase·2^(n-1), capped at faultMax, and never less than the
// provider's Retry-After.
func minRetryDelay(n int, retryAfter time.Duration) time.Duration {
	b := faultBase << min(n-1, 20)
	if b <= 0 || b > faultMax {
		b = faultMax
	}
	return max(b/2, retryAfter)
}

// TestFaults drives a few hundred people over SMS and Telegram while the
// fake providers fail 30% of sends (5xx, 429 with Retry-After, and
// timeouts before and after taking the message) and some people block the
// service, then checks what the providers received against the outbox:
// every message to a person who had not blocked us arrived, none was sent
// again after a success answer (a second copy only after a timeout that
// hid an accepted message: sends are at least once), each blocked person
// is marked and their messages failed for good, and no retry came sooner
// than the backoff (or the provider's Retry-After) allowed.
//
// Run it with: go test -race -run TestFaults -count=5 ./cmd/linkline
func TestFaults(t *testing.T) {
	fs := startFaultSystem(t)
	start := time.Now()
	webhooks := fs.drive(t)
	drove := time.Since(start)
	fs.settle(t)
	took := time.Since(start)
	fs.stop()
	rows := fs.outbox(t)
	reqs, copies, first := fs.attempts()
	// lastFirst is, per recipient, when the provider first took the
	// previous deliverable row (in outbox order), to count reorderings.
	lastFirst, reordered := map[string]time.Time{}, map[string]bool{}
	sends := map[string][]clientTry{}
	for _, w := range fs.wires {
		maps.Copy(sends, w.sends())
	}

	blocked := map[string]bool{}
	for i := range faultPeople {
		if i%faultBlocked == faultBlocked-1 {
			blocked[string(bot.SMS)+" "+smsNumber(i)] = true
			blocked[string(bot.Telegram)+" "+strconv.FormatInt(chatID(i), 10)] = true
		}
	}
	var n struct {
		rows, delivered, blockedFailed, suppressed, sends, requests, retries int
		dupes, lateDupes                                                     int
		faults                                                               map[string]int
	}
	n.faults = map[string]int{}
	seen := map[string]bool{}
	for _, o := range rows {
		if o.To.Channel != bot.SMS && o.To.Channel != bot.Telegram {
			continue
		}
		n.rows++
		text := o.Text
		if o.To.Channel == bot.SMS {
			text = twilio.RenderSMS(o)
		}
		k := key(o.To.Channel, o.To.ID, text)
		if seen[k] {
			t.Fatalf("two outbox rows send %q to %s: the test cannot tell their requests apart", text, o.To)
		}
		seen[k] = true
		rs, cs := reqs[k], sends[k]
		delete(reqs, k)
		n.sends += len(cs)
		n.requests += len(rs)
		for _, r := range rs {
			n.faults[cmp.Or(r.fault, "none")]++
		}
		// None twice after a success answer: the send that got one is
		// the last.
		successes := 0
		for i, c := range cs {
			if c.status >= 200 && c.status < 300 {
				successes++
				if i != len(cs)-1 {
					t.Errorf("row %d to %s: sent again after a %d answer (sends %+v)", o.ID, o.To, c.status, cs)
				}
			}
		}
		// Retries wait at least the backoff and any Retry-After. (A send
		// that never reached the provider makes a gap span two retries,
		// which only widens it.)
		for i := 1; i < len(rs); i++ {
			gap, least := rs[i].at.Sub(rs[i-1].at), minRetryDelay(i, rs[i-1].retryAfter)
			if gap < least {
				t.Errorf("row %d to %s: retry %d came %v after the failure (%s), want at least %v",
					o.ID, o.To, i, gap, rs[i-1].fault, least)
			}
		}
		if blocked[string(o.To.Channel)+" "+o.To.ID] {
			// Failed on the block, or suppressed once the person was
			// marked (perhaps after temporary failures); never taken, and
			// not retried forever.
			taken := false
			for _, r := range rs {
				taken = taken || r.accepted
			}
			switch {
			case taken || len(cs) > maxAttempts:
				t.Errorf("row %d to blocked %s: %d sends, taken %v", o.ID, o.To, len(cs), taken)
			case o.Status == bot.StatusSuppressed:
				n.suppressed++
			case o.Status == bot.StatusFailed && len(cs) > 0 && slices.Contains([]int{400, 403}, cs[len(cs)-1].status) &&
				slices.Contains([]string{"21610", "403"}, o.ErrorCode):
				n.blockedFailed++
			default:
				t.Errorf("row %d to blocked %s: status %s code %q after sends %+v, want failed on the block or suppressed",
					o.ID, o.To, o.Status, o.ErrorCode, cs)
			}
			continue
		}
		// Every deliverable message arrived. A second copy comes only from
		// a send whose answer the client never got (a lost answer, or on a
		// loaded machine an answer later than the client's timeout): sends
		// are at least once.
		switch {
		case o.Status != bot.StatusSent:
			t.Errorf("row %d to %s: status %s after sends %+v, want sent", o.ID, o.To, o.Status, cs)
		case successes != 1 || copies[k] == 0:
			t.Errorf("row %d to %s: marked sent after %d success answers; the provider has %d copies", o.ID, o.To, successes, copies[k])
		case o.Attempts != len(cs)-1:
			t.Errorf("row %d to %s: %d failed attempts recorded for %d sends", o.ID, o.To, o.Attempts, len(cs))
		default:
			n.delivered++
			addr := string(o.To.Channel) + " " + o.To.ID
			if first[k].Before(lastFirst[addr]) {
				reordered[addr] = true
			}
			lastFirst[addr] = first[k]
		}
		for _, r := range rs {
			if r.accepted && r.fault == "lost_answer" {
				n.dupes++
			}
		}
		n.lateDupes += copies[k] - 1
		n.retries += len(cs) - 1
	}
	n.lateDupes -= n.dupes
	for k, rs := range reqs {
		t.Errorf("%d requests for %s match no outbox row", len(rs), k)
	}
	// Blocked people are marked; nobody else is.
	for i := range faultPeople {
		isBlocked := i%faultBlocked == faultBlocked-1
		sms := fs.contact(t, bot.Address{Channel: bot.SMS, ID: smsNumber(i)})
		if sms.OptedOut != isBlocked {
			t.Errorf("SMS person %d (blocked %v): opted out %v", i, isBlocked, sms.OptedOut)
		}
		tg := fs.contact(t, bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chatID(i), 10)})
		if unreachable := len(tg.Unreachable) > 0; unreachable != isBlocked {
			t.Errorf("Telegram person %d (blocked %v): unreachable %v", i, isBlocked, tg.Unreachable)
		}
	}
	// A person's replies reach the provider in the order they were written:
	// a reply waiting to be tried again holds back the ones after it.
	for addr := range reordered {
		t.Errorf("%s got a reply before an earlier one", addr)
	}
	if n.delivered == 0 || n.blockedFailed == 0 || n.retries == 0 {
		t.Fatalf("the test proved nothing: %+v", n)
	}
	t.Logf("%d people, %d webhooks (%v), %d outbox rows settled in %v: %d delivered, %d failed on a block, %d suppressed after it; "+
		"%d sends (%d reached the providers), %d retries; second copies: %d after a lost answer, %d after an answer later than the timeout; "+
		"%d people got a reply before an earlier one; faults drawn %v", 2*faultPeople, webhooks, drove.Round(time.Millisecond), n.rows, took.Round(time.Millisecond),
		n.delivered, n.blockedFailed, n.suppressed, n.sends, n.requests, n.retries, n.dupes, n.lateDupes, len(reordered), n.faults)
}

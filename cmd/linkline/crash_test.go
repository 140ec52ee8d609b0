package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/store/bolt"
)

// TestCrashMidConversation builds the real binary, runs `linkline serve`
// against the fake Twilio and the fake Telegram, drives signed SMS webhooks
// and secret-bearing Telegram webhooks from many people mid-conversation,
// and kills the server with SIGKILL at random moments (3 times, or
// LINKLINE_CRASH_KILLS). Like the providers, the load retries every webhook
// that did not get a 200 with the same MessageSid or update_id. Afterwards
// every message is in its transcript exactly once, every one got its
// replies, the outbox drained, every conversation is in a state its flow
// has, and bbolt's consistency check passes.
func TestCrashMidConversation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it several times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "linkline")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	kills := 3
	if n, err := strconv.Atoi(os.Getenv("LINKLINE_CRASH_KILLS")); err == nil && n > 0 {
		kills = n
	}
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	public := "http://" + addr
	db := filepath.Join(dir, "crash.db")
	env := append(os.Environ(),
		"LINKLINE_DB="+db, "LINKLINE_ADDR="+addr, "LINKLINE_INBOUND_BURST=0", "LINKLINE_METRICS_TOKEN=crash-test-token", "LINKLINE_PUBLIC_URL="+public, "LINKLINE_LOG_LEVEL=warn",
		"TWILIO_ACCOUNT_SID="+twiliotest.AccountSID, "TWILIO_AUTH_TOKEN="+twiliotest.AuthToken,
		"TWILIO_FROM_NUMBER="+twiliotest.Number, "TWILIO_API_URL="+tw.URL(), "TWILIO_RATE=2000",
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_URL="+tg.URL(), "TELEGRAM_WEBHOOK_SECRET=crash-test-secret",
		"TELEGRAM_BOT_USERNAME="+telegramtest.BotUsername)

	var srv *exec.Cmd
	start := func() {
		t.Helper()
		srv = exec.Command(bin, "serve")
		srv.Env = env
		srv.Stdout, srv.Stderr = io.Discard, os.Stderr
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if resp, err := http.Get(public + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatal("server did not become healthy")
			}
		}
	}
	start()

	// People mid-conversation, each sending the self-referral in order and
	// retrying a message until it gets a 200, as Twilio does.
	script := []string{"hello", "yes", "Sam Jones", "12/03/1958", "SW1A 1AA", "Riverside", "no",
		"seeing people", "1, 3", "1", "morning", "1", "thanks", "RESTART"}
	const people, tgPeople = 12, 10
	ctx, stopLoad := context.WithCancel(context.Background())
	var mu sync.Mutex
	acked := map[string]string{} // MessageSid → number
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for p := range people {
		number := fmt.Sprintf("+4477009%05d", 10000+p)
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				form := tw.InboundForm(number, script[i%len(script)])
				sid := form.Get("MessageSid")
				for {
					if postSigned(ctx, client, public+"/webhooks/twilio/sms", form) {
						mu.Lock()
						acked[sid] = number
						mu.Unlock()
						break
					}
					if ctx.Err() != nil {
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
		})
	}
	// Telegram people: the fake posts each update to the webhook and, like
	// Telegram, delivers it again (same update_id) until it gets a 200. They
	// write once a second: the bot may send one chat a message a second, so
	// faster writers would leave a backlog of replies longer than the test.
	tgAcked := map[int]int64{} // update_id → chat
	for p := range tgPeople {
		chat := int64(5_000_000 + p)
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				d, err := tg.SendText(chat, script[i%len(script)])
				for ctx.Err() == nil && (err != nil || d.Status != http.StatusOK) {
					if d.UpdateID == 0 {
						break // not delivered at all: the fake had no webhook yet
					}
					time.Sleep(50 * time.Millisecond)
					d, err = tg.Redeliver(d.UpdateID)
				}
				if err == nil && d.Status == http.StatusOK {
					mu.Lock()
					tgAcked[d.UpdateID] = chat
					mu.Unlock()
				}
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		})
	}
	for range kills {
		time.Sleep(time.Duration(300+rand.IntN(900)) * time.Millisecond)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		start()
	}
	time.Sleep(500 * time.Millisecond)
	stopLoad()
	wg.Wait()

	// Let the outbox drain, then stop the server cleanly.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if m := getBody(t, public+"/metrics", "crash-test-token"); strings.Contains(m, "linkline_outbox_depth 0\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the outbox did not drain")
		}
	}
	srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Fatalf("server exit after SIGTERM: %v", err)
	}

	store, err := bolt.Open(context.Background(), db, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Check(context.Background()); err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
	set, err := flows.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	err = store.View(context.Background(), func(tx bot.Tx) error {
		var addrs []bot.Address
		for p := range people {
			addrs = append(addrs, bot.Address{Channel: bot.SMS, ID: fmt.Sprintf("+4477009%05d", 10000+p)})
		}
		for p := range tgPeople {
			addrs = append(addrs, bot.Address{Channel: bot.Telegram, ID: strconv.Itoa(5_000_000 + p)})
		}
		for _, a := range addrs {
			c, err := tx.ContactByAddress(a)
			if err != nil {
				return fmt.Errorf("%s: %w", a, err)
			}
			var lastIn bool
			if err := tx.Messages(c.ID, func(m *bot.Message) bool {
				if m.Direction == bot.In {
					seen[m.ProviderID]++
					lastIn = true
					return true
				}
				lastIn = false
				o, err := tx.Outbound(m.OutboxID)
				if err != nil || o.Status != bot.StatusSent {
					t.Errorf("%s: reply %d not sent: %+v %v", a, m.OutboxID, o, err)
				}
				return true
			}); err != nil {
				return err
			}
			if lastIn {
				t.Errorf("%s: the last message got no reply", a)
			}
			conv, err := tx.Conversation(c.ID)
			if err != nil {
				return err
			}
			if f, ok := set.Flow(conv.FlowID); !ok || f.States[conv.State] == nil {
				t.Errorf("%s: conversation in an impossible state %s/%s", a, conv.FlowID, conv.State)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < people*3 {
		t.Fatalf("only %d webhooks acknowledged: the load did not run", len(acked))
	}
	for sid := range acked {
		if n := seen[sid]; n != 1 {
			t.Errorf("acknowledged message %s is in the transcript %d times", sid, n)
		}
	}
	if len(tgAcked) < tgPeople*2 {
		t.Fatalf("only %d Telegram updates acknowledged: the load did not run", len(tgAcked))
	}
	tgReplies := 0
	for id, chat := range tgAcked {
		if n := seen[fmt.Sprintf("%d:%d", telegramtest.BotID, id)]; n != 1 {
			t.Errorf("acknowledged update %d from chat %d is in the transcript %d times", id, chat, n)
		}
	}
	for p := range tgPeople {
		tgReplies += len(tg.Sent(int64(5_000_000 + p)))
	}
	if sent := tw.Stats().Accepted; sent == 0 || tgReplies == 0 {
		t.Fatalf("replies reached the fakes: Twilio %d, Telegram %d", sent, tgReplies)
	}
	t.Logf("%d SMS webhooks and %d Telegram updates acknowledged across %d SIGKILLs; replies accepted: %d SMS, %d Telegram",
		len(acked), len(tgAcked), kills, tw.Stats().Accepted, tgReplies)
}

// postSigned sends a signed webhook and reports whether it got a 200.
func postSigned(ctx context.Context, c *http.Client, target string, form url.Values) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Signature(twiliotest.AuthToken, target, form))
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func getBody(t *testing.T, u, token string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return ""
		}
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

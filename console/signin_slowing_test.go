package console_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/console"
)

// behindProxy trusts the test client's loopback address as a proxy, so a
// test chooses each request's client address with X-Forwarded-For.
func behindProxy(_ *world, _ *engine.Config, con *console.Config) {
	con.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

func (c *client) loginFrom(addr, email, password string) response {
	c.t.Helper()
	return c.do("POST", "/console/login", url.Values{"email": {email}, "password": {password}}, "X-Forwarded-For", addr)
}

// TestSigninNoLockout: a guesser from many addresses slows an account
// down by at most 30 seconds; the account's owner is never locked out,
// and correct sign-ins never count against anyone.
func TestSigninNoLockout(t *testing.T) {
	w := newWorld(t, behindProxy)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	// Correct sign-ins are not limited (the sixth in a minute used to be
	// refused).
	for i := range 8 {
		if res := c.loginFrom("198.51.100.1", "ann@example.org", testPassword); res.status != http.StatusSeeOther {
			t.Fatalf("correct sign-in %d: %d, want 303", i+1, res.status)
		}
	}
	// Forty guesses at Ann from forty addresses, as fast as allowed.
	for i := range 40 {
		for {
			res := c.loginFrom(fmt.Sprintf("203.0.113.%d", i+1), "ann@example.org", "guess "+strconv.Itoa(i))
			if res.status == http.StatusUnauthorized {
				break
			}
			if res.status != http.StatusTooManyRequests {
				t.Fatalf("guess %d: %d, want 401 or 429", i+1, res.status)
			}
			wait, _ := strconv.Atoi(res.header.Get("Retry-After"))
			if wait < 1 || wait > 30 {
				t.Fatalf("guess %d slowed by %q seconds, want 1..30", i+1, res.header.Get("Retry-After"))
			}
			w.clock.Advance(time.Duration(wait) * time.Second)
		}
	}
	// Right after the last guess, Ann waits at most 30 seconds.
	res := c.loginFrom("198.51.100.1", "ann@example.org", testPassword)
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("Ann right after 40 guesses: %d, want 429 (the account is slowed)", res.status)
	}
	if !strings.Contains(res.body, "wait") {
		t.Errorf("slowed sign-in page does not say to wait:\n%s", res.body)
	}
	w.clock.Advance(30 * time.Second)
	if res := c.loginFrom("198.51.100.1", "ann@example.org", testPassword); res.status != http.StatusSeeOther {
		t.Fatalf("Ann 30 s after the guesses: %d, want signed in", res.status)
	}
}

// TestSigninAddressSlowed: one address guessing at many accounts waits
// longer after each failure past 20, up to 15 minutes.
func TestSigninAddressSlowed(t *testing.T) {
	w := newWorld(t, behindProxy)
	for i := range 10 {
		w.addUser(fmt.Sprintf("u%d@example.org", i), "", false)
	}
	c := w.client()
	var waits []int
	for i := 0; len(waits) < 14; i++ {
		res := c.loginFrom("203.0.113.7", fmt.Sprintf("u%d@example.org", i%10), "guess")
		switch res.status {
		case http.StatusUnauthorized:
			if len(waits) == 0 && i >= 21 {
				t.Fatalf("try %d not slowed, want slowing after 20 failures", i+1)
			}
		case http.StatusTooManyRequests:
			n, err := strconv.Atoi(res.header.Get("Retry-After"))
			if err != nil {
				t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
			}
			waits = append(waits, n)
			w.clock.Advance(time.Duration(n) * time.Second)
		default:
			t.Fatalf("try %d: %d", i+1, res.status)
		}
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] {
			t.Errorf("waits %v do not grow", waits)
		}
	}
	if last := waits[len(waits)-1]; last != 15*60 {
		t.Errorf("longest wait %d s, want the 15-minute ceiling; waits %v", last, waits)
	}
	// Another address is not slowed by this one.
	if res := c.loginFrom("198.51.100.9", "u1@example.org", testPassword); res.status != http.StatusSeeOther {
		t.Errorf("another address: %d, want signed in", res.status)
	}
}

// TestSigninHugeEmails: emails of 200 KB are refused before anything is
// kept about them, so a flood of them cannot grow the server's memory.
func TestSigninHugeEmails(t *testing.T) {
	w := newWorld(t, behindProxy)
	c := w.client()
	for i := range 30 {
		email := strings.Repeat("a", 200<<10) + strconv.Itoa(i) + "@example.org"
		res := c.loginFrom(fmt.Sprintf("203.0.113.%d", i%3+1), email, "x")
		if res.status != http.StatusUnauthorized && res.status != http.StatusTooManyRequests {
			t.Fatalf("huge email %d: %d", i, res.status)
		}
		if strings.Contains(res.body, email[:1000]) {
			t.Fatalf("the page echoes a 200 KB email back")
		}
	}
	// Three addresses and one key for every over-long email.
	if n := console.LimiterSize(w.console); n > 4 {
		t.Errorf("limiter holds %d keys after 30 huge emails from 3 addresses, want at most 4", n)
	}
}

// TestForwardedWithoutTrustedProxies: a request with X-Forwarded-For and
// no trusted proxies logs one warning, however many arrive.
func TestForwardedWithoutTrustedProxies(t *testing.T) {
	var buf bytes.Buffer
	w := newWorld(t, func(_ *world, _ *engine.Config, con *console.Config) {
		con.Log = slog.New(slog.NewTextHandler(&buf, nil))
	})
	c := w.client()
	for range 3 {
		c.loginFrom("198.51.100.1", "nobody@example.org", "x")
	}
	if n := strings.Count(buf.String(), "LINKLINE_TRUSTED_PROXIES"); n != 1 {
		t.Errorf("warnings about X-Forwarded-For without trusted proxies: %d, want 1\n%s", n, buf.String())
	}
}

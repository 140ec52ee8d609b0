package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/store/bolt"
)

// BenchmarkPages measures server time of the console's busiest pages over
// a store seeded like a large service: LINKLINE_BENCH_CONTACTS contacts
// (default 100,000) with 10 messages each, a referral for one in five, two
// events per contact, and 100 people waiting in the inbox. It reports the
// p95 of each page after ten warm-up requests (the first conversation
// views index the event log by contact). Seeding takes a few seconds:
//
//	go test -run '^$' -bench BenchmarkPages -benchtime 200x ./console/
func BenchmarkPages(b *testing.B) {
	contacts := 100_000
	if v := os.Getenv("LINKLINE_BENCH_CONTACTS"); v != "" {
		contacts, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	store, err := bolt.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	start := time.Now()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var contactIDs []string
	const batch = 2000
	for lo := 0; lo < contacts; lo += batch {
		err := store.Update(ctx, func(tx bot.Tx) error {
			for i := lo; i < min(lo+batch, contacts); i++ {
				at := t0.Add(time.Duration(i) * time.Minute)
				c := &bot.Contact{Name: fmt.Sprint("Person ", i), CreatedAt: at,
					Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprintf("+4477%08d", i)}}}
				if err := tx.PutContact(c); err != nil {
					return err
				}
				contactIDs = append(contactIDs, c.ID)
				for j := range 10 {
					dir, author := bot.In, bot.AuthorPerson
					if j%2 == 1 {
						dir, author = bot.Out, bot.AuthorBot
					}
					if err := tx.AppendMessage(&bot.Message{ContactID: c.ID, Direction: dir, Author: author, Address: c.Addresses[0],
						Text: "A message of an ordinary length, about as long as a text someone would send to the service.",
						At:   at.Add(time.Duration(j) * time.Second)}); err != nil {
						return err
					}
				}
				for _, kind := range []bot.EventKind{bot.EventConvStarted, bot.EventConvDone} {
					if err := tx.AddEvent(&bot.Event{At: at, Kind: kind, ContactID: c.ID}); err != nil {
						return err
					}
				}
				if i%5 == 0 {
					ref := &bot.Referral{ContactID: c.ID, Status: []bot.ReferralStatus{bot.ReferralNew, bot.ReferralContacted, bot.ReferralClosed}[i%3],
						Method: bot.ReferralMethodSelf, Name: c.Name, Needs: []string{"loneliness"}, CreatedAt: at, UpdatedAt: at}
					if err := tx.PutReferral(ref); err != nil {
						return err
					}
					if err := tx.AddEvent(&bot.Event{At: at, Kind: bot.EventReferralCreated, ContactID: c.ID, Data: map[string]string{"referral": ref.ID}}); err != nil {
						return err
					}
				}
				if i%(max(contacts/100, 1)) == 0 {
					if err := tx.PutHandoff(&bot.Handoff{ContactID: c.ID, Status: bot.HandoffOpen, Urgent: i%3 == 0, Reason: bot.ReasonAsked, OpenedAt: at}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d contacts, %d messages in %s", contacts, contacts*10, time.Since(start).Round(time.Second))

	var sessionCookie *http.Cookie
	{
		u := &bot.User{Email: "bench@example.org", Name: "Bench", PasswordHash: "x", CreatedAt: t0}
		secret, hash := auth.NewSessionToken()
		err := store.Update(ctx, func(tx bot.Tx) error {
			if err := tx.PutUser(u); err != nil {
				return err
			}
			return tx.PutSession(&bot.Session{Token: hash, UserID: u.ID, CreatedAt: time.Now(), Expires: time.Now().Add(time.Hour)})
		})
		if err != nil {
			b.Fatal(err)
		}
		sessionCookie = &http.Cookie{Name: "linkline_session", Value: secret}
	}
	con := console.New(console.Config{Store: store})
	{ // The conversation page finds the contact's referral through its events.
		req := httptest.NewRequest("GET", "/console/contacts/"+contactIDs[len(contactIDs)/2/5*5], nil)
		req.AddCookie(sessionCookie)
		rec := httptest.NewRecorder()
		con.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), "<dt>Name</dt><dd>Person ") {
			b.Fatalf("conversation page without the referral:\n%s", rec.Body.String())
		}
	}
	mid := contactIDs[len(contactIDs)/2/5*5] // one with a referral
	for _, page := range []struct{ name, path string }{
		{"inbox", "/console/"},
		{"referrals", "/console/referrals"},
		{"referrals-status", "/console/referrals?status=contacted"},
		{"referrals-need-none", "/console/referrals?need=housing"}, // no referral has it
		{"referrals-need", "/console/referrals?need=loneliness"},
		{"search-none", "/console/contacts?q=zebra"},
		{"search-name", "/console/contacts?q=person+5000"},
		{"search-digits", "/console/contacts?q=0770005"},
		{"conversation", "/console/contacts/" + mid},
	} {
		// Warm up: the first conversation views index the event log.
		for range 10 {
			req := httptest.NewRequest("GET", page.path, nil)
			req.AddCookie(sessionCookie)
			con.ServeHTTP(httptest.NewRecorder(), req)
		}
		b.Run(page.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				req := httptest.NewRequest("GET", page.path, nil)
				req.AddCookie(sessionCookie)
				rec := httptest.NewRecorder()
				t := time.Now()
				con.ServeHTTP(rec, req)
				times = append(times, time.Since(t))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", page.path, rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

package multitest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// twoInstances starts instances a and b on one new database.
func twoInstances(t *testing.T, c *cluster) (*instance, *instance) {
	t.Helper()
	dbURL := pgtest.URL(t)
	var ins []*instance
	for _, name := range []string{"a", "b"} {
		db, err := postgres.Open(context.Background(), dbURL, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, c.start(name, db))
	}
	return ins[0], ins[1]
}

// TestOneRealertPerTimer: with two schedulers firing the same due SLA
// timers at once, link workers are alerted again once per unclaimed
// handoff each time its timer falls due.
func TestOneRealertPerTimer(t *testing.T) {
	c := newCluster(t)
	a, b := twoInstances(t, c)
	const people = 12
	for i := range people {
		[]*instance{a, b}[i%2].say(t, c.fake, fmt.Sprintf("+4477009002%02d", i), "i want to kill myself")
	}
	if n := len(c.alerts.of(bot.AlertHandoff)); n != people {
		t.Fatalf("%d handoff alerts, want %d (one per person at risk)", n, people)
	}
	for round := 1; round <= 3; round++ {
		c.clock.Advance(16 * time.Minute)
		// Both schedulers fire what is due at the same moment (their Run
		// loops may join in too).
		var wg sync.WaitGroup
		for _, in := range []*instance{a, b, a, b} {
			wg.Go(func() {
				if _, err := in.sched.FireDue(context.Background()); err != nil {
					t.Errorf("%s: fire: %v", in.name, err)
				}
			})
		}
		wg.Wait()
		per := map[string]int{}
		for _, al := range c.alerts.of(bot.AlertHandoffUnclaimed) {
			per[al.HandoffID]++
		}
		if len(per) != people {
			t.Fatalf("round %d: re-alerts for %d handoffs, want %d", round, len(per), people)
		}
		for id, n := range per {
			if n != round {
				t.Fatalf("round %d: handoff %s re-alerted %d times, want %d", round, id, n, round)
			}
		}
	}
}

// TestSharedRateNo429: two instances sending from one number, each set
// to the number's rate, share it through the store: the fake Twilio,
// limiting the number to that rate, answers no 429, and every reply is
// sent once.
func TestSharedRateNo429(t *testing.T) {
	c := newCluster(t)
	c.rate, c.shared = 10, true
	c.fake.SetRateLimit(10)
	a, b := twoInstances(t, c)
	const people = 40
	for i := range people {
		[]*instance{a, b}[i%2].say(t, c.fake, fmt.Sprintf("+4477009003%02d", i), "hello")
	}
	// Each person is sent the privacy notice and the consent question.
	waitFor(t, time.Minute, "every reply", func() bool { return len(c.fake.Messages()) >= 2*people })
	waitFor(t, 30*time.Second, "the outbox to empty", func() bool { return pending(t, a.store) == 0 })
	if st := c.fake.Stats(); st.Throttled != 0 {
		t.Fatalf("fake Twilio answered 429 %d times: the instances did not share the rate (%+v)", st.Throttled, st)
	}
	for i := range people {
		num := fmt.Sprintf("+4477009003%02d", i)
		for body, n := range counts(c.fake.MessagesTo(num)) {
			if n != 1 {
				t.Fatalf("%s was sent %q %d times", num, body, n)
			}
		}
		if n := len(c.fake.MessagesTo(num)); n != 2 {
			t.Fatalf("%s got %d replies, want 2", num, n)
		}
	}
}

// TestHoursFollowed: service hours saved on one instance (as the console
// saves them) come into force on the other, without a restart: on the
// wake-up the saving instance sends after its commit, and by the poll
// when no wake-up comes. With the poll an hour away, only the wake-up can
// have applied them.
func TestHoursFollowed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		every  time.Duration
		notify bool
	}{
		{"on the wake-up, the poll an hour away", time.Hour, true},
		{"by the poll, with no wake-up", 100 * time.Millisecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t)
			c.hoursEvery = tc.every
			a, b := twoInstances(t, c)
			s := bot.HoursSetting{Spec: "Mon-Thu 08:00-18:00", Zone: "Europe/London", Closed: []string{"2026-12-25"}, Text: "Monday to Thursday, 8am to 6pm"}
			h, err := s.Parse()
			if err != nil {
				t.Fatal(err)
			}
			if b.eng.Hours().Spec == s.Spec {
				t.Fatal("b starts with the hours the test saves")
			}
			// What the console's hours page does on a: commit, put them in
			// force there, and (serve's OnSettings) tell the others.
			if err := a.store.Update(context.Background(), func(tx bot.Tx) error { return bot.PutHoursSetting(tx, s) }); err != nil {
				t.Fatal(err)
			}
			a.eng.SetHours(h)
			if tc.notify {
				a.pg.Notify(postgres.ChannelSettings)
			}
			waitFor(t, 10*time.Second, "b to follow the saved hours", func() bool {
				return b.eng.Hours().Spec == s.Spec && b.eng.Service().Hours == s.Text
			})
			if !b.eng.Hours().Closed["2026-12-25"] {
				t.Fatal("b did not take the closed date")
			}
			// Friday 27 November 10:00 is now out of hours on b.
			if b.eng.Hours().Open(start) {
				t.Fatal("b still counts Friday as open")
			}
		})
	}
}

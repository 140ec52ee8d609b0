package multitest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
)

// script is one phone's 200 messages: a first hello, then the
// self-referral again and again (RESTART, consent, each answer, the
// summary confirmed, the wellbeing offer declined), each time for another
// person of the household (another name and date of birth: the same person
// sending their details again would correct their referral, not add one).
func script() []string {
	out := []string{"Hi, my GP said to text you"}
	for k := 0; len(out) < 200; k++ {
		cycle := []string{"RESTART", "yes", fmt.Sprintf("Sam %c Jones", 'A'+k%26), fmt.Sprintf("%d-3-58", 1+k%28), "sw1a1aa",
			"Riverside Surgery", "no", "Getting out of the house more", "1 and 10", "learning to use my tablet", "text me",
			"mornings", "yes send it", "no thanks"}
		for _, m := range cycle {
			if len(out) < 200 {
				out = append(out, m)
			}
		}
	}
	return out
}

// final is what a run leaves for one person: the transcript, the
// conversation and the referrals.
type final struct {
	transcript []string
	conv       string
	referrals  []string
}

func readFinal(t *testing.T, s bot.Store, number string) final {
	t.Helper()
	var f final
	err := s.View(context.Background(), func(tx bot.Tx) error {
		c, err := tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: number})
		if err != nil {
			return err
		}
		if err := tx.Messages(c.ID, func(m *bot.Message) bool {
			f.transcript = append(f.transcript, string(m.Direction)+": "+m.Text)
			return true
		}); err != nil {
			return err
		}
		conv, err := tx.Conversation(c.ID)
		if err != nil {
			return err
		}
		f.conv = fmt.Sprintf("%s v%d %s %s step %d answers %v", conv.FlowID, conv.FlowVersion, conv.State, conv.Status, conv.Step, conv.Answers)
		return tx.Referrals(func(r *bot.Referral) bool {
			if r.ContactID == c.ID {
				f.referrals = append(f.referrals, fmt.Sprintf("%s %s %v", r.Status, r.Method, r.Answers))
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestInterleavedLikeBolt: one person's 200 messages, sent to two
// instances in turn, are handled once each and in order, every reply is
// sent once, and the person's record ends as one bbolt instance leaves it.
func TestInterleavedLikeBolt(t *testing.T) {
	dbURL := pgtest.URL(t)
	const number = "+447700900001"
	msgs := script()

	// The reference: one instance on a bbolt file.
	ref := newCluster(t)
	bs, err := bolt.Open(context.Background(), filepath.Join(t.TempDir(), "linkline.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	one := ref.start("bolt", bs)
	var steps [][]string // the replies each message brought
	seen := 0
	for _, m := range msgs {
		one.say(t, ref.fake, number, m)
		waitFor(t, 30e9, "the bbolt outbox to empty", func() bool { return pending(t, bs) == 0 })
		got := ref.fake.MessagesTo(number)
		steps = append(steps, got[seen:])
		seen = len(got)
	}
	want := readFinal(t, bs, number)
	if seen < len(msgs) {
		t.Fatalf("the script brought only %d replies to %d messages: it no longer exercises the flow", seen, len(msgs))
	}
	if len(want.referrals) < 10 {
		t.Fatalf("the script made %d referrals, want at least 10: it no longer completes the flow", len(want.referrals))
	}

	// Two instances on one PostgreSQL database, the messages alternating.
	c := newCluster(t)
	ins := make([]*instance, 2)
	for i, name := range []string{"a", "b"} {
		db, err := postgres.Open(context.Background(), dbURL, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ins[i] = c.start(name, db)
	}
	total := 0
	for i, m := range msgs {
		ins[i%2].say(t, c.fake, number, m)
		total += len(steps[i])
		got := waitTo(t, c.fake, number, total)
		// One turn's replies may leave through either dispatcher, so they
		// are compared as a set; turns are compared in order.
		step := slices.Clone(got[total-len(steps[i]) : total])
		wantStep := slices.Clone(steps[i])
		slices.Sort(step)
		slices.Sort(wantStep)
		if !slices.Equal(step, wantStep) {
			t.Fatalf("message %d %q to instance %s: replies\n%q\nwant (as on bbolt)\n%q", i, m, ins[i%2].name, step, wantStep)
		}
	}
	waitFor(t, 30e9, "the outbox to empty", func() bool { return pending(t, ins[0].store) == 0 })
	if got := c.fake.MessagesTo(number); len(got) != total {
		t.Fatalf("%d replies sent, want %d: some were sent twice", len(got), total)
	}
	if st := c.fake.Stats(); st.Throttled != 0 || st.ServerError != 0 {
		t.Fatalf("fake Twilio answered %+v", st)
	}
	got := readFinal(t, ins[1].store, number)
	if !slices.Equal(got.transcript, want.transcript) {
		for i := range min(len(got.transcript), len(want.transcript)) {
			if got.transcript[i] != want.transcript[i] {
				t.Fatalf("transcripts differ first at line %d:\n got %q\nwant %q", i, got.transcript[i], want.transcript[i])
			}
		}
		t.Fatalf("transcript has %d lines, want %d", len(got.transcript), len(want.transcript))
	}
	if got.conv != want.conv {
		t.Fatalf("conversation\n got %s\nwant %s", got.conv, want.conv)
	}
	if !slices.Equal(got.referrals, want.referrals) {
		t.Fatalf("referrals\n got %q\nwant %q", got.referrals, want.referrals)
	}
}

package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
)

// withDirectory gives the engine a directory: the oruktest fixtures
// (synced from the fake feed) and the fixture postcodes.
func withDirectory(t *testing.T) option {
	return func(cfg *engine.Config) {
		ctx := context.Background()
		feed := oruktest.New("3", oruktest.Services(150), oruktest.Options{})
		defer feed.Close()
		if _, err := (&directory.Importer{Store: cfg.Store}).Sync(ctx, &directory.Client{}, feed.URL, "fixtures"); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join("..", "..", "directory", "testdata", "onspd-sample.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := directory.ImportPostcodes(ctx, cfg.Store, f, directory.PostcodeOptions{}); err != nil {
			t.Fatal(err)
		}
		m := directory.NewMatcher(nil, nil)
		if err := m.Load(ctx, cfg.Store); err != nil {
			t.Fatal(err)
		}
		cfg.Signpost = &directory.Signposter{Matcher: m, Clock: cfg.Clock}
	}
}

// referTo plays a self-referral from postcode with the first need (lonely)
// up to the last answer, and returns the replies to confirming it.
func referTo(w *world, postcode string) []string {
	for _, text := range []string{"hi", "yes", "Sam", "12/03/1958", postcode, "Riverside", "no", "walks", "1", "1", "1"} {
		w.send(person, text)
	}
	return w.send(person, "1")
}

func referral(t *testing.T, w *world) *bot.Referral {
	t.Helper()
	var r *bot.Referral
	_ = w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Referrals(func(x *bot.Referral) bool { r = x; return false })
	})
	if r == nil {
		t.Fatal("no referral")
	}
	return r
}

func offeredIDs(r *bot.Referral) []string {
	var out []string
	for _, o := range r.SupportOffered {
		out = append(out, o.ServiceID)
	}
	return out
}

func TestSignpostAfterReferral(t *testing.T) {
	w := newWorld(t, withDirectory(t))
	got := referTo(w, "la9 4aa")
	if len(got) != 6 || !strings.Contains(got[0], "We have sent your details") || !strings.Contains(got[1], "things near you") ||
		!strings.Contains(got[5], "4 short questions") {
		t.Fatalf("replies to the referral = %q; want done, intro, 3 services, the baseline offer", got)
	}
	for _, s := range got[2:5] {
		if !strings.Contains(s, "Kendal") || !strings.Contains(s, "away") || !strings.Contains(s, "Call 01539") {
			t.Errorf("offer %q: want a Kendal service with its distance and phone", s)
		}
	}
	r := referral(t, w)
	first := offeredIDs(r)
	if len(first) != 3 || r.SupportOffered[0].By != "bot" || len(w.events(bot.EventSignposted)) != 1 {
		t.Fatalf("support offered = %+v, %d events; want 3 by the bot, 1 event", r.SupportOffered, len(w.events(bot.EventSignposted)))
	}

	// MORE: the next three, then the baseline question is still open.
	got = w.send(person, "more")
	if len(got) != 4 || !strings.Contains(got[0], "more things near you") {
		t.Fatalf("MORE = %q", got)
	}
	r = referral(t, w)
	if ids := offeredIDs(r); len(ids) != 6 || strings.Join(ids[:3], ",") != strings.Join(first, ",") ||
		strings.Contains(strings.Join(first, ","), ids[3]) {
		t.Errorf("after MORE, offered %v; want the first three then three others", ids)
	}
	if c := w.conversation(person); c.State != "baseline" {
		t.Errorf("after MORE the conversation is at %s, want baseline", c.State)
	}
	// LOCAL, later: the best three again.
	got = w.send(person, "Local")
	if len(got) != 4 || got[1] != referTextOf(t, w, first[0]) {
		t.Errorf("LOCAL = %q; want the intro and the same best three", got)
	}
	if got := w.send(person, "no"); len(got) != 1 || !strings.Contains(got[0], "take care") {
		t.Errorf("no to the baseline after MORE and LOCAL = %q", got)
	}
}

// referTextOf is the message the directory words for a service from LA9 4AA.
func referTextOf(t *testing.T, w *world, id string) string {
	t.Helper()
	var text string
	_ = w.store.View(context.Background(), func(tx bot.Tx) error {
		o, err := w.cfg.Signpost.Offer(context.Background(), tx, id, "LA9 4AA")
		text = o.Text
		return err
	})
	return text
}

func TestSignpostNeverDuringAHandoff(t *testing.T) {
	w := newWorld(t, withDirectory(t))
	referTo(w, "LA9 4AA")
	w.send(person, "HUMAN")
	for _, word := range []string{"LOCAL", "MORE"} {
		// Held for the link worker: at most the note that the messages
		// are with the team, never services.
		for _, m := range w.send(person, word) {
			if !strings.HasPrefix(m, "Your messages are with the link worker team") {
				t.Errorf("%s while a handoff is open got %q; want the message held for the link worker", word, m)
			}
		}
	}
	if n := len(referral(t, w).SupportOffered); n != 3 {
		t.Errorf("%d services recorded, want only the 3 before the handoff", n)
	}
}

func TestSignpostNothingToOffer(t *testing.T) {
	tests := []struct{ name, postcode string }{
		{"Northern Ireland postcodes have no location", "BT1 1AA"},
		{"a postcode far from every service", "SW1A 1AA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, withDirectory(t))
			got := referTo(w, tt.postcode)
			if len(got) != 2 || !strings.Contains(got[1], "4 short questions") {
				t.Fatalf("replies = %q; want done and the baseline offer, nothing else", got)
			}
			if got := w.send(person, "LOCAL"); len(got) != 1 || !strings.Contains(got[0], "could not find") {
				t.Errorf("LOCAL = %q; want a kind sorry", got)
			}
		})
	}
	// Before any referral, LOCAL is only words (here, an answer the flow
	// cannot read), never an offer.
	w := newWorld(t, withDirectory(t))
	w.send(person, "hi")
	if got := w.send(person, "LOCAL"); len(got) == 0 || strings.Contains(strings.Join(got, " "), "near you") {
		t.Errorf("LOCAL before a referral = %q", got)
	}
}

func TestSendService(t *testing.T) {
	w := newWorld(t, withDirectory(t))
	referTo(w, "LA9 4AA")
	c := w.contact(person)
	ctx := context.Background()
	if err := w.engine.SendService(ctx, c.ID, "u1", "fixtures:s005"); err != nil {
		t.Fatal(err)
	}
	got := w.replies(c.Primary())
	if len(got) != 1 || !strings.Contains(got[0], "Stroud") || !strings.Contains(got[0], "miles away") {
		t.Errorf("sent %q; want the Stroud service with its distance from Kendal", got)
	}
	r := referral(t, w)
	last := r.SupportOffered[len(r.SupportOffered)-1]
	if last.ServiceID != "fixtures:s005" || last.By != "u1" {
		t.Errorf("last support offered = %+v, want s005 by u1", last)
	}
	tr := w.transcript(person)
	if a := tr[len(tr)-1].Author; a != "worker:u1" {
		t.Errorf("transcript author = %q, want worker:u1", a)
	}
	tests := []struct {
		name, contact, service, code string
	}{
		{"no such service", c.ID, "fixtures:nope", bot.ENotFound},
		{"no such person", "c-nope", "fixtures:s005", bot.ENotFound},
	}
	for _, tt := range tests {
		if err := w.engine.SendService(ctx, tt.contact, "u1", tt.service); bot.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want code %s", tt.name, err, tt.code)
		}
	}
	w.send(person, "STOP")
	if err := w.engine.SendService(ctx, c.ID, "u1", "fixtures:s005"); bot.ErrorCode(err) != bot.EConflict {
		t.Errorf("send to an opted-out person: %v, want a conflict", err)
	}
}

package console

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
)

// TestCeremonyKeptPerUser: a passkey ceremony is used once, only by the
// session that began it, only for its kind and only while fresh, and an
// abandoned one is replaced by the next rather than left in the store.
func TestCeremonyKeptPerUser(t *testing.T) {
	ctx := context.Background()
	store, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "l.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	put := func(token string, at time.Time) {
		t.Helper()
		if err := store.Update(ctx, func(tx bot.Tx) error {
			return putCeremony(tx, "u1", token, ceremony{Kind: "login", At: at})
		}); err != nil {
			t.Fatal(err)
		}
	}
	take := func(token, kind string, at time.Time) error {
		return store.Update(ctx, func(tx bot.Tx) error {
			_, err := takeCeremony(tx, "u1", token, kind, at)
			return err
		})
	}
	stored := func() string {
		var v string
		if err := store.View(ctx, func(tx bot.Tx) error {
			var err error
			v, err = tx.Setting(ceremonyKey("login", "u1"))
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}

	put("abandoned-session", now)
	put("session-a", now) // the abandoned one is replaced, not kept beside it
	if err := take("abandoned-session", "login", now); !errors.Is(err, errNoCeremony) {
		t.Fatalf("the replaced ceremony's session took it: %v", err)
	}
	// A refused take changes nothing (its transaction rolls back): another
	// session cannot use up the ceremony of the one that began it, and at
	// most one row per user and kind is ever kept.
	if v := stored(); v == "" {
		t.Fatal("a refused take removed the ceremony of the session that began it")
	}

	if err := take("session-a", "register", now); !errors.Is(err, errNoCeremony) {
		t.Fatalf("a login ceremony was taken as a registration: %v", err)
	}
	if err := take("session-a", "login", now.Add(ceremonyTTL+time.Second)); !errors.Is(err, errNoCeremony) {
		t.Fatalf("a stale ceremony was taken: %v", err)
	}
	if err := take("session-a", "login", now.Add(time.Minute)); err != nil {
		t.Fatalf("the session that began it could not take it: %v", err)
	}
	if err := take("session-a", "login", now.Add(time.Minute)); !errors.Is(err, errNoCeremony) {
		t.Fatalf("a ceremony was taken twice: %v", err)
	}
	if v := stored(); v != "" {
		t.Fatalf("a used ceremony is still stored: %q", v)
	}
}

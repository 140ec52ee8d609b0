package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func testEnrolmentsAndSettings(t *testing.T, s bot.Store) {
	e := &bot.Enrolment{Token: "tok1", ContactID: "c1", CreatedAt: t0, Expires: t0.Add(14 * 24 * time.Hour)}
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutEnrolment(e); err != nil {
			return err
		}
		return tx.PutSetting("telegram:1", "42")
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Enrolment("tok1")
		if err != nil {
			return err
		}
		if *got != *e {
			t.Errorf("enrolment = %+v, want %+v", got, e)
		}
		_, err = tx.Enrolment("nope")
		wantNotFound(t, "unknown enrolment", err)
		_, err = tx.Enrolment("")
		wantNotFound(t, "empty token", err)
		v, err := tx.Setting("telegram:1")
		if err != nil || v != "42" {
			t.Errorf("setting = %q, %v", v, err)
		}
		_, err = tx.Setting("other")
		wantNotFound(t, "unknown setting", err)
		if err := tx.PutSetting("x", "y"); err == nil {
			t.Error("PutSetting in a View succeeded")
		}
		return nil
	})
	// Replacing: the token is used.
	update(t, s, func(tx bot.Tx) error {
		e.UsedAt, e.UsedBy = t0.Add(time.Hour), bot.Address{Channel: bot.Telegram, ID: "99"}
		if err := tx.PutEnrolment(e); err != nil {
			return err
		}
		return tx.PutSetting("telegram:1", "43")
	})
	view(t, s, func(tx bot.Tx) error {
		got, _ := tx.Enrolment("tok1")
		if got.UsedBy.ID != "99" || !got.UsedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("used enrolment = %+v", got)
		}
		if v, _ := tx.Setting("telegram:1"); v != "43" {
			t.Errorf("setting after replace = %q", v)
		}
		return nil
	})
	// An empty value removes the setting.
	update(t, s, func(tx bot.Tx) error { return tx.PutSetting("telegram:1", "") })
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Setting("telegram:1")
		wantNotFound(t, "removed setting", err)
		return nil
	})
}

// testTakeToken: a bucket starts full, refills at its rate, and buckets
// full again are forgotten (the store keeps only those in use).
func testTakeToken(t *testing.T, s bot.Store) {
	take := func(key string, at time.Time) bool {
		t.Helper()
		var ok bool
		update(t, s, func(tx bot.Tx) error {
			var err error
			ok, err = tx.TakeToken(key, 2, time.Minute, at)
			return err
		})
		return ok
	}
	steps := []struct {
		name string
		key  string
		at   time.Duration
		want bool
	}{
		{"full: first", "a", 0, true},
		{"full: second", "a", 0, true},
		{"empty", "a", 0, false},
		{"another key has its own", "b", 0, true},
		{"half refilled", "a", 30 * time.Second, false},
		{"one refilled", "a", 61 * time.Second, true},
		{"empty again", "a", 62 * time.Second, false},
		{"full again after burst×every", "a", 10 * time.Minute, true},
	}
	for _, st := range steps {
		if got := take(st.key, t0.Add(st.at)); got != st.want {
			t.Errorf("%s: TakeToken(%s) = %v, want %v", st.name, st.key, got, st.want)
		}
	}
	view(t, s, func(tx bot.Tx) error {
		if _, err := tx.TakeToken("a", 2, time.Minute, t0); err == nil {
			t.Error("TakeToken in a View succeeded")
		}
		return nil
	})
	// Many keys used once and left to refill are forgotten as new ones
	// are taken: the count stays bounded (checked through behaviour: a
	// forgotten bucket starts full, as a refilled one would).
	for i := range 100 {
		take(fmt.Sprint("k", i), t0.Add(time.Hour))
	}
	var got []bool
	for range 3 {
		got = append(got, take("k0", t0.Add(2*time.Hour)))
	}
	if !slices.Equal(got, []bool{true, true, false}) {
		t.Errorf("a bucket full again gave %v, want a full one's [true true false]", got)
	}
}

package storetest

import (
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

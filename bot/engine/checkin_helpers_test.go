package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

func replaceOnce(t *testing.T, s, from, to string) string {
	t.Helper()
	if strings.Count(s, from) != 1 {
		t.Fatalf("%q appears %d times, want once", from, strings.Count(s, from))
	}
	return strings.Replace(s, from, to, 1)
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// newContact stores a contact at addr, as a link worker's enrolment would.
func (w *world) newContact(addr, name string) *bot.Contact {
	w.t.Helper()
	a, err := bot.ParseAddress(addr)
	if err != nil {
		w.t.Fatal(err)
	}
	c := &bot.Contact{Addresses: []bot.Address{a}, Name: name, Locale: "en", CreatedAt: w.clock.Now()}
	if err := w.store.Update(context.Background(), func(tx bot.Tx) error { return tx.PutContact(c) }); err != nil {
		w.t.Fatal(err)
	}
	return c
}

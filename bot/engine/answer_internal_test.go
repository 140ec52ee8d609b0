package engine

import (
	"testing"

	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// TestEveryExpectHasARetry: each answer kind a state may expect has the
// re-ask its unreadable answer is sent. Session 41's trials found "hello?"
// at the name question lost: retry.name was missing, the render failed and
// the turn with it.
func TestEveryExpectHasARetry(t *testing.T) {
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 0, 10
	for _, e := range flows.Expects() {
		st := &flows.State{Expect: e, Min: &lo, Max: &hi}
		for _, perr := range []error{flows.ErrUnreadable, flows.ErrImpossibleDate, flows.ErrFutureDate, flows.ErrQuestion} {
			key, _ := retryKey(st, perr)
			if !cat.Has("en", key) {
				t.Errorf("expect %q, %v: re-ask %q is not in the templates", e, perr, key)
			}
		}
	}
}

func TestCorrectionOf(t *testing.T) {
	for _, tt := range []struct {
		in, rest string
		ok       bool
	}{
		{"sorry M14 5RF", "M14 5RF", true},
		{"Sorry, it's M14 5RF", "M14 5RF", true},
		{"oops i meant 5/6/1963", "5/6/1963", true},
		{"*M14 5RF", "M14 5RF", true},
		{"it's the surgery on Hyde Road", "", false},
		{"sorry", "", false},
		{"Sorrel Lane Surgery", "", false},
		{"SORRY İSTANBUL 12/03/1958", "İSTANBUL 12/03/1958", true},
		{"Sorry my postcode is M14 5RF", "M14 5RF", true},
		{"oops wrong postcode, its M14 5RF", "M14 5RF", true},
		{"sorry that should be M14 5RF", "M14 5RF", true},
		{"sorry, it's the 5th of June 1962", "5th of June 1962", true},
	} {
		rest, ok := correctionOf(tt.in)
		if ok != tt.ok || ok && rest != tt.rest {
			t.Errorf("correctionOf(%q) = %q, %v; want %q, %v", tt.in, rest, ok, tt.rest, tt.ok)
		}
	}
}

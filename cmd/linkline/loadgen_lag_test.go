package main

import (
	"testing"
	"time"
)

// A reply is counted against the message sent before it, even when it
// reached the fake Twilio before that message's answer reached loadgen;
// it used to be counted against the message before that, a whole turn
// of the script earlier.
func TestReplyLag(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 23, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// Two messages: sent at 0 and 10,000 ms, answered 50 ms after each.
	s := &sender{posted: []time.Time{at(0), at(10000)}, answered: []time.Time{at(50), at(10050)}}
	for _, tc := range []struct {
		name  string
		reply int
		want  time.Duration
		ok    bool
	}{
		{"before any message", -5, 0, false},
		{"after the first answer", 70, 20 * time.Millisecond, true},
		{"before the second answer reached loadgen", 10030, 0, true},
		{"after the second answer", 10150, 100 * time.Millisecond, true},
	} {
		got, ok := s.lag(at(tc.reply))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: lag %v %v, want %v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

package bot_test

import (
	"testing"

	"github.com/linkline/linkline/bot"
)

// TestButtonData: a button carries its question when it fits, and reads
// back to the same value and question; otherwise the value alone.
func TestButtonData(t *testing.T) {
	cases := []struct {
		name, value, question string
		max                   int
		want, wantQ           string
	}{
		{"fits", "yes", "self-referral/consent", 64, "yes|self-referral/consent", "self-referral/consent"},
		{"exactly at the limit", "yes", "self-referral/consent", 25, "yes|self-referral/consent", "self-referral/consent"},
		{"one byte over", "yes", "self-referral/consent", 24, "yes", ""},
		{"no question", "yes", "", 64, "yes", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bot.ButtonData(c.value, c.question, c.max)
			if got != c.want {
				t.Fatalf("ButtonData = %q, want %q", got, c.want)
			}
			if v, q := bot.ParseButtonData(got); v != c.value || q != c.wantQ {
				t.Fatalf("ParseButtonData(%q) = %q, %q; want %q, %q", got, v, q, c.value, c.wantQ)
			}
		})
	}
	if got := bot.ButtonData("a|b", "q/s", 64); got != "a|b" {
		t.Fatalf("a value holding the mark carried %q, want it alone", got)
	}
}

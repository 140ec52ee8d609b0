package bot_test

import (
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
)

func TestHours(t *testing.T) {
	h, err := bot.ParseHours("Mon-Thu 09:00-17:00, Fri 09:00-16:30", "Europe/London", []string{"2026-12-25", "2026-12-28"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at       string
		open     bool
		next     string
		describe string
	}{
		{"2026-11-27 10:00", true, "2026-11-27 10:00", "today at 10am"},      // Friday morning
		{"2026-11-27 16:45", false, "2026-11-30 09:00", "on Monday at 9am"},  // Friday after 16:30
		{"2026-11-28 02:00", false, "2026-11-30 09:00", "on Monday at 9am"},  // Saturday 2am
		{"2026-11-30 08:59", false, "2026-11-30 09:00", "today at 9am"},      // Monday early
		{"2026-11-30 17:00", false, "2026-12-01 09:00", "tomorrow at 9am"},   // Monday close
		{"2026-12-24 18:00", false, "2026-12-29 09:00", "on Tuesday at 9am"}, // Christmas and the bank holiday Monday
		{"2026-03-29 12:00", false, "2026-03-30 09:00", "tomorrow at 9am"},   // the clocks go forward (Sunday)
		{"2026-03-30 09:30", true, "2026-03-30 09:30", "today at 9:30am"},    // BST Monday
	}
	for _, c := range cases {
		at := bottest.London(t, c.at)
		if got := h.Open(at); got != c.open {
			t.Errorf("Open(%s) = %v", c.at, got)
		}
		next := h.NextOpen(at)
		if !next.Equal(bottest.London(t, c.next)) {
			t.Errorf("NextOpen(%s) = %s, want %s", c.at, next, c.next)
		}
		if got := h.Describe(at, next); got != c.describe {
			t.Errorf("Describe(%s) = %q, want %q", c.at, got, c.describe)
		}
	}
	// Four working hours from Friday 15:00 (close 16:30) is Monday 11:30.
	if got := h.AddWorking(bottest.London(t, "2026-11-27 15:00"), 4*time.Hour); !got.Equal(bottest.London(t, "2026-11-30 11:30")) {
		t.Errorf("AddWorking = %s", got)
	}
	for _, bad := range []string{"Mon-Fri", "Funday 09:00-17:00", "Mon-Fri 17:00-09:00", "Mon 9-5"} {
		if _, err := bot.ParseHours(bad, "Europe/London", nil); err == nil {
			t.Errorf("ParseHours(%q) succeeded", bad)
		}
	}
	if _, err := bot.ParseHours("Mon-Fri 09:00-17:00", "Mars/Olympus", nil); err == nil {
		t.Error("unknown zone accepted")
	}
}

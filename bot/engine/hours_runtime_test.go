package engine_test

import (
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
)

// An admin's change of service hours or of the hours text people are told
// applies to the next message, without a restart.
func TestSetHoursChangesWordingAtOnce(t *testing.T) {
	w := newWorld(t, withNotifier(&alerts{}))
	w.clock.Set(bottest.London(t, "2026-11-27 10:00")) // a Friday morning
	if got := w.engine.Hours().Spec; got != "Mon-Fri 09:00-17:00" {
		t.Fatalf("default spec = %q", got)
	}
	sat, err := bot.ParseHours("Sat 09:00-13:00", "Europe/London", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.engine.SetHours(sat)
	if w.engine.Hours() != sat {
		t.Fatal("Hours does not return what SetHours set")
	}
	w.send(person, "hi")
	got := w.send(person, "HUMAN")
	if len(got) != 1 || !strings.Contains(got[0], "next in tomorrow at 9am") || strings.Contains(got[0], "working today") {
		t.Fatalf("reply after SetHours = %q", got)
	}

	s := w.engine.Service()
	s.Hours = "Saturday mornings"
	w.engine.SetService(s)
	got = w.send("sms:+447700900999", "i want to kill myself")
	if !strings.Contains(strings.Join(got, "\n"), "the team works Saturday mornings") {
		t.Fatalf("risk replies after SetService = %q", got)
	}
}

package engine_test

import (
	"strings"
	"testing"
)

// A person who asks to answer later, at a referral question, is told the
// question waits; neither that nor "right im back" counts as not
// understood, and the answer given afterwards carries the referral on
// (session 46's persona trial ran out of tries and was handed to the team).
func TestLaterAtAReferralQuestion(t *testing.T) {
	w := atName(t)
	w.send(person, "Paul Evans")
	for _, text := range []string{"im at work can i finish this later", "cant talk now, on my break", "can we do this another time later"} {
		got := w.send(person, text)
		if len(got) != 1 || !strings.Contains(got[0], "Reply when you are ready") {
			t.Fatalf("replies to %q = %q, want the question to wait", text, got)
		}
	}
	got := w.send(person, "sorry for the wait, I’m back")
	if len(got) != 1 || !strings.Contains(got[0], "date of birth") {
		t.Fatalf("replies to a return = %q, want the date of birth question again", got)
	}
	if c := w.conversation(person); c.Invalid != 0 || c.NeedsHuman {
		t.Errorf("conversation = invalid %d, needs human %v; want neither counted", c.Invalid, c.NeedsHuman)
	}
	if got := w.send(person, "17/04/1959"); len(got) == 0 || !strings.Contains(strings.ToLower(strings.Join(got, " ")), "postcode") {
		t.Errorf("replies to the date = %q, want the postcode question", got)
	}
}

// Only a return said on its own is one: "im back at the bridge" and a
// hard time told are read for what they say, and count as not understood
// when the flow cannot read them (session 46's second review).
func TestLaterAndBackAreOnlyThemselves(t *testing.T) {
	for _, text := range []string{"im back at the bridge", "here now, by the river", "going through a really bad time at the moment", "im driving myself mad with worry"} {
		w := atName(t)
		w.send(person, "Paul Evans")
		got := w.send(person, text)
		for _, r := range got {
			if strings.Contains(r, "Reply when you are ready") || strings.HasPrefix(r, "What is your date of birth?") {
				t.Errorf("replies to %q = %q, want it read for what it says", text, got)
			}
		}
		if c := w.conversation(person); c.Invalid == 0 && !c.NeedsHuman && c.State == "dob" && w.contact(person).SafetyAsked.IsZero() {
			t.Errorf("%q: nothing counted, asked or passed on", text)
		}
	}
}

package templates

import "testing"

func TestSyllables(t *testing.T) {
	for _, c := range []struct {
		word string
		want int
	}{
		{"the", 1}, {"time", 1}, {"table", 2}, {"asked", 1}, {"wanted", 2}, {"changed", 1},
		{"message", 2}, {"messages", 3}, {"conversation", 4}, {"monitored", 3}, {"999", 1},
		{"you're", 1}, {"Samaritans", 4}, {"practice", 2}, {"HUMAN", 2}, {"lives", 1}, {"boxes", 2},
	} {
		if got := syllables(c.word); got != c.want {
			t.Errorf("syllables(%q) = %d, want %d", c.word, got, c.want)
		}
	}
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		text                  string
		words, sentences, syl int
		grade                 float64
	}{
		{"", 0, 0, 0, 0},
		{"The cat sat on the mat.", 6, 1, 6, -1.4},
		{"Reply YES or NO. Call 999, e.g. now!", 8, 2, 9, -0.8},
		// One long sentence of long words is hard to read.
		{"Unfortunately, communication difficulties necessitated organisational reconsideration.", 6, 1, 32, 49.7},
	} {
		r := Read(c.text)
		if r.Words != c.words || r.Sentences != c.sentences || r.Syllables != c.syl || r.Grade != c.grade {
			t.Errorf("Read(%q) = %+v, want %d words, %d sentences, %d syllables, grade %.1f",
				c.text, r, c.words, c.sentences, c.syl, c.grade)
		}
	}
}

func TestSMSPunctuation(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"O\u2019Brien said \u201chi\u201d", `O'Brien said "hi"`},
		{"Mon\u2013Fri 9\u00a0am\u20145\u202fpm\u2026", "Mon-Fri 9 am-5 pm..."},
		{"zero\u200bwidth\ufeff", "zerowidth"},
		// Welsh letters are letters: the message stays UCS-2, as it must.
		{"Croeso i\u2019r gwasanaeth, ŵ ŷ â", "Croeso i'r gwasanaeth, ŵ ŷ â"},
		// Emoji are left alone.
		{"Thanks \u2014 \U0001F600", "Thanks - \U0001F600"},
		{"plain GSM-7 text: £5 €2", "plain GSM-7 text: £5 €2"},
	} {
		got := SMSPunctuation(c.in)
		if got != c.want {
			t.Errorf("SMSPunctuation(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// The cost the mapping saves, and what it must not save.
	for _, c := range []struct {
		in       string
		segments int
		ucs2     bool
	}{
		{"Mrs O\u2019Brien is on the waiting list for the walking group at the leisure centre on Tuesdays \u2013 the next session starts at 10am and the group meets at the front desk.", 2, false},
		{"Diolch. Bydd gweithiwr cyswllt yn cysylltu \u00e2 chi cyn gynted \u00e2 phosibl.", 1, true},
		{"See you soon \U0001F44B", 1, true},
	} {
		n, ucs2 := Segments(SMSPunctuation(c.in))
		if n != c.segments || ucs2 != c.ucs2 {
			t.Errorf("Segments(SMSPunctuation(%q)) = %d, %v; want %d, %v", c.in, n, ucs2, c.segments, c.ucs2)
		}
	}
}

package risk

import (
	"slices"
	"testing"
)

func TestJoinedWords(t *testing.T) {
	rs := mustDefault(t).sets[0]
	for _, tt := range []struct {
		typed string
		want  []string // nil: left as typed
	}{
		{"iwanttodie", []string{"i", "wanttodie"}}, // then read by the table as "want to die"
		{"imgonnakillmyself", []string{"im", "gonna", "killmyself"}},
		{"ijustwanttodisappear", []string{"i", "just", "wantto", "disappear"}}, // "wantto" is normalised to "want to"
		{"ihatemyself", []string{"i", "hate", "myself"}},
		{"iwanttoendit", []string{"i", "wantto", "endit"}}, // each normalised: "want to", "end it"
		{"imgonnadoitthistime", []string{"im", "gonna", "do", "it", "this", "time"}},
		{"tokillmyself", []string{"to", "killmyself"}}, // "killmyself" is text-speak with a person in it
		{"wannadieforpizza", nil},                      // a handle: no person in it
		{"cantstopwontstop", nil},
		{"bloodstock", nil}, // a name: no person in it
		{"kilburn", nil},
		{"parkinsons", nil},
		{"sueside", nil},                        // the spelling tolerance reads it ("suicide")
		{"hopeless", nil},                       // a word already
		{"iam", nil},                            // too short to split
		{"i2die", nil},                          // not letters only
		{"iwanttodieiwanttodieiwanttodie", nil}, // over 26 letters: not tried
		{"idontwanttobealiveanymore", []string{"i", "dont", "wantto", "be", "alive", "anymore"}}, // 25 letters, 7 words
		{"xqzvbnmlkj", nil}, // no split at all
	} {
		if got := rs.joined(tt.typed, false); !slices.Equal(got, tt.want) {
			t.Errorf("joined(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// TestSplitJoined checks that a message with no joined word is passed on
// as it is, and one with a joined word keeps the words around it.
func TestSplitJoined(t *testing.T) {
	rs := mustDefault(t).sets[0]
	plain := []word{{text: "i", idx: 0}, {text: "am", idx: 1}, {text: "fine", idx: 2}}
	if got, ok := rs.splitJoined(nil, plain); ok || len(got) != len(plain) || &got[0] != &plain[0] {
		t.Errorf("splitJoined(plain) = %v, %v; want the words themselves", got, ok)
	}
	ws := []word{{text: "honestly", idx: 0}, {text: "imgonnakillmyself", idx: 1, brk: 1}, {text: "tonight", idx: 2}}
	got, ok := rs.splitJoined(nil, ws)
	var texts []string
	for _, w := range got {
		texts = append(texts, w.text)
	}
	if want := []string{"honestly", "im", "gonna", "killmyself", "tonight"}; !ok || !slices.Equal(texts, want) {
		t.Fatalf("splitJoined = %q, %v; want %q", texts, ok, want)
	}
	if got[1].idx != -1 || got[1].brk != 1 || got[2].brk != 0 || got[4].idx != 2 {
		t.Errorf("pieces %+v: want idx -1, the break on the first piece only, the next word as typed", got[1:])
	}
}

// TestJoinedAfterAPerson checks that a joined word with no person in it is
// split right after a word that is one ("im gonnadie"), and not otherwise.
func TestJoinedAfterAPerson(t *testing.T) {
	rs := mustDefault(t).sets[0]
	for _, tt := range []struct {
		before, typed string
		want          []string
	}{
		{"im", "gonnadie", []string{"im", "gonna", "die"}},
		{"i", "wannadie", []string{"i", "wanna", "die"}},
		{"i’m", "gonnadie", []string{"i’m", "gonna", "die"}},
		{"pizza", "wannadieforpizza", []string{"pizza", "wannadieforpizza"}},
		{"hes", "beeting", []string{"hes", "beeting"}}, // a slip, not "bee ting"
	} {
		ws := []word{{text: tt.before, idx: 0}, {text: tt.typed, idx: 1}}
		got, _ := rs.splitJoined(nil, ws)
		var texts []string
		for _, w := range got {
			texts = append(texts, w.text)
		}
		if !slices.Equal(texts, tt.want) {
			t.Errorf("splitJoined(%q %q) = %q, want %q", tt.before, tt.typed, texts, tt.want)
		}
	}
}

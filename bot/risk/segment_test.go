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
		{"ijustwanttodisappear", []string{"i", "just", "want", "to", "disappear"}},
		{"ihatemyself", []string{"i", "hate", "myself"}},
		{"bloodstock", nil}, // a name: no person in it
		{"kilburn", nil},
		{"parkinsons", nil},
		{"sueside", nil},    // the spelling tolerance reads it ("suicide")
		{"hopeless", nil},   // a word already
		{"iam", nil},        // too short to split
		{"i2die", nil},      // not letters only
		{"xqzvbnmlkj", nil}, // no split at all
	} {
		if got := rs.joined(tt.typed); !slices.Equal(got, tt.want) {
			t.Errorf("joined(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

package risk

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelIsUpToDate retrains the model from the development sets and
// compares it with the one built in: training is deterministic, and a
// change to the rules' concepts (which the model's features use) must be
// followed by `linkline safety train` (see docs/safety.md).
func TestModelIsUpToDate(t *testing.T) {
	s, err := New("en")
	if err != nil {
		t.Fatal(err)
	}
	var files []io.Reader
	for _, glob := range []string{"testdata/dev*/*.tsv"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, bytes.NewReader(b))
		}
	}
	var got bytes.Buffer
	if _, err := TrainModel(s, files, &got); err != nil {
		t.Fatal(err)
	}
	want, err := embedded.ReadFile("rules/en-model.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("rules/en-model.txt is not what the development sets train: run\n" +
			"  go run ./cmd/linkline safety train --out bot/risk/rules/en-model.txt bot/risk/testdata/dev*/*.tsv")
	}
}

func TestModelFinding(t *testing.T) {
	s := mustDefault(t)
	text := "I keep thinking I've outstayed my welcome on this earth"
	r := s.Check(text, nil).Risk
	if r.Tier != Concern || r.Rule != "model/en" || r.Category != Possible || !strings.HasPrefix(r.Words, "model: ") {
		t.Fatalf("Check(%q) = %+v, want a concern from the model naming its features", text, r)
	}
	// Short answers are never read by the model, nor requests for a person.
	for _, text := range []string{"no", "yes please", "not really", "can I talk to someone please"} {
		if r := s.Check(text, nil).Risk; r.Rule == "model/en" {
			t.Errorf("Check(%q) = %+v from the model", text, r)
		}
	}
}

func TestReadModel(t *testing.T) {
	m, err := readModel(strings.NewReader("# c\nbias -1\nthreshold 0.9\nw:tired 2.5\nc:hopeless 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.score([]string{"w:tired", "c:hopeless"}); got < 0.9 {
		t.Errorf("score = %v, want >= 0.9", got)
	}
	if got := m.explain([]string{"w:the", "c:hopeless", "w:tired"}, 2); got != "model: tired, {hopeless}" {
		t.Errorf("explain = %q", got)
	}
	for _, bad := range []string{"", "bias 1\nthreshold 0.9\n", "threshold 2\nw:a 1\n", "threshold 0.5\nw:a NaN\n", "threshold 0.5\nw:a\n"} {
		if _, err := readModel(strings.NewReader(bad)); err == nil {
			t.Errorf("readModel(%q) = nil error", bad)
		}
	}
}

package risk

import (
	"os"
	"strings"
	"testing"
)

func mustNew(t testing.TB) *Screen {
	t.Helper()
	s, err := New("en")
	if err != nil {
		t.Fatalf("New(en): %v", err)
	}
	return s
}

func evaluateFile(t *testing.T, path string) Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Evaluate(mustNew(t), f)
	if err != nil {
		t.Fatalf("Evaluate(%s): %v", path, err)
	}
	return rep
}

// TestEvaluationFile is the gate a rules change must pass: every risk line
// in testdata/en.tsv caught, and at most 5% of alerts false.
func TestEvaluationFile(t *testing.T) {
	rep := evaluateFile(t, "testdata/en.tsv")
	if n := rep.TP + rep.FP + rep.FN + rep.TN; n < 300 {
		t.Errorf("en.tsv has %d cases, want at least 300", n)
	}
	if rep.Recall() != 1 || rep.Precision() < 0.95 {
		t.Errorf("want recall 100%% and precision >= 95%%, got:\n%s", rep)
	}
	t.Logf("testdata/en.tsv:\n%s", rep)
}

// TestHeldOutFile only checks the held-out file evaluates; its figures are
// reported in docs/safety.md, and the rules are not tuned on it.
func TestHeldOutFile(t *testing.T) {
	rep := evaluateFile(t, "testdata/en-heldout.tsv")
	if rep.TP+rep.FN == 0 || rep.FP+rep.TN == 0 {
		t.Errorf("held-out file should have both risk and ok lines: %+v", rep)
	}
	t.Logf("testdata/en-heldout.tsv:\n%s", rep)
}

func TestEvaluateCounts(t *testing.T) {
	in := strings.Join([]string{
		"# comment",
		"",
		"risk\ti want to die",              // TP
		"risk\tthe weather is nice",        // FN
		"ok\tcan i get help with my bills", // TN
		"ok\ti want to kill myself",        // FP
		"risk\tive got all my tablets here\tgoing to take them all", // TP via context
	}, "\n")
	rep, err := Evaluate(mustNew(t), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if rep.TP != 2 || rep.FN != 1 || rep.TN != 1 || rep.FP != 1 {
		t.Fatalf("counts = TP %d FN %d TN %d FP %d, want 2 1 1 1", rep.TP, rep.FN, rep.TN, rep.FP)
	}
	if rep.Precision() != 2.0/3 || rep.Recall() != 2.0/3 {
		t.Errorf("precision %v recall %v, want 2/3 each", rep.Precision(), rep.Recall())
	}
	if len(rep.Misses) != 1 || rep.Misses[0].Line != 4 {
		t.Errorf("misses = %+v, want line 4", rep.Misses)
	}
	if len(rep.FalseAlarms) != 1 || rep.FalseAlarms[0].Rule != "suicide/kill-myself" {
		t.Errorf("false alarms = %+v, want one from suicide/kill-myself", rep.FalseAlarms)
	}
	out := rep.String()
	for _, want := range []string{"recall:", "precision:", "line 4: the weather is nice", "suicide/kill-myself", "66.7%"} {
		if !strings.Contains(out, want) {
			t.Errorf("String() lacks %q:\n%s", want, out)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	for _, in := range []string{"maybe\thello", "risk hello with no tab", "ok\tfine\nbad\tline"} {
		if _, err := Evaluate(mustNew(t), strings.NewReader(in)); err == nil {
			t.Errorf("Evaluate(%q) = nil error, want one", in)
		}
	}
}

func TestReportEmpty(t *testing.T) {
	var r Report
	if r.Precision() != 1 || r.Recall() != 1 {
		t.Errorf("empty report precision %v recall %v, want 1 and 1", r.Precision(), r.Recall())
	}
}

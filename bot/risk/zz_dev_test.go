package risk

import (
	"os"
	"strings"
	"testing"
)

func TestDevScratch(t *testing.T) {
	files := os.Getenv("DEVEVAL")
	if files == "" {
		return
	}
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Split(files, ",") {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(s, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile("/tmp/r/report-"+strings.ReplaceAll(p, "/", "_")+".txt", []byte(rep.String()), 0o644)
		t.Logf("%s: TP %d FN %d FP %d TN %d recall %.3f FA %.3f req %d/%d", p, rep.TP, rep.FN, rep.FP, rep.TN, rep.Recall(), rep.FalseAlarmRate(), len(rep.Requests), len(rep.Requests)+len(rep.RequestMisses))
	}
}

package flowtest_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/flows/flowtest"
)

func env(t *testing.T) flowtest.Env {
	t.Helper()
	cfg := bottest.Config(t, nil)
	return flowtest.Env{Flows: cfg.Flows, Templates: cfg.Templates, Screen: cfg.Screen, CrisisText: cfg.CrisisText,
		Service: cfg.Service, Dir: t.TempDir()}
}

// TestBuiltinScripts runs every built-in flow's scripted conversations.
func TestBuiltinScripts(t *testing.T) {
	e := env(t)
	names, err := fs.Glob(flows.Builtin(), "tests/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no built-in scripts: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(flows.Builtin(), name)
		if err != nil {
			t.Fatal(err)
		}
		scripts, err := flowtest.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range scripts {
			t.Run(s.Name, func(t *testing.T) {
				fails, err := flowtest.Run(context.Background(), e, s)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fails {
					t.Error(f)
				}
			})
		}
	}
}

func TestFailingStepsAreReported(t *testing.T) {
	script := `
- name: wrong expectations
  steps:
    - person: hi
    - bot: this is not what it says
    - bot: Is that OK?
    - bot: there is nothing more
    - nothing: true
`
	scripts, err := flowtest.Parse("x.yaml", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	fails, err := flowtest.Run(context.Background(), env(t), scripts[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(fails) != 2 || fails[0].Step != 2 || fails[1].Step != 4 ||
		!strings.Contains(fails[0].Msg, "but it said") || !strings.Contains(fails[1].Msg, "said nothing more") {
		t.Fatalf("failures = %v", fails)
	}
}

func TestParseRejectsBadScripts(t *testing.T) {
	for _, bad := range []string{
		"- steps: [{person: hi, bot: hi}]",
		"- steps: [{}]",
		"- steps: [{wait: soon}]",
		"- steps: [{say: hi}]",
		"name: not a list",
	} {
		if _, err := flowtest.Parse("x.yaml", []byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/linkline/linkline/"

// runners are the packages beside bot that each do one job; none of them
// may reach into another's, except that the engine registers its timer
// kinds with bot/timer and everyone may count into bot/metrics.
var runners = []string{"bot/engine", "bot/outbox", "bot/timer", "bot/privacy", "bot/auth"}

func except(list []string, keep ...string) []string {
	var out []string
	for _, p := range list {
		if !strings.Contains(" "+strings.Join(keep, " ")+" ", " "+p+" ") {
			out = append(out, p)
		}
	}
	return out
}

// TestImportRules checks which way imports point (README, "Packages"):
// bot is the domain and imports none of its neighbours; each runner under
// bot does one job and imports no other runner, channel, store or the
// console; channels never import a store, stores never import a channel,
// and the console never imports a store. It reads the real import graph
// with `go list -deps`, so a new import that breaks a rule fails here.
func TestImportRules(t *testing.T) {
	outside := []string{"channels", "store", "console", "cmd", "directory"}
	rules := []struct {
		pkg    string
		forbid []string
	}{
		{"bot", append([]string{"bot/metrics", "bot/risk"}, append(runners, outside...)...)},
		{"bot/engine", append(except(runners, "bot/engine", "bot/timer"), outside...)},
		{"bot/outbox", append(except(runners, "bot/outbox"), outside...)},
		{"bot/timer", append(append(except(runners, "bot/timer"), "bot/metrics"), outside...)},
		{"bot/privacy", append(except(runners, "bot/privacy"), outside...)},
		{"bot/auth", append(except(runners, "bot/auth"), outside...)},
		{"bot/metrics", append(runners, outside...)},
		{"bot/risk", append(runners, outside...)},
		{"flows", append([]string{"bot"}, outside...)},
		{"templates", append([]string{"bot", "flows"}, outside...)},
		{"channels/twilio", append(runners, "store", "console", "channels/telegram", "channels/sim", "cmd")},
		{"channels/telegram", append(runners, "store", "console", "channels/twilio", "channels/sim", "cmd")},
		{"channels/sim", append(runners, "store", "console", "channels/twilio", "channels/telegram", "cmd")},
		{"store/bolt", append(runners, "channels", "console", "cmd")},
		{"store/postgres", append(runners, "channels", "console", "cmd")},
		{"console", []string{"store", "channels", "cmd", "bot/outbox"}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+r.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", r.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			dep, ok := strings.CutPrefix(dep, module)
			if !ok || dep == r.pkg {
				continue
			}
			for _, f := range r.forbid {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s imports %s (directly or through another package); the rules forbid %s", r.pkg, dep, f)
				}
			}
		}
	}
}

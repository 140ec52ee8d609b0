package console_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is where test.sh installs axe-core (the npm package, MPL-2.0).
var axePath = filepath.Join("testdata", "axe", "axe.min.js")

// axeViolation is one rule axe-core found broken on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page open in
// ctx and fails the test for every violation, naming the elements.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (%v): run test.sh, which installs it (npm pack axe-core)", err)
	}
	// DevTools evaluation is not subject to the page's Content-Security-Policy.
	if !get(t, ctx, "load axe-core", chromedp.Evaluate[bool](string(src)+";true")) {
		t.Fatal("axe-core did not load")
	}
	out := get(t, ctx, "run axe-core on "+page, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag',
		values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))`, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe-core on %s: %v (%s)", page, err, out)
	}
	for _, v := range vs {
		t.Errorf("%s: accessibility: %s (%s, %s) at %v", page, v.Help, v.ID, v.Impact, v.Nodes)
	}
}

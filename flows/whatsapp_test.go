package flows_test

import (
	"strings"
	"testing"

	"github.com/linkline/linkline/flows"
)

func TestWhatsAppStyle(t *testing.T) {
	n := func(k int) string { return strings.Repeat("é", k) } // counted in characters, not bytes
	labels := func(count, width int) []string {
		out := make([]string, count)
		for i := range out {
			out[i] = n(width)
		}
		return out
	}
	cases := []struct {
		name   string
		text   string
		labels []string
		want   flows.ChoiceStyle
	}{
		{"yes or no", "Can we help?", []string{"Yes", "No"}, flows.StyleButtons},
		{"three buttons of 20", "Pick one", labels(3, 20), flows.StyleButtons},
		{"four choices: a list", "Pick one", labels(4, 10), flows.StyleList},
		{"a label of 21: a list", "Pick one", labels(2, 21), flows.StyleList},
		{"ten items of 24", "Pick one", labels(10, 24), flows.StyleList},
		{"eleven items: typed", "Pick one", labels(11, 5), flows.StyleTyped},
		{"an item of 25: typed", "Pick one", labels(5, 25), flows.StyleTyped},
		{"question of 255 characters", n(255), labels(2, 3), flows.StyleButtons},
		{"question of 256 characters: typed", n(256), labels(2, 3), flows.StyleTyped},
		{"an empty label: typed", "Pick one", []string{"Yes", ""}, flows.StyleTyped},
		{"no choices", "Hello", nil, flows.StyleTyped},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, why := flows.WhatsAppStyle(c.text, c.labels)
			if got != c.want {
				t.Fatalf("style %q (%s), want %q", got, why, c.want)
			}
			if (got == flows.StyleButtons) != (why == "") {
				t.Fatalf("reason %q for style %q: want a reason exactly when not buttons", why, got)
			}
		})
	}
}

package bot_test

import (
	"testing"

	"github.com/linkline/linkline/bot"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Sam Jones", "Sam Jones"},
		{"=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"},
		{"+447700900123", "'+447700900123"}, // a number a spreadsheet would mangle, kept as text
		{"-1.50", "-1.50"},                  // a plain number stays a number
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"2026-06-01", "2026-06-01"},
	} {
		if got := bot.SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

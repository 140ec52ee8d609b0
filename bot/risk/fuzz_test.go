package risk

import (
	"strings"
	"testing"
)

// FuzzScreen checks the screen never panics and is deterministic, whatever
// the input: invalid UTF-8, emoji, very long messages.
func FuzzScreen(f *testing.F) {
	for _, seed := range []string{
		"", "i want to die", "kms", "\xff\xfe\xfd", "od'd", "’’’", "😭😭😭 wanna die 😭",
		strings.Repeat("a", 10000), strings.Repeat("die ", 2500), strings.Repeat("want to ... ", 900),
		"{count} {pills}", "100000000000000000000 paracetamol", "my self my self my self",
		"i\u0000want\u200bto\u00a0die", "İSTANBUL ǅ ß ﬁ", "\t\n\r",
	} {
		f.Add(seed, "ive got all my tablets here")
	}
	s := mustNew(f)
	f.Fuzz(func(t *testing.T, text, earlier string) {
		r1, ok1 := s.Screen(text, []string{earlier})
		r2, ok2 := s.Screen(text, []string{earlier})
		if r1 != r2 || ok1 != ok2 {
			t.Fatalf("Screen(%q) not deterministic: %v %v / %v %v", text, r1, ok1, r2, ok2)
		}
		if ok1 && (r1.Category == "" || r1.Rule == "") {
			t.Fatalf("Screen(%q) fired with empty category or rule: %+v", text, r1)
		}
		if !ok1 && r1.Category != "" {
			t.Fatalf("Screen(%q) did not fire but returned %+v", text, r1)
		}
	})
}

func TestLongInputs(t *testing.T) {
	s := mustNew(t)
	long := strings.Repeat("lovely weather today ", 500) // 10,500 characters
	if _, ok := s.Screen(long, []string{long, long, long, long}); ok {
		t.Error("long ordinary message fired")
	}
	if _, ok := s.Screen(long+" i want to die", nil); !ok {
		t.Error("risk at the end of a long message was missed")
	}
}

var sink bool

func BenchmarkScreen(b *testing.B) {
	s := mustNew(b)
	recent := []string{"hi is this the link worker", "my mum has dementia and I'm her carer", "can I get help with my gas bill"}
	b.Run("no-context", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, sink = s.Screen("my feet are killing me but can you tell me when the walking group meets on thursday", nil)
		}
	})
	for _, msg := range []struct{ name, text string }{
		{"ordinary", "my feet are killing me but can you tell me when the walking group meets on thursday"},
		{"risk", "honestly i dont wanna be here anymore"},
		{"long", strings.Repeat("lovely weather today ", 80)},
	} {
		b.Run(msg.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, sink = s.Screen(msg.text, recent)
			}
		})
	}
}

package risk

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzCheck checks the screen never panics and is deterministic whatever
// the input (invalid UTF-8, emoji, huge messages, Welsh), and that every
// finding names a tier, rule and locale.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"", "i want to die", "kms", "\xff\xfe\xfd", "od'd", "’’’", "😭😭😭 wanna die 😭", "🔪🩸⚰️🪢",
		strings.Repeat("a", 10000), strings.Repeat("die ", 2500), strings.Repeat("want to ... ", 900),
		"{count} {pills}", "100000000000000000000 paracetamol", "my self my self my self",
		"i\u0000want\u200bto\u00a0die", "İSTANBUL ǅ ß ﬁ", "\t\n\r", "mae o'n fy nharo i", "dwi'n'n'n'r",
		"noose nose nooooose", "l o l", "'s's's",
	} {
		f.Add(seed, "ive got all my tablets here")
	}
	s := mustDefault(f)
	f.Fuzz(func(t *testing.T, text, earlier string) {
		r1 := s.Check(text, []string{earlier})
		r2 := s.Check(text, []string{earlier})
		if r1 != r2 {
			t.Fatalf("Check(%q) not deterministic: %+v / %+v", text, r1, r2)
		}
		for _, f := range []Finding{r1.Risk, r1.Request, r1.Distress} {
			if f.Found() && (f.Rule == "" || f.Category == "" || f.Locale == "") {
				t.Fatalf("Check(%q) finding without rule, category or locale: %+v", text, f)
			}
			if !utf8.ValidString(f.Words) && utf8.ValidString(text) && utf8.ValidString(earlier) {
				t.Fatalf("Check(%q) quoted invalid UTF-8 %q", text, f.Words)
			}
		}
	})
}

// FuzzNormalise checks normalisation keeps its promises on any input: each
// token points at a span of the message, in order, and no token is empty.
func FuzzNormalise(f *testing.F) {
	for _, seed := range []string{"i can't do this anymore", "kmsss 💊💊 lol", "mae'n fy nharo i", "\xff'", "x's 's", "don't'nt"} {
		f.Add(seed)
	}
	s := mustDefault(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, rs := range s.sets {
			prev := 0
			for _, tk := range rs.normalise(text).toks {
				if tk.nw == 0 || int(tk.start) < prev || tk.start >= tk.end || int(tk.end) > len(text) {
					t.Fatalf("%s: normalise(%q) token %+v out of order or bounds", rs.locale, text, tk)
				}
				prev = int(tk.start)
			}
		}
	})
}

func TestLongInputs(t *testing.T) {
	s := mustDefault(t)
	long := strings.Repeat("lovely weather today ", 500) // 10,500 characters
	if r := s.Check(long, []string{long, long, long, long}); r.Risk.Found() {
		t.Errorf("long ordinary message fired %+v", r.Risk)
	}
	if r := s.Check(long+". i want to die", nil); r.Risk.Tier != Urgent {
		t.Error("risk at the end of a long message was missed")
	}
	if r := s.Check(long+". i want to die", nil); len(r.Risk.Words) > maxWords {
		t.Errorf("quoted %d bytes, want at most %d", len(r.Risk.Words), maxWords)
	}
}

var sink Result

// BenchmarkCheck measures screening one message with three earlier
// messages as context; docs/benchmarks.md records the figures. The target
// is under 50µs for a 160-character message.
func BenchmarkCheck(b *testing.B) {
	s := mustDefault(b)
	recent := []string{"hi is this the link worker", "my mum has dementia and I'm her carer", "can I get help with my gas bill"}
	for _, msg := range []struct{ name, text string }{
		{"ordinary-160", "my feet are killing me but can you tell me when the walking group meets on thursday and whether the bus from the square still stops at the library please x"},
		{"risk-160", "honestly i dont wanna be here anymore, ive been saving up my tablets and ive written letters for the kids, im so tired of everything and i cant do this no more"},
		{"welsh-160", "Dw i wedi blino'n lân heddiw ar ôl gofalu am Mam drwy'r nos, ydy'r grŵp gofalwyr dal ymlaen nos Fercher? Diolch yn fawr am eich help efo'r ffurflen"},
		// short messages, which the request model reads too (it skips
		// longer ones); the second is a request only the model finds
		{"short-50", "my tea is going cold and the dog wants a walk now"},
		{"request-60", "is there anyone i could speak to about the forms this week"},
		{"long", strings.Repeat("lovely weather today ", 80)},
		// One unbroken word: the speller's deletions grow with a word's
		// length squared, and a 300-letter word took 22 seconds before
		// maxFixLen (session 46).
		{"one-word-300", strings.Repeat("abcdefghij", 30)},
	} {
		b.Run(msg.name, func(b *testing.B) {
			b.ReportAllocs()
			// Each message differs from the last (as real ones do), so its
			// words are read afresh; the recent ones are the same each time,
			// as they are for a person's next message.
			texts := make([]string, 4096)
			for i := range texts {
				texts[i] = msg.text + " " + strconv.Itoa(i)
			}
			took := timeChecks(b, s, texts, recent)
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1000, "p99-µs")
		})
	}
}

// BenchmarkCheckCorpus screens, in turn, every message of 120 to 200
// characters in the development sets (one message a line, about 3,600 of
// them: risk, ordinary and Welsh as people wrote them), so its p99 is
// over what people send rather than over one message repeated.
func BenchmarkCheckCorpus(b *testing.B) {
	s := mustDefault(b)
	files, err := filepath.Glob("testdata/dev*/*.tsv")
	if err != nil || len(files) == 0 {
		b.Fatalf("no development sets: %v", err)
	}
	var texts []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			fields := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
			if len(fields) == 2 && len(fields[1]) >= 120 && len(fields[1]) <= 200 {
				texts = append(texts, fields[1])
			}
		}
	}
	recent := []string{"hi is this the link worker", "my mum has dementia and I'm her carer", "can I get help with my gas bill"}
	b.ReportAllocs()
	took := timeChecks(b, s, texts, recent)
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1000, "p99-µs")
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1000, "p50-µs")
	b.ReportMetric(float64(len(texts)), "messages")
}

// timeChecks screens texts in turn, each with recent before it, for as
// long as b runs, and returns how long each check took, shortest first.
func timeChecks(b *testing.B, s *Screen, texts, recent []string) []time.Duration {
	var took []time.Duration
	i := 0
	for b.Loop() {
		text := texts[i%len(texts)]
		i++
		start := time.Now()
		sink = s.Check(text, recent)
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	return took
}

// FuzzTokenise checks each word is its span of the message lower-cased,
// apostrophes written as ' and trailing ones cut, however many words need
// lower-casing (they share one string).
func FuzzTokenise(f *testing.F) {
	for _, seed := range []string{
		"", "Dw i wedi blino'n lân heddiw, MAM’s ÔL", "İSTANBUL ǅ ß ﬁ", "I'M OK'' x’’ Y`", "\xffAB\xfeCd",
		strings.Repeat("Ŵyn ", 200), "a-B c—D", "😭Ab😭cD", "Ma'r dyn 'NA", "É\x89'nA", "''na ’na",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range tokenise(text) {
			want := strings.Map(func(r rune) rune {
				if isApostrophe(r) {
					return '\''
				}
				return unicode.ToLower(r)
			}, text[w.start:w.end])
			if want = strings.TrimRight(want, "'"); w.text != want || want == "" {
				t.Fatalf("tokenise(%q): word %q at [%d, %d), want %q", text, w.text, w.start, w.end, want)
			}
		}
	})
}

// TestASCIIWordRunes checks tokeniseInto's shortcut for ASCII: the only
// ASCII runes that are part of a word are letters and digits, as the
// Unicode tests it uses for other runes would say.
func TestASCIIWordRunes(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		ascii := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		for _, inWord := range []bool{false, true} {
			if got := isWordRune(r, inWord); got != ascii {
				t.Errorf("isWordRune(%q, %v) = %v, want %v", r, inWord, got, ascii)
			}
		}
	}
}

// FuzzSingleSpaced checks the shortcut quote takes: a string singleSpaced
// accepts is what strings.Fields and a join with spaces make of it.
func FuzzSingleSpaced(f *testing.F) {
	for _, seed := range []string{"", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u2003b", "i want to die", "x\x85y", "\v"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if singleSpaced(s) && strings.Join(strings.Fields(s), " ") != s {
			t.Fatalf("singleSpaced(%q), but Fields gives %q", s, strings.Fields(s))
		}
	})
}

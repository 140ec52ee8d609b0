package risk

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestRadicalIDs checks the Welsh radicals are looked up without building
// them exactly as welshRadicals lists them: the same ids, in the same
// order, for every word of the Welsh rules and some that are not.
func TestRadicalIDs(t *testing.T) {
	cy, err := New("cy")
	if err != nil {
		t.Fatal(err)
	}
	rs := cy.sets[0]
	words := []string{"", "a", "h", "ha", "hen", "nharo", "nghyllell", "mhen", "ngwely", "fy", "lladd", "ladd", "rhaff", "wneud", "iaith", "hiaith", "chyllell", "phen", "thad", "dd", "ddim", "ffrind"}
	for w := range rs.wordIDs {
		words = append(words, w, "n"+w, "m"+w, "h"+w, "ng"+w, "f"+w, "dd"+w, "l"+w, "r"+w)
		for _, m := range welshMutations {
			if rest, ok := strings.CutPrefix(w, m.radical); ok {
				words = append(words, m.mutated+rest, m.mutated+rest[min(1, len(rest)):])
			}
		}
		if len(w) > 1 {
			words = append(words, w[1:], w[2:], "g"+w)
		}
	}
	checked := 0
	for _, w := range words {
		var want []int32
		for _, r := range welshRadicals(w) {
			if id := rs.idOf(r); id != noWord {
				want = append(want, id)
			}
		}
		if got := rs.radicalIDs(w, nil); !slices.Equal(got, want) {
			t.Fatalf("radicalIDs(%q) = %v, want %v (welshRadicals %v)", w, got, want, welshRadicals(w))
		}
		// A message's word finds them with its id, worked out when the
		// rules were loaded.
		inf := rs.lookup(w)
		if got := (&token{alt: inf.alt, nalt: inf.nalt}).alts(rs.alts); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("radicals of lookup(%q) = %v, want %v (welshRadicals %v)", w, got, want, welshRadicals(w))
		}
		if len(want) > 0 {
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d words had a radical the rules use; the test reads too little", checked)
	}
}

// TestReuseDoesNotChangeFindings screens every development line with its
// context on one screen in file order and on a fresh one in reverse order:
// the buffers reused from call to call (the joined message, word and hash
// slices) and the caches must leave no trace in what is found.
func TestReuseDoesNotChangeFindings(t *testing.T) {
	type call struct {
		text   string
		recent []string
	}
	var calls []call
	paths, _ := filepath.Glob("testdata/dev/*.tsv")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			fields := strings.Split(strings.TrimRight(line, "\r"), "\t")
			if len(fields) < 2 || strings.HasPrefix(line, "#") {
				continue
			}
			msgs := fields[1:]
			calls = append(calls, call{msgs[len(msgs)-1], msgs[:len(msgs)-1]})
			if len(calls) > 1 {
				// The line before as context too, so across and the
				// context rules run on every line.
				calls = append(calls, call{msgs[len(msgs)-1], []string{calls[len(calls)-2].text}})
			}
		}
	}
	if len(calls) < 500 {
		t.Fatalf("read %d lines, want the development sets", len(calls))
	}
	screen := func() *Screen { return newScreen(t) }
	a, b := screen(), screen()
	first := make([]Result, len(calls))
	for i, c := range calls {
		first[i] = a.Check(c.text, c.recent)
	}
	found := 0
	for i := len(calls) - 1; i >= 0; i-- {
		c := calls[i]
		if got := b.Check(c.text, c.recent); got != first[i] {
			t.Fatalf("Check(%q, %q): %+v in file order, %+v in reverse", c.text, c.recent, first[i], got)
		}
		if first[i].Risk.Found() && strings.Contains(first[i].Risk.Rule, AcrossMessages) {
			found++
		}
	}
	if found == 0 {
		t.Error("no finding across messages: the test does not reach the reused join")
	}
}

// TestConcurrentChecks screens the same lines from several goroutines at
// once, sharing cached messages (and the model sums and presence sets
// made once on them) and the pooled buffers: every result must be what
// one goroutine alone found. Run with -race, it also checks the sharing is
// safe.
func TestConcurrentChecks(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/dev/across.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]string
	for _, line := range strings.Split(string(b), "\n") {
		if fields := strings.Split(strings.TrimRight(line, "\r"), "\t"); len(fields) > 2 && !strings.HasPrefix(line, "#") {
			lines = append(lines, fields[1:])
		}
	}
	if len(lines) < 20 {
		t.Fatalf("read %d lines with earlier messages, want more", len(lines))
	}
	want := make([]Result, len(lines))
	for i, msgs := range lines {
		want[i] = s.Check(msgs[len(msgs)-1], msgs[:len(msgs)-1])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range lines {
				i := (k + g*7) % len(lines) // each goroutine in its own order
				msgs := lines[i]
				if got := s.Check(msgs[len(msgs)-1], msgs[:len(msgs)-1]); got != want[i] {
					errs <- fmt.Sprintf("Check(%q): %+v concurrently, %+v alone", msgs, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestIsForm: a multi-word entry's later words match a typed word as
// typed, without apostrophes, or with a run of three or more letters cut
// to two or one, and nothing else.
func TestIsForm(t *testing.T) {
	tests := []struct {
		typed, key string
		want       bool
	}{
		{"mum", "mum", true},
		{"mum's", "mums", true},
		{"kmsss", "kms", true},
		{"sooooo", "soo", true},
		{"sooooo", "so", true},
		{"can't", "cant", true},
		{"can't", "can't", true},
		{"ca'nttt", "cantt", true},
		{"ca'nttt", "cant", true},
		{"ca'nttt", "ca'nt", false},
		{"so", "soo", false},
		{"nose", "noose", false}, // a real word is never stretched
		{"mum", "mam", false},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := isForm(tt.typed, tt.key); got != tt.want {
			t.Errorf("isForm(%q, %q) = %v, want %v", tt.typed, tt.key, got, tt.want)
		}
		// The spellings a table lookup makes once per word must agree.
		var f spellings
		f.of(tt.typed)
		if got := f.has(tt.key); got != tt.want {
			t.Errorf("spellings of %q: has(%q) = %v, want %v", tt.typed, tt.key, got, tt.want)
		}
	}
}

// TestBothKnown checks the one lookup a combined screen makes for a message
// both its rules files read: for every word of either file (and words of
// neither), each file's share is what the file's own lookup gives; and for
// a Welsh message, each word as tokenised gets its own lookup's answer, a
// word split off a short form none, and a message too long for the table
// none.
func TestBothKnown(t *testing.T) {
	s := mustDefault(t)
	en, cy := s.sets[0], s.sets[1]
	words := []string{"", "zzqx", "blino'n", "dwi'n", "123", "🔪", "nghyllell"}
	for _, rs := range s.sets {
		for w := range rs.info {
			words = append(words, w)
		}
	}
	for _, w := range words {
		got, ok := s.both[w]
		if !ok {
			got = [2]wordInfo{{id: noWord}, {id: noWord}}
		}
		if got[0] != en.lookup(w) || got[1] != cy.lookup(w) {
			t.Fatalf("both[%q] = %+v, want %+v and %+v", w, got, en.lookup(w), cy.lookup(w))
		}
	}
	text := "Dw i wedi blino'n lân heddiw, ydy'r grŵp gofalwyr dal ymlaen? i want to die 🔪 20"
	lw := lazyWords{text: text, both: borrowBoth(en, cy, s.both)}
	defer lw.release()
	for _, rs := range s.sets {
		known := lw.known(rs)
		if len(known) != len(lw.words()) {
			t.Fatalf("%s: %d known for %d words", rs.locale, len(known), len(lw.words()))
		}
		for i, w := range lw.words() {
			if w.idx != int32(i) || known[i] != rs.lookup(w.text) {
				t.Errorf("%s: word %d %q: idx %d, known %+v, want %+v", rs.locale, i, w.text, w.idx, known[i], rs.lookup(w.text))
			}
		}
	}
	for _, w := range splitWelshClitics(lw.words()) {
		if split := strings.Contains(text[w.start:w.end], "'"); split != (w.idx < 0) {
			t.Errorf("split word %q (typed %q): idx %d", w.text, text[w.start:w.end], w.idx)
		}
	}
	long := lazyWords{text: strings.Repeat("dw i wedi blino ", maxBothWords/4+1), both: borrowBoth(en, cy, s.both)}
	defer long.release()
	if known := long.known(cy); known != nil {
		t.Errorf("%d words: %d known, want none (each file looks up its own)", len(long.words()), len(known))
	}
	if known := (&lazyWords{text: text}).known(en); known != nil {
		t.Errorf("known without a combined screen's table: %d, want none", len(known))
	}
}

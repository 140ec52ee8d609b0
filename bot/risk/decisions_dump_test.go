//go:build riskdump

package risk

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// The tools in this file are for work on the screen's speed, and are
// built only with -tags riskdump (see docs/benchmarks.md).

// TestDumpDecisions writes, for every line of testdata/*/*.tsv (with its
// earlier messages, as written and spelt in several other ways, with the
// English rules alone, with the lines before it as context and joined to
// the next line), every finding of the screen: tier, category, rule,
// words and locale, and the rule that nearly fired. A change meant only
// for speed must leave the file byte for byte the same:
//
//	RISK_DUMP=/tmp/before.txt go test -tags riskdump -timeout 2h -run TestDumpDecisions -count=1 ./bot/risk
//	(change the code)
//	RISK_DUMP=/tmp/after.txt go test -tags riskdump -timeout 2h -run TestDumpDecisions -count=1 ./bot/risk
//	cmp /tmp/before.txt /tmp/after.txt
func TestDumpDecisions(t *testing.T) {
	if os.Getenv("RISK_DUMP") == "" {
		t.Fatal("set RISK_DUMP to the file to write")
	}
	dst, err := os.Create(os.Getenv("RISK_DUMP"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	out := bufio.NewWriter(dst)
	defer out.Flush()
	s := mustDefault(t)
	en, err := New("en")
	if err != nil {
		t.Fatal(err)
	}
	// RISK_DUMP_SETS narrows the files for a quicker look (a glob such
	// as testdata/dev23*/*.tsv); the whole dump takes about half an hour.
	glob := cmp.Or(os.Getenv("RISK_DUMP_SETS"), "testdata/*/*.tsv")
	paths, _ := filepath.Glob(glob)
	var all []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(b), "\n") {
			line = strings.TrimRight(line, "\r")
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Split(line, "\t")
			if len(fields) < 2 {
				continue
			}
			msgs := fields[1:]
			all = append(all, msgs[len(msgs)-1])
			fmt.Fprintf(out, "== %s:%d\n", p, n+1)
			for i := range msgs {
				fmt.Fprintf(out, " m%d %s\n", i, show(s.Check(msgs[i], msgs[:i])))
			}
			text := msgs[len(msgs)-1]
			for vi, v := range variants(text) {
				fmt.Fprintf(out, " v%d %s\n", vi, show(s.Check(v, msgs[:len(msgs)-1])))
			}
			fmt.Fprintf(out, " en %s\n", show(en.Check(text, msgs[:len(msgs)-1])))
			fmt.Fprintf(out, " near %s\n", s.near(text))
		}
	}
	// Every line with the two lines before it (from any file) as context,
	// and joined with the next one as one message.
	for i, text := range all {
		var recent []string
		for k := max(0, i-2); k < i; k++ {
			recent = append(recent, all[k])
		}
		fmt.Fprintf(out, "== ctx %d\n c %s\n", i, show(s.Check(text, recent)))
		if i+1 < len(all) {
			fmt.Fprintf(out, " j %s\n", show(s.Check(text+" "+all[i+1], nil)))
		}
	}
}

func show(r Result) string {
	f := func(x Finding) string {
		if !x.Found() {
			return "-"
		}
		return fmt.Sprintf("%s|%s|%s|%q|%s", x.Tier, x.Category, x.Rule, x.Words, x.Locale)
	}
	return "R[" + f(r.Risk) + "] D[" + f(r.Distress) + "] Q[" + f(r.Request) + "]"
}

// variants are spellings of text that exercise normalisation: capitals,
// letters swapped, dropped and stretched in longer words, and apostrophes
// dropped.
func variants(text string) []string {
	edit := func(fn func(w string) string) string {
		ws := strings.Fields(text)
		for i, w := range ws {
			if len(w) >= 5 && i%2 == 0 {
				ws[i] = fn(w)
			}
		}
		return strings.Join(ws, " ")
	}
	return []string{
		strings.ToUpper(text),
		edit(func(w string) string { return w[:1] + w[2:3] + w[1:2] + w[3:] }),
		edit(func(w string) string { return w[:2] + w[3:] }),
		edit(func(w string) string { return w[:3] + strings.Repeat(w[2:3], 3) + w[3:] }),
		edit(func(w string) string { return w + w[len(w)-1:] }),
		strings.NewReplacer("'", "", "’", "").Replace(text),
	}
}

// TestCPUPerCheck prints the thread CPU time per Check for
// BenchmarkCheck's 160-character messages (three earlier messages of
// context, each message new): on a shared machine this moves far less than
// the wall time the benchmark reports. It then times each call both ways,
// wall clock and this thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), and
// prints the 50th and 99th percentiles of each: a wall-clock tail far
// above the CPU tail is time the thread was not running (other processes
// on the machine, the scheduler), not work the screen did. It asserts
// nothing.
//
//	go test -tags riskdump -run TestCPUPerCheck -v -count=1 ./bot/risk
func TestCPUPerCheck(t *testing.T) {
	s := mustDefault(t)
	recent := []string{"hi is this the link worker", "my mum has dementia and I'm her carer", "can I get help with my gas bill"}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	threadCPU := func() time.Duration {
		var ts syscall.Timespec
		if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3 /* CLOCK_THREAD_CPUTIME_ID */, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
			t.Fatal(e)
		}
		return time.Duration(ts.Nano())
	}
	pct := func(d []time.Duration, p int) float64 {
		slices.Sort(d)
		return float64(d[len(d)*p/100].Nanoseconds()) / 1000
	}
	for _, msg := range []struct{ name, text string }{
		{"ordinary-160", "my feet are killing me but can you tell me when the walking group meets on thursday and whether the bus from the square still stops at the library please x"},
		{"risk-160", "honestly i dont wanna be here anymore, ive been saving up my tablets and ive written letters for the kids, im so tired of everything and i cant do this no more"},
		{"welsh-160", "Dw i wedi blino'n lân heddiw ar ôl gofalu am Mam drwy'r nos, ydy'r grŵp gofalwyr dal ymlaen nos Fercher? Diolch yn fawr am eich help efo'r ffurflen"},
	} {
		texts := make([]string, 4096)
		for i := range texts {
			texts[i] = msg.text + " " + strconv.Itoa(i)
		}
		for i := range 2000 {
			sink = s.Check(texts[i%len(texts)], recent)
		}
		const n = 40000
		c0 := cpu()
		for i := range n {
			sink = s.Check(texts[i%len(texts)], recent)
		}
		perOp := float64(cpu()-c0) / n / 1000
		wall, onCPU := make([]time.Duration, n), make([]time.Duration, n)
		for i := range n {
			w0, c0 := time.Now(), threadCPU()
			sink = s.Check(texts[i%len(texts)], recent)
			onCPU[i], wall[i] = threadCPU()-c0, time.Since(w0)
		}
		fmt.Printf("%-14s %6.1f µs CPU/op   per call: wall p50 %5.1f p99 %6.1f µs, thread CPU p50 %5.1f p99 %6.1f µs\n",
			msg.name, perOp, pct(wall, 50), pct(wall, 99), pct(onCPU, 50), pct(onCPU, 99))
	}
}

// TestExplainConcepts prints, for each line of $LINKLINE_EXPLAIN (one
// message a line), what the screen found (risk, distress, request,
// noted), each rule's pattern that matched (as written in the rules
// file), then each word with its sentence, clause and the concepts that
// start at it: what the rules' guards see. It asserts nothing.
//
//	LINKLINE_EXPLAIN=/tmp/lines.txt go test -tags riskdump -run TestExplainConcepts -v ./bot/risk
func TestExplainConcepts(t *testing.T) {
	f := os.Getenv("LINKLINE_EXPLAIN")
	if f == "" {
		t.Skip("set LINKLINE_EXPLAIN")
	}
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	s := mustDefault(t)
	en := s.sets[0]
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		p := en.prepare(line)
		fmt.Printf("== %s\n   %+v\n", line, s.Check(line, nil))
		s.check(line, nil, func(rs *ruleset, h hit, _ string, _ []token) {
			if h.pattern != nil {
				fmt.Printf("   hit %s %s: %q\n", h.tier, h.rule.id, h.pattern.text)
			}
		})
		for i := range p.toks {
			var cs []string
			for _, mk := range p.marks.of(i) {
				if mk.concept >= 0 && mk.concept < len(en.lex.names) {
					cs = append(cs, en.lex.names[mk.concept])
				}
			}
			fmt.Printf("   s%d c%d %-14s %s\n", p.sent[i], p.clause[i], p.word(i), strings.Join(cs, " "))
		}
	}
}

// TestAblateRules scores the development sets with each English rule named
// in $LINKLINE_ABLATE taken out in turn (the model and the Welsh rules
// kept), and prints what each rule alone earns: the risk lines that would
// be missed without it and the ordinary lines (two-message ones left
// out) it flags that nothing else would. $LINKLINE_ABLATE_SETS names the
// sets (development ones only). The shipped model was trained on those
// sets, so it catches more of their risk than it would of new wording:
// "risk lost" is a floor, and a rule taken out also turns its urgent
// findings into the model's concerns, which this does not count. It
// asserts nothing.
//
//	LINKLINE_ABLATE="suicide/risk-symbol medical/emergency" LINKLINE_ABLATE_SETS="dev100 dev101" \
//	  go test -tags riskdump -run TestAblateRules -v -count=1 ./bot/risk
func TestAblateRules(t *testing.T) {
	ids, sets := strings.Fields(os.Getenv("LINKLINE_ABLATE")), strings.Fields(os.Getenv("LINKLINE_ABLATE_SETS"))
	if len(ids) == 0 || len(sets) == 0 {
		t.Skip("set LINKLINE_ABLATE and LINKLINE_ABLATE_SETS")
	}
	var cases []labelled
	for _, set := range sets {
		if !strings.HasPrefix(set, "dev") {
			t.Fatalf("%s: development sets only", set)
		}
		for _, kind := range []string{"everyday", "hard"} {
			cases = append(cases, readCasesFile(t, filepath.Join("testdata", set, kind+".tsv"))...)
		}
	}
	src, err := embedded.ReadFile("rules/en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := mustDefault(t)
	was := make([]bool, len(cases))
	for i, c := range cases {
		was[i] = flagged(base, c)
	}
	cy, err := New("cy")
	if err != nil {
		t.Fatal(err)
	}
	en := base.sets[0]
	for _, id := range ids {
		lines := strings.SplitAfter(string(src), "\n")
		start := slices.Index(lines, "  - id: "+id+"\n")
		if start < 0 {
			t.Fatalf("no rule %s", id)
		}
		end := start + 1
		for end < len(lines) && strings.HasPrefix(lines[end], "    ") {
			end++
		}
		s, err := Load(strings.NewReader(strings.Join(slices.Delete(slices.Clone(lines), start, end), "")))
		if err != nil {
			t.Fatalf("without %s: %v", id, err)
		}
		rs := s.sets[0]
		rs.model, rs.modelRule, rs.requestModel, rs.requestRule = en.model, en.modelRule, en.requestModel, en.requestRule
		s = Combine(s, cy)
		var lost, saved, gained int
		for i, c := range cases {
			now := flagged(s, c)
			switch {
			case now && !was[i]:
				gained++ // the rule's unless list or place hid another rule
			case !now && was[i] && c.risk:
				lost++
				if os.Getenv("LINKLINE_ABLATE_LINES") != "" {
					fmt.Printf("  %s lost: %q / %q\n", id, c.recent, c.text)
				}
			case !now && was[i] && c.class != "across":
				saved++
				if os.Getenv("LINKLINE_ABLATE_LINES") != "" {
					fmt.Printf("  %s saved: %q / %q\n", id, c.recent, c.text)
				}
			}
		}
		fmt.Printf("%-40s risk lost %4d  ordinary saved %4d  flagged only without it %d\n", id, lost, saved, gained)
	}
}

// TestModelScores prints, for every line of the files in
// $LINKLINE_SCORES, its label, what the screen found (tier and rule) and
// the model's score of the message alone: for choosing a threshold. It
// asserts nothing.
//
//	LINKLINE_SCORES="/tmp/a.tsv /tmp/b.tsv" go test -tags riskdump -run TestModelScores -v -count=1 ./bot/risk
func TestModelScores(t *testing.T) {
	files := strings.Fields(os.Getenv("LINKLINE_SCORES"))
	if len(files) == 0 {
		t.Skip("set LINKLINE_SCORES")
	}
	s := mustDefault(t)
	m := s.sets[0].model
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			fields := strings.Split(line, "\t")
			if len(fields) < 2 {
				continue
			}
			text, recent := fields[len(fields)-1], fields[1:len(fields)-1]
			r := s.Check(text, recent).Risk
			ss, _ := s.modelSlots(m, text, nil, nil)
			fmt.Printf("%s\t%s\t%s\t%.3f\t%s\n", fields[0], r.Tier, r.Rule, m.scoreSlots(ss), text)
		}
	}
}

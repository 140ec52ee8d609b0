package risk

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestModelExperiment measures the second signal under the protocol of
// docs/safety.md ("The second signal"): trained on the development sets
// only, it scores the whole screen (rules and model) on the held-out sets
// 7-9, with and without the model, and the model alone; with LORO=1 it
// also leaves each development round out of training in turn and scores
// it. It is slow and prints figures rather than checking them, so it runs
// only when asked:
//
//	LINKLINE_MODEL_EXPERIMENT=default go test ./bot/risk -run TestModelExperiment -v
//	LINKLINE_MODEL_EXPERIMENT='grams=0 l2=0.003' go test ./bot/risk -run TestModelExperiment -v
//	LINKLINE_MODEL_EXPERIMENT='avg=0 bits=17 l2=0.02' go test ./bot/risk -run TestModelExperiment -v   # session 28's settings
//
// LINKLINE_MODEL_SETS names other sets to score instead ("dev52 dev53":
// development sets not yet tuned on, so fresh to the rules and the model
// alike); they are left out of training. A blind set (held-out 13 on) is
// refused. LINKLINE_MODEL_THRESHOLDS="0.65 0.7" scores them at each
// threshold as well as the configured one, from one training.
// LINKLINE_MODEL_VETO="0.1 0.3" also scores the screen with a rule's
// finding dropped when the model scores its message below each value (a
// concern only, then every tier), listing the risk lines each drop loses
// (and with LINKLINE_MODEL_VETO_OK=1 the ordinary lines it saves): how
// docs/safety.md chose what the model may set aside.
// LINKLINE_MODEL_LINES=1 lists every line the screen gets wrong (a risk
// line missed, an ordinary one flagged), for comparing two settings.
func TestModelExperiment(t *testing.T) {
	spec := os.Getenv("LINKLINE_MODEL_EXPERIMENT")
	if spec == "" {
		t.Skip("set LINKLINE_MODEL_EXPERIMENT to run (see the comment)")
	}
	cfg, err := parseTrainConfig(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("config %+v", cfg)
	s, err := rulesOnly()
	if err != nil {
		t.Fatal(err)
	}
	sets := []string{"heldout7", "heldout8", "heldout9"}
	if v := os.Getenv("LINKLINE_MODEL_SETS"); v != "" {
		sets = strings.Fields(v)
	}
	var train []string
	dirs, _ := filepath.Glob("testdata/dev*")
	for _, d := range dirs {
		if !slices.Contains(sets, filepath.Base(d)) {
			train = append(train, d+"/*.tsv")
		}
	}
	cases, err := readCases(trainFiles(t, train))
	if err != nil {
		t.Fatal(err)
	}
	m, sum, err := trainOn(s, cases, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %d risk, %d ok: %d weights", sum.Risk, sum.OK, sum.Features)
	thresholds := append([]float64{m.threshold}, envFloats(t, "LINKLINE_MODEL_THRESHOLDS")...)
	// LINKLINE_MODEL_CY="0.7 0.8" scores Welsh messages at each of these
	// thresholds instead, the English one kept as configured.
	cy := append([]float64{m.thresholdCy}, envFloats(t, "LINKLINE_MODEL_CY")...)
	if len(cy) > 1 {
		for range cy[1:] {
			thresholds = append(thresholds, m.threshold)
		}
	}
	for k, th := range thresholds {
		m.threshold = th
		if len(cy) > 1 {
			m.thresholdCy = cy[min(k, len(cy)-1)]
			t.Logf("threshold-cy %.2f", m.thresholdCy)
		}
		var tot [2]expTally
		for _, set := range sets {
			if n, err := strconv.Atoi(strings.TrimPrefix(set, "heldout")); err == nil && n >= 13 {
				t.Fatalf("%s is a blind set: it is scored only with safety eval, totals only", set)
			}
			for i, kind := range []string{"everyday", "hard"} {
				x := expFile(t, s, m, filepath.Join("testdata", set, kind+".tsv"))
				t.Logf("threshold %.2f %-9s %-8s %s", th, set, kind, x)
				tot[i].add(x)
			}
		}
		t.Logf("threshold %.2f %-9s %-8s %s", th, "all", "everyday", tot[0])
		t.Logf("threshold %.2f %-9s %-8s %s", th, "all", "hard", tot[1])
		var answers, flaggedAnswers int
		for _, set := range sets {
			answers, flaggedAnswers = answerAlarms(t, s, m, filepath.Join("testdata", set, "human.tsv"), answers, flaggedAnswers)
		}
		t.Logf("threshold %.2f answers taken for risk: %d of %d (%.1f%%)", th, flaggedAnswers, answers, pct(flaggedAnswers, answers))
	}
	for _, f := range strings.Fields(os.Getenv("LINKLINE_MODEL_VETO")) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatal(err)
		}
		m.threshold = thresholds[0]
		for _, tiers := range []string{"concern", "all"} {
			var tot [2]vetoTally
			for _, set := range sets {
				for i, kind := range []string{"everyday", "hard"} {
					tot[i].add(vetoFile(t, s, m, filepath.Join("testdata", set, kind+".tsv"), v, tiers == "all"))
				}
			}
			t.Logf("veto %.2f %-7s everyday %s", v, tiers, tot[0])
			t.Logf("veto %.2f %-7s hard     %s", v, tiers, tot[1])
		}
	}
	if os.Getenv("LORO") == "" {
		return
	}
	var all expTally
	byKind := map[string]*expTally{}
	for _, dir := range dirs {
		var files []io.Reader
		for _, d := range dirs {
			if d != dir {
				files = append(files, trainFiles(t, []string{d + "/*.tsv"})...)
			}
		}
		cases, err := readCases(files)
		if err != nil {
			t.Fatal(err)
		}
		s, err := rulesOnly()
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := trainOn(s, cases, cfg)
		if err != nil {
			t.Fatal(err)
		}
		paths, _ := filepath.Glob(dir + "/*.tsv")
		var x expTally
		for _, p := range paths {
			y := expFile(t, s, m, p)
			x.add(y)
			kind := strings.TrimSuffix(filepath.Base(p), ".tsv")
			if byKind[kind] == nil {
				byKind[kind] = new(expTally)
			}
			byKind[kind].add(y)
		}
		t.Logf("leave out %-14s %s", filepath.Base(dir), x)
		all.add(x)
	}
	t.Logf("leave-one-out all %s", all)
	for _, kind := range []string{"everyday", "hard"} {
		if x := byKind[kind]; x != nil {
			t.Logf("leave-one-out %-8s %s", kind, x)
		}
	}
}

// expSide counts the risk lines, or the ok lines, of one evaluation: how
// many, how many the rules flagged, the rules and the model, the model
// alone (whatever the rules did), and on Welsh lines how many the model
// alone added; with the model's scores, for the AUC.
type expSide struct {
	n, rules, both, alone int
	welsh, welshModel     int
	scores                []float64
}

func (x *expSide) count(rules, both, alone, welsh bool, score float64) {
	x.n++
	x.scores = append(x.scores, score)
	x.rules += b2i(rules)
	x.both += b2i(both)
	x.alone += b2i(alone)
	if welsh {
		x.welsh++
		x.welshModel += b2i(both && !rules)
	}
}

func (x *expSide) add(y expSide) {
	x.n += y.n
	x.rules += y.rules
	x.both += y.both
	x.alone += y.alone
	x.welsh += y.welsh
	x.welshModel += y.welshModel
	x.scores = append(x.scores, y.scores...)
}

// expTally counts one evaluation with and without the model.
type expTally struct{ risk, ok expSide }

func (x *expTally) add(y expTally) {
	x.risk.add(y.risk)
	x.ok.add(y.ok)
}

func pct(a, b int) float64 { return 100 * float64(a) / math.Max(1, float64(b)) }

func (x expTally) auc() float64 {
	var wins float64
	for _, r := range x.risk.scores {
		for _, o := range x.ok.scores {
			switch {
			case r > o:
				wins++
			case r == o:
				wins += 0.5
			}
		}
	}
	return wins / math.Max(1, float64(len(x.risk.scores)*len(x.ok.scores)))
}

func (x expTally) String() string {
	r, o := x.risk, x.ok
	return fmt.Sprintf("risk %3d ok %3d | rules %5.1f%% / %4.1f%% | screen %5.1f%% / %4.1f%% | model-only +%2d (%4.1f pts) FA +%2d (%4.1f pts) | model alone %5.1f%% / %4.1f%% AUC %.3f | welsh +%d/%d FA +%d/%d",
		r.n, o.n, pct(r.rules, r.n), pct(o.rules, o.n), pct(r.both, r.n), pct(o.both, o.n),
		r.both-r.rules, pct(r.both-r.rules, r.n), o.both-o.rules, pct(o.both-o.rules, o.n),
		pct(r.alone, r.n), pct(o.alone, o.n), x.auc(), r.welshModel, r.welsh, o.welshModel, o.welsh)
}

// readCasesFile reads the labelled lines of one evaluation file.
func readCasesFile(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := readCases([]io.Reader{f})
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// expFile scores one file with s's rules, with m as well, and with m alone.
func expFile(t *testing.T, s *Screen, m *model, path string) expTally {
	t.Helper()
	cases := readCasesFile(t, path)
	en := s.sets[0]
	defer func() { en.model, en.modelRule = nil, nil }()
	var x expTally
	for _, c := range cases {
		en.model, en.modelRule = nil, nil
		rules := flagged(s, c)
		en.model, en.modelRule = m, &rule{id: "model/en", category: Possible, tier: Concern}
		both := flagged(s, c)
		ss, welsh := s.modelSlots(m, c.text, c.recent, nil)
		score := m.scoreSlots(ss)
		th := m.threshold
		if welsh {
			th = m.thresholdCy
		}
		alone := th > 0 && score >= th
		if os.Getenv("LINKLINE_MODEL_LINES") != "" && c.risk != both {
			t.Logf("line risk=%v flagged=%v %s/%s: %q / %q", c.risk, both, filepath.Base(filepath.Dir(path)), filepath.Base(path), c.recent, c.text)
		}
		if c.risk {
			x.risk.count(rules, both, alone, welsh, score)
		} else {
			x.ok.count(rules, both, alone, welsh, score)
		}
	}
	return x
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// flagged is whether Evaluate would count c as flagged.
func flagged(s *Screen, c labelled) bool {
	if s.Check(c.text, c.recent).Risk.Found() {
		return true
	}
	for i := range c.recent {
		if s.Check(c.recent[i], c.recent[:i]).Risk.Found() {
			return true
		}
	}
	return false
}

// parseTrainConfig reads "key=value ..." over the default settings.
func parseTrainConfig(spec string) (trainConfig, error) {
	cfg := defaultTrain
	for _, kv := range strings.Fields(spec) {
		if kv == "default" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return cfg, fmt.Errorf("%q: want key=value", kv)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return cfg, fmt.Errorf("%q: %w", kv, err)
		}
		switch k {
		case "epochs":
			cfg.epochs = int(x)
		case "seeds":
			cfg.seeds = int(x)
		case "rate":
			cfg.rate = x
		case "l2":
			cfg.l2 = x
		case "min":
			cfg.minCount = int(x)
		case "riskweight":
			cfg.riskWeight = x
		case "answers":
			cfg.answerWeight = x
		case "bits":
			cfg.bits = int(x)
		case "grams":
			cfg.gramMin, cfg.gramMax = int(x), int(x)
			if x != 0 {
				cfg.gramMin = 3
			}
		case "gmin":
			cfg.gramMin = int(x)
		case "threshold":
			cfg.threshold = x
		case "cy":
			cfg.thresholdCy = x
		case "aside":
			cfg.setAside = x
		case "asked":
			cfg.setAsideAsked = x
		case "welsh":
			cfg.welsh = x != 0
		case "gv":
			cfg.gramValue = x
		case "prune":
			cfg.prune = x
		case "avg":
			cfg.average = int(x)
		default:
			return cfg, fmt.Errorf("%q: unknown setting", k)
		}
	}
	return cfg, nil
}

// vetoTally counts one evaluation where a rule's finding is dropped when
// the model scores the message that fired below a veto.
type vetoTally struct{ risk, riskCaught, ok, okFlagged, riskLost, okSaved int }

func (x *vetoTally) add(y vetoTally) {
	x.risk += y.risk
	x.riskCaught += y.riskCaught
	x.ok += y.ok
	x.okFlagged += y.okFlagged
	x.riskLost += y.riskLost
	x.okSaved += y.okSaved
}

func (x vetoTally) String() string {
	return fmt.Sprintf("recall %5.1f%% FA %5.1f%% | risk lost %d, ok saved %d", pct(x.riskCaught, x.risk), pct(x.okFlagged, x.ok), x.riskLost, x.okSaved)
}

// vetoFile scores path with the screen (rules and m), dropping a rule's
// finding (concern only, or every tier) when m scores its message below v.
func vetoFile(t *testing.T, s *Screen, m *model, path string, v float64, all bool) vetoTally {
	t.Helper()
	cases := readCasesFile(t, path)
	en := s.sets[0]
	en.model, en.modelRule = m, &rule{id: "model/en", category: Possible, tier: Concern}
	defer func() { en.model, en.modelRule = nil, nil }()
	var x vetoTally
	one := func(text string, recent []string) (flag, vetoed bool) {
		r := s.Check(text, recent).Risk
		if !r.Found() {
			return false, false
		}
		if strings.HasPrefix(r.Rule, "model/") || !all && r.Tier != Concern {
			return true, false
		}
		ss, _ := s.modelSlots(m, text, recent, nil)
		if m.scoreSlots(ss) < v {
			return false, true
		}
		return true, false
	}
	for _, c := range cases {
		flag, vetoed := one(c.text, c.recent)
		for i := range c.recent {
			f, v := one(c.recent[i], c.recent[:i])
			flag, vetoed = flag || f, vetoed || v
		}
		vetoed = vetoed && !flag
		if vetoed && (c.risk || os.Getenv("LINKLINE_MODEL_VETO_OK") != "") {
			t.Logf("veto %.2f all=%v risk=%v %s: %q / %q", v, all, c.risk, filepath.Base(filepath.Dir(path)), c.recent, c.text)
		}
		if c.risk {
			x.risk++
			x.riskCaught += b2i(flag)
			x.riskLost += b2i(vetoed)
		} else {
			x.ok++
			x.okFlagged += b2i(flag)
			x.okSaved += b2i(vetoed)
		}
	}
	return x
}

// answerAlarms adds to n and flagged the answers to the bot's questions in
// path (answer:answer lines) and how many of them the screen (rules and m)
// flags as risk.
func answerAlarms(t *testing.T, s *Screen, m *model, path string, n, flagged int) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return n, flagged
	} else if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := readLabelled([]io.Reader{f}, func(label string) (positive, use bool) { return false, label == "answer" })
	if err != nil {
		t.Fatal(err)
	}
	en := s.sets[0]
	en.model, en.modelRule = m, &rule{id: "model/en", category: Possible, tier: Concern}
	defer func() { en.model, en.modelRule = nil, nil }()
	for _, c := range cases {
		n++
		flagged += b2i(s.Check(c.text, c.recent).Risk.Found())
	}
	return n, flagged
}

// envFloats reads the numbers, one space apart, of environment variable
// name.
func envFloats(t *testing.T, name string) []float64 {
	t.Helper()
	var out []float64
	for _, f := range strings.Fields(os.Getenv(name)) {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, x)
	}
	return out
}

package risk

import (
	"bufio"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The second signal: a small logistic-regression model over a message's
// words, word pairs and concepts, trained on the development set. It only
// ever raises a concern (the person is asked whether they are safe), and
// only where no rule fired; the rules stay the primary, auditable control.
// It is deterministic, ships in the repository (rules/en-model.txt), does
// no I/O at run time, and a finding names the features that weighed most.

// model is a trained logistic regression.
type model struct {
	bias      float64
	threshold float64
	weights   map[string]float64
	// byHash holds the weights by featureHash, so scoring a message does
	// not build strings; names gives a hash's feature for explain.
	byHash map[uint64]float64
	names  map[uint64]string
}

// index fills byHash and names from weights.
func (m *model) index() {
	m.byHash = make(map[uint64]float64, len(m.weights))
	m.names = make(map[uint64]string, len(m.weights))
	for f, w := range m.weights {
		kind, rest, _ := strings.Cut(f, ":")
		a, b, _ := strings.Cut(rest, "_")
		if kind != "b" {
			a, b = rest, ""
		}
		h := featureHash(kind[0], a, b)
		m.byHash[h] = w
		m.names[h] = f
	}
}

var featureSeed = maphash.MakeSeed()

// featureHash is the hash of feature kind:a (or b:a_b for a pair).
func featureHash(kind byte, a, b string) uint64 {
	var h maphash.Hash
	h.SetSeed(featureSeed)
	h.WriteByte(kind)
	h.WriteByte(':')
	h.WriteString(a)
	if b != "" {
		h.WriteByte('_')
		h.WriteString(b)
	}
	return h.Sum64()
}

// eachFeature calls fn with each feature of a message: each word
// ("w:tired"), each pair of words in a sentence ("b:no_point"), and each
// concept the lexicon found ("c:hopeless"). A feature may come more than
// once.
func (rs *ruleset) eachFeature(p *prepared, fn func(kind byte, a, b string)) {
	prev := ""
	for i, t := range p.toks {
		if i > 0 && p.sent[i] != p.sent[i-1] {
			prev = ""
		}
		if t.w == "" {
			prev = ""
			continue
		}
		fn('w', t.w, "")
		if prev != "" {
			fn('b', prev, t.w)
		}
		prev = t.w
		for _, mk := range p.marks[i] {
			fn('c', rs.lex.names[mk.concept], "")
		}
	}
}

// features are a message's features by name, each once (for training).
func (rs *ruleset) features(p *prepared) []string {
	seen := map[string]bool{}
	var out []string
	rs.eachFeature(p, func(kind byte, a, b string) {
		f := string(kind) + ":" + a
		if b != "" {
			f += "_" + b
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	})
	return out
}

// featureHashes are a message's features by hash, each once, added to
// dst.
func (rs *ruleset) featureHashes(p *prepared, dst []uint64) []uint64 {
	rs.eachFeature(p, func(kind byte, a, b string) {
		dst = append(dst, featureHash(kind, a, b))
	})
	slices.Sort(dst)
	return slices.Compact(dst)
}

// scoreHashes is score for features by hash.
func (m *model) scoreHashes(hs []uint64) float64 {
	z := m.bias
	for _, h := range hs {
		z += m.byHash[h]
	}
	return 1 / (1 + math.Exp(-z))
}

// explainHashes is explain for features by hash.
func (m *model) explainHashes(hs []uint64, n int) string {
	var fs []string
	for _, h := range hs {
		if name, ok := m.names[h]; ok {
			fs = append(fs, name)
		}
	}
	return m.explain(fs, n)
}

// union returns a's features and those of b that a lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, f := range b {
		if !slices.Contains(a, f) {
			out = append(out, f)
		}
	}
	return out
}

// score returns the model's probability that the features show risk.
func (m *model) score(fs []string) float64 {
	z := m.bias
	for _, f := range fs {
		z += m.weights[f]
	}
	return 1 / (1 + math.Exp(-z))
}

// explain returns the n features that pushed the score up most, for the
// record ("tired, everything, no_point").
func (m *model) explain(fs []string, n int) string {
	type fw struct {
		f string
		w float64
	}
	var pos []fw
	for _, f := range fs {
		if w := m.weights[f]; w > 0 {
			pos = append(pos, fw{f, w})
		}
	}
	slices.SortFunc(pos, func(a, b fw) int {
		if a.w != b.w {
			if a.w > b.w {
				return -1
			}
			return 1
		}
		return strings.Compare(a.f, b.f)
	})
	var names []string
	for _, p := range pos[:min(n, len(pos))] {
		kind, name, _ := strings.Cut(p.f, ":")
		switch kind {
		case "c":
			name = "{" + name + "}"
		case "b":
			name = strings.ReplaceAll(name, "_", " ")
		}
		names = append(names, name)
	}
	return "model: " + strings.Join(names, ", ")
}

// example is one labelled message for training.
type example struct {
	features []string
	risk     bool
}

// trainModel fits a logistic regression by stochastic gradient descent:
// examples in a shuffled order (a fixed seed, so the same examples always
// give the same model), risk and ok lines weighted to count equally, and a
// learning rate that falls with each pass.
func trainModel(examples []example, epochs int, rate, l2 float64, minCount int) *model {
	count := map[string]int{}
	var pos int
	for _, e := range examples {
		for _, f := range e.features {
			count[f]++
		}
		if e.risk {
			pos++
		}
	}
	neg := len(examples) - pos
	weight := map[bool]float64{true: 1, false: 1}
	if pos > 0 && neg > 0 {
		weight[true] = float64(len(examples)) / float64(2*pos)
		weight[false] = float64(len(examples)) / float64(2*neg)
	}
	m := &model{weights: map[string]float64{}, threshold: 0.5}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := rate / float64(1+ep)
		for _, k := range order {
			e := examples[k]
			var fs []string
			for _, f := range e.features {
				if count[f] >= minCount {
					fs = append(fs, f)
				}
			}
			y := 0.0
			if e.risk {
				y = 1
			}
			g := (m.score(fs) - y) * weight[e.risk]
			m.bias -= lr * g
			for _, f := range fs {
				w := m.weights[f]
				m.weights[f] = w - lr*(g+l2*w)
			}
		}
	}
	for f, w := range m.weights {
		if math.Abs(w) < 1e-3 {
			delete(m.weights, f)
		}
	}
	return m
}

// write saves m in the text format readModel reads: "bias", "threshold"
// and one "feature weight" line each, sorted.
func (m *model) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Linkline risk model: logistic regression over words (w:), word pairs (b:) and concepts (c:).\n")
	fmt.Fprintf(bw, "# Made by `linkline safety train`; see docs/safety.md. Do not edit by hand.\n")
	fmt.Fprintf(bw, "bias %.6f\nthreshold %.4f\n", m.bias, m.threshold)
	keys := make([]string, 0, len(m.weights))
	for k := range m.weights {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(bw, "%s %.5f\n", k, m.weights[k])
	}
	return bw.Flush()
}

// readModel reads a model written by write.
func readModel(r io.Reader) (*model, error) {
	m := &model{weights: map[string]float64{}}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, " ")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("risk: model line %d: want name and number", n)
		}
		switch k {
		case "bias":
			m.bias = f
		case "threshold":
			m.threshold = f
		default:
			m.weights[k] = f
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("risk: reading model: %w", err)
	}
	if m.threshold <= 0 || m.threshold >= 1 || len(m.weights) == 0 {
		return nil, fmt.Errorf("risk: model has no threshold in (0, 1) or no weights")
	}
	m.index()
	return m, nil
}

// Training settings. They are fixed, so the same files always give the
// same model.
const (
	trainEpochs    = 20
	trainRate      = 0.2
	trainL2        = 0.01
	trainMinCount  = 2
	modelThreshold = 0.8
)

// TrainSummary says what TrainModel learnt from.
type TrainSummary struct {
	Risk, OK, Features int
}

// TrainModel trains the second-signal model for the screen's first locale
// on evaluation files (risk and ok lines; other labels are skipped) and
// writes it to w in the format rules/<locale>-model.txt is read in. Lines
// with earlier messages train on the last earlier message and the last
// message together, as the screen scores them.
func TrainModel(s *Screen, files []io.Reader, w io.Writer) (TrainSummary, error) {
	rs := s.sets[0]
	var sum TrainSummary
	var examples []example
	for _, r := range files {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			line := strings.TrimRight(sc.Text(), "\r")
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Split(line, "\t")
			if len(fields) < 2 {
				continue
			}
			label, _, _ := strings.Cut(strings.ToLower(fields[0]), ":")
			label, _, _ = strings.Cut(label, "!")
			if label != "risk" && label != "ok" {
				continue
			}
			fs := rs.features(rs.prepare(fields[len(fields)-1]))
			if len(fields) > 2 {
				fs = union(fs, rs.features(rs.prepare(fields[len(fields)-2])))
			}
			examples = append(examples, example{features: fs, risk: label == "risk"})
			if label == "risk" {
				sum.Risk++
			} else {
				sum.OK++
			}
		}
		if err := sc.Err(); err != nil {
			return sum, fmt.Errorf("risk: reading training file: %w", err)
		}
	}
	if sum.Risk == 0 || sum.OK == 0 {
		return sum, fmt.Errorf("risk: training needs both risk and ok lines")
	}
	m := trainModel(examples, trainEpochs, trainRate, trainL2, trainMinCount)
	m.threshold = modelThreshold
	sum.Features = len(m.weights)
	return sum, m.write(w)
}

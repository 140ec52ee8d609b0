package risk

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The second signal: a small logistic-regression model over a message's
// words, word pairs, pieces of words and concepts, trained on the
// development sets. It only ever raises a concern (the person is asked
// whether they are safe), and only where no rule fired; the rules stay the
// primary, auditable control. It is deterministic, ships in the repository
// (rules/en-model.txt), does no I/O at run time, and a finding names the
// features that weighed most.
//
// Features are hashed into a fixed table of weights (feature hashing), so
// the file holds numbered weights, scoring builds no strings, and a piece
// of a word never seen in training still lands on a weight if another word
// shared it: "sucidal" shares "<suic", "cida", "dal>" with "suicidal", and a
// mutated Welsh word shares its tail with the radical ("nharo", "taro").

// model is a trained logistic regression over hashed features.
type model struct {
	bias float64
	// threshold is the score at which a message raises a concern;
	// thresholdCy the same for a message the Welsh rules read (0: the
	// model does not read those).
	threshold, thresholdCy float64
	// setAside: a concern the English rules raise is set aside when the
	// model scores the message below it (see Screen.setAside); 0: never.
	// setAsideAsked is the same for the concerns asked about first: a
	// denial that names suicide, and rules marked always_ask (a past
	// attempt or self-harm); 0: always asked.
	setAside, setAsideAsked float64
	// overrule: a match an English rule's unless list muted is asked
	// about (a concern) when the model scores the message at or above
	// it (see Screen.modelHit); 0: never.
	overrule float64
	// grams are the shortest and longest pieces of words (in letters,
	// counting the marks for the start and end of a word) made features;
	// 0 for none.
	gramMin, gramMax int
	// table holds the weight of each hashed feature; its length is a
	// power of two.
	table []float32
	// about is the file's first comment line (what the model finds); it
	// is written, not read.
	about string
}

// modelVersion names the feature scheme a model file was trained with; a
// file with another is refused (retrain it).
const modelVersion = "hashed-2"

// Feature hashing: FNV-1a over the feature's kind and text, then mixed,
// so the same feature has the same slot on every machine and every run.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

type fhash uint64

func (h fhash) byte(b byte) fhash { return (h ^ fhash(b)) * fnvPrime }

func (h fhash) str(s string) fhash {
	for i := 0; i < len(s); i++ {
		h = (h ^ fhash(s[i])) * fnvPrime
	}
	return h
}

// slot maps a feature to a table index: pieces of words in the upper half
// of the table, other features in the lower, so the two never share a
// weight.
func (m *model) slot(f feature) uint32 { return m.slotOf(f.hash(), f.kind == 'g') }

// slotOf is slot for a feature whose hash is h (gram: a piece of a word).
func (m *model) slotOf(h fhash, gram bool) uint32 {
	x := uint64(h)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	half := uint64(len(m.table) / 2)
	s := uint32(x & (half - 1))
	if gram {
		s += uint32(half)
	}
	return s
}

// The hashes of each kind of feature before its text (see feature.hash).
var (
	wordPrefix = fhash(fnvOffset).byte('w').byte(':')
	pairPrefix = fhash(fnvOffset).byte('b').byte(':')
	gramPrefix = fhash(fnvOffset).byte('g').byte(':')
)

// feature is one feature of a message: kind w (a word), b (a pair of
// words a_b), c (a concept), g (a piece of a word; left and right mark a
// piece at the word's start or end).
type feature struct {
	kind        byte
	a, b        string
	left, right bool
}

func (f feature) hash() fhash {
	h := fhash(fnvOffset).byte(f.kind).byte(':')
	if f.left {
		h = h.byte('<')
	}
	h = h.str(f.a)
	if f.b != "" {
		h = h.byte('_').str(f.b)
	}
	if f.right {
		h = h.byte('>')
	}
	return h
}

// name is how a feature is shown on a finding: a word, a pair "no point",
// a concept "{hopeless}", a piece of a word "<suic" (a word starting
// suic) or "cidal>" (ending cidal).
func (f feature) name() string {
	switch f.kind {
	case 'c':
		return "{" + f.a + "}"
	case 'b':
		return f.a + " " + f.b

	case 'g':
		s := f.a
		if f.left {
			s = "<" + s
		}
		if f.right {
			s += ">"
		}
		return s
	}
	return f.a
}

// eachFeature calls fn with each feature of a message: each word, each
// pair of words in a sentence, each piece of a word, and each concept the
// lexicon found. With conceptsOnly (a message's reading by another
// locale's rules) only the concepts. A feature may come more than once.
func (m *model) eachFeature(rs *ruleset, p *prepared, conceptsOnly bool, fn func(feature)) {
	prev := ""
	for i := range p.toks {
		if !conceptsOnly {
			if i > 0 && p.sent[i] != p.sent[i-1] {
				prev = ""
			}
			w := p.word(i)
			if w == "" {
				prev = ""
				continue
			}
			fn(feature{kind: 'w', a: w})
			if prev != "" {
				fn(feature{kind: 'b', a: prev, b: w})
			}
			prev = w
			m.eachGram(w, fn)
		}
		for _, mk := range p.marks.of(i) {
			fn(feature{kind: 'c', a: rs.lex.names[mk.concept]})
		}
	}
}

// gramMaxRunes is the longest word whose pieces are features.
const gramMaxRunes = 30

// eachGram calls fn with the pieces of word w from gramMin to gramMax
// letters long, reading w as "<w>" (the marks count as letters). Words
// of fewer than three letters, and words with no letter, have none.
func (m *model) eachGram(w string, fn func(feature)) {
	if m.gramMin == 0 {
		return
	}
	var at [gramMaxRunes + 1]int
	n, letters := 0, 0
	for i, r := range w {
		if n == gramMaxRunes {
			return
		}
		at[n] = i
		n++
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if n < 3 || letters == 0 {
		return
	}
	at[n] = len(w)
	// Position j of "<w>": 0 is '<', 1..n are w's letters, n+1 is '>'.
	for i := 0; i < n+2; i++ {
		for k := m.gramMin; k <= m.gramMax && i+k <= n+2; k++ {
			if i == 0 && i+k == n+2 {
				continue // the whole word: already a feature
			}
			from, to := max(i, 1)-1, min(i+k, n+1)-1
			fn(feature{kind: 'g', a: w[at[from]:at[to]], left: i == 0, right: i+k == n+2})
		}
	}
}

// slots are a message's features as table slots, added to dst: a feature
// that comes twice ("so so tired") counts twice, in training and in
// scoring alike.
func (m *model) slots(rs *ruleset, p *prepared, conceptsOnly bool, dst []uint32) []uint32 {
	m.eachFeature(rs, p, conceptsOnly, func(f feature) {
		dst = append(dst, m.slot(f))
	})
	return dst
}

// sum is the total weight of a message's features: what it adds to the
// score. It builds nothing, so the screen works it out once per message
// read (and again for nothing when the message is an earlier one).
//
// It adds the same weights in the same order as eachFeature gives their
// features (so the same total, to the last bit), but hashes each piece of
// a word by extending the hash of the piece one letter shorter, and a
// concept's slot is looked up, not hashed (TestSumIsFeatureSum).
func (m *model) sum(rs *ruleset, p *prepared, conceptsOnly bool) float64 {
	cslot := rs.conceptSlots(m)
	z := 0.0
	prev := ""
	for i := range p.toks {
		if !conceptsOnly {
			if i > 0 && p.sent[i] != p.sent[i-1] {
				prev = ""
			}
			w := p.word(i)
			if w == "" {
				prev = ""
				continue
			}
			z += float64(m.table[m.slotOf(wordPrefix.str(w), false)])
			if prev != "" {
				z += float64(m.table[m.slotOf(pairPrefix.str(prev).byte('_').str(w), false)])
			}
			prev = w
			z = m.addGrams(w, z)
		}
		for _, mk := range p.marks.of(i) {
			z += float64(m.table[cslot[mk.concept]])
		}
	}
	return z
}

// addGrams adds to z the weights of the pieces of w, in eachGram's order.
func (m *model) addGrams(w string, z float64) float64 {
	if m.gramMin == 0 {
		return z
	}
	if plainASCII(w) {
		return m.addGramsASCII(w, z)
	}
	var at [gramMaxRunes + 1]int
	n, letters := 0, 0
	for i, r := range w {
		if n == gramMaxRunes {
			return z
		}
		at[n] = i
		n++
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if n < 3 || letters == 0 {
		return z
	}
	at[n] = len(w)
	// Position j of "<w>": 0 is '<', 1..n are w's letters, n+1 is '>'.
	for i := 0; i < n+2; i++ {
		h := gramPrefix
		for k := 1; k <= m.gramMax && i+k <= n+2; k++ {
			switch j := i + k - 1; {
			case j == 0:
				h = h.byte('<')
			case j == n+1:
				h = h.byte('>')
			default:
				h = h.str(w[at[j-1]:at[j]])
			}
			if k >= m.gramMin && !(i == 0 && i+k == n+2) {
				z += float64(m.table[m.slotOf(h, true)])
			}
		}
	}
	return z
}

// plainASCII reports whether w is all ASCII: each letter one byte.
func plainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// addGramsASCII is addGrams for a word of ASCII only, where letter j of
// "<w>" is the byte w[j-1]: the same pieces, hashed and added in the same
// order, without finding where each letter starts.
func (m *model) addGramsASCII(w string, z float64) float64 {
	n := len(w)
	if n > gramMaxRunes || n < 3 || !hasASCIILetter(w) {
		return z
	}
	for i := 0; i < n+2; i++ {
		h := gramPrefix
		for k := 1; k <= m.gramMax && i+k <= n+2; k++ {
			switch j := i + k - 1; {
			case j == 0:
				h = h.byte('<')
			case j == n+1:
				h = h.byte('>')
			default:
				h = h.byte(w[j-1])
			}
			if k >= m.gramMin && !(i == 0 && i+k == n+2) {
				z += float64(m.table[m.slotOf(h, true)])
			}
		}
	}
	return z
}

// hasASCIILetter reports whether the ASCII word w has a letter
// (unicode.IsLetter of one of its bytes).
func hasASCIILetter(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// conceptSlots returns the slot in m of each of rs's concepts, worked out
// once.
func (rs *ruleset) conceptSlots(m *model) []uint32 {
	// A slot depends only on the feature and the table's size, so models
	// of one size (the risk and request models) share the slots.
	if c := rs.modelConcepts.Load(); c != nil && c.size == len(m.table) {
		return c.slots
	}
	c := &conceptSlots{size: len(m.table), slots: make([]uint32, len(rs.lex.names))}
	for id, name := range rs.lex.names {
		c.slots[id] = m.slot(feature{kind: 'c', a: name})
	}
	rs.modelConcepts.Store(c)
	return c.slots
}

// conceptSlots are a ruleset's concepts' slots in a model whose table
// has size slots.
type conceptSlots struct {
	size  int
	slots []uint32
}

// prob is the model's probability of risk for a total feature weight z.
func (m *model) prob(z float64) float64 { return 1 / (1 + math.Exp(-(m.bias + z))) }

// scoreSlots is the model's probability that a message with these
// features shows risk.
func (m *model) scoreSlots(ss []uint32) float64 {
	z := 0.0
	for _, s := range ss {
		z += float64(m.table[s])
	}
	return m.prob(z)
}

// explainer gathers the named features of a message, for explain.
type explainer struct {
	m *model
	// fs are the features that may be named, each slot once, heaviest
	// first (see keep).
	fs []weighed
}

// explained is how many features a model finding names.
const explained = 4

// weighed is a feature that pushed a score up, its slot and by how much;
// its name is made only if it is shown.
type weighed struct {
	f    feature
	slot uint32
	w    float32
}

func (m *model) newExplainer() *explainer { return &explainer{m: m} }

// add adds p's features that push the score up. Only those that may be
// among the explained heaviest are kept: fs is kept heaviest first, and
// holds the explained heaviest and any that tie with the last of them
// (explain names by weight and then by name); a lighter feature is passed
// over. A slot counts once, named by its first feature.
func (e *explainer) add(rs *ruleset, p *prepared, conceptsOnly bool) {
	e.m.eachFeature(rs, p, conceptsOnly, e.keep)
}

// keep keeps feature f if it may be named (see add). fs is short (the
// explained heaviest and their ties), so a feature is placed by walking
// it, after any as heavy: the order sorting by weight alone, stably, in
// the order the features came, would give.
func (e *explainer) keep(f feature) {
	s := e.m.slot(f)
	w := e.m.table[s]
	if w <= 0 || len(e.fs) >= explained && w < e.fs[explained-1].w {
		return
	}
	at := len(e.fs)
	for i, x := range e.fs {
		if x.slot == s {
			return
		}
		if x.w < w && at == len(e.fs) {
			at = i
		}
	}
	e.fs = slices.Insert(e.fs, at, weighed{f: f, slot: s, w: w})
	if len(e.fs) > explained {
		floor, k := e.fs[explained-1].w, explained
		for k < len(e.fs) && e.fs[k].w >= floor {
			k++
		}
		e.fs = e.fs[:k]
	}
}

// explain names the features that pushed the score up most, for the
// record ("model: {hopeless}, tired, no point, <suic"), ties by name.
func (e *explainer) explain() string {
	top := make([]namedWeight, len(e.fs))
	for i, f := range e.fs {
		top[i] = namedWeight{f.f.name(), f.w}
	}
	slices.SortFunc(top, func(a, b namedWeight) int {
		if c := cmp.Compare(b.w, a.w); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	names := make([]string, 0, explained)
	for _, f := range top[:min(explained, len(top))] {
		names = append(names, f.name)
	}
	return "model: " + strings.Join(names, ", ")
}

type namedWeight struct {
	name string
	w    float32
}

// example is one labelled message for training: its features' slots.
type example struct {
	slots []uint32
	risk  bool
	welsh bool
	// scale weighs the example against the others of its class (0: 1).
	scale float64
}

// weight is e's scale, 1 when unset.
func (e example) weight() float64 {
	if e.scale == 0 {
		return 1
	}
	return e.scale
}

// trainConfig holds the training settings.
type trainConfig struct {
	epochs   int
	rate, l2 float64
	minCount int
	// riskWeight scales the weight of risk lines after both classes are
	// made to count equally.
	riskWeight float64
	bits       int
	gramMin    int
	gramMax    int
	threshold  float64
	// setAside and setAsideAsked are the model's set-aside scores (see
	// model.setAside).
	setAside, setAsideAsked float64
	// overrule is the model's overrule score (see model.overrule).
	overrule float64
	// thresholdCy is the threshold for Welsh messages; 0: the model does
	// not read them.
	thresholdCy float64
	// welsh trains on lines in Welsh too.
	welsh bool
	// prune drops weights smaller than this from the file.
	prune float64
	// gramValue is the value of a piece-of-word feature (a word, pair or
	// concept has 1): below 1, the many pieces of a word together weigh
	// about as much as the word, and are held back more by l2.
	gramValue float64
	// seeds is how many shuffled runs the model averages (0 or 1: one).
	seeds int
	// average: the model is the mean of the weights after each of the
	// last average passes (0: the weights after the last pass).
	average int
	// answerWeight weighs each answer to a question (answer:answer, in
	// human.tsv) as an ordinary line, against 1 for an ok line; 0 leaves
	// answers out.
	answerWeight float64
}

// defaultTrain are the settings the shipped model is trained with. They
// are fixed, so the same files always give the same model.
var defaultTrain = trainConfig{
	epochs:        20,
	rate:          0.2,
	l2:            0.01,
	minCount:      2,
	riskWeight:    1,
	bits:          18,
	gramMin:       3,
	gramMax:       5,
	gramValue:     0.5,
	threshold:     0.60,
	setAside:      0.1,
	setAsideAsked: 0.1,
	overrule:      0.5,
	thresholdCy:   0.7,
	welsh:         true,
	prune:         1e-3,
	average:       10,
	seeds:         4,
	answerWeight:  0.3,
}

// newModel is an untrained model with cfg's features.
func newModel(cfg trainConfig) *model {
	return &model{
		threshold: cfg.threshold, thresholdCy: cfg.thresholdCy, setAside: cfg.setAside, setAsideAsked: cfg.setAsideAsked,
		overrule: cfg.overrule, gramMin: cfg.gramMin, gramMax: cfg.gramMax,
		table: make([]float32, 2<<cfg.bits),
	}
}

// train fits m by stochastic gradient descent: examples in a shuffled
// order (a fixed seed, so the same examples always give the same model),
// risk and ok lines weighted to count equally, a learning rate that falls
// with each pass, and features seen in fewer than minCount lines left out.
func (m *model) train(examples []example, cfg trainConfig) {
	count := make([]int32, len(m.table))
	var pos, neg float64 // each class's examples, weighed by their scale
	for _, e := range examples {
		for _, s := range e.slots {
			count[s]++
		}
		if e.risk {
			pos += e.weight()
		} else {
			neg += e.weight()
		}
	}
	weight := map[bool]float64{true: 1, false: 1}
	if pos > 0 && neg > 0 {
		weight[true] = (pos + neg) / (2 * pos) * cfg.riskWeight
		weight[false] = (pos + neg) / (2 * neg)
	}
	// value is a slot's feature value: gramValue for a piece of a word.
	half := uint32(len(m.table) / 2)
	value := func(s uint32) float64 {
		if s >= half {
			return cfg.gramValue
		}
		return 1
	}
	// Each seed shuffles the examples in its own order; the model is the
	// mean of their weights (for a linear model, the mean of their
	// scores), which one retraining after a small change moves less than
	// a single run (see docs/safety.md, "Several shuffles").
	seeds := max(cfg.seeds, 1)
	runs := make([][]float64, seeds)
	biases := make([]float64, seeds)
	var wg sync.WaitGroup
	for k := range seeds {
		wg.Go(func() {
			runs[k], biases[k] = sgd(examples, cfg, count, weight, value, uint64(k))
		})
	}
	wg.Wait()
	ws, bias := runs[0], biases[0]
	if seeds > 1 {
		bias = 0
		for k := range seeds {
			bias += biases[k]
		}
		bias /= float64(seeds)
		for i := range ws {
			sum := 0.0
			for k := range seeds {
				sum += runs[k][i]
			}
			ws[i] = sum / float64(seeds)
		}
	}
	// The weights are kept as the file writes them, so a model trained
	// and a model read score alike.
	m.bias, _ = strconv.ParseFloat(strconv.FormatFloat(bias, 'f', 6, 64), 64)
	// The table holds each feature's contribution (weight times value),
	// so scoring needs no values.
	for s, w := range ws {
		w *= value(uint32(s))
		if math.Abs(w) < cfg.prune {
			w = 0
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(w, 'f', 4, 64), 32)
		m.table[s] = float32(r)
	}
}

// sgd fits weights to examples by stochastic gradient descent, in the
// example order of seed (0: the order a single run has always used), and
// returns them with the bias: the mean of the last cfg.average passes'
// weights when cfg.average > 0.
func sgd(examples []example, cfg trainConfig, count []int32, weight map[bool]float64, value func(uint32) float64, seed uint64) ([]float64, float64) {
	ws := make([]float64, len(count))
	bias := 0.0
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(2026+seed, 12))
	var fs []uint32
	var sumW []float64
	var sumBias float64
	var summed int
	for ep := 0; ep < cfg.epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := cfg.rate / float64(1+ep)
		for _, k := range order {
			e := examples[k]
			fs = fs[:0]
			z := bias
			for _, s := range e.slots {
				if int(count[s]) >= cfg.minCount {
					fs = append(fs, s)
					z += ws[s] * value(s)
				}
			}
			y := 0.0
			if e.risk {
				y = 1
			}
			g := (1/(1+math.Exp(-z)) - y) * weight[e.risk] * e.weight()
			bias -= lr * g
			for _, s := range fs {
				ws[s] -= lr * (g*value(s) + cfg.l2*ws[s])
			}
		}
		if cfg.average > 0 && ep >= cfg.epochs-cfg.average {
			if sumW == nil {
				sumW = make([]float64, len(ws))
			}
			for i, w := range ws {
				sumW[i] += w
			}
			sumBias += bias
			summed++
		}
	}
	if summed > 0 {
		for i := range ws {
			ws[i] = sumW[i] / float64(summed)
		}
		bias = sumBias / float64(summed)
	}
	return ws, bias
}

// weights counts the table's non-zero weights.
func (m *model) weights() int {
	n := 0
	for _, w := range m.table {
		if w != 0 {
			n++
		}
	}
	return n
}

// write saves m in the text format readModel reads: settings, then one
// "slot weight" line for each non-zero weight, in slot order.
func (m *model) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	about := m.about
	if about == "" {
		about = "Linkline risk model"
	}
	fmt.Fprintf(bw, "# %s: logistic regression over hashed words, word pairs, pieces of words and concepts.\n", about)
	fmt.Fprintf(bw, "# Made by `linkline safety train`; see docs/safety.md (\"The second signal\"). Do not edit by hand.\n")
	fmt.Fprintf(bw, "version %s\nbias %.6f\nthreshold %.4f\nthreshold-cy %.4f\ngrams %d %d\nslots %d\n",
		modelVersion, m.bias, m.threshold, m.thresholdCy, m.gramMin, m.gramMax, len(m.table))
	if m.setAside > 0 {
		fmt.Fprintf(bw, "set-aside %.4f\n", m.setAside)
	}
	if m.setAsideAsked > 0 {
		fmt.Fprintf(bw, "set-aside-asked %.4f\n", m.setAsideAsked)
	}
	if m.overrule > 0 {
		fmt.Fprintf(bw, "overrule %.4f\n", m.overrule)
	}
	for s, x := range m.table {
		if x != 0 {
			fmt.Fprintf(bw, "%d %s\n", s, strconv.FormatFloat(float64(x), 'f', 4, 32))
		}
	}
	return bw.Flush()
}

// readModel reads a model written by write.
func readModel(r io.Reader) (*model, error) {
	m := &model{}
	sc := bufio.NewScanner(r)
	n := 0
	version := ""
	bad := func() error { return fmt.Errorf("risk: model line %d: malformed", n) }
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		num := func(i int) (float64, error) {
			if i >= len(f) {
				return 0, bad()
			}
			x, err := strconv.ParseFloat(f[i], 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, bad()
			}
			return x, nil
		}
		var err error
		switch f[0] {
		case "version":
			if len(f) != 2 {
				return nil, bad()
			}
			version = f[1]
		case "bias":
			m.bias, err = num(1)
		case "threshold":
			m.threshold, err = num(1)
		case "threshold-cy":
			m.thresholdCy, err = num(1)
		case "set-aside":
			m.setAside, err = num(1)
		case "set-aside-asked":
			m.setAsideAsked, err = num(1)
		case "overrule":
			m.overrule, err = num(1)
		case "grams":
			var a, b float64
			if a, err = num(1); err == nil {
				b, err = num(2)
			}
			m.gramMin, m.gramMax = int(a), int(b)
		case "slots":
			var k float64
			if k, err = num(1); err == nil {
				if k < 2 || k > 1<<24 || int(k)&(int(k)-1) != 0 {
					return nil, fmt.Errorf("risk: model line %d: slots must be a power of two", n)
				}
				m.table = make([]float32, int(k))
			}
		default:
			s, err1 := strconv.Atoi(f[0])
			x, err2 := num(1)
			if err1 != nil || err2 != nil || len(f) != 2 || m.table == nil || s < 0 || s >= len(m.table) {
				return nil, bad()
			}
			m.table[s] = float32(x)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("risk: reading model: %w", err)
	}
	if version != modelVersion {
		return nil, fmt.Errorf("risk: model is version %q, want %q: retrain it (docs/safety.md)", version, modelVersion)
	}
	if m.setAside < 0 || m.setAside >= m.threshold {
		return nil, fmt.Errorf("risk: model set-aside %.4f: want 0 <= set-aside < threshold", m.setAside)
	}
	if m.setAsideAsked < 0 || m.setAsideAsked > m.setAside {
		return nil, fmt.Errorf("risk: model set-aside-asked %.4f: want 0 <= set-aside-asked <= set-aside", m.setAsideAsked)
	}
	if m.overrule < 0 || m.overrule >= 1 || m.overrule > 0 && m.overrule <= m.setAside {
		return nil, fmt.Errorf("risk: model overrule %.4f: want 0 (never) or set-aside < overrule < 1", m.overrule)
	}
	if m.threshold <= 0 || m.threshold >= 1 || m.thresholdCy < 0 || m.thresholdCy >= 1 || m.table == nil || m.weights() == 0 {
		return nil, fmt.Errorf("risk: model has no threshold in (0, 1) or no weights")
	}
	if m.gramMin != 0 && (m.gramMin < 2 || m.gramMax < m.gramMin || m.gramMax > 8) {
		return nil, fmt.Errorf("risk: model grams %d %d: want 2 <= min <= max <= 8, or 0 0", m.gramMin, m.gramMax)
	}
	return m, nil
}

// TrainSummary says what TrainModel learnt from.
type TrainSummary struct {
	Risk, OK, Features int
}

// TrainModel trains the second-signal model on evaluation files (risk and
// ok lines; other labels are skipped) with the built-in rules (English,
// and Welsh to tell a Welsh line) and writes it to w in the format
// rules/en-model.txt is read in. A line is read as the screen reads it: a
// line with earlier messages trains on the last earlier message and the
// line together, and a line in Welsh without spelling correction.
func TrainModel(files []io.Reader, w io.Writer) (TrainSummary, error) {
	s, err := rulesOnly()
	if err != nil {
		return TrainSummary{}, err
	}
	cases, err := readCases(files)
	if err != nil {
		return TrainSummary{}, err
	}
	m, sum, err := trainOn(s, cases, defaultTrain)
	if err != nil {
		return sum, err
	}
	return sum, m.write(w)
}

// requestTrain are the settings the shipped request model is trained
// with: the risk model's, with a threshold high enough that an answer (a
// name, a date) is almost never taken for a request, and no set-aside,
// overrule or Welsh threshold (which only the risk model uses).
var requestTrain = func() trainConfig {
	c := defaultTrain
	c.threshold, c.setAside, c.setAsideAsked, c.overrule, c.thresholdCy = requestThreshold, 0, 0, 0, 0
	return c
}()

// requestThreshold is the request model's threshold (see requestTrain).
const requestThreshold = 0.8

// TrainRequestModel trains the request model (rules/en-request-model.txt)
// on evaluation files: a human line (human:request) is a request for a
// person; an answer line (answer:answer) and an ok line are not. Risk lines are left out: many
// ask for a person as well as showing risk. A line is read as the English
// rules read it (a Welsh line without spelling correction), alone.
func TrainRequestModel(files []io.Reader, w io.Writer) (TrainSummary, error) {
	s, err := rulesOnly()
	if err != nil {
		return TrainSummary{}, err
	}
	cases, err := readLabelled(files, func(label string) (positive, use bool) {
		return label == "human", label == "human" || label == "answer" || label == "ok"
	})
	if err != nil {
		return TrainSummary{}, err
	}
	cfg := requestTrain
	m := newModel(cfg)
	m.about = "Linkline request model (a request for a person)"
	var sum TrainSummary
	var examples []example
	for _, c := range cases {
		examples = append(examples, example{slots: s.requestSlots(m, c.text, nil), risk: c.risk})
		if c.risk {
			sum.Risk++
		} else {
			sum.OK++
		}
	}
	if sum.Risk == 0 || sum.OK == 0 {
		return sum, fmt.Errorf("risk: training the request model needs both human:request and other lines")
	}
	m.train(examples, cfg)
	sum.Features = m.weights()
	return sum, m.write(w)
}

// requestSlots reads a message as the screen does for the request model
// (the English rules' reading, spelt unless another file reads it) and
// returns its features' slots, added to dst.
func (s *Screen) requestSlots(m *model, text string, dst []uint32) []uint32 {
	spell := true
	for _, rs := range s.sets[1:] {
		spell = spell && rs.rawMarkers(text) < markerMin
	}
	rs := s.sets[0]
	return m.slots(rs, rs.prepareSpell(text, spell), false, dst)
}

// rulesOnly is the default screen (English, and Welsh for Welsh messages)
// without a model, built afresh.
func rulesOnly() (*Screen, error) {
	en, err := loadBuiltin("en")
	if err != nil {
		return nil, err
	}
	cy, err := loadBuiltin("cy")
	if err != nil {
		return nil, err
	}
	return Combine(en, cy), nil
}

// labelled is a risk or ok line of an evaluation file.
type labelled struct {
	text   string
	recent []string
	risk   bool
	class  string
	// answer: an answer to one of the bot's questions, read as ordinary.
	answer bool
}

// readCases reads the risk and ok lines of evaluation files, and the
// answers to the bot's questions (answer:answer, in human.tsv), which
// trainOn weighs as ordinary lines by answerWeight.
func readCases(files []io.Reader) ([]labelled, error) {
	return readLabelled(files, func(label string) (positive, use bool) {
		return label == "risk", label == "risk" || label == "ok" || label == "answer"
	})
}

// readLabelled reads the lines of evaluation files that pick uses, each
// marked positive or not by pick from its label (the part before ":").
func readLabelled(files []io.Reader, pick func(label string) (positive, use bool)) ([]labelled, error) {
	var out []labelled
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
			label, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(fields[0])), "!")
			label, class, _ := strings.Cut(label, ":")
			positive, use := pick(label)
			if !use {
				continue
			}
			out = append(out, labelled{text: fields[len(fields)-1], recent: fields[1 : len(fields)-1], risk: positive, class: class, answer: label == "answer"})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("risk: reading training file: %w", err)
		}
	}
	return out, nil
}

// trainOn trains a model with cfg on cases, read by s (which must have
// no model).
func trainOn(s *Screen, cases []labelled, cfg trainConfig) (*model, TrainSummary, error) {
	m := newModel(cfg)
	var sum TrainSummary
	var examples []example
	for _, c := range cases {
		scale := 1.0
		if c.answer {
			if scale = cfg.answerWeight; scale == 0 {
				continue
			}
		}
		ss, welsh := s.modelSlots(m, c.text, c.recent, nil)
		if welsh && !cfg.welsh {
			continue
		}
		examples = append(examples, example{slots: ss, risk: c.risk, welsh: welsh, scale: scale})
		if c.risk {
			sum.Risk++
		} else {
			sum.OK++
		}
	}
	if sum.Risk == 0 || sum.OK == 0 {
		return nil, sum, fmt.Errorf("risk: training needs both risk and ok lines")
	}
	m.train(examples, cfg)
	sum.Features = m.weights()
	return m, sum, nil
}

// modelSlots reads a message as the screen does for the model, and
// returns its features' slots (with the last recent message's) and whether
// it was read as Welsh.
func (s *Screen) modelSlots(m *model, text string, recent []string, dst []uint32) ([]uint32, bool) {
	welsh := false
	for _, rs := range s.sets[1:] {
		n := rs.rawMarkers(text)
		for _, r := range recent {
			n += rs.rawMarkers(r)
		}
		welsh = welsh || n >= markerMin
	}
	for k, rs := range s.sets {
		if k > 0 && !welsh {
			continue
		}
		spell := k > 0 || !welsh
		dst = m.slots(rs, rs.prepareSpell(text, spell), k > 0, dst)
		if len(recent) > 0 {
			dst = m.slots(rs, rs.prepareSpell(recent[len(recent)-1], spell), k > 0, dst)
		}
	}
	return dst, welsh
}

// wordCount is how many words a message has, for modelMinWords.
func wordCount(p *prepared) int {
	n := 0
	for _, t := range p.toks {
		if t.nw != 0 {
			n++
		}
	}
	return n
}

package risk

import (
	"bytes"
	"cmp"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// trainGlobs are the files the built-in model is trained on: every
// development set (dev, dev2, dev3, ...), never a held-out one. Keep them
// in step with trainCommand and docs/safety.md ("The second signal").
var trainGlobs = []string{"testdata/dev*/*.tsv"}

// trainCommand retrains the built-in model (from the repository's root).
const trainCommand = "go run ./cmd/linkline safety train --out bot/risk/rules/en-model.txt --requests-out bot/risk/rules/en-request-model.txt bot/risk/testdata/dev*/*.tsv"

// trainFiles reads the files matched by globs.
func trainFiles(t testing.TB, globs []string) []io.Reader {
	t.Helper()
	var files []io.Reader
	for _, glob := range globs {
		paths, err := filepath.Glob(glob)
		if err != nil || len(paths) == 0 {
			t.Fatalf("%s: no files (%v)", glob, err)
		}
		for _, p := range paths {
			if strings.HasPrefix(filepath.ToSlash(p), "testdata/heldout") {
				t.Fatalf("%s: the model must never train on a held-out set", p)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, bytes.NewReader(b))
		}
	}
	return files
}

// TestTrainCommandMatchesGlobs keeps the command printed (and documented)
// for retraining in step with the files the test trains on.
func TestTrainCommandMatchesGlobs(t *testing.T) {
	var want []string
	for _, g := range trainGlobs {
		want = append(want, "bot/risk/"+g)
	}
	if !strings.HasSuffix(trainCommand, " "+strings.Join(want, " ")) {
		t.Errorf("trainCommand does not end with the trainGlobs:\n%s", trainCommand)
	}
	doc, err := os.ReadFile("../../docs/safety.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), trainCommand) {
		t.Errorf("docs/safety.md does not give the command to retrain the model:\n%s", trainCommand)
	}
}

// TestModelIsUpToDate retrains the model from the development sets and
// compares it with the one built in: training is deterministic, and a
// change to the rules' concepts (which the model's features use) must be
// followed by `linkline safety train` (see docs/safety.md).
//
// Training both models on every development set takes about 35 s, and
// eight times that under the race detector, so test.sh runs this test in
// a step of its own without -race; TestModelTrainingIsDeterministic
// trains the same code (its parallel runs too) under -race on one set.
func TestModelIsUpToDate(t *testing.T) {
	if raceDetector {
		t.Skip("run without -race: test.sh does (go test -run TestModelIsUpToDate ./bot/risk)")
	}
	var got bytes.Buffer
	if _, err := TrainModel(trainFiles(t, trainGlobs), &got); err != nil {
		t.Fatal(err)
	}
	want, err := embedded.ReadFile("rules/en-model.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("rules/en-model.txt is not what the development sets train: run\n  " + trainCommand)
	}
	got.Reset()
	if _, err := TrainRequestModel(trainFiles(t, trainGlobs), &got); err != nil {
		t.Fatal(err)
	}
	if want, err = embedded.ReadFile("rules/en-request-model.txt"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("rules/en-request-model.txt is not what the development sets train: run\n  " + trainCommand)
	}
}

// TestModelTrainingIsDeterministic trains twice on the same lines and
// reads the file back: the same input gives byte-identical files, and a
// model read from its file writes the same file again.
func TestModelTrainingIsDeterministic(t *testing.T) {
	globs := []string{"testdata/dev/*.tsv"}
	var a, b, c bytes.Buffer
	if _, err := TrainModel(trainFiles(t, globs), &a); err != nil {
		t.Fatal(err)
	}
	if _, err := TrainModel(trainFiles(t, globs), &b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two trainings on the same files differ")
	}
	m, err := readModel(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.write(&c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("a model read from its file writes a different file")
	}
}

func TestModelFinding(t *testing.T) {
	s := mustDefault(t)
	text := "I keep thinking I've outstayed my welcome on this earth"
	r := s.Check(text, nil).Risk
	if r.Tier != Concern || r.Rule != "model/en" || r.Category != Possible || !strings.HasPrefix(r.Words, "model: ") || len(strings.Split(r.Words, ", ")) < 2 {
		t.Fatalf("Check(%q) = %+v, want a concern from the model naming its features", text, r)
	}
	// Short answers are never read by the model, nor requests for a person.
	for _, text := range []string{"no", "yes please", "not really", "can I talk to someone please"} {
		if r := s.Check(text, nil).Risk; r.Rule == "model/en" {
			t.Errorf("Check(%q) = %+v from the model", text, r)
		}
	}
}

// TestModelReadsPiecesOfWords checks that a misspelling the model never
// saw in training, and that the spelling tolerance does not mend, still
// lands on weights learnt from the words it resembles: its pieces of
// words ("<suic", "cidl>") carry risk, so it scores well above the same
// line with an ordinary word.
func TestModelReadsPiecesOfWords(t *testing.T) {
	s := mustDefault(t)
	en := s.sets[0]
	m := en.model
	if m.gramMin == 0 {
		t.Fatal("the built-in model has no pieces of words")
	}
	var pieces []string
	m.eachGram("suicidl", func(f feature) { pieces = append(pieces, f.name()) })
	for _, want := range []string{"<su", "<suic", "icid", "idl>", "dl>"} {
		if !strings.Contains(" "+strings.Join(pieces, " ")+" ", " "+want+" ") {
			t.Errorf("pieces of suicidl = %v, want %q among them", pieces, want)
		}
	}
	// Misspellings the spelling tolerance leaves alone (too far from any
	// rule word, or a word it does not know) and the model never saw as
	// words: their pieces carry risk learnt from the words they resemble,
	// where an ordinary word's do not.
	grams := func(w string) (word, sum float32) { // word: the word's own weight (0 unless a slot is shared)
		m.eachGram(w, func(f feature) { sum += m.table[m.slot(f)] })
		return m.table[m.slot(feature{kind: 'w', a: w})], sum
	}
	var seen strings.Builder
	for _, f := range trainFiles(t, trainGlobs) {
		b, _ := io.ReadAll(f)
		seen.Write(bytes.ToLower(b))
	}
	for _, w := range []string{"suiciddall", "paracetamoll", "nooose"} {
		if strings.Contains(seen.String(), w) {
			t.Fatalf("%q is in the training files: choose a word they do not have", w)
		}
		// The weights move a little with every retraining; the point is
		// that a misspelling's pieces weigh clearly more than an ordinary
		// word's (at most 0.2 below): at least half as much again.
		// Paracetamol is named in many ordinary lines too (a prescription,
		// a headache), so its pieces weigh least of the three (0.36 after
		// round 50's retraining).
		if _, sum := grams(w); sum < 0.3 {
			t.Errorf("%q: pieces weigh %.3f: want an unseen word whose pieces weigh at least 0.3", w, sum)
		} else {
			t.Logf("%q: pieces weigh %.3f", w, sum)
		}
	}
	for _, w := range []string{"kitchen", "sandwiches"} {
		if _, sum := grams(w); sum > 0.2 {
			t.Errorf("%q: pieces %.3f: want an ordinary word's pieces to weigh little", w, sum)
		}
	}
}

func TestReadModel(t *testing.T) {
	cfg := trainConfig{bits: 4, gramMin: 3, gramMax: 4, threshold: 0.9, setAside: 0.1, setAsideAsked: 0.05, overrule: 0.5}
	m := newModel(cfg)
	hit := func(f feature) uint32 { return m.slot(f) }
	m.bias = -1
	m.table[hit(feature{kind: 'w', a: "tired"})] = 2.5
	m.table[hit(feature{kind: 'c', a: "hopeless"})] = 1
	var buf bytes.Buffer
	if err := m.write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := readModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.threshold != 0.9 || r.setAside != 0.1 || r.setAsideAsked != 0.05 || r.overrule != 0.5 || r.gramMin != 3 || r.gramMax != 4 || len(r.table) != 32 || r.bias != -1 {
		t.Errorf("read %+v", r)
	}
	good := "version " + modelVersion + "\nbias -1\nthreshold 0.9\nthreshold-cy 0\ngrams 3 5\nslots 16\n3 2.5\n"
	if _, err := readModel(strings.NewReader(good)); err != nil {
		t.Errorf("readModel(%q) = %v", good, err)
	}
	for _, bad := range []string{
		"",
		strings.Replace(good, modelVersion, "v1", 1),             // another feature scheme
		strings.Replace(good, "threshold 0.9", "threshold 2", 1), // threshold out of range
		strings.Replace(good, "slots 16", "slots 15", 1),         // not a power of two
		strings.Replace(good, "3 2.5", "16 2.5", 1),              // slot out of range
		strings.Replace(good, "3 2.5", "3 NaN", 1),               // not a number
		strings.Replace(good, "3 2.5", "3", 1),                   // no weight
		strings.Replace(good, "3 2.5", "3 0", 1),                 // no weights
		strings.Replace(good, "grams 3 5", "grams 5 3", 1),       // bad grams
		good + "set-aside 0.9\n",                                 // sets aside what it would raise
		good + "set-aside -1\n",                                  // negative
		good + "overrule 1\n",                                    // overrules nothing
		good + "overrule -0.5\n",                                 // negative
		good + "set-aside 0.3\noverrule 0.2\n",                   // at or below the set-aside
		good + "set-aside 0.1\nset-aside-asked 0.2\n",            // asked kinds set aside more readily
		good + "set-aside-asked -0.1\n",                          // negative
		"bias 1\nthreshold 0.9\nw:tired 2.5\n",                   // the old format
	} {
		if _, err := readModel(strings.NewReader(bad)); err == nil {
			t.Errorf("readModel(%q) = nil error", bad)
		}
	}
}

// TestSetAside checks that the model sets aside a weak concern the rules
// raised on an ordinary message, keeping it as distress with its score;
// that a denial or a past attempt it reads as ordinary is also noted for
// the person's record; and that one it does not read as ordinary is still
// asked about.
func TestSetAside(t *testing.T) {
	s := mustDefault(t)
	rules, err := rulesOnly()
	if err != nil {
		t.Fatal(err)
	}
	en := s.sets[0]
	if en.model == nil || en.model.setAside <= 0 || en.model.setAsideAsked <= 0 {
		t.Fatal("the built-in model sets nothing aside")
	}
	score := func(text string) float64 {
		return en.model.prob(en.modelSum(en.model, en.cached(text, true)))
	}
	const (
		setAside = iota // kept as distress
		noted           // kept as distress and noted
		asked           // the concern stands
	)
	for _, c := range []struct {
		text string
		want int
	}{
		// The rules read a risk word; the model reads a course, a family
		// history, an idiom.
		{"I'm revising for my exam, the topic is the pharmacology of overdose", setAside},
		{"My gran was in a forced marriage in the 60s and we're doing a project about it at college", setAside},
		{"is the group still on or has it died a death", setAside},
		{"they took 6 tubes of blood today, went a bit faint but fine after a biscuit", setAside},
		// A negation, a past attempt, read as ordinary: noted.
		{"i'm not suicidal, can you find me a gardening group near me please", noted},
		{"not going to top myself over the council tax, can you help me fill in the form", noted},
		{"I used to self harm at school. Scars are faded, I'm 34 and good, only mentioning it as the form asked. Any pottery classes on Saturdays near the library please", noted},
		{"Twenty years ago I tried to take my life. I'm a grandad now and I'd like to volunteer on a helpline.", noted},
		// Not read as ordinary: asked about.
		{"I'm not suicidal but I don't see the point of getting up any more", asked},
		{"I used to self harm and lately I keep thinking about doing it again", asked},
		{"I'm not going to kill myself but I wish I could just disappear", asked},
	} {
		if f := rules.Check(c.text, nil).Risk; f.Tier != Concern {
			t.Errorf("%q: the rules alone give %+v, want a concern (the case checks nothing)", c.text, f)
			continue
		}
		limit := en.model.setAside
		if c.want != setAside {
			limit = en.model.setAsideAsked
		}
		if p := score(c.text); (p < limit) != (c.want != asked) {
			t.Errorf("%q: model score %.3f against the set-aside %.2f: the case checks nothing", c.text, p, limit)
		}
		got := s.Check(c.text, nil)
		switch {
		case c.want == asked && got.Risk.Tier != Concern:
			t.Errorf("%q: got %+v, want the concern kept", c.text, got.Risk)
		case c.want != asked && (got.Risk.Found() || got.Distress.Tier != Distress):
			t.Errorf("%q: got risk %+v, distress %+v; want the concern set aside as distress", c.text, got.Risk, got.Distress)
		case c.want == setAside && !strings.Contains(got.Distress.Rule, SetAside):
			t.Errorf("%q: distress %+v, want the concern with the model's score", c.text, got.Distress)
		case (c.want == noted) != got.Noted.Found():
			t.Errorf("%q: noted %+v, want noted %v", c.text, got.Noted, c.want == noted)
		case c.want == noted && (got.Noted.Tier != Concern || !strings.Contains(got.Noted.Rule, SetAside)):
			t.Errorf("%q: noted %+v, want the concern with the model's score", c.text, got.Noted)
		}
	}
}

// TestSetAsideExemptions gives the model a set-aside so high it would set
// aside every concern, and checks that the kinds of finding the screen
// always asks about still stand: a message told in emoji, one the Welsh
// rules read, a context rule across two messages and a message under four
// words; and, with no set-aside-asked score, a negation and a past
// attempt. An ordinary concern, the control, is set aside.
func TestSetAsideExemptions(t *testing.T) {
	s := newScreen(t)
	m := *s.sets[0].model
	m.threshold, m.setAside, m.setAsideAsked = 0.9999999, 0.999999, 0 // never raises, sets aside almost everything
	s.sets[0].model = &m
	for _, c := range []struct {
		name, text string
		recent     []string
		kept       bool
	}{
		{"control: an ordinary concern", "I'm revising for my exam, the topic is the pharmacology of overdose", nil, false},
		{"told in emoji", "💊💊💊💊 🥃 x", nil, true},
		{"read by the Welsh rules", "Dw i wedi blino'n lân heddiw, I feel hopeless about it all", nil, true},
		{"a context rule", "she died in 2018", []string{"I'm going to see my mum tonight"}, true},
		{"a negation", "i'm not suicidal, can you find me a gardening group near me please", nil, true},
		{"a past attempt", "I used to self harm at school. Scars are faded, I'm 34 and good, only mentioning it as the form asked", nil, true},
		{"under four words", "burden to everyone", []string{"i feel like such a"}, true},
	} {
		got := s.Check(c.text, c.recent)
		if kept := got.Risk.Tier == Concern; kept != c.kept {
			t.Errorf("%s: %q gave risk %+v, distress %+v; want the concern kept %v", c.name, c.text, got.Risk, got.Distress, c.kept)
		}
	}
}

// TestSetAsideAskedGuards gives the model set-aside scores so high it
// would set aside every concern, denials and past attempts included, and
// checks that a past attempt is still asked about when the message says it
// is back or asks for a person; the same attempt told as over, the control,
// is set aside and noted.
func TestSetAsideAskedGuards(t *testing.T) {
	s := newScreen(t)
	m := *s.sets[0].model
	m.threshold, m.setAside, m.setAsideAsked = 0.9999999, 0.999999, 0.99999
	s.sets[0].model = &m
	const past = "I used to self harm at school. Scars are faded, I'm 34 now"
	for _, c := range []struct {
		name, text string
		asked      bool
	}{
		{"control: told as over", past + ", only mentioning it as the form asked", false},
		{"it is back", past + " but lately the urges are back", true},
		{"a person asked for", past + ". can someone call me please", true},
	} {
		got := s.Check(c.text, nil)
		switch {
		case c.asked && got.Risk.Tier != Concern:
			t.Errorf("%s: %q gave risk %+v, noted %+v; want the concern asked", c.name, c.text, got.Risk, got.Noted)
		case !c.asked && (got.Risk.Found() || !got.Noted.Found()):
			t.Errorf("%s: %q gave risk %+v, noted %+v; want it noted", c.name, c.text, got.Risk, got.Noted)
		}
	}
}

// TestSumIsFeatureSum checks the model's fast sum (pieces of words hashed
// incrementally, concepts' slots looked up) against the weights of the
// features eachFeature names, added in the same order: the totals must be
// equal to the last bit, for every development line read by both rules
// files, whole and concepts only, and for words that reach the edge cases
// (no letters, two letters, more than gramMaxRunes, Welsh, emoji).
func TestSumIsFeatureSum(t *testing.T) {
	s := mustDefault(t)
	m := s.sets[0].model
	if m == nil || m.gramMin == 0 {
		t.Fatal("the built-in model reads no pieces of words: the test checks nothing")
	}
	texts := []string{
		"", "a b", "12345 6789", "ok", "i'm fine", "ŵyr ŷd", "🔪🩸⚰️ 💊",
		strings.Repeat("x", gramMaxRunes-1), strings.Repeat("x", gramMaxRunes), strings.Repeat("x", gramMaxRunes+1),
		"supercalifragilisticexpialidocious and antidisestablishmentarianism", "Dw i wedi blino'n lân, fy nghyllell",
	}
	paths, _ := filepath.Glob("testdata/dev*/*.tsv")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if fields := strings.Split(line, "\t"); len(fields) > 1 {
				texts = append(texts, fields[1:]...)
			}
		}
	}
	if len(texts) < 1000 {
		t.Fatalf("read %d lines, want the development sets", len(texts))
	}
	checked := 0
	for _, text := range texts {
		for k, rs := range s.sets {
			p := rs.prepareSpell(text, k == 0)
			for _, conceptsOnly := range []bool{false, true} {
				want := 0.0
				m.eachFeature(rs, p, conceptsOnly, func(f feature) { want += float64(m.table[m.slot(f)]) })
				if got := m.sum(rs, p, conceptsOnly); got != want {
					t.Fatalf("%s: sum(%q, concepts only %v) = %v, features give %v", rs.locale, text, conceptsOnly, got, want)
				}
				if want != 0 {
					checked++
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d readings had any weight; the test reads too little", checked)
	}
}

// TestTrainAverage checks the averaged weights: the mean of the last one
// pass is that pass's weights, and the mean of more passes differs from
// the last, lying between the weights it averages (here every pass moves
// the weight of a feature seen only in risk lines up).
func TestTrainAverage(t *testing.T) {
	examples := []example{{slots: []uint32{1, 2}, risk: true}, {slots: []uint32{1, 3}}, {slots: []uint32{1, 2}, risk: true}, {slots: []uint32{1, 3}}}
	train := func(average int) *model {
		cfg := trainConfig{epochs: 6, rate: 0.2, l2: 0.01, minCount: 1, riskWeight: 1, bits: 4, gramValue: 0.5, average: average}
		m := newModel(cfg)
		m.train(examples, cfg)
		return m
	}
	last, one, all := train(0), train(1), train(6)
	if !slices.Equal(last.table, one.table) || last.bias != one.bias {
		t.Errorf("the mean of the last pass differs from the last pass: %v / %v", last.table[:4], one.table[:4])
	}
	if !(all.table[2] > 0 && all.table[2] < last.table[2]) {
		t.Errorf("risk feature: averaged %.4f, last pass %.4f; want the average below the last pass and above 0", all.table[2], last.table[2])
	}
}

// TestOverrule checks that a match a rule's unless list muted is asked
// about when the model scores the message at or above the overrule score,
// named by the rule and its words, and that nothing else is: not the same
// message when the model scores it lower, not a message no rule matched.
func TestOverrule(t *testing.T) {
	const muted = "can i get a food voucher, paid rent and got nothing left til friday" // "nothing left til" mutes the rule
	s := newScreen(t)
	m := *s.sets[0].model
	m.threshold, m.setAside = 0.9999999, 0 // the model never raises a concern on its own
	s.sets[0].model = &m
	m.overrule = 0
	if got := s.Check(muted, nil); got.Risk.Found() {
		t.Fatalf("%q with no overrule: got %+v, want nothing (the case checks nothing)", muted, got.Risk)
	}
	m.overrule = 1e-9 // any score overrules
	got := s.Check(muted, nil).Risk
	if got.Tier != Concern || !strings.Contains(got.Rule, Overruled) || !strings.HasPrefix(got.Rule, "suicide/") || !strings.Contains(got.Words, "nothing left") {
		t.Errorf("%q: got %+v, want a concern from the muted suicide rule, overruled, naming its words", muted, got)
	}
	if got := s.Check("can you find me a knitting group near the library please", nil); got.Risk.Found() {
		t.Errorf("a message no rule matched: got %+v, want nothing", got.Risk)
	}
	// A joke sets aside what a rule finds; muted, it is not brought back.
	const joke = "if i have to watch that film one more time i'll kill myself lol, everything is pointless"
	if got := s.Check(strings.Replace(joke, " lol", "", 1), nil).Risk; !strings.Contains(got.Rule, Overruled) {
		t.Errorf("%q without the laugh: got %+v, want it overruled (the case checks nothing)", joke, got)
	}
	if got := s.Check(joke, nil).Risk; got.Found() {
		t.Errorf("%q: got %+v, want the joke set aside, not overruled", joke, got)
	}
	m.overrule = 0.9999998 // no score this message has
	if got := s.Check(muted, nil); got.Risk.Found() {
		t.Errorf("%q scored below the overrule: got %+v, want nothing", muted, got.Risk)
	}
}

// TestOverruledIsNotAskedAgain checks that a message the model overruled
// an unless list on was asked about when it came: a reply read with it
// raises nothing, even when the two together score above the threshold.
func TestOverruledIsNotAskedAgain(t *testing.T) {
	s := newScreen(t)
	en := s.sets[0]
	m := *en.model
	en.model = &m
	const first = "Universal credit got cut, don't know how to make it to the end of the month"
	const reply = "i dont really know what to say"
	score := func(text string) float64 { return en.modelSum(&m, en.prepare(text)) }
	p1, p2, both := m.prob(score(first)), m.prob(score(reply)), m.prob(score(first)+score(reply))
	if both <= max(p1, p2) {
		t.Fatalf("scores %.3f, %.3f, together %.3f: the reply adds nothing (the case checks nothing)", p1, p2, both)
	}
	// The model alone raises neither message, but would raise the two read
	// together; the first is overruled.
	m.threshold = (max(p1, p2) + both) / 2
	m.overrule = p1 / 2
	if got := s.Check(first, nil).Risk; !strings.Contains(got.Rule, Overruled) {
		t.Fatalf("%q: got %+v, want a concern overruled (the case checks nothing)", first, got)
	}
	if got := s.Check(reply, nil).Risk; got.Found() {
		t.Fatalf("%q alone: got %+v, want nothing (the case checks nothing)", reply, got)
	}
	if got := s.Check(reply, []string{first}).Risk; got.Found() {
		t.Errorf("a reply after an overruled message: got %+v, want nothing", got)
	}
}

// TestExplainNamesTheHeaviest checks the explainer, which keeps only the
// features that may be named, against naming them all: every feature that
// pushes the score up, each slot once by its first feature, heaviest
// first and ties by name, four of them. The weights come from a few
// values, so there are many ties, and there are many more features than
// the explainer keeps.
func TestExplainNamesTheHeaviest(t *testing.T) {
	m := &model{table: make([]float32, 1<<12)}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		clear(m.table)
		var fs []feature
		for i := range 5 + rng.IntN(120) {
			f := feature{kind: 'w', a: "w" + strconv.Itoa(rng.IntN(90))}
			if i%3 == 0 {
				f = feature{kind: 'b', a: "x" + strconv.Itoa(rng.IntN(40)), b: "y"}
			}
			fs = append(fs, f)
			m.table[m.slot(f)] = float32(rng.IntN(7) - 2) // -2 to 4: some never count
		}
		e := m.newExplainer()
		for _, f := range fs {
			e.keep(f)
		}
		// All of them, as the explainer did before it kept only some.
		seen := map[uint32]bool{}
		var all []namedWeight
		for _, f := range fs {
			s := m.slot(f)
			if seen[s] {
				continue
			}
			seen[s] = true
			if w := m.table[s]; w > 0 {
				all = append(all, namedWeight{f.name(), w})
			}
		}
		slices.SortFunc(all, func(a, b namedWeight) int {
			if c := cmp.Compare(b.w, a.w); c != 0 {
				return c
			}
			return strings.Compare(a.name, b.name)
		})
		var names []string
		for _, f := range all[:min(explained, len(all))] {
			names = append(names, f.name)
		}
		if got, want := e.explain(), "model: "+strings.Join(names, ", "); got != want {
			t.Fatalf("trial %d: explain() = %q, want %q", trial, got, want)
		}
	}
}

package risk

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed rules/*.yaml rules/*.txt
var embedded embed.FS

// ErrUnknownLocale is returned by New when no rules are built in for a locale.
var ErrUnknownLocale = errors.New("risk: no rules for locale")

// Default returns the screen Linkline runs: the built-in English rules,
// and the Welsh rules for messages in Welsh. It is built once (a few
// hundred milliseconds) and shared: a Screen is safe for concurrent use.
func Default() (*Screen, error) {
	defaultOnce.Do(func() {
		en, err := New("en")
		if err != nil {
			defaultErr = err
			return
		}
		cy, err := New("cy")
		if err != nil {
			defaultErr = err
			return
		}
		defaultScreen = Combine(en, cy)
	})
	return defaultScreen, defaultErr
}

var (
	defaultOnce   sync.Once
	defaultScreen *Screen
	defaultErr    error
)

// New returns the screen built from the embedded rules for locale ("en",
// "cy"; a regional tag such as "en-GB" falls back to its language). It
// returns an error wrapping ErrUnknownLocale when there are none.
func New(locale string) (*Screen, error) {
	s, try, err := loadRules(locale)
	if err != nil {
		return nil, err
	}
	rs := s.sets[0]
	if rs.model, err = builtinModel(try + "-model.txt"); err != nil {
		return nil, err
	}
	if rs.model != nil {
		rs.modelRule = &rule{id: "model/" + try, category: Possible, tier: Concern}
	}
	if rs.requestModel, err = builtinModel(try + "-request-model.txt"); err != nil {
		return nil, err
	}
	if rs.requestModel != nil {
		rs.requestRule = &rule{id: "person/model", category: Person, tier: Request}
	}
	return s, nil
}

// builtinModel reads the embedded model file rules/name, or returns nil
// when there is none (a locale without a model runs on rules alone).
func builtinModel(name string) (*model, error) {
	f, err := embedded.Open("rules/" + name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("risk: built-in model %s: %w", name, err)
	}
	defer f.Close()
	m, err := readModel(f)
	if err != nil {
		return nil, fmt.Errorf("risk: built-in model %s: %w", name, err)
	}
	return m, nil
}

// loadBuiltin returns the screen built from the embedded rules for locale
// without its model (for training one).
func loadBuiltin(locale string) (*Screen, error) {
	s, _, err := loadRules(locale)
	return s, err
}

// loadRules loads the embedded rules for locale, and says which file's
// name (the locale or its language) they came from.
func loadRules(locale string) (*Screen, string, error) {
	name := strings.ToLower(strings.TrimSpace(locale))
	lang, _, _ := strings.Cut(strings.ReplaceAll(name, "_", "-"), "-")
	for _, try := range []string{name, lang} {
		if try == "" || strings.ContainsAny(try, "/\\.") {
			continue
		}
		f, err := embedded.Open("rules/" + try + ".yaml")
		if err != nil {
			continue
		}
		defer f.Close()
		s, err := Load(f)
		if err != nil {
			return nil, "", fmt.Errorf("risk: built-in rules %s: %w", try, err)
		}
		return s, try, nil
	}
	return nil, "", fmt.Errorf("%w %q", ErrUnknownLocale, locale)
}

// phrase is a phrase with the line it was written on.
type phrase struct {
	Text string
	Line int
}

// UnmarshalYAML keeps the line number of each phrase.
func (p *phrase) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a phrase must be text", n.Line)
	}
	p.Text, p.Line = n.Value, n.Line
	return nil
}

// conceptDef is a concept as written: a list of phrases, or a mapping with
// `exact: true` (no word forms) and `phrases`.
type conceptDef struct {
	Exact   bool
	Phrases []phrase
	Line    int
}

// UnmarshalYAML accepts both spellings of a concept.
func (c *conceptDef) UnmarshalYAML(n *yaml.Node) error {
	c.Line = n.Line
	if n.Kind == yaml.SequenceNode {
		return n.Decode(&c.Phrases)
	}
	var m struct {
		Exact   bool     `yaml:"exact"`
		Phrases []phrase `yaml:"phrases"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	c.Exact, c.Phrases = m.Exact, m.Phrases
	return nil
}

type ruleDef struct {
	ID      string   `yaml:"id"`
	Tier    string   `yaml:"tier"`
	Phrases []phrase `yaml:"phrases"`
	All     []phrase `yaml:"all"`
	Unless  []phrase `yaml:"unless"`
	Negated string   `yaml:"negated"`
	Earlier []phrase `yaml:"earlier"`
	Now     []phrase `yaml:"now"`
	Emoji   bool     `yaml:"emoji"`
	// AlwaysAsk: a concern this rule raises is set aside (noted, not
	// asked) only below the model's set-aside-asked score, as a denial is.
	AlwaysAsk bool `yaml:"always_ask"`
	// KeepPast: a past told as over does not set this rule aside.
	KeepPast bool     `yaml:"keep_past"`
	Note     string   `yaml:"note"`
	Sources  []string `yaml:"sources"`
	line     int
}

// UnmarshalYAML keeps the rule's line.
func (r *ruleDef) UnmarshalYAML(n *yaml.Node) error {
	type plain ruleDef
	var p plain
	dec := n.Decode
	if err := dec(&p); err != nil {
		return err
	}
	*r = ruleDef(p)
	r.line = n.Line
	return nil
}

// file is the rules file format; see rules/en.yaml for the documentation a
// reviewer reads.
type file struct {
	Locale     string   `yaml:"locale"`
	Morphology string   `yaml:"morphology"`
	Spelling   *bool    `yaml:"spelling"`
	Markers    []string `yaml:"markers"`
	// MarkerSuffixes are short forms written onto a word that only this
	// language writes ("'n" in "mae'n", "teimlo'n"); each such word counts
	// as a marker.
	MarkerSuffixes []string              `yaml:"marker_suffixes"`
	ClauseWords    []string              `yaml:"clause_words"`
	ClauseUnless   []string              `yaml:"clause_unless"`
	Normalise      map[string]string     `yaml:"normalise"`
	KnownWords     []string              `yaml:"known_words"`
	Forms          map[string][]string   `yaml:"forms"`
	Concepts       map[string]conceptDef `yaml:"concepts"`
	Idioms         []phrase              `yaml:"idioms"`
	NotAfter       []phrase              `yaml:"idioms_not_after"`
	Rules          []ruleDef             `yaml:"rules"`
	Context        []ruleDef             `yaml:"context"`
	Sources        map[string]string     `yaml:"sources"`
}

// Load builds a screen from a rules file in the format of rules/en.yaml,
// e.g. one a service supplies. Everything is checked: an unknown field,
// concept, tier or category, a duplicate rule id, a concept that includes
// itself, or a malformed phrase is an error naming the line.
func Load(r io.Reader) (*Screen, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("risk: reading rules: %w", err)
	}
	rs, err := compileFile(&f)
	if err != nil {
		return nil, err
	}
	return &Screen{sets: []*ruleset{rs}}, nil
}

func compileFile(f *file) (*ruleset, error) {
	if f.Locale == "" {
		return nil, errors.New("risk: rules file has no locale")
	}
	if len(f.Rules) == 0 {
		return nil, errors.New("risk: rules file has no rules")
	}
	rs := &ruleset{
		locale: f.Locale, table: &table{byFirst: map[string][]replacement{}}, lex: newLexicon(),
		irregular: map[string][]string{}, clauseWords: map[string]bool{}, clauseUnless: map[string]bool{}, markers: map[string]bool{},
		negator: -1, notNegation: -1, jokeThreat: -1, threatControl: -1, threatPartner: -1, threatFamily: -1, threatNamed: -1, laughReal: -1, kmsSerious: -1, happeningNow: -1, pastWeeks: -1, onPurpose: -1, angerNotIdiom: -1, notOnPurpose: -1, frames: map[string]bool{"{accident}": true, "{cooking}": true, "{literal}": true, "{literal_thing}": true}, fearStrong: -1, reassure: -1, doubt: -1, pastTime: -1, pastYear: -1, bereaved: -1, resolved: -1, recurring: -1, reported: -1, jokeLaugh: -1, jokeShape: -1, jokeSerious: -1, medChecked: -1, medNow: -1, pastRecent: -1, medBenign: -1, medClinician: -1, medOver: -1, betterPast: -1, ownFailure: -1, emergencyNow: -1, circumstance: -1, situation: -1, deniedAfter: -1, medManaged: -1, medRelief: -1, idioms: newIndex(), notAfter: newIndex(), ordered: newIndex(),
		now: newIndex(), wordIDs: map[string]int{},
	}
	switch f.Morphology {
	case "", "english":
	case "welsh":
		rs.welsh = true
	default:
		return nil, fmt.Errorf("risk: morphology %q: want english or welsh", f.Morphology)
	}
	keys := make([]string, 0, len(f.Normalise))
	for k := range f.Normalise {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(strings.Fields(k)) == 0 {
			return nil, fmt.Errorf("risk: normalise: %q: empty key", k)
		}
		rs.table.add(k, f.Normalise[k])
	}
	for base, forms := range f.Forms {
		rs.irregular[strings.ToLower(base)] = append(rs.irregular[strings.ToLower(base)], forms...)
	}
	for _, c := range f.ClauseUnless {
		if _, ok := f.Concepts[c]; !ok {
			return nil, fmt.Errorf("risk: clause_unless: no concept %q", c)
		}
		rs.clauseUnless[c] = true
	}
	for _, w := range f.ClauseWords {
		rs.clauseWords[strings.ToLower(w)] = true
	}
	for _, w := range f.Markers {
		rs.markers[strings.ToLower(w)] = true
	}
	for _, sfx := range f.MarkerSuffixes {
		rs.markerSuffixes = append(rs.markerSuffixes, strings.ToLower(sfx))
	}
	if err := rs.compileConcepts(f.Concepts); err != nil {
		return nil, err
	}
	for _, w := range f.KnownWords {
		rs.lex.vocab[strings.ToLower(w)] = true
		rs.lex.typed[strings.ToLower(w)] = true
	}
	if f.Spelling == nil || *f.Spelling {
		rs.speller = newSpeller(rs.lex.vocab, func(w string) bool {
			return inDictionary(w) || rs.table.byFirst[w] != nil
		}, func(w string) bool { return rs.lex.typed[w] || inDictionary(w) })
		// A medicine's name is typed with a capital ("took all of my
		// Diazapam"): corrected to one even where a name is not (a review).
		rs.medicineWords = map[string]bool{}
		for _, ph := range f.Concepts["pills"].Phrases {
			if w := strings.ToLower(ph.Text); !strings.Contains(w, " ") {
				rs.medicineWords[w] = true
			}
		}
	}
	for _, set := range []struct {
		name string
		ps   []phrase
		x    *index
	}{{"idioms", f.Idioms, rs.idioms}, {"idioms_not_after", f.NotAfter, rs.notAfter}} {
		for _, ph := range set.ps {
			p, err := rs.compile(ph.Text, ph.Line, -1)
			if err != nil {
				return nil, fmt.Errorf("risk: %s: %w", set.name, err)
			}
			set.x.add(p)
		}
	}
	ids := map[string]bool{}
	for _, d := range append(append([]ruleDef(nil), f.Rules...), f.Context...) {
		for _, src := range d.Sources {
			if _, ok := f.Sources[src]; !ok {
				return nil, fmt.Errorf("risk: rule %s (line %d): source %q is not listed under sources", d.ID, d.line, src)
			}
		}
	}
	for _, d := range f.Rules {
		r, err := rs.compileRule(d, ids)
		if err != nil {
			return nil, err
		}
		if len(d.Earlier) > 0 || len(d.Now) > 0 {
			return nil, fmt.Errorf("risk: rule %s (line %d): earlier/now belong under context", d.ID, d.line)
		}
		if len(r.phrases) == 0 && len(r.all) == 0 {
			return nil, fmt.Errorf("risk: rule %s (line %d) has no phrases", d.ID, d.line)
		}
		owner := len(rs.rules)
		rs.rules = append(rs.rules, r)
		for _, p := range r.phrases {
			p.owner = owner
			rs.ordered.add(p)
		}
	}
	for _, d := range f.Context {
		r, err := rs.compileRule(d, ids)
		if err != nil {
			return nil, err
		}
		if len(d.Earlier) == 0 || len(d.Now) == 0 || len(d.Phrases) > 0 || len(d.All) > 0 {
			return nil, fmt.Errorf("risk: context rule %s (line %d) needs earlier and now phrases (only)", d.ID, d.line)
		}
		c := &contextRule{rule: *r}
		c.context = true
		for _, set := range []struct {
			ps  []phrase
			dst *[]*pattern
		}{{d.Earlier, &c.earlier}, {d.Now, &c.now}} {
			for _, ph := range set.ps {
				p, err := rs.compile(ph.Text, ph.Line, -1)
				if err != nil {
					return nil, fmt.Errorf("risk: context rule %s: %w", d.ID, err)
				}
				*set.dst = append(*set.dst, p)
			}
		}
		for _, p := range c.now {
			p.owner = len(rs.context)
			rs.now.add(p)
		}
		rs.context = append(rs.context, c)
	}
	rs.finishIDs()
	return rs, nil
}

func (rs *ruleset) compileRule(d ruleDef, ids map[string]bool) (*rule, error) {
	cat, err := checkID(d.ID, ids)
	if err != nil {
		return nil, err
	}
	r := &rule{id: d.ID, category: cat, tier: Tier(d.Tier), line: d.line, emoji: d.Emoji, keepConcern: d.AlwaysAsk, keepPast: d.KeepPast}
	switch r.tier {
	case Urgent, Concern:
		if cat == Distressed || cat == Person {
			return nil, fmt.Errorf("risk: rule %s (line %d): a %s rule cannot be %s", d.ID, d.line, cat, r.tier)
		}
	case Request:
		if cat != Person {
			return nil, fmt.Errorf("risk: rule %s (line %d): a request rule's id starts with person/", d.ID, d.line)
		}
	case Distress:
		if cat != Distressed {
			return nil, fmt.Errorf("risk: rule %s (line %d): a distress rule's id starts with distress/", d.ID, d.line)
		}
	default:
		return nil, fmt.Errorf("risk: rule %s (line %d): tier %q: want urgent, concern, request or distress", d.ID, d.line, d.Tier)
	}
	switch d.Negated {
	case "":
	case "concern":
		r.negated = negConcern
	case "drop":
		r.negated = negDrop
	case "keep":
		r.negated = negKeep
	default:
		return nil, fmt.Errorf("risk: rule %s (line %d): negated %q: want concern, drop or keep", d.ID, d.line, d.Negated)
	}
	for _, set := range []struct {
		ps  []phrase
		dst *[]*pattern
	}{{d.Phrases, &r.phrases}, {d.All, &r.all}, {d.Unless, &r.unless}} {
		for _, ph := range set.ps {
			p, err := rs.compile(ph.Text, ph.Line, -1)
			if err != nil {
				return nil, fmt.Errorf("risk: rule %s: %w", d.ID, err)
			}
			*set.dst = append(*set.dst, p)
		}
	}
	if len(r.all) == 1 {
		return nil, fmt.Errorf("risk: rule %s (line %d): `all` needs two or more phrases", d.ID, d.line)
	}
	for i, u := range d.Unless {
		if t := u.Text; conceptOnly.MatchString(t) && rs.clauseUnless[t[1:len(t)-1]] {
			r.clauseUnless = append(r.clauseUnless, r.unless[i])
		} else {
			r.sentenceUnless = append(r.sentenceUnless, r.unless[i])
		}
	}
	return r, nil
}

// conceptOnly matches an unless entry that is one concept and nothing
// else ("{literal}"): when the file lists the concept under clause_unless,
// it mutes a rule only in the clause the rule matched in (see
// rule.clauseUnless).
var conceptOnly = regexp.MustCompile(`^\{[a-z_0-9-]+\}$`)

// compileConcepts builds the lexicon. A concept's entry "{other}" takes in
// every phrase of another concept.
func (rs *ruleset) compileConcepts(defs map[string]conceptDef) error {
	names := make([]string, 0, len(defs))
	for name := range defs {
		if name == "count" || name == "" || strings.ContainsAny(name, "{} ") {
			return fmt.Errorf("risk: concept name %q not allowed", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		rs.lex.concept(n)
	}
	for name, dst := range map[string]*int{"not": &rs.negator, "not_negation": &rs.notNegation, "reassure": &rs.reassure, "doubt": &rs.doubt,
		"past_distant": &rs.pastTime, "past_year": &rs.pastYear, "bereaved": &rs.bereaved, "resolved": &rs.resolved, "recurring": &rs.recurring, "reported": &rs.reported,
		"joke_laugh": &rs.jokeLaugh, "joke_shape": &rs.jokeShape, "joke_serious": &rs.jokeSerious, "joke_threat": &rs.jokeThreat, "threat_control": &rs.threatControl, "threat_partner": &rs.threatPartner, "threat_family": &rs.threatFamily, "threat_partner_named": &rs.threatNamed, "laugh_real": &rs.laughReal, "kms_serious": &rs.kmsSerious, "happening_now": &rs.happeningNow, "past_weeks": &rs.pastWeeks, "on_purpose": &rs.onPurpose, "anger_not_idiom": &rs.angerNotIdiom, "not_on_purpose": &rs.notOnPurpose, "fear_strong": &rs.fearStrong,
		"med_checked": &rs.medChecked, "med_now": &rs.medNow, "past_recent": &rs.pastRecent,
		"med_benign": &rs.medBenign, "med_clinician": &rs.medClinician, "med_over": &rs.medOver, "better_past": &rs.betterPast, "own_failure": &rs.ownFailure, "emergency_now": &rs.emergencyNow, "circumstance": &rs.circumstance, "situation": &rs.situation, "denied_after": &rs.deniedAfter, "med_managed": &rs.medManaged, "med_relief": &rs.medRelief} {
		if id, ok := rs.lex.ids[name]; ok {
			*dst = id
		}
	}
	var expand func(name string, seen []string) ([]phrase, bool, error)
	expand = func(name string, seen []string) ([]phrase, bool, error) {
		if slices.Contains(seen, name) {
			return nil, false, fmt.Errorf("risk: concept %s includes itself (%s)", name, strings.Join(append(seen, name), " > "))
		}
		d := defs[name]
		var out []phrase
		for _, ph := range d.Phrases {
			t := strings.TrimSpace(ph.Text)
			if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") && !strings.Contains(t, " ") {
				inner := t[1 : len(t)-1]
				if _, ok := defs[inner]; !ok {
					return nil, false, fmt.Errorf("risk: concept %s (line %d): no concept named %s", name, ph.Line, t)
				}
				sub, _, err := expand(inner, append(seen, name))
				if err != nil {
					return nil, false, err
				}
				out = append(out, sub...)
				continue
			}
			if strings.ContainsAny(strings.ReplaceAll(t, countWord, ""), "{}~*") || strings.Contains(t, "...") || t == countWord {
				return nil, false, fmt.Errorf("risk: concept %s (line %d): %q: a concept lists plain words (with {count} for a number), or {other} alone", name, ph.Line, t)
			}
			out = append(out, ph)
		}
		return out, d.Exact, nil
	}
	for _, name := range names {
		phrases, exact, err := expand(name, nil)
		if err != nil {
			return err
		}
		if len(phrases) == 0 {
			return fmt.Errorf("risk: concept %s (line %d) has no words", name, defs[name].Line)
		}
		id := rs.lex.ids[name]
		for _, ph := range phrases {
			words := rs.phraseWords(ph.Text)
			if len(words) == 0 {
				return fmt.Errorf("risk: concept %s (line %d): %q has no words", name, ph.Line, ph.Text)
			}
			for _, w := range words {
				rs.lex.typed[w] = true
			}
			firsts := []string{words[0]}
			if !exact && words[0] != countWord {
				firsts = append(firsts, rs.wordForms(words[0])...)
			}
			rest := words[1:]
			rs.lex.add(id, firsts, rest)
			// An article inside an English phrase may be left out, as in
			// patterns (see elem.optional): "walk in front of train".
			if !rs.welsh && len(rest) > 1 {
				if short := withoutArticles(rest[:len(rest)-1]); len(short) < len(rest)-1 {
					rs.lex.add(id, firsts, append(short, rest[len(rest)-1]))
				}
			}
			// The last word of a phrase takes its forms too ("sleeping
			// pill" / "sleeping pills").
			if !exact && len(rest) > 0 && rest[len(rest)-1] != countWord {
				last := rest[len(rest)-1]
				for _, f := range rs.wordForms(last) {
					alt := append(append([]string(nil), rest[:len(rest)-1]...), f)
					rs.lex.add(id, []string{words[0]}, alt)
				}
			}
		}
	}
	return nil
}

// countWord stands in a concept's phrase for a number {count} matches
// ("when i was {count}"); a message's number matches it (see
// lexicon.countID).
const countWord = "{count}"

// phraseWords returns the words of a concept's phrase, normalised as a
// message is, with countWord where the phrase has {count}.
func (rs *ruleset) phraseWords(text string) []string {
	var words []string
	for i, part := range strings.Split(text, countWord) {
		if i > 0 {
			words = append(words, countWord)
		}
		n := rs.normalise(part)
		for k := range n.toks {
			words = append(words, n.word(k))
		}
	}
	return words
}

// withoutArticles returns ws without its articles.
func withoutArticles(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if !articles[w] {
			out = append(out, w)
		}
	}
	return out
}

// checkID validates a rule id "category/name" and returns its category.
func checkID(id string, seen map[string]bool) (string, error) {
	cat, name, ok := strings.Cut(id, "/")
	if !ok || name == "" || !slices.Contains(allCategories(), cat) {
		return "", fmt.Errorf("risk: rule id %q must be category/name with category one of %s", id, strings.Join(allCategories(), ", "))
	}
	if seen[id] {
		return "", fmt.Errorf("risk: rule id %q used twice", id)
	}
	seen[id] = true
	return cat, nil
}

package risk

// A concept is a named list of words and phrases that mean one thing for
// the rules ("die": die, dead, death, not wake up, ...). The lexicon finds
// every concept in a message: for each word, which concepts start there
// and where each ends.

// mark says that a concept's phrase covers tokens [start, end).
type mark struct {
	concept int
	end     int
}

type lexEntry struct {
	concept int
	rest    []string // the phrase's words after the first
}

type lexicon struct {
	names   []string
	ids     map[string]int
	byFirst map[string][]lexEntry
	// vocab is every word of every concept phrase, in every form: what the
	// speller may correct towards.
	vocab map[string]bool
}

func newLexicon() *lexicon {
	return &lexicon{ids: map[string]int{}, byFirst: map[string][]lexEntry{}, vocab: map[string]bool{}}
}

// concept returns the id of a concept, creating it.
func (l *lexicon) concept(name string) int {
	if id, ok := l.ids[name]; ok {
		return id
	}
	l.ids[name] = len(l.names)
	l.names = append(l.names, name)
	return len(l.names) - 1
}

// add files a phrase (already normalised) under a concept, with the first
// word in each of firsts (its word forms).
func (l *lexicon) add(concept int, firsts []string, rest []string) {
	for _, f := range firsts {
		dup := false
		for _, e := range l.byFirst[f] {
			if e.concept == concept && equalWords(e.rest, rest) {
				dup = true
				break
			}
		}
		if !dup {
			l.byFirst[f] = append(l.byFirst[f], lexEntry{concept: concept, rest: rest})
		}
		l.vocab[f] = true
	}
	for _, w := range rest {
		l.vocab[w] = true
	}
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// annotate returns, for each token, the concepts whose phrases start there.
// A phrase never runs over a sentence break or a blanked token.
func (l *lexicon) annotate(toks []token) [][]mark {
	marks := make([][]mark, len(toks))
	for i := range toks {
		t := &toks[i]
		if t.w == "" {
			continue
		}
		l.marksAt(toks, i, t.w, &marks[i])
		for _, a := range t.alts {
			l.marksAt(toks, i, a, &marks[i])
		}
	}
	return marks
}

func (l *lexicon) marksAt(toks []token, i int, first string, out *[]mark) {
next:
	for _, e := range l.byFirst[first] {
		if i+1+len(e.rest) > len(toks) {
			continue
		}
		for j, w := range e.rest {
			t := &toks[i+1+j]
			if t.brk == sentenceBreak || !t.is(w) {
				continue next
			}
		}
		m := mark{concept: e.concept, end: i + 1 + len(e.rest)}
		for _, o := range *out {
			if o == m {
				continue next
			}
		}
		*out = append(*out, m)
	}
}

package risk

import "slices"

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

// lexFirst holds the phrases that start with one word: those of one word,
// and the longer ones filed by their second word, so a message's word is
// only compared with phrases that can match it.
type lexFirst struct {
	single []int
	multi  map[string][]lexEntry
}

type lexicon struct {
	names   []string
	ids     map[string]int
	byFirst map[string]*lexFirst
	// vocab is every word of every concept phrase, in every form: what the
	// speller may correct towards.
	vocab map[string]bool
	// first is byFirst by word id (see intern.go), built once loaded; its
	// phrases are in the flat arrays below, which hold no pointers, so the
	// garbage collector has nothing in them to walk.
	first []lexFirstIDs
	// singles are concept ids; keys are second words, each list in order,
	// with keySpans (the place of each key's entries in entries) beside
	// them; rest are the words of entries after the first.
	singles  []int32
	keys     []int32
	keySpans [][2]int32
	entries  []lexEntryIDs
	rest     []int32
	// longest is the most words a phrase has.
	longest int
}

// lexFirstIDs is lexFirst with words as ids: the concepts of its one-word
// phrases are singles[single:single+nSingle], and the second words of its
// longer ones keys[keys:keys+nKeys] (the zero value: none).
type lexFirstIDs struct {
	single, nSingle int32
	keys, nKeys     int32
}

// entriesOf returns the entries of the phrases that start with f's word
// and have second word w.
func (l *lexicon) entriesOf(f *lexFirstIDs, w int32) []lexEntryIDs {
	keys := l.keys[f.keys : f.keys+f.nKeys]
	k := -1
	if len(keys) <= 16 {
		for j, x := range keys {
			if x == w {
				k = j
				break
			}
		}
	} else if j, ok := slices.BinarySearch(keys, w); ok {
		k = j
	}
	if k < 0 {
		return nil
	}
	sp := l.keySpans[int(f.keys)+k]
	return l.entries[sp[0]:sp[1]]
}

// lexEntryIDs is a phrase of two or more words: its words after the first
// are rest[rest:rest+nRest].
type lexEntryIDs struct {
	concept     int32
	rest, nRest int32
}

func newLexicon() *lexicon {
	return &lexicon{ids: map[string]int{}, byFirst: map[string]*lexFirst{}, vocab: map[string]bool{}}
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
		lf := l.byFirst[f]
		if lf == nil {
			lf = &lexFirst{multi: map[string][]lexEntry{}}
			l.byFirst[f] = lf
		}
		if len(rest) == 0 {
			if !slices.Contains(lf.single, concept) {
				lf.single = append(lf.single, concept)
			}
		} else {
			dup := false
			for _, e := range lf.multi[rest[0]] {
				dup = dup || e.concept == concept && equalWords(e.rest, rest)
			}
			if !dup {
				lf.multi[rest[0]] = append(lf.multi[rest[0]], lexEntry{concept: concept, rest: rest})
			}
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

// annotateInto returns, for each token, the concepts whose phrases start
// there. A phrase never runs over a sentence break or a blanked token.
//
// Every token's marks are cut from one backing array (a message has few),
// so annotating costs two allocations, not one per token. marks and buf
// (from an earlier call, or nil) are reused where they are large enough;
// both are returned for the next reuse.
func (l *lexicon) annotateInto(toks []token, marks [][]mark, buf []mark) ([][]mark, []mark) {
	if cap(marks) >= len(toks) {
		marks = marks[:len(toks)]
		clear(marks)
	} else {
		marks = make([][]mark, len(toks))
	}
	if buf == nil {
		buf = make([]mark, 0, len(toks)+8)
	}
	return marks, l.annotateRange(toks, marks, buf[:0], 0, len(toks))
}

// annotateRange redoes the marks of the tokens [from, to) after their
// words changed (blanked idioms), or all of them (annotateInto), and
// returns buf. Marks already made are left where they are: a new mark
// goes after them in buf (or in a new array, when buf is full).
func (l *lexicon) annotateRange(toks []token, marks [][]mark, buf []mark, from, to int) []mark {
	for i := from; i < to; i++ {
		marks[i] = nil
		t := &toks[i]
		if t.w == "" {
			continue
		}
		start := len(buf)
		buf = l.marksAt(toks, i, t.id, buf, start)
		for _, a := range t.altIDs {
			buf = l.marksAt(toks, i, a, buf, start)
		}
		if len(buf) > start {
			marks[i] = buf[start:len(buf):len(buf)]
		}
	}
	return buf
}

// marksAt adds to buf the marks of phrases that start at token i with word
// first; buf[from:] are the marks found at i so far.
func (l *lexicon) marksAt(toks []token, i int, first int32, buf []mark, from int) []mark {
	if first == noWord {
		return buf
	}
	lf := &l.first[first]
	for _, c := range l.singles[lf.single : lf.single+lf.nSingle] {
		buf = addMark(buf, from, mark{concept: int(c), end: i + 1})
	}
	if lf.nKeys == 0 || i+1 >= len(toks) || toks[i+1].brk == sentenceBreak {
		return buf
	}
	next := &toks[i+1]
	for k := -1; k < len(next.altIDs); k++ {
		w := next.id
		if k >= 0 {
			w = next.altIDs[k]
		}
		if w == noWord {
			continue
		}
	entries:
		for _, e := range l.entriesOf(lf, w) {
			rest := l.rest[e.rest : e.rest+e.nRest]
			if i+1+len(rest) > len(toks) {
				continue
			}
			for j, rw := range rest[1:] {
				t := &toks[i+2+j]
				if t.brk == sentenceBreak || !t.isID(rw) {
					continue entries
				}
			}
			buf = addMark(buf, from, mark{concept: int(e.concept), end: i + 1 + len(rest)})
		}
	}
	return buf
}

// addMark appends m to buf unless buf[from:] has it.
func addMark(buf []mark, from int, m mark) []mark {
	for _, o := range buf[from:] {
		if o == m {
			return buf
		}
	}
	return append(buf, m)
}

package risk

import (
	"slices"
	"sync"
)

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
	// typed holds the words written in a concept phrase as they are
	// written (not a form made from one): the speller prefers a real word
	// to a made one (see newSpeller).
	typed map[string]bool
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
	// countID is countWord's id, which every number {count} matches
	// stands for as well as its own (noWord: no phrase has {count}).
	countID int32
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
	return &lexicon{ids: map[string]int{}, byFirst: map[string]*lexFirst{}, vocab: map[string]bool{}, typed: map[string]bool{}}
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
	delete(l.vocab, countWord) // never typed: nothing is corrected towards it
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

// markList holds the concept marks of a message's tokens: those of token
// i are all[at[i]:at[i+1]], in the order they were found. Neither array
// holds pointers.
type markList struct {
	at  []int32
	all []mark
}

// of returns the marks of token i.
func (ml *markList) of(i int) []mark { return ml.all[ml.at[i]:ml.at[i+1]] }

// annotate returns, for each token, the concepts whose phrases start
// there, made in dst's arrays (reused: dst is from an earlier call, or
// empty). A phrase never runs over a sentence break or a blanked token.
// Only the tokens [from, to) are read: the others keep their marks in old
// (after idioms were blanked, only a phrase that reaches a blanked word
// can have changed); old is nil when [from, to) is every token.
func (l *lexicon) annotate(toks []token, alts []int32, old *markList, from, to int, dst markList) markList {
	dst.at = append(dst.at[:0], 0)
	dst.all = dst.all[:0]
	for i := range toks {
		if i < from || i >= to {
			dst.all = append(dst.all, old.of(i)...)
		} else if t := &toks[i]; t.nw != 0 {
			start := len(dst.all)
			dst.all = l.marksAt(toks, alts, i, t.id, dst.all, start)
			for _, a := range t.alts(alts) {
				dst.all = l.marksAt(toks, alts, i, a, dst.all, start)
			}
			if t.count {
				dst.all = l.marksAt(toks, alts, i, l.countID, dst.all, start)
			}
		}
		dst.at = append(dst.at, int32(len(dst.all)))
	}
	return dst
}

// markScratch holds the arrays marks are made in before they are kept.
var markScratch = sync.Pool{New: func() any { return new([2]markList) }}

// marksAt adds to buf the marks of phrases that start at token i with word
// first; buf[from:] are the marks found at i so far.
func (l *lexicon) marksAt(toks []token, alts []int32, i int, first int32, buf []mark, from int) []mark {
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
	nextAlts := next.alts(alts)
	for k := -1; k <= len(nextAlts); k++ {
		w := next.id
		if k == len(nextAlts) {
			if !next.count {
				break
			}
			w = l.countID
		} else if k >= 0 {
			w = nextAlts[k]
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
				if t.brk == sentenceBreak || !t.isID(rw, alts) && !(t.count && rw == l.countID) {
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

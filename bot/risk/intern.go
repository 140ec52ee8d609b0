package risk

// Word ids. Every word a concept phrase or a rule's phrase uses gets a
// number when the rules file is loaded (ruleset.wordIDs), and each word of a
// message is looked up once, when it is prepared; from then on the
// lexicon, the pattern indexes and the patterns themselves compare numbers,
// not strings. This is only for speed: a word no rule or concept uses
// matches nothing either way.

import (
	"slices"
	"strings"
)

// noWord is the id of a word no concept or rule uses (and of a blanked
// token).
const noWord int32 = -1

// idOf returns w's id, or noWord.
func (rs *ruleset) idOf(w string) int32 {
	if id, ok := rs.wordIDs[w]; ok {
		return int32(id)
	}
	return noWord
}

// wordInfo is what a ruleset knows about a word, found with one lookup
// (see ruleset.info).
type wordInfo struct {
	id int32 // the word's id, or noWord
	// known: a concept's word or a word the file lists as known, or the
	// first word of a normalising entry (the spelling tolerance leaves it
	// alone; see ruleset.known).
	known bool
	// table: the first word of a normalising entry; tab is then its
	// entries' place in table.lists.
	table bool
	// nalt is how many radical readings the word has in Welsh (its
	// radicalIDs), stored at ruleset.alts[alt:alt+nalt].
	nalt uint8
	tab  int32
	alt  int32
}

// alts returns the ids of the token's other readings (its word's
// radicalIDs), given the ruleset's alts; shared and read only.
func (t *token) alts(all []int32) []int32 {
	if t.nalt == 0 {
		return nil // every English word, most Welsh ones
	}
	a, b := t.alt, t.alt+int32(t.nalt)
	return all[a:b:b]
}

// buildInfo makes ruleset.info, once everything is loaded.
func (rs *ruleset) buildInfo() {
	info := make(map[string]wordInfo, len(rs.wordIDs)+len(rs.table.byFirst))
	get := func(w string) wordInfo {
		if inf, ok := info[w]; ok {
			return inf
		}
		return wordInfo{id: rs.idOf(w)}
	}
	for w := range rs.wordIDs {
		info[w] = get(w)
	}
	for w := range rs.lex.vocab {
		inf := get(w)
		inf.known = true
		info[w] = inf
	}
	rs.table.lists = rs.table.lists[:0]
	for w, list := range rs.table.byFirst {
		inf := get(w)
		inf.known, inf.table, inf.tab = true, true, int32(len(rs.table.lists))
		info[w] = inf
		rs.table.lists = append(rs.table.lists, list)
	}
	rs.alts = nil
	if rs.welsh {
		// Every word with a radical reading the rules use is a mutation
		// of one of the rules' words (see mutatedForms): its radicals are
		// worked out here, once, and a message's word finds them with the
		// lookup that finds its id.
		for _, w := range rs.mutatedForms() {
			ids := rs.radicalIDs(w, nil)
			if len(ids) == 0 {
				continue
			}
			if len(ids) > 255 {
				panic("risk: a word with more than 255 radical readings") // at most len(welshMutations)+2
			}
			inf := get(w)
			inf.alt, inf.nalt = int32(len(rs.alts)), uint8(len(ids))
			rs.alts = append(rs.alts, ids...)
			info[w] = inf
		}
	}
	for _, list := range rs.table.lists {
		for k := range list {
			r := &list[k]
			r.infos = make([]wordInfo, len(r.value))
			for j, v := range r.value {
				r.infos[j] = get(v)
			}
		}
	}
	rs.info = info
	rs.clauseFilter = newWordFilter(rs.clauseWords)
	rs.markerFilter = newWordFilter(rs.markers)
	rs.suffixApostrophe = true
	for _, s := range rs.markerSuffixes {
		rs.suffixApostrophe = rs.suffixApostrophe && strings.Contains(s, "'")
	}
}

// lookup returns what rs knows of w; a word it knows nothing of has no id.
func (rs *ruleset) lookup(w string) wordInfo {
	if inf, ok := rs.info[w]; ok {
		return inf
	}
	return wordInfo{id: noWord}
}

// mutatedForms returns every word that welshRadicals can read as one of
// the rules' words (with others, which radicalIDs then finds nothing for):
// each mutation undone backwards from each word the rules use. A word not
// among them has no radical reading the rules use.
func (rs *ruleset) mutatedForms() []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for r := range rs.wordIDs {
		for _, m := range welshMutations {
			// radicalIDs reads w = mutated+rest, len(rest) >= 2, as
			// radical+rest.
			if rest, ok := strings.CutPrefix(r, m.radical); ok && len(rest) >= 2 {
				add(m.mutated + rest)
			}
		}
		if rest, ok := strings.CutPrefix(r, "g"); ok && rest != "" {
			add(rest) // a lost soft-mutated g: w is read as "g"+w
		}
		add("h" + r) // an h before a vowel: w is read as w[1:]
	}
	slices.Sort(out)
	return out
}

// radicalIDs appends to dst the ids of welshRadicals(w), in order, leaving
// out those no rule or concept uses, without building the strings.
func (rs *ruleset) radicalIDs(w string, dst []int32) []int32 {
	var buf [64]byte
	add := func(prefix, rest string) {
		b := append(append(buf[:0], prefix...), rest...)
		if id, ok := rs.wordIDs[string(b)]; ok {
			dst = append(dst, int32(id))
		}
	}
	for _, m := range welshMutations {
		if strings.HasPrefix(w, m.mutated) && len(w) > len(m.mutated)+1 {
			add(m.radical, w[len(m.mutated):])
		}
	}
	if w != "" && isVowel(w[0]) || strings.HasPrefix(w, "w") || strings.HasPrefix(w, "r") || strings.HasPrefix(w, "l") {
		add("g", w)
	}
	if len(w) > 2 && w[0] == 'h' && isVowel(w[1]) {
		add("", w[1:])
	}
	return dst
}

// isID reports whether the token reads as word id (itself or another
// reading), given the ruleset's alts.
func (t *token) isID(id int32, alts []int32) bool {
	if t.id == id {
		return id != noWord
	}
	for _, a := range t.alts(alts) {
		if a == id {
			return true
		}
	}
	return false
}

// finishIDs numbers the lexicon's words and builds the id-keyed lexicon,
// pattern elements and indexes, once every phrase is compiled.
func (rs *ruleset) finishIDs() {
	l := rs.lex
	for w, lf := range l.byFirst {
		rs.wordID(w)
		for _, es := range lf.multi {
			for _, e := range es {
				for _, r := range e.rest {
					rs.wordID(r)
				}
			}
		}
	}
	n := len(rs.wordIDs)
	l.first = make([]lexFirstIDs, n)
	l.singles, l.keys, l.keySpans, l.entries, l.rest = nil, nil, nil, nil, nil
	l.longest = 1
	l.countID = rs.idOf(countWord)
	firsts := make([]string, 0, len(l.byFirst))
	for w := range l.byFirst {
		firsts = append(firsts, w)
	}
	slices.Sort(firsts) // the arrays' layout is the same on every load
	for _, w := range firsts {
		lf := l.byFirst[w]
		f := lexFirstIDs{single: int32(len(l.singles)), nSingle: int32(len(lf.single))}
		for _, c := range lf.single {
			l.singles = append(l.singles, int32(c))
		}
		seconds := make([]int32, 0, len(lf.multi))
		bySecond := make(map[int32][]lexEntry, len(lf.multi))
		for second, es := range lf.multi {
			id := rs.idOf(second)
			seconds = append(seconds, id)
			bySecond[id] = es
		}
		slices.Sort(seconds)
		f.keys, f.nKeys = int32(len(l.keys)), int32(len(seconds))
		for _, id := range seconds {
			es := bySecond[id]
			l.keys = append(l.keys, id)
			l.keySpans = append(l.keySpans, [2]int32{int32(len(l.entries)), int32(len(l.entries) + len(es))})
			for _, e := range es {
				le := lexEntryIDs{concept: int32(e.concept), rest: int32(len(l.rest)), nRest: int32(len(e.rest))}
				for _, r := range e.rest {
					l.rest = append(l.rest, rs.idOf(r))
				}
				l.entries = append(l.entries, le)
				l.longest = max(l.longest, 1+len(e.rest))
			}
		}
		l.first[rs.idOf(w)] = f
	}
	for _, p := range rs.compiled {
		for k := range p.elems {
			e := &p.elems[k]
			switch e.kind {
			case litElem:
				e.id = rs.idOf(e.word)
			case formsElem:
				e.formIDs = e.formIDs[:0]
				for f := range e.forms {
					e.formIDs = append(e.formIDs, rs.idOf(f))
				}
			}
		}
	}
	rs.words = n
	rs.longLists = 0
	rs.buildSignatures()
	rs.buildInfo()
	for _, x := range []*index{rs.idioms, rs.notAfter, rs.ordered, rs.now} {
		x.finish(rs, len(l.names))
	}
	rs.dropLoadOnly()
}

// dropLoadOnly lets go of what only loading needed, now that the id-keyed
// forms are built: the string-keyed lexicon and indexes, each word form's
// set and the speller's source words. They were tens of thousands of small
// objects that the garbage collector walked in every cycle, between the
// checks of messages.
func (rs *ruleset) dropLoadOnly() {
	rs.lex.byFirst, rs.lex.vocab = nil, nil
	for _, x := range []*index{rs.idioms, rs.notAfter, rs.ordered, rs.now} {
		x.byWord, x.byConcept, x.counted = nil, nil, nil
	}
	for _, p := range rs.compiled {
		for k := range p.elems {
			p.elems[k].forms = nil
		}
	}
}

// minMemo is the fewest patterns an index list needs for a sentence to
// keep which of them it can hold (see presence.memo).
const minMemo = 16

// finish builds the id-keyed lists from byWord and byConcept.
func (x *index) finish(rs *ruleset, concepts int) {
	memo := func(ps []*pattern) int32 {
		if len(ps) < minMemo {
			return -1
		}
		rs.longLists++
		return int32(rs.longLists - 1)
	}
	x.byWordID = make([][]indexed, len(rs.wordIDs))
	x.wordMemo = make([]int32, len(rs.wordIDs))
	for i := range x.wordMemo {
		x.wordMemo[i] = -1
	}
	for w, ps := range x.byWord {
		x.byWordID[rs.idOf(w)] = indexedList(ps)
		x.wordMemo[rs.idOf(w)] = memo(ps)
	}
	x.byConceptID = make([][]indexed, concepts)
	x.conceptMemo = make([]int32, concepts)
	for c := range x.conceptMemo {
		x.conceptMemo[c] = -1
	}
	for c, ps := range x.byConcept {
		x.byConceptID[c] = indexedList(ps)
		x.conceptMemo[c] = memo(ps)
	}
	x.countedSigs = indexedList(x.counted)
}

// wordFilter answers "certainly not in the set" for most words that are
// not, faster than the set's map: a bit for each (length, first letter,
// last letter) some word of the set has. A word whose bit is set is looked
// up in the map as before; the filter only skips lookups that would fail.
// The zero filter (not built) skips nothing.
type wordFilter struct {
	built bool
	bits  [128]uint64
}

func filterBit(w string) uint {
	return uint(len(w)&7)<<10 | uint(w[0]&31)<<5 | uint(w[len(w)-1]&31)
}

func newWordFilter(set map[string]bool) wordFilter {
	f := wordFilter{built: true}
	for w := range set {
		if w == "" {
			return wordFilter{} // not built: every word is looked up
		}
		b := filterBit(w)
		f.bits[b/64] |= 1 << (b % 64)
	}
	return f
}

// mayHave reports whether w may be in the set: false only if it is not.
func (f *wordFilter) mayHave(w string) bool {
	if !f.built || w == "" {
		return true
	}
	b := filterBit(w)
	return f.bits[b/64]&(1<<(b%64)) != 0
}

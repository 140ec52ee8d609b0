package risk

import (
	"fmt"
	"slices"
	"strings"
)

// Gaps a pattern may contain: "..." stands for up to shortGap words, "~"
// for up to longGap words. Neither runs over a sentence break.
const (
	shortGap = 3
	longGap  = 8
)

// minCount is the smallest number {count} matches.
const minCount = 10

type elemKind uint8

const (
	litElem     elemKind = iota // one word, as written
	formsElem                   // one word in any of its forms ("take*")
	conceptElem                 // any phrase of a concept
	gapElem                     // 0..max words
	countElem                   // a number >= minCount
	endElem                     // the end of the message ("$")
)

type elem struct {
	kind    elemKind
	word    string
	forms   map[string]bool
	id      int32   // word's id (litElem)
	formIDs []int32 // the ids of forms (formsElem)
	concept int
	max     int
	// optional marks an article inside an English phrase ("had an
	// attempt"): it matches the article or nothing, so "had attempt" and
	// "took overdose", as people who drop articles write them, match too.
	optional bool
}

// articles are the words an English phrase may do without (see
// elem.optional).
var articles = map[string]bool{"a": true, "an": true, "the": true}

// pattern is one compiled phrase of a rule.
type pattern struct {
	elems []elem
	// anchored: the phrase began with "^" and matches only at the start
	// of a sentence ("^ person $": a message that is just "person", or
	// "naw. person.", but not "she is a lovely person").
	anchored bool
	// needConcepts and needWords are what a sentence must hold somewhere
	// for the pattern to match in it: its concepts, and for each of its
	// words the forms any one of which will do. Checking them first skips
	// most patterns without trying their gaps.
	// needWords holds, for each word need, how many ids will do and then
	// those ids (ruleset.wordIDs): one array, not one for each need.
	needConcepts []int
	needWords    []int32
	// sig is the signature of the needs (see signature).
	sig   signature
	id    int    // index among the ruleset's patterns
	owner int    // index of the rule it belongs to
	text  string // as written in the rules file
	line  int    // line in the rules file
}

// hasGap reports whether p has a gap ("~" or "..."): words that need not
// be next to each other.
func (p *pattern) hasGap() bool {
	if p == nil {
		return false
	}
	for _, e := range p.elems {
		if e.kind == gapElem {
			return true
		}
	}
	return false
}

// matcher holds the state of matching patterns against one run of tokens.
type matcher struct {
	toks  []token
	marks *markList
	alts  []int32 // the ruleset's (see token.alts)
	limit int     // tokens at or after limit are out of reach (the sentence end)
	more  bool    // the tokens are a joined window and the message goes on past them (see prepared.more)
	// present, if set, is what the sentence holds, for skipping patterns
	// that cannot match in it.
	present *presence
	// The positions the current match consumed (not gaps): covN of them,
	// the first in covArr and any after those in covMore, so that
	// matching allocates nothing (a matcher lives on its caller's stack).
	covN    int
	covArr  [24]int
	covMore []int
}

// push records that the match consumed pos.
func (m *matcher) push(pos int) {
	if m.covN < len(m.covArr) {
		m.covArr[m.covN] = pos
	} else {
		m.covMore = append(m.covMore[:m.covN-len(m.covArr)], pos)
	}
	m.covN++
}

// cov returns the positions the last match consumed.
func (m *matcher) cov() []int {
	if m.covN <= len(m.covArr) {
		return m.covArr[:m.covN]
	}
	return append(slices.Clip(m.covArr[:]), m.covMore[:m.covN-len(m.covArr)]...)
}

// at matches elems from pos and returns the end of the first match found.
// On success m.cov() gives the positions the match consumed.
func (m *matcher) at(elems []elem, pos int) (int, bool) {
	if len(elems) == 0 {
		return pos, true
	}
	e, rest := &elems[0], elems[1:]
	n := m.covN
	switch e.kind {
	case litElem, formsElem, countElem:
		if pos < m.limit && e.matches(&m.toks[pos], m.alts) {
			m.push(pos)
			if end, ok := m.at(rest, pos+1); ok {
				return end, true
			}
			m.covN = n
		}
		if e.optional {
			return m.at(rest, pos)
		}
		return 0, false
	case conceptElem:
		if pos >= m.limit {
			return 0, false
		}
		for _, mk := range m.marks.of(pos) {
			if mk.concept != e.concept || mk.end > m.limit {
				continue
			}
			for k := pos; k < mk.end; k++ {
				m.push(k)
			}
			if end, ok := m.at(rest, mk.end); ok {
				return end, true
			}
			m.covN = n
		}
	case endElem:
		if m.more {
			return 0, false
		}
		for k := pos; k < len(m.toks); k++ {
			if m.toks[k].nw != 0 {
				return 0, false // words follow (blanked ones, such as a dropped emoji, do not count)
			}
		}
		return pos, true
	case gapElem:
		for k := 0; k <= e.max && pos+k <= m.limit; k++ {
			if end, ok := m.at(rest, pos+k); ok {
				return end, true
			}
		}
	}
	m.covN = n
	return 0, false
}

// sentenceStart reports whether token i starts a sentence: no word
// stands before it in its sentence (a blanked one, such as a dropped
// "lol", does not count).
func (m *matcher) sentenceStart(i int) bool {
	for k := i; k > 0; k-- {
		if m.toks[k].brk == sentenceBreak {
			return true
		}
		if m.toks[k-1].nw != 0 {
			return false
		}
	}
	return true
}

func (e *elem) matches(t *token, alts []int32) bool {
	switch e.kind {
	case litElem:
		return t.isID(e.id, alts)
	case formsElem:
		if t.id != noWord && containsID(e.formIDs, t.id) {
			return true
		}
		for _, a := range t.alts(alts) {
			if containsID(e.formIDs, a) {
				return true
			}
		}
	case countElem:
		return t.count
	}
	return false
}

// find looks for p anywhere in [from, m.limit) and returns the first match.
func (m *matcher) find(p *pattern, from int) (start, end int, ok bool) {
	for i := from; i < m.limit; i++ {
		if p.anchored && !m.sentenceStart(i) {
			continue
		}
		m.covN = 0
		if end, ok := m.at(p.elems, i); ok {
			return i, end, true
		}
	}
	return 0, 0, false
}

func isCount(w string) bool {
	if w == "" || !allDigits(w) {
		return false
	}
	w = strings.TrimLeft(w, "0")
	if len(w) > 2 {
		return true
	}
	n := 0
	for _, c := range w {
		n = n*10 + int(c-'0')
	}
	return n >= minCount
}

func allDigits(w string) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// compile turns a phrase as written into a pattern. Plain words are
// normalised like messages ("don't" is "do not"); "word*" is any form of
// word; {name} is a concept; "..." and "~" are gaps; {count} a number.
func (rs *ruleset) compile(text string, line, owner int) (*pattern, error) {
	p := &pattern{owner: owner, text: text, line: line}
	if rest, ok := strings.CutPrefix(text, "^ "); ok {
		p.anchored, text = true, rest
	}
	var plain []string
	flush := func() {
		n := rs.normalise(strings.Join(plain, " "))
		for i := range n.toks {
			w := n.word(i)
			opt := !rs.welsh && len(p.elems) > 0 && articles[w]
			p.elems = append(p.elems, elem{kind: litElem, word: w, optional: opt})
		}
		plain = plain[:0]
	}
	gap := func(max int) error {
		flush()
		if n := len(p.elems); n == 0 || p.elems[n-1].kind == gapElem {
			return fmt.Errorf("line %d: phrase %q: a gap must come between words", line, text)
		}
		p.elems = append(p.elems, elem{kind: gapElem, max: max})
		return nil
	}
	for _, f := range strings.Fields(text) {
		switch {
		case f == "...":
			if err := gap(shortGap); err != nil {
				return nil, err
			}
		case f == "~":
			if err := gap(longGap); err != nil {
				return nil, err
			}
		case f == "^":
			return nil, fmt.Errorf("line %d: phrase %q: ^ (the start of a sentence) must come first", line, text)
		case f == "$":
			flush()
			if len(p.elems) == 0 {
				return nil, fmt.Errorf("line %d: phrase %q: $ (the end of the message) must come after words", line, text)
			}
			p.elems = append(p.elems, elem{kind: endElem})
		case f == "{count}":
			flush()
			p.elems = append(p.elems, elem{kind: countElem})
		case strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}"):
			flush()
			id, ok := rs.lex.ids[f[1:len(f)-1]]
			if !ok {
				return nil, fmt.Errorf("line %d: phrase %q: no concept named %s", line, text, f)
			}
			p.elems = append(p.elems, elem{kind: conceptElem, concept: id})
		case strings.ContainsAny(f, "{}"):
			return nil, fmt.Errorf("line %d: phrase %q: write a concept as {name}, separated by spaces", line, text)
		case strings.HasSuffix(f, "*") && len(f) > 1:
			flush()
			base := strings.ToLower(strings.TrimSuffix(f, "*"))
			e := elem{kind: formsElem, word: base, forms: map[string]bool{base: true}}
			for _, x := range rs.wordForms(base) {
				e.forms[x] = true
			}
			p.elems = append(p.elems, e)
		default:
			plain = append(plain, f)
		}
	}
	flush()
	if len(p.elems) == 0 {
		return nil, fmt.Errorf("line %d: phrase %q has no words", line, text)
	}
	for _, e := range p.elems[:len(p.elems)-1] {
		if e.kind == endElem {
			return nil, fmt.Errorf("line %d: phrase %q: $ (the end of the message) must come last", line, text)
		}
	}
	if p.elems[len(p.elems)-1].kind == gapElem {
		return nil, fmt.Errorf("line %d: phrase %q: a gap must come between words", line, text)
	}
	if p.elems[len(p.elems)-1].optional {
		p.elems[len(p.elems)-1].optional = false // a phrase ends in a word it needs
	}
	for _, e := range p.elems[1:] {
		if !e.optional {
			p.need(rs, e)
		}
	}
	// The first element is checked last: where the pattern is tried from
	// an index, it is present.
	p.need(rs, p.elems[0])
	p.id = rs.patterns
	rs.patterns++
	rs.compiled = append(rs.compiled, p)
	return p, nil
}

// need adds what e requires of a sentence to p's needs.
func (p *pattern) need(rs *ruleset, e elem) {
	switch e.kind {
	case conceptElem:
		p.needConcepts = append(p.needConcepts, e.concept)
	case litElem:
		p.needWords = append(p.needWords, 1, int32(rs.wordID(e.word)))
	case formsElem:
		p.needWords = append(p.needWords, int32(len(e.forms)))
		for f := range e.forms {
			p.needWords = append(p.needWords, int32(rs.wordID(f)))
		}
	}
}

// eachWordNeed calls fn with the ids of each of p's word needs, any one
// of which will do.
func (p *pattern) eachWordNeed(fn func(ids []int32)) {
	for k := 0; k < len(p.needWords); {
		n := int(p.needWords[k])
		fn(p.needWords[k+1 : k+1+n])
		k += 1 + n
	}
}

// wordID returns the id of a word the patterns use, assigning one.
func (rs *ruleset) wordID(w string) int {
	if id, ok := rs.wordIDs[w]; ok {
		return id
	}
	id := len(rs.wordIDs)
	rs.wordIDs[w] = id
	return id
}

// presence is what one sentence holds, as bit sets: the pattern words in it
// (with their other readings) and the concepts found in it; and, per
// pattern, whether it was found feasible already.
type presence struct {
	words, concepts []uint64
	checked         []int8 // per pattern id: 0 not yet, 1 feasible, 2 not
	// checkedIDs are the pattern ids set in checked, cleared one by one
	// when the presence is reused (far fewer than all the patterns).
	checkedIDs []int32
	// sig is the signature of what the sentence holds (see signature).
	sig signature
	// memo holds, for each long index list (see index.wordMemo), the
	// places in it of the patterns feasible in the sentence, made on the
	// list's first visit: a list visited again in the same sentence ("i",
	// {not}) is read from here. An entry counts only when its gen is the
	// presence's.
	memo []listMemo
	gen  uint32
}

// hasConcept reports whether concept c (an id; -1 for none) is in the
// sentence.
func (pr *presence) hasConcept(c int) bool {
	return c >= 0 && c/64 < len(pr.concepts) && pr.concepts[c/64]&(1<<(c%64)) != 0
}

type listMemo struct {
	gen uint32
	at  []int32
}

// signature is a small summary of a set of needs (a pattern's) or of what
// a sentence holds: each concept, and each of a pattern's word needs (a
// word, or a word's forms), sets one of 256 bits. A sentence sets the bit
// of every need that one of its words or concepts meets, so a pattern
// whose bits are not all in the sentence's cannot be feasible there; one
// whose bits are all there is checked in full. It only skips work: it
// never decides a match.
type signature [4]uint64

func (s *signature) set(bit uint) { s[bit/64&3] |= 1 << (bit % 64) }

func (s *signature) or(o *signature) {
	s[0], s[1], s[2], s[3] = s[0]|o[0], s[1]|o[1], s[2]|o[2], s[3]|o[3]
}

// covers reports whether every bit of o is in s.
func (s *signature) covers(o *signature) bool {
	return o[0]&^s[0]|o[1]&^s[1]|o[2]&^s[2]|o[3]&^s[3] == 0
}

// sigBit is the bit of a concept or of a word need (keyed by its first
// word id).
func sigBit(x uint64) uint {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return uint(x & 255)
}

func conceptBit(c int) uint        { return sigBit(uint64(c)<<1 | 1) }
func wordNeedBit(ids []int32) uint { return sigBit(uint64(slices.Min(ids)) << 1) }

// buildSignatures sets each pattern's signature, and for each word id the
// bits of every word need it meets.
func (rs *ruleset) buildSignatures() {
	rs.wordSigs = make([]signature, rs.words)
	for _, p := range rs.compiled {
		p.sig = signature{}
		for _, c := range p.needConcepts {
			p.sig.set(conceptBit(c))
		}
		p.eachWordNeed(func(ids []int32) {
			bit := wordNeedBit(ids)
			p.sig.set(bit)
			for _, id := range ids {
				rs.wordSigs[id].set(bit)
			}
		})
	}
}

// newPresence returns the presence of toks[from:to]; give it back with
// release when the sentence is done.
func (rs *ruleset) newPresence(toks []token, marks *markList, from, to int) *presence {
	ps, _ := rs.presences.Get().(*presence)
	if ps == nil || len(ps.memo) != rs.longLists {
		ps = &presence{words: make([]uint64, (rs.words+63)/64),
			concepts: make([]uint64, (len(rs.lex.names)+63)/64), checked: make([]int8, rs.patterns),
			memo: make([]listMemo, rs.longLists), gen: 1}
	} else {
		ps.gen++
		clear(ps.words)
		clear(ps.concepts)
		for _, id := range ps.checkedIDs {
			ps.checked[id] = 0
		}
		ps.checkedIDs = ps.checkedIDs[:0]
		ps.sig = signature{}
	}
	set := func(bits []uint64, i int) { bits[i/64] |= 1 << (i % 64) }
	for i := from; i < to; i++ {
		t := &toks[i]
		if t.nw == 0 {
			continue
		}
		if t.id != noWord {
			set(ps.words, int(t.id))
			ps.sig.or(&rs.wordSigs[t.id])
		}
		for _, a := range t.alts(rs.alts) {
			set(ps.words, int(a))
			ps.sig.or(&rs.wordSigs[a])
		}
	}
	// The marks of toks[from:to] are one run (a blanked token has none).
	if from < to {
		for _, mk := range marks.all[marks.at[from]:marks.at[to]] {
			set(ps.concepts, mk.concept)
			ps.sig.set(conceptBit(mk.concept))
		}
	}
	return ps
}

// release gives ps back for another sentence.
func (rs *ruleset) release(ps *presence) { rs.presences.Put(ps) }

// feasible reports whether the sentence holds everything p needs.
func (p *pattern) feasible(ps *presence) bool {
	return ps.sig.covers(&p.sig) && p.feasibleChecked(ps)
}

// feasibleChecked is feasible for a pattern whose signature the sentence's
// covers: the full check, made once per sentence.
func (p *pattern) feasibleChecked(ps *presence) bool {
	if c := ps.checked[p.id]; c != 0 {
		return c == 1
	}
	ok := p.feasibleNow(ps)
	ps.checked[p.id] = 2
	ps.checkedIDs = append(ps.checkedIDs, int32(p.id))
	if ok {
		ps.checked[p.id] = 1
	}
	return ok
}

func (p *pattern) feasibleNow(ps *presence) bool {
	has := func(bits []uint64, i int) bool { return bits[uint(i)/64]&(1<<(uint(i)%64)) != 0 }
	for _, c := range p.needConcepts {
		if !has(ps.concepts, c) {
			return false
		}
	}
	ws := p.needWords
next:
	for k := 0; k < len(ws); {
		n := int(ws[k])
		ids := ws[k+1 : k+1+n]
		k += 1 + n
		for _, id := range ids {
			if has(ps.words, int(id)) {
				continue next
			}
		}
		return false
	}
	return true
}

// index files patterns by what their first element can match, so only the
// patterns that can start at a token are tried there.
type index struct {
	byConcept map[int][]*pattern
	byWord    map[string][]*pattern
	counted   []*pattern
	// byWordID and byConceptID are byWord and byConcept by id, and
	// countedSigs is counted, each pattern with its signature, built once
	// the rules are loaded (see intern.go).
	byWordID, byConceptID [][]indexed
	countedSigs           []indexed
	// wordMemo and conceptMemo give, for each long list, its number
	// among the ruleset's long lists (-1 for a short one): what a
	// sentence can hold of a long list is worked out once per sentence
	// (see presence.memo).
	wordMemo, conceptMemo []int32
}

// indexed is a pattern in an index, with a copy of its signature, so most
// patterns that cannot match in a sentence are passed over without
// reading the pattern.
type indexed struct {
	sig signature
	p   *pattern
}

func indexedList(ps []*pattern) []indexed {
	if len(ps) == 0 {
		return nil
	}
	out := make([]indexed, len(ps))
	for i, p := range ps {
		out[i] = indexed{sig: p.sig, p: p}
	}
	return out
}

func newIndex() *index {
	return &index{byConcept: map[int][]*pattern{}, byWord: map[string][]*pattern{}}
}

func (x *index) add(p *pattern) {
	switch e := p.elems[0]; e.kind {
	case litElem:
		x.byWord[e.word] = append(x.byWord[e.word], p)
	case formsElem:
		for f := range e.forms {
			x.byWord[f] = append(x.byWord[f], p)
		}
	case conceptElem:
		x.byConcept[e.concept] = append(x.byConcept[e.concept], p)
	case countElem:
		x.counted = append(x.counted, p)
	}
}

// each calls fn for every match of an indexed pattern starting in
// [from, to); fn returns false to stop.
func (x *index) each(m *matcher, from, to int, fn func(p *pattern, start, end int) bool) {
	// try tries the patterns of list at i, and reports whether to go on.
	try := func(list []indexed, i int) bool {
		for k := range list {
			e := &list[k]
			if ps := m.present; ps != nil && (!ps.sig.covers(&e.sig) || !e.p.feasibleChecked(ps)) {
				continue
			}
			if e.p.anchored && !m.sentenceStart(i) {
				continue
			}
			m.covN = 0
			if end, ok := m.at(e.p.elems, i); ok && !fn(e.p, i, end) {
				return false
			}
		}
		return true
	}
	// tryMemo is try for long list number id, with the presence's memo of
	// its feasible patterns (made on first need). The patterns tried, and
	// their order, are try's.
	tryMemo := func(list []indexed, id int32, i int) bool {
		ps := m.present
		mm := &ps.memo[id]
		if mm.gen != ps.gen {
			at := mm.at[:0]
			for k := range list {
				if e := &list[k]; ps.sig.covers(&e.sig) && e.p.feasibleChecked(ps) {
					at = append(at, int32(k))
				}
			}
			mm.at, mm.gen = at, ps.gen
		}
		for _, k := range mm.at {
			p := list[k].p
			if p.anchored && !m.sentenceStart(i) {
				continue
			}
			m.covN = 0
			if end, ok := m.at(p.elems, i); ok && !fn(p, i, end) {
				return false
			}
		}
		return true
	}
	for i := from; i < to && i < m.limit; i++ {
		t := &m.toks[i]
		if t.nw == 0 {
			continue
		}
		alts := t.alts(m.alts)
		for k := -1; k < len(alts); k++ {
			w := t.id
			if k >= 0 {
				w = alts[k]
			}
			if w == noWord {
				continue
			}
			if id := x.wordMemo[w]; id >= 0 && m.present != nil {
				if !tryMemo(x.byWordID[w], id, i) {
					return
				}
			} else if !try(x.byWordID[w], i) {
				return
			}
		}
		ms := m.marks.of(i)
	marks:
		for k, mk := range ms {
			for _, o := range ms[:k] {
				if o.concept == mk.concept {
					continue marks
				}
			}
			if id := x.conceptMemo[mk.concept]; id >= 0 && m.present != nil {
				if !tryMemo(x.byConceptID[mk.concept], id, i) {
					return
				}
			} else if !try(x.byConceptID[mk.concept], i) {
				return
			}
		}
		if len(x.countedSigs) > 0 && t.count {
			if !try(x.countedSigs, i) {
				return
			}
		}
	}
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

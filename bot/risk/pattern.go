package risk

import (
	"fmt"
	"strings"
)

// maxGap is how many words "..." in a phrase may stand for.
const maxGap = 3

// minCount is the smallest number {count} matches.
const minCount = 10

type elemKind uint8

const (
	litElem   elemKind = iota // one word
	slotElem                  // one of a slot's word runs
	gapElem                   // 0..maxGap words
	countElem                 // a number >= minCount
)

type elem struct {
	kind elemKind
	word string
	alts map[string][][]string // slot word runs by first word
}

// pattern is one compiled phrase.
type pattern struct {
	elems []elem
	owner int    // index of the rule (or context rule) it belongs to
	text  string // as written in the rules file
	line  int    // line in the rules file
}

// matcher finds any of a set of patterns in a run of words.
type matcher struct {
	byFirst map[string][]*pattern
	counted []*pattern // patterns that start with {count}
}

func newMatcher() *matcher { return &matcher{byFirst: map[string][]*pattern{}} }

func (m *matcher) add(p *pattern) {
	switch e := p.elems[0]; e.kind {
	case litElem:
		m.byFirst[e.word] = append(m.byFirst[e.word], p)
	case slotElem:
		for first := range e.alts {
			m.byFirst[first] = append(m.byFirst[first], p)
		}
	case countElem:
		m.counted = append(m.counted, p)
	}
}

// span is where a pattern matched: words[start:end].
type span struct {
	p          *pattern
	start, end int
}

// find calls fn for every match starting in words[from:to]; fn returns
// false to stop.
func (m *matcher) find(words []string, from, to int, fn func(span) bool) {
	for i := from; i < to && i < len(words); i++ {
		w := words[i]
		if w == "" {
			continue
		}
		for _, p := range m.byFirst[w] {
			if end, ok := matchAt(p.elems, words, i); ok && !fn(span{p, i, end}) {
				return
			}
		}
		if isCount(w) {
			for _, p := range m.counted {
				if end, ok := matchAt(p.elems, words, i); ok && !fn(span{p, i, end}) {
					return
				}
			}
		}
	}
}

// any reports whether any pattern matches anywhere in words.
func (m *matcher) any(words []string) bool {
	found := false
	m.find(words, 0, len(words), func(span) bool { found = true; return false })
	return found
}

// matchAt matches elems against words from pos and returns the end of the
// shortest match.
func matchAt(elems []elem, words []string, pos int) (int, bool) {
	if len(elems) == 0 {
		return pos, true
	}
	e, rest := elems[0], elems[1:]
	switch e.kind {
	case litElem:
		if pos < len(words) && words[pos] == e.word {
			return matchAt(rest, words, pos+1)
		}
	case countElem:
		if pos < len(words) && isCount(words[pos]) {
			return matchAt(rest, words, pos+1)
		}
	case slotElem:
		if pos >= len(words) {
			break
		}
		for _, alt := range e.alts[words[pos]] {
			if hasWords(words[pos:], alt) {
				if end, ok := matchAt(rest, words, pos+len(alt)); ok {
					return end, true
				}
			}
		}
	case gapElem:
		for k := 0; k <= maxGap && pos+k <= len(words); k++ {
			if end, ok := matchAt(rest, words, pos+k); ok {
				return end, true
			}
		}
	}
	return 0, false
}

func hasWords(words, want []string) bool {
	if len(want) > len(words) {
		return false
	}
	for i, w := range want {
		if words[i] != w {
			return false
		}
	}
	return true
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

// compiler turns phrases as written into patterns.
type compiler struct {
	norm  *normaliser
	slots map[string][][]string
}

// text normalises a run of plain words the way messages are normalised.
func (c *compiler) text(s string) []string {
	return c.norm.words(tokenise(s))
}

func (c *compiler) compile(text string, line int, owner int) (*pattern, error) {
	p := &pattern{owner: owner, text: text, line: line}
	var plain []string
	flush := func() {
		for _, w := range c.text(strings.Join(plain, " ")) {
			p.elems = append(p.elems, elem{kind: litElem, word: w})
		}
		plain = plain[:0]
	}
	for _, f := range strings.Fields(text) {
		switch {
		case f == "...":
			flush()
			if n := len(p.elems); n == 0 || p.elems[n-1].kind == gapElem {
				return nil, fmt.Errorf("line %d: phrase %q: \"...\" must come between words", line, text)
			}
			p.elems = append(p.elems, elem{kind: gapElem})
		case f == "{count}":
			flush()
			p.elems = append(p.elems, elem{kind: countElem})
		case strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}"):
			flush()
			runs, ok := c.slots[f[1:len(f)-1]]
			if !ok {
				return nil, fmt.Errorf("line %d: phrase %q: no slot named %s", line, text, f)
			}
			alts := map[string][][]string{}
			for _, run := range runs {
				alts[run[0]] = append(alts[run[0]], run)
			}
			p.elems = append(p.elems, elem{kind: slotElem, alts: alts})
		case strings.ContainsAny(f, "{}"):
			return nil, fmt.Errorf("line %d: phrase %q: write a slot as {name}, separated by spaces", line, text)
		default:
			plain = append(plain, f)
		}
	}
	flush()
	if len(p.elems) == 0 {
		return nil, fmt.Errorf("line %d: phrase %q has no words", line, text)
	}
	if p.elems[len(p.elems)-1].kind == gapElem {
		return nil, fmt.Errorf("line %d: phrase %q: \"...\" must come between words", line, text)
	}
	return p, nil
}

package risk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a message as typed, in the forms the normalisation
// table is matched against.
type token struct {
	raw   string // lower case, apostrophes inside the word kept ("od'd")
	bare  string // apostrophes removed ("odd")
	short string // bare with runs of three or more of a letter cut to one ("kmsss" -> "kms")
}

// replacement is one entry of the normalisation table: a run of words and
// what it becomes.
type replacement struct {
	key   []string
	value []string
}

// normaliser rewrites text-speak and misspellings. Entries are indexed by
// their first key word; each list is longest key first.
type normaliser struct {
	byFirst map[string][]replacement
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '`' || r == '\u02bc' || r == '\u00b4'
}

// tokenise splits text into lower-case words. Anything other than a letter
// or digit separates words, except an apostrophe inside a word. Invalid
// UTF-8 separates words too.
func tokenise(text string) []token {
	buf := make([]byte, 0, len(text)+1)
	inWord := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				buf, inWord = append(buf, c), true
			case 'A' <= c && c <= 'Z':
				buf, inWord = append(buf, c+'a'-'A'), true
			case (c == '\'' || c == '`') && inWord:
				buf = append(buf, '\'')
			default:
				buf, inWord = append(buf, ' '), false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			buf, inWord = append(buf, ' '), false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf, inWord = utf8.AppendRune(buf, unicode.ToLower(r)), true
		case isApostrophe(r) && inWord:
			buf = append(buf, '\'')
		default:
			buf, inWord = append(buf, ' '), false
		}
	}
	fields := strings.Fields(string(buf))
	toks := make([]token, 0, len(fields))
	for _, w := range fields {
		w = strings.TrimRight(w, "'")
		if w == "" {
			continue
		}
		bare := w
		if strings.IndexByte(w, '\'') >= 0 {
			bare = strings.ReplaceAll(w, "'", "")
		}
		toks = append(toks, token{raw: w, bare: bare, short: squeeze(bare, 3)})
	}
	return toks
}

// squeeze cuts every run of at least min repeats of one letter down to a
// single letter. Digits are left alone so numbers keep their value.
func squeeze(s string, min int) string {
	if !hasRun(s, min) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		if j-i >= min && unicode.IsLetter(rs[i]) {
			b.WriteRune(rs[i])
		} else {
			for k := i; k < j; k++ {
				b.WriteRune(rs[k])
			}
		}
		i = j
	}
	return b.String()
}

func hasRun(s string, min int) bool {
	var prev rune = -1
	n := 0
	for _, r := range s {
		if r == prev {
			n++
			if n >= min {
				return true
			}
		} else {
			prev, n = r, 1
		}
	}
	return false
}

// skeleton is the form words are compared in: repeated letters count as
// one, so "kill", "kil" and "killll" are the same word.
func skeleton(w string) string { return squeeze(w, 2) }

func (t token) is(key string) bool {
	return key == t.raw || key == t.bare || key == t.short
}

// words normalises toks and returns their skeletons, ready for matching.
func (n *normaliser) words(toks []token) []string {
	out := make([]string, 0, len(toks)+4)
	for i := 0; i < len(toks); {
		if r, ok := n.lookup(toks[i:]); ok {
			for _, v := range r.value {
				out = append(out, skeleton(v))
			}
			i += len(r.key)
			continue
		}
		out = append(out, skeleton(toks[i].bare))
		i++
	}
	return out
}

func (n *normaliser) lookup(toks []token) (replacement, bool) {
	t := toks[0]
	forms := [3]string{t.raw, t.bare, t.short}
	for k, form := range forms {
		if k > 0 && form == forms[k-1] {
			continue
		}
	next:
		for _, r := range n.byFirst[form] {
			if len(r.key) > len(toks) {
				continue
			}
			for j, kw := range r.key {
				if !toks[j].is(kw) {
					continue next
				}
			}
			return r, true
		}
	}
	return replacement{}, false
}

func (n *normaliser) add(key, value string) {
	r := replacement{key: strings.Fields(strings.ToLower(key)), value: strings.Fields(strings.ToLower(value))}
	for i, k := range r.key {
		r.key[i] = strings.Map(func(r rune) rune {
			if isApostrophe(r) {
				return '\''
			}
			return r
		}, k)
	}
	first := r.key[0]
	list := append(n.byFirst[first], r)
	// Longest key first, so "want 2" wins over "want".
	for i := len(list) - 1; i > 0 && len(list[i].key) > len(list[i-1].key); i-- {
		list[i], list[i-1] = list[i-1], list[i]
	}
	n.byFirst[first] = list
}

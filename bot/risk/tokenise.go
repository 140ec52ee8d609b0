package risk

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// word is one word (or emoji) of a message as it was typed, before the
// normalisation table is applied.
type word struct {
	text       string // lower case, apostrophes inside the word kept as ' (and the one before a Welsh "'na")
	start, end int    // byte offsets in the message
	// brk is the boundary before this word: none, a clause break (comma,
	// dash, colon) or a sentence break (. ! ? ; new line).
	brk boundary
	// idx is the word's place among the message's words as tokenised, or
	// -1 for a word split off a Welsh short form (see splitWelshClitics),
	// which was not typed as it reads.
	idx int32
}

type boundary uint8

const (
	noBreak boundary = iota
	clauseBreak
	sentenceBreak
)

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '`' || r == '\u02bc' || r == '\u00b4'
}

// isEmoji reports whether r is a pictograph that may carry meaning on its
// own (🔪, 💊, 🩸, ⚰). Modifiers, joiners and variation selectors are not.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF: // pictographs, emoticons, transport, supplemental
		return !(r >= 0x1F3FB && r <= 0x1F3FF) // skin tones
	case r >= 0x2600 && r <= 0x27BF: // miscellaneous symbols, dingbats (⚰ ☠ ✂)
		return true
	}
	return false
}

// tokenise splits text into lower-case words, each emoji a word of its own,
// and records the breaks between them. Anything else that is not a letter
// or digit separates words, except an apostrophe inside a word. Invalid
// UTF-8 separates words too.
func tokenise(text string) []word { return tokeniseInto(make([]word, 0, len(text)/5+1), text) }

// tokeniseInto is tokenise, appending to out.
func tokeniseInto(out []word, text string) []word {
	first := len(out)
	start := -1
	// simple is set while the word so far is plain lower-case ASCII, which
	// is used as typed, without copying.
	simple := true
	pending := noBreak
	// The other words are lower-cased one after another into low, and
	// made strings all at once at the end (one allocation, not one a
	// word): lowered lists which words' texts are low[a:b].
	var lowBuf [256]byte
	low := lowBuf[:0]
	type span struct{ i, a, b int32 }
	var loweredBuf [16]span
	lowered := loweredBuf[:0]
	flush := func(end int) {
		if start < 0 {
			return
		}
		if !simple {
			a := len(low)
			low = appendLower(low, text[start:end])
			b := len(low)
			for b > a && low[b-1] == '\'' {
				b--
			}
			low = low[:b]
			if b > a {
				lowered = append(lowered, span{int32(len(out)), int32(a), int32(b)})
				out = append(out, word{start: start, end: end, brk: pending, idx: int32(len(out))})
				pending = noBreak
			}
			start = -1
			return
		}
		w := strings.TrimRight(text[start:end], "'")
		if w != "" {
			out = append(out, word{text: w, start: start, end: end, brk: pending, idx: int32(len(out))})
			pending = noBreak
		}
		start = -1
	}
	mark := func(k boundary) {
		if k > pending {
			pending = k
		}
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == utf8.RuneError && size <= 1:
			flush(i)
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			if start < 0 {
				start, simple = i, true
			}
		case 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf && isWordRune(r, start >= 0):
			if start < 0 {
				start = i
			}
			simple = false
		case isApostrophe(r) && start >= 0:
			simple = simple && r == '\''
		case isEmoji(r):
			flush(i)
			out = append(out, word{text: text[i : i+size], start: i, end: i + size, brk: pending, idx: int32(len(out))})
			pending = noBreak
		case r == '.' && start >= 0 && i > 0 && isDigit(text[i-1]) && i+1 < len(text) && isDigit(text[i+1]):
			// A decimal point joins its digits: "sugar is 2.1" is one
			// reading, not two sentences.
		default:
			flush(i)
			switch r {
			case '.', '!', '?', ';', '\n', '\r', '\u2026':
				mark(sentenceBreak)
			case ',', ':', '(', ')', '\u2013', '\u2014', '/', '|':
				mark(clauseBreak)
			case '-':
				// A hyphen inside a word ("self-harm") joins; spaced it is a dash.
				if i == 0 || i+1 >= len(text) || text[i-1] == ' ' || text[i+1] == ' ' {
					mark(clauseBreak)
				}
			}
		}
		i += size
	}
	flush(len(text))
	if len(lowered) > 0 {
		all := string(low)
		for _, l := range lowered {
			out[l.i].text = all[l.a:l.b]
		}
	}
	// A Welsh "'na" is yna ("that", "there": "y dyn 'na", "oes 'na
	// rywun?"), not na ("no"): it keeps its apostrophe (in its text and
	// its span), so the Welsh table reads it as yna and it is not taken
	// for a negation. (Other words drop an apostrophe before them; an
	// English reading of "'na" is that of "na", as the table is also tried
	// without apostrophes.)
	for i := first; i < len(out); i++ {
		if out[i].text == "na" {
			if size := apostropheBefore(text, out[i].start); size > 0 {
				out[i].text = "'na"
				out[i].start -= size
			}
		}
	}
	return out
}

// apostropheBefore returns the size of the apostrophe the word at byte
// offset start of text is typed right after, when that apostrophe begins
// the word (it follows a space, a punctuation mark or nothing: "dyn 'na",
// not "na'n"); 0 otherwise.
func apostropheBefore(text string, start int) int {
	r, size := utf8.DecodeLastRuneInString(text[:start])
	if !isApostrophe(r) {
		return 0
	}
	if p, _ := utf8.DecodeLastRuneInString(text[:start-size]); start-size > 0 && (unicode.IsLetter(p) || unicode.IsDigit(p)) {
		return 0
	}
	return size
}

// appendLower appends s to b with its letters lower-cased and every
// apostrophe written as '.
func appendLower(b []byte, s string) []byte {
	for i, r := range s {
		if c := s[i]; c < utf8.RuneSelf { // the same as below, for one byte
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '`':
				c = '\''
			}
			b = append(b, c)
			continue
		}
		if isApostrophe(r) {
			b = append(b, '\'')
		} else {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	return b
}

// wordBufs holds word slices for tokenising a message whose words are not
// kept (they become tokens, or are only counted).
var wordBufs = sync.Pool{New: func() any { return new([]word) }}

// borrowWords tokenises text into a pooled slice; give it back with
// returnWords when done with the words.
func borrowWords(text string) (*[]word, []word) {
	buf := wordBufs.Get().(*[]word)
	return buf, tokeniseInto((*buf)[:0], text)
}

func returnWords(buf *[]word, ws []word) {
	clear(ws)
	*buf = ws[:0]
	wordBufs.Put(buf)
}

// lazyWords tokenises a message at most once, on first need, into a
// pooled slice; release gives the slice back.
type lazyWords struct {
	text string
	buf  *[]word
	ws   []word
	// both, if set, is what two rules files that both read the message
	// know of its words, looked up once for the two (see known).
	both *bothKnown
}

// maxBothWords is the most words bothKnown holds: a longer message has
// each rules file look its words up itself.
const maxBothWords = 64

// bothKnown is what two rules files (a combined screen's first two, see
// Screen.both) know of each word of a message both of them read: each
// word as tokenised is looked up once, in one table, for both files.
type bothKnown struct {
	sets  [2]*ruleset
	table map[string][2]wordInfo
	done  bool // looked up (or the message is too long: infos[k] nil)
	infos [2][]wordInfo
	buf   [2][maxBothWords]wordInfo
}

// known returns what rs knows of each of the message's words as
// tokenised (infos[i] is rs.lookup(words()[i].text)), or nil when they
// were not looked up for it.
func (l *lazyWords) known(rs *ruleset) []wordInfo {
	b := l.both
	if b == nil || b.sets[0] != rs && b.sets[1] != rs {
		return nil
	}
	if !b.done {
		b.done = true
		if ws := l.words(); len(ws) <= maxBothWords {
			b.infos = [2][]wordInfo{b.buf[0][:len(ws)], b.buf[1][:len(ws)]}
			for i, w := range ws {
				inf, ok := b.table[w.text]
				if !ok {
					inf = [2]wordInfo{{id: noWord}, {id: noWord}} // known to neither
				}
				b.infos[0][i], b.infos[1][i] = inf[0], inf[1]
			}
		}
	}
	if b.sets[0] == rs {
		return b.infos[0]
	}
	return b.infos[1]
}

func (l *lazyWords) words() []word {
	if l.buf == nil {
		l.buf, l.ws = borrowWords(l.text)
	}
	return l.ws
}

func (l *lazyWords) release() {
	if l.buf != nil {
		returnWords(l.buf, l.ws)
		l.buf, l.ws = nil, nil
	}
	if l.both != nil {
		b := l.both
		b.sets, b.table, b.done, b.infos = [2]*ruleset{}, nil, false, [2][]wordInfo{}
		bothPool.Put(b)
		l.both = nil
	}
}

// bothPool holds bothKnowns for reuse (one is 2 KB).
var bothPool = sync.Pool{New: func() any { return new(bothKnown) }}

// borrowBoth returns a bothKnown for files a and b and their table; give
// it back with lazyWords.release.
func borrowBoth(a, b *ruleset, table map[string][2]wordInfo) *bothKnown {
	bk := bothPool.Get().(*bothKnown)
	bk.sets, bk.table = [2]*ruleset{a, b}, table
	return bk
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordRune reports whether r, a rune outside ASCII, is part of a word: a
// letter or digit, or a combining mark inside a word (inWord). Among ASCII
// runes only letters and digits are (tokeniseInto tests those itself, so
// spaces and punctuation never search the Unicode tables).
func isWordRune(r rune, inWord bool) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || inWord && unicode.Is(unicode.Mn, r)
}

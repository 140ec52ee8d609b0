package risk

import "strings"

// Words typed without spaces ("iwanttodie", "imgonnakmstonight") are read
// as the words they are made of, so a rule can find them. Only a word that
// is neither a real word nor a word the rules know, of seven to twenty-six
// letters a to z, is split, and only into two to seven pieces that are each
// a real word (or a word of this file, such as "wanna"), with at least one
// piece of three letters or more that the rules use (or that the file
// rewrites, as "wanttodie") and one a person ("i", "me", "myself", "he",
// or text-speak that holds one, as "iwant" or "killmyself"), or, right
// after a word that is a person, a first piece that goes on from one
// ("im gonnadie", not "hes beeting": leadPieces): words run together as a
// sentence is, not a compound or a name ("bloodstock", "kilburn",
// "parkinsons" are left alone), nor a handle or a hashtag with no person in
// it ("wannadieforpizza", "cantstopwontstop": a review found these split
// into false alarms). A word the
// spelling tolerance can read ("sueside") is read that way instead. Among the splits the
// one with the fewest pieces wins, then the one with the longest pieces
// ("i want to die", not "i wan tto die"). One- and two-letter pieces are
// limited to common words: the word list has many short oddities ("tto" is
// not among them, but "ow" and "ed" are).

const (
	minJoined = 7
	maxJoined = 26
	maxPieces = 7
)

// shortPieces are the one- and two-letter words a joined word may hold.
var shortPieces = map[string]bool{
	"i": true, "a": true, "u": true, "r": true, "y": true,
	"am": true, "an": true, "as": true, "at": true, "be": true, "by": true,
	"do": true, "go": true, "he": true, "if": true, "in": true, "is": true,
	"it": true, "me": true, "my": true, "no": true, "of": true, "ok": true,
	"on": true, "or": true, "so": true, "to": true, "up": true, "us": true,
	"we": true, "im": true, "ur": true, "ya": true,
}

// personPieces are the pieces that make a joined word a run of a sentence.
var personPieces = map[string]bool{
	"i": true, "im": true, "ive": true, "me": true, "my": true, "myself": true,
	"u": true, "ur": true, "you": true, "he": true, "hes": true, "him": true,
	"she": true, "shes": true, "her": true, "we": true, "us": true,
	"they": true, "them": true,
}

// personWord reports whether a typed word is a person piece, with or
// without its apostrophe ("i'm", "im").
func personWord(s string) bool {
	if personPieces[s] {
		return true
	}
	return strings.IndexFunc(s, isApostrophe) >= 0 && personPieces[strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return -1
		}
		return r
	}, s)]
}

// leadPieces are the first pieces that go on from a person typed before
// the joined word: "im gonnadie", "i wannadie".
var leadPieces = map[string]bool{
	"gonna": true, "gunna": true, "wanna": true, "tryna": true, "gotta": true,
	"going": true, "want": true, "need": true, "just": true,
}

// joinedWord reports whether w is a candidate for splitting: long enough,
// letters a to z only.
func joinedWord(w string) bool {
	if len(w) < minJoined || len(w) > maxJoined {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// piece reports whether p may be one piece of a joined word.
func (rs *ruleset) piece(p string) bool {
	if len(p) <= 2 {
		return shortPieces[p]
	}
	return rs.known(p)
}

// segment returns the pieces w splits into, or nil. w must pass joinedWord
// and not be known; person says the word before it is a person.
func (rs *ruleset) segment(w string, afterPerson bool) []string {
	n := len(w)
	// best[i]: the fewest pieces w[:i] splits into (0: none), with the sum
	// of their squared lengths to break ties; from[i]: where its last piece
	// starts.
	var best, score, from [maxJoined + 1]int
	for i := 1; i <= n; i++ {
		for j := 0; j < i; j++ {
			if j > 0 && best[j] == 0 || best[j] >= maxPieces {
				continue
			}
			p := w[j:i]
			if !rs.piece(p) {
				continue
			}
			c, s := best[j]+1, score[j]+len(p)*len(p)
			if best[i] == 0 || c < best[i] || c == best[i] && s > score[i] {
				best[i], score[i], from[i] = c, s, j
			}
		}
	}
	if best[n] < 2 {
		return nil
	}
	pieces := make([]string, best[n])
	used, person := false, false
	for i, k := n, best[n]-1; i > 0; i, k = from[i], k-1 {
		p := w[from[i]:i]
		pieces[k] = p
		if inf := rs.lookup(p); len(p) >= 3 && (inf.id != noWord || inf.table) {
			used = true
		}
		person = person || personPieces[p] || rs.personShorthand(p)
	}
	if !used || !person && !(afterPerson && leadPieces[pieces[0]]) {
		return nil
	}
	return pieces
}

// personShorthand reports whether p is text-speak the rules rewrite to
// words with a person in them ("iwant" -> "i want", "imma" -> "i am
// going to", "killmyself" -> "kill myself"), so "iwanttoendit" splits as
// "iwant to end it" and "tokillmyself" as "to killmyself".
func (rs *ruleset) personShorthand(p string) bool {
	inf := rs.lookup(p)
	if !inf.table || int(inf.tab) >= len(rs.table.lists) {
		return false
	}
	for _, r := range rs.table.lists[inf.tab] {
		if len(r.key) != 1 {
			continue
		}
		for _, v := range r.value {
			if personPieces[v] {
				return true
			}
		}
	}
	return false
}

// joined reports whether w is split: see segment. afterPerson says the
// word typed before it is a person ("im" in "im gonnadie").
func (rs *ruleset) joined(w string, afterPerson bool) []string {
	if !joinedWord(w) || rs.known(w) {
		return nil
	}
	// The speller is asked only about a word that splits: most unknown
	// words do not, and the speller reads them again in any case.
	pieces := rs.segment(w, afterPerson)
	if pieces == nil {
		return nil
	}
	if _, ok := rs.speller.fix(w); ok {
		return nil
	}
	return pieces
}

// splitJoined returns ws with each joined word (see segment) replaced by
// its pieces, which are marked as not typed as they read, built in out;
// or ws itself and false when no word is joined.
func (rs *ruleset) splitJoined(out, ws []word) ([]word, bool) {
	split := false
	for i, w := range ws {
		pieces := rs.joined(w.text, i > 0 && w.brk == noBreak && personWord(ws[i-1].text))
		if pieces == nil {
			if split {
				out = append(out, w)
			}
			continue
		}
		if !split {
			out, split = append(out, ws[:i]...), true
		}
		for k, p := range pieces {
			nw := word{text: p, start: w.start, end: w.end, idx: -1}
			if k == 0 {
				nw.brk = w.brk
			}
			out = append(out, nw)
		}
	}
	if !split {
		return ws, false
	}
	return out, true
}

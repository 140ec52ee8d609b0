package risk

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"hash/maphash"
	"strings"
	"sync"
	"unicode/utf8"
)

// token is one normalised word of a message, ready for matching.
//
// A token holds no pointer, so a message's tokens are one array the
// garbage collector need not read.
type token struct {
	// w and nw place the word as the rules see it in its message's words
	// (see prepared.word); nw is 0 only for a blanked token.
	w, nw int32
	// start, end are the byte offsets of the words as typed that became
	// this token, for showing which words fired.
	start, end int32
	id         int32 // the word's id (see intern.go)
	// alt and nalt place the ids of the word's other readings, the radical
	// forms of a mutated Welsh word ("nharo" may be "taro"), in
	// ruleset.alts (see token.alts); set, with id, when a message is
	// prepared.
	alt  int32
	nalt uint8
	brk  boundary
	// src is which of a joined reading's messages the word is in (see
	// across): 0, or 1 for the later one.
	src uint8
	// count: the word is a number {count} matches (isCount).
	count bool
	// poss marks a possessive whose 's was taken off ("mum's" -> "mum").
	poss bool
	// fixed is set when the spelling tolerance changed the word.
	fixed bool
}

// replacement is one entry of the normalisation table: a run of words and
// what it becomes.
type replacement struct {
	key   []string
	value []string
	// infos are what the ruleset knows of each value word (its id and
	// radical readings), set once the rules are loaded (see buildInfo).
	infos []wordInfo
}

// table rewrites text-speak, contractions, emoji and known misspellings.
// Entries are indexed by their first key word; each list is longest key
// first.
type table struct {
	byFirst map[string][]replacement
	// lists holds byFirst's lists, once the rules are loaded, so a word's
	// lookup (wordInfo.tab) gives its list without a second lookup.
	lists [][]replacement
}

func cleanApostrophes(s string) string {
	return strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return '\''
		}
		return r
	}, strings.ToLower(s))
}

func (n *table) add(key, value string) {
	r := replacement{key: strings.Fields(cleanApostrophes(key)), value: strings.Fields(strings.ToLower(value))}
	first := r.key[0]
	list := append(n.byFirst[first], r)
	for i := len(list) - 1; i > 0 && len(list[i].key) > len(list[i-1].key); i-- {
		list[i], list[i-1] = list[i-1], list[i]
	}
	n.byFirst[first] = list
}

// lookup finds the entry that rewrites ws[i] (with the words after it),
// trying the word as typed, without apostrophes, and with stretched
// letters cut; nil if there is none. With first false, w as typed is known
// to start no entry (it is not looked up again); its other spellings still
// are. list, if not nil, is the entries w as typed starts (byFirst[w],
// looked up already).
func (n *table) lookup(ws []word, i int, first bool, list []replacement) *replacement {
	w := ws[i].text
	if first {
		if list == nil {
			list = n.byFirst[w]
		}
		if r := lookupList(ws, i, list); r != nil {
			return r
		}
	}
	bare := w
	if strings.IndexByte(w, '\'') >= 0 {
		var buf [32]byte
		bare = string(appendBare(buf[:0], w)) // not kept: made on the stack when short
		if r := n.lookupFirst(ws, i, bare); r != nil {
			return r
		}
	}
	if hasRun(bare, 3) {
		for _, f := range []string{squeeze(bare, 3, 2), squeeze(bare, 3, 1)} {
			if r := n.lookupFirst(ws, i, f); r != nil {
				return r
			}
		}
	}
	return nil
}

// lookupFirst finds the longest entry whose first key word is first and
// whose other key words follow ws[i] in the same sentence.
//
// The spellings of each following word are made once, on first need, not
// again for every entry compared with it (a common first word, "i", starts
// many entries).
func (n *table) lookupFirst(ws []word, i int, first string) *replacement {
	return lookupList(ws, i, n.byFirst[first])
}

// lookupList is lookupFirst for the entries of one first word.
func lookupList(ws []word, i int, list []replacement) *replacement {
	var forms [8]spellings // forms[j]: ws[i+j]'s
next:
	for k := range list {
		r := &list[k]
		if len(r.key) > len(ws)-i {
			continue
		}
		for j := 1; j < len(r.key); j++ {
			if ws[i+j].brk == sentenceBreak {
				continue next
			}
			if j >= len(forms) {
				if !isForm(ws[i+j].text, r.key[j]) {
					continue next
				}
				continue
			}
			f := &forms[j]
			if f.n == 0 {
				f.of(ws[i+j].text)
			}
			if !f.has(r.key[j]) {
				continue next
			}
		}
		return r
	}
	return nil
}

// spellings are the spellings isForm accepts for a typed word: as typed,
// without apostrophes, and with runs of a letter cut to two and to one.
type spellings struct {
	n int
	s [4]string
}

func (f *spellings) of(typed string) {
	f.s[0], f.n = typed, 1
	bare := typed
	if strings.ContainsRune(typed, '\'') {
		bare = strings.ReplaceAll(typed, "'", "")
		f.s[f.n] = bare
		f.n++
	}
	if hasRun(bare, 3) {
		f.s[f.n], f.s[f.n+1] = squeeze(bare, 3, 2), squeeze(bare, 3, 1)
		f.n += 2
	}
}

// has reports whether key is one of the spellings: isForm(typed, key).
func (f *spellings) has(key string) bool {
	for _, s := range f.s[:f.n] {
		if s == key {
			return true
		}
	}
	return false
}

// isForm reports whether key is one of the spellings a typed word is
// looked up with: as typed, without apostrophes, and with runs of three or
// more of a letter cut to two and to one ("kmsss" -> "kms"). It builds
// them only when typed has an apostrophe or a run: it is asked of every
// word after a word that starts a multi-word entry.
func isForm(typed, key string) bool {
	if typed == key {
		return true
	}
	bare := typed
	if strings.ContainsRune(typed, '\'') {
		bare = strings.ReplaceAll(typed, "'", "")
		if bare == key {
			return true
		}
	}
	if hasRun(bare, 3) {
		return squeeze(bare, 3, 2) == key || squeeze(bare, 3, 1) == key
	}
	return false
}

// appendBare appends w to b without its apostrophes: what
// strings.ReplaceAll(w, "'", "") gives, without making a string a caller
// would not keep.
func appendBare(b []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		if w[i] != '\'' {
			b = append(b, w[i])
		}
	}
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// squeeze cuts every run of at least min repeats of one letter down to
// keep letters. Digits are left alone so numbers keep their value.
func squeeze(s string, min, keep int) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= min && !('0' <= rs[i] && rs[i] <= '9') {
			n = keep
		}
		for k := 0; k < n; k++ {
			b.WriteRune(rs[i])
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

//go:embed dict/en-words.txt.gz
var englishWordsGz []byte

var (
	englishOnce  sync.Once
	englishWords map[uint64]struct{}
	wordSeed     = maphash.MakeSeed()
)

// wordHash is the key words are stored under: the word lists hold hashes,
// not strings, so the garbage collector never has to walk them.
func wordHash(w string) uint64 { return maphash.String(wordSeed, w) }

// inDictionary reports whether w is in the English word list (SCOWL, via
// Debian's wbritish; see dict/en-words.COPYRIGHT): real words the spelling
// tolerance must never change, so "nose" is never read as "noose".
func inDictionary(w string) bool {
	loadEnglish()
	_, ok := englishWords[wordHash(w)]
	return ok
}

// inDictionaryBytes is inDictionary for a word being built, without
// making it a string.
func inDictionaryBytes(w []byte) bool {
	loadEnglish()
	_, ok := englishWords[maphash.Bytes(wordSeed, w)]
	return ok
}

func loadEnglish() {
	englishOnce.Do(func() {
		englishWords = make(map[uint64]struct{}, 75000)
		zr, err := gzip.NewReader(bytes.NewReader(englishWordsGz))
		if err != nil {
			panic("risk: embedded word list: " + err.Error()) // built into the binary: cannot happen
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			englishWords[wordHash(sc.Text())] = struct{}{}
		}
		if sc.Err() != nil || len(englishWords) < 50000 {
			panic("risk: embedded word list is damaged")
		}
	})
}

// speller corrects misspellings of the words the rules use, and nothing
// else: a word is changed only when it is not a known word, is long enough
// (five letters or more), and is within one edit (two from eight letters)
// of exactly one rule word. Candidates are found with a deletion index
// (the SymSpell idea: two words within distance d share a string reachable
// by at most d deletions from each), then checked with the
// Damerau-Levenshtein distance.
type speller struct {
	known func(string) bool
	words []string
	// made marks the words (by index in words) that are forms the rules
	// made and no real word ("stranging" from "strange"): at the same
	// distance a real word is preferred ("stranglng" is "strangling").
	made []bool
	// deletes maps the hash of each deletion of a rule word to the words
	// it comes from: first index and count in cands, packed in one
	// uint64, so the index holds no pointers.
	deletes map[uint64]uint64
	cands   []uint32
}

const minFixLen = 5

// maxFixLen is the longest word the speller corrects. No rule word is
// near it, and the deletions of a word grow with its length squared: one
// unbroken word of 300 letters took 22 seconds to screen (session 46's
// review).
const maxFixLen = 24

func maxEdits(n int) int {
	switch {
	case n >= 8:
		return 2
	case n >= minFixLen:
		return 1
	}
	return 0
}

func newSpeller(vocab map[string]bool, known func(string) bool, real func(string) bool) *speller {
	s := &speller{known: known, deletes: map[uint64]uint64{}}
	byDel := map[uint64][]uint32{}
	for w := range vocab {
		n := utf8.RuneCountInString(w)
		if n < minFixLen-1 || strings.ContainsAny(w, "0123456789") {
			continue
		}
		id := uint32(len(s.words))
		s.words = append(s.words, w)
		s.made = append(s.made, real != nil && !real(w))
		for _, del := range deletions(w, maxEdits(n+1)) {
			h := wordHash(del)
			if l := byDel[h]; len(l) == 0 || l[len(l)-1] != id {
				byDel[h] = append(l, id)
			}
		}
	}
	for h, ids := range byDel {
		s.deletes[h] = uint64(len(s.cands))<<32 | uint64(len(ids))
		s.cands = append(s.cands, ids...)
	}
	return s
}

// candidates returns the rule words that have del among their deletions.
func (s *speller) candidates(del string) []uint32 {
	v, ok := s.deletes[wordHash(del)]
	if !ok {
		return nil
	}
	return s.cands[v>>32 : v>>32+v&0xffffffff]
}

// deletions returns w and every string made by deleting up to d runes.
func deletions(w string, d int) []string {
	out := []string{w}
	level := []string{w}
	for k := 0; k < d; k++ {
		var next []string
		for _, s := range level {
			rs := []rune(s)
			for i := range rs {
				del := string(rs[:i]) + string(rs[i+1:])
				if !contains(out, del) {
					out = append(out, del)
					next = append(next, del)
				}
			}
		}
		level = next
	}
	return out
}

// fix returns the rule word w is a misspelling of, if there is exactly one.
func (s *speller) fix(w string) (string, bool) {
	n := utf8.RuneCountInString(w)
	d := maxEdits(n)
	swapOnly := false
	if d == 0 && n == minFixLen-1 {
		// A four-letter word is corrected only for two letters swapped
		// ("wnat" -> "want"): one edit of any other kind reaches too many
		// words.
		d, swapOnly = 1, true
	}
	if d == 0 || n > maxFixLen || s.known(w) || strings.ContainsAny(w, "0123456789'") {
		return "", false
	}
	// Among the closest rule words, prefer a real word to a form the
	// rules made ("stranglng" is "strangling", not "stranging"), then the
	// same letters swapped, then the same length: "tierd" is "tired", not
	// "tied".
	best, bestD, bestRank, ties := "", d+1, 0, 0
	for _, del := range deletions(w, d) {
		for _, id := range s.candidates(del) {
			cand := s.words[id]
			if cand == best {
				continue
			}
			dist := editDistance(w, cand, d)
			if dist > d {
				continue
			}
			rank := 0
			switch {
			case sameLetters(w, cand):
				rank = 2
			case utf8.RuneCountInString(cand) == n:
				rank = 1
			}
			if swapOnly && rank < 2 {
				continue
			}
			if !s.made[id] {
				rank += 4 // a real word before a made form
			}
			switch {
			case dist < bestD || dist == bestD && rank > bestRank:
				best, bestD, bestRank, ties = cand, dist, rank, 0
			case dist == bestD && rank == bestRank && cand != best:
				ties++
			}
		}
	}
	if bestD > d || ties > 0 {
		return "", false
	}
	return best, true
}

// sameLetters reports whether a and b are made of the same letters.
func sameLetters(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
		if count[r] < 0 {
			return false
		}
	}
	return true
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or max+1
// when it is more than max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

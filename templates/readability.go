package templates

import (
	"strings"
	"unicode"
)

// Readability is how hard a message is to read: the Flesch-Kincaid grade
// level and what it is computed from. A grade of 5 or below reads at about
// age 9-10 (UK Year 5).
type Readability struct {
	Words, Sentences, Syllables int
	// LongWords counts words of three or more syllables.
	LongWords int
	// Grade is 0.39 words/sentence + 11.8 syllables/word - 15.59,
	// rounded to one decimal; 0 for text without words.
	Grade float64
}

// Read measures text in English. Sentences end at ".", "!", "?" or ":" (a
// run counts once; "e.g." counts as one word, not two sentences); words are
// runs of letters, digits and apostrophes; syllables are counted from vowel
// groups, a rule of thumb that is right for most plain words. A word
// without letters (999, 116) counts one syllable.
func Read(text string) Readability {
	text = strings.NewReplacer("e.g.", "eg", "i.e.", "ie", "etc.", "etc").Replace(text)
	var r Readability
	inSentence := false
	for _, w := range strings.FieldsFunc(text, func(c rune) bool { return unicode.IsSpace(c) || c == '/' }) {
		core := strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
		if core != "" {
			r.Words++
			n := syllables(core)
			r.Syllables += n
			if n >= 3 {
				r.LongWords++
			}
			inSentence = true
		}
		if t := strings.TrimRight(w, `"')`); inSentence && t != "" && strings.ContainsRune(".!?:", rune(t[len(t)-1])) {
			r.Sentences++
			inSentence = false
		}
	}
	if inSentence {
		r.Sentences++
	}
	if r.Words == 0 {
		return r
	}
	g := 0.39*float64(r.Words)/float64(r.Sentences) + 11.8*float64(r.Syllables)/float64(r.Words) - 15.59
	r.Grade = float64(int(g*10+copysign(0.5, g))) / 10
	return r
}

func copysign(x, sign float64) float64 {
	if sign < 0 {
		return -x
	}
	return x
}

// syllables estimates the syllables of one English word.
func syllables(word string) int {
	w := strings.ToLower(word)
	hasLetter := false
	for _, c := range w {
		if unicode.IsLetter(c) {
			hasLetter = true
			break
		}
	}
	if !hasLetter {
		return 1
	}
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
	isVowel := func(c rune) bool { return strings.ContainsRune("aeiouy", c) }
	n, prev := 0, false
	rs := []rune(w)
	for _, c := range rs {
		v := isVowel(c)
		if v && !prev {
			n++
		}
		prev = v
	}
	// A silent final e (time, late), but not -le after a consonant (table)
	// or a word whose only vowel it is (the, be).
	if l := len(rs); l > 2 && rs[l-1] == 'e' && n > 1 {
		if !(rs[l-2] == 'l' && !isVowel(rs[l-3])) {
			n--
		}
	}
	// -ed after anything but t or d is not a syllable (asked, changed).
	if l := len(rs); l > 3 && strings.HasSuffix(w, "ed") && n > 1 && rs[l-3] != 't' && rs[l-3] != 'd' && !isVowel(rs[l-3]) {
		n--
	}
	// -es after most consonants is not one either (times is handled above
	// via the e; "lives", "makes").
	if l := len(rs); l > 3 && strings.HasSuffix(w, "es") && n > 1 && !strings.ContainsRune("sxzhcg", rs[l-3]) && !isVowel(rs[l-3]) && !(rs[l-3] == 'l' && !isVowel(rs[l-4])) {
		n--
	}
	if n == 0 {
		n = 1
	}
	return n
}

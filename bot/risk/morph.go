package risk

import "strings"

// Word forms. A rules file lists a word once ("strangle"); the screen
// matches its regular forms too ("strangles", "strangled", "strangling"),
// and the irregular ones the file lists under `forms` ("take: [took,
// taken]"). Forms are generated from the rules' words, never guessed from a
// message's, so an ordinary word is never stemmed into a risk word.

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

// englishForms returns w's regular inflections: plural or third person,
// past, and -ing.
func englishForms(w string) []string {
	n := len(w)
	if n < 3 || strings.ContainsAny(w, "0123456789'") {
		return nil
	}
	last, prev := w[n-1], w[n-2]
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	// -s / -es / -ies
	switch {
	case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
		strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh"):
		add(w + "es")
	case last == 'y' && !isVowel(prev):
		add(w[:n-1] + "ies")
	default:
		add(w + "s")
	}
	// -ed and -ing
	switch {
	case strings.HasSuffix(w, "ie"):
		add(w+"d", w[:n-2]+"ying")
	case last == 'e' && prev != 'e':
		add(w+"d", w[:n-1]+"ing")
	case last == 'y' && !isVowel(prev):
		add(w[:n-1]+"ied", w+"ing")
	case cvc(w) && n <= 4:
		// One syllable: the consonant doubles ("scar" -> "scarred", never
		// "scared").
		d := w + string(last)
		add(d+"ed", d+"ing")
	case cvc(w):
		d := w + string(last)
		add(d+"ed", d+"ing", w+"ed", w+"ing")
	default:
		add(w+"ed", w+"ing")
	}
	return out
}

// cvc reports a short word ending consonant-vowel-consonant, whose final
// consonant doubles before -ed and -ing ("stab" -> "stabbed").
func cvc(w string) bool {
	n := len(w)
	if n < 3 || n > 5 {
		return false
	}
	a, b, c := w[n-3], w[n-2], w[n-1]
	return !isVowel(a) && isVowel(b) && !isVowel(c) && strings.IndexByte("wxy", c) < 0
}

// Welsh mutations. A Welsh word changes its first letter after certain
// words ("fy nghyllell", my knife; "ei ladd", to kill him). A rules file
// lists the radical (dictionary) form; a word in a message is read as
// itself and as every radical it could be a mutation of.
var welshMutations = []struct{ mutated, radical string }{
	// nasal
	{"ngh", "c"}, {"mh", "p"}, {"nh", "t"}, {"ng", "g"}, {"m", "b"}, {"n", "d"},
	// aspirate
	{"ch", "c"}, {"ph", "p"}, {"th", "t"},
	// soft
	{"g", "c"}, {"b", "p"}, {"d", "t"}, {"f", "b"}, {"f", "m"}, {"dd", "d"}, {"l", "ll"}, {"r", "rh"},
}

// welshRadicals returns the radical forms w could be a mutation of,
// including a lost soft-mutated g ("wneud" <- "gwneud") and an h before a
// vowel ("ei hiaith").
func welshRadicals(w string) []string {
	var out []string
	for _, m := range welshMutations {
		if strings.HasPrefix(w, m.mutated) && len(w) > len(m.mutated)+1 {
			out = append(out, m.radical+w[len(m.mutated):])
		}
	}
	if w != "" && isVowel(w[0]) || strings.HasPrefix(w, "w") || strings.HasPrefix(w, "r") || strings.HasPrefix(w, "l") {
		out = append(out, "g"+w)
	}
	if len(w) > 2 && w[0] == 'h' && isVowel(w[1]) {
		out = append(out, w[1:])
	}
	return out
}

// welshClitics are the short forms Welsh writes onto the word before:
// "dwi'n" is "dwi yn", "i'r" is "i y", "o'm" is "o fy", "i'w" is "i ei".
var welshClitics = []struct{ suffix, word string }{
	{"'n", "yn"}, {"'r", "y"}, {"'m", "fy"}, {"'w", "ei"}, {"'i", "ei"}, {"'ch", "eich"},
}

// welshNegatingBases are the verb and pronoun forms after which a written-on
// 'm is the spoken negative "ddim" ("dwi'm", "fedra i'm" as "fedrai'm",
// "sa'm", "o'm" after a verb is rarer and stays "fy").
var welshNegatingBases = map[string]bool{
	"dwi": true, "dw": true, "wi": true, "sa": true, "so": true, "fedra": true, "fedrai": true,
	"alla": true, "allai": true, "fydda": true, "fyddai": true, "fysa": true, "fasa": true,
	"wna": true, "wnai": true, "nai": true, "ddylwn": true, "oedd": true, "odd": true,
	"dio": true, "dydi": true, "dydw": true, "ti": true, "chdi": true, "toes": true, "sgen": true,
}

// splitWelshClitics reads "mae'n", "i'r" and the like as two words, both
// pointing at the typed word.
func splitWelshClitics(ws []word) []word {
	return splitWelshCliticsInto(make([]word, 0, len(ws)+4), ws)
}

// splitWelshCliticsInto is splitWelshClitics, appending to out.
func splitWelshCliticsInto(out, ws []word) []word {
	for _, w := range ws {
		if strings.IndexByte(w.text, '\'') < 0 {
			out = append(out, w) // every short form starts with an apostrophe
			continue
		}
		split := false
		for _, c := range welshClitics {
			if base, ok := strings.CutSuffix(w.text, c.suffix); ok && base != "" {
				short := c.word
				if c.suffix == "'m" && welshNegatingBases[base] {
					short = "ddim" // "dwi'm isio" is "dwi ddim eisiau", not "dwi fy"
				}
				out = append(out, word{text: base, start: w.start, end: w.end, brk: w.brk, idx: -1},
					word{text: short, start: w.start, end: w.end, idx: -1})
				split = true
				break
			}
		}
		if !split {
			out = append(out, w)
		}
	}
	return out
}

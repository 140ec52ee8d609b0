package flows

import (
	"slices"
	"strings"
)

// yesNo maps the phrases that answer a yes/no question, as space-joined
// words (see words), to the answer they give: yes (+1), no (-1), or neither
// (0, for "I'm ok", which is a "no thanks" or a "yes" by what follows).
var yesNo = answerPhrases(
	[]string{"yes", "y", "yeah", "yea", "yeh", "yep", "yup", "ya", "yah", "ye", "yas",
		"yh", "ok", "okay", "okey", "okie", "k", "kk", "sure", "defo", "deffo", "fine", "thats fine", "thats ok", "thats okay", "aye", "certainly", "definitely", "absolutely", "correct",
		"agreed", "i agree", "of course", "ofc", "go ahead", "go on", "go for it", "i do", "i will", "i would", "please", "pls", "plz",
		"yes please", "please do", "why not", "dont mind", "i dont mind", "do not mind", "i do not mind",
		"alright", "all right", "happy to", "im happy", "happy for you to", "no problem", "no probs", "no worries", "not a problem",
		"im ok with that", "im fine with that", "im happy with that", "ok with that", "fine with that", "happy with that"},
	[]string{"no", "n", "nope", "nah", "na", "naw", "nay", "no thanks", "no thank you",
		"no ta", "dont", "i dont", "do not", "i do not", "wont", "i wont", "i will not", "i would not", "i wouldnt",
		"not", "not really", "not at all", "not now", "never", "no way",
		"absolutely not", "definitely not", "certainly not", "of course not", "im not happy"},
	[]string{"im ok", "im okay", "im fine", "im good", "im alright", "i am ok", "i am fine", "i am good"})

func answerPhrases(yes, no, neither []string) map[string]int {
	m := make(map[string]int, len(yes)+len(no)+len(neither))
	for _, p := range yes {
		m[p] = +1
	}
	for _, p := range no {
		m[p] = -1
	}
	for _, p := range neither {
		m[p] = 0
	}
	return m
}

// maxYesNoPhrase is the most words in a key of yesNo.
const maxYesNoPhrase = 4

// unsure are phrases that say the person does not know: their answer is
// neither yes nor no, whatever else it says.
var unsure = [][]string{{"not", "sure"}, {"unsure"}, {"maybe"}, {"perhaps"}, {"possibly"}, {"probably"},
	{"dont", "know"}, {"do", "not", "know"}, {"dunno"}, {"idk"}, {"no", "idea"}, {"not", "certain"}, {"depends"}}

// yesNoEmoji turns the emoji that answer yes or no into words.
var yesNoEmoji = strings.NewReplacer("👍", " yes ", "✅", " yes ", "✔", " yes ", "👌", " ok ",
	"👎", " no ", "❌", " no ", "✖", " no ", "❎", " no ")

// ParseYesNo reads an answer to a yes/no question. Yes: "yes", "y", "yeah",
// "yep", "yes please", "ok", "okay", "sure", "i do", "👍" and the like; no:
// "no", "n", "nope", "nah", "no thanks", "i don't", "👎" and the like,
// repeated letters allowed ("yesss", "nooo") and words around them ignored
// ("yes that's fine"). A message that says both, neither, or that the person
// is unsure ("not sure", "maybe", "don't know") is ErrUnreadable.
func ParseYesNo(s string) (bool, error) {
	ws := words(yesNoEmoji.Replace(s))
	for _, u := range unsure {
		if hasPhrase(ws, u) {
			return false, ErrUnreadable
		}
	}
	for i, w := range ws {
		if _, ok := yesNo[w]; !ok {
			if _, ok := yesNo[squeeze(w)]; ok {
				ws[i] = squeeze(w)
			}
		}
	}
	sawYes, sawNo := false, false
	for i := 0; i < len(ws); i++ {
		for n := min(maxYesNoPhrase, len(ws)-i); n > 0; n-- {
			if v, ok := yesNo[strings.Join(ws[i:i+n], " ")]; ok {
				sawYes, sawNo = sawYes || v > 0, sawNo || v < 0
				i += n - 1
				break
			}
		}
	}
	if sawYes == sawNo {
		return false, ErrUnreadable
	}
	return sawYes, nil
}

// squeeze collapses each run of one repeated letter: "yesss" → "yes".
func squeeze(w string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range w {
		if r != last {
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// hasPhrase reports whether phrase appears, word for word, in ws.
func hasPhrase(ws, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}

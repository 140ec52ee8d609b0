package flows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Candidate is one option a person can pick in a choice or choices answer.
type Candidate struct {
	// Value is what the parsers return when the candidate is picked.
	Value string
	// Label is the text the person was shown for it.
	Label string
	// Words are other ways a person may say it.
	Words []string
	// Hours, "17-22", are the times of day it covers: an answer giving a
	// clock time ("6.30pm") in them picks it.
	Hours string
}

// phrase is one way of naming a candidate, as words.
type phrase struct {
	words []string
	cand  int
}

// phrasesOf lists every way of naming each candidate: its value ("low_mood"
// as "low mood"), its label and its words.
func phrasesOf(cands []Candidate) []phrase {
	var ps []phrase
	for i, c := range cands {
		for _, s := range append([]string{c.Value, c.Label}, c.Words...) {
			if ws := words(s); len(ws) > 0 {
				ps = append(ps, phrase{ws, i})
			}
		}
	}
	return ps
}

// longestAt finds the longest phrase that ws starts with and returns how
// many words it has and the candidates it names (more than one if several
// candidates share it).
func longestAt(ws []string, ps []phrase) (n int, cands []int) {
	for _, p := range ps {
		if len(p.words) < n || len(p.words) > len(ws) || !slices.Equal(ws[:len(p.words)], p.words) {
			continue
		}
		if len(p.words) > n {
			n, cands = len(p.words), cands[:0]
		}
		if !slices.Contains(cands, p.cand) {
			cands = append(cands, p.cand)
		}
	}
	return n, cands
}

// WithoutChoices returns s, as words, with every naming of one of cands
// taken out: what else the person said ("money and lonely really, plus my
// knees" -> "and really plus my knees"), so a word that is an answer
// ("lonely") is not read as something more.
func WithoutChoices(s string, cands []Candidate) string {
	ws := words(s)
	ps := phrasesOf(cands)
	out := ws[:0]
	for i := 0; i < len(ws); i++ {
		if n, _ := longestAt(ws[i:], ps); n > 0 {
			i += n - 1
			continue
		}
		out = append(out, ws[i])
	}
	return strings.Join(out, " ")
}

// prefixOf returns the candidates with a phrase that begins with the
// letters of w, if w has at least three.
func prefixOf(w string, ps []phrase) []int {
	var cands []int
	if len([]rune(w)) < 3 {
		return nil
	}
	for _, p := range ps {
		if strings.HasPrefix(strings.Join(p.words, " "), w) && !slices.Contains(cands, p.cand) {
			cands = append(cands, p.cand)
		}
	}
	return cands
}

// indexOf reads w as an option's number as listed (1-based): "2", "two".
func indexOf(w string, n int) (int, bool) {
	i, err := strconv.Atoi(w)
	if err != nil {
		v, ok := numberWords[w]
		if !ok {
			if v, ok = ordinalWords[w]; !ok {
				return 0, false
			}
		}
		i = v
	}
	return i - 1, i >= 1 && i <= n
}

// ordinalWords name an option by its place in the list ("the first one",
// "2nd"): session 45's persona trial had "the first one" asked again
// until the person was handed on as misunderstood.
var ordinalWords = map[string]int{
	"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
	"sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9, "tenth": 10, "10th": 10,
}

// optionNumber reads ws as an option's number, perhaps with words around it
// that name nothing ("option 2", "no. 2", "2 please"), and returns its index.
func optionNumber(ws []string, n int) (int, bool) {
	var rest []string
	for i, w := range ws {
		if w == "one" && i > 0 && ordinalWords[ws[i-1]] > 0 {
			continue // "the first one"
		}
		if w != "no" && !slices.Contains(choiceFiller, w) {
			rest = append(rest, w)
		}
	}
	if len(rest) != 1 {
		return 0, false
	}
	return indexOf(rest[0], n)
}

// ParseChoice reads which one of cands a person picked and returns its
// Value. They may give its number as listed ("2", "2.", "#2", "option 2",
// "two"), or its value, label or one of its words, in any case and
// punctuation; or a unique start of one of those at least three letters long
// ("hous" for "Housing"); or a longer answer in which exactly one candidate's
// value, label or word appears as a whole phrase ("I'd like a phone call
// please"). An answer that names no candidate, or more than one, is
// ErrUnreadable.
func ParseChoice(s string, cands []Candidate) (string, error) {
	if !strings.ContainsFunc(s, isLetterOrDigit) && !strings.ContainsRune(s, '\u200d') && moodQuestion(cands) {
		// A face alone answers "How have things been?" (session 42's
		// trials: "🙂" was asked again); only where the options are
		// moods, good and not good: at a summary "😕" is not "ok, send
		// it" (a review).
		s = moodEmoji.Replace(s)
	}
	ws := words(yesNoEmoji.Replace(s)) // 👍 at "1. Yes, send it"
	if len(ws) == 0 || len(cands) == 0 {
		return "", ErrUnreadable
	}
	if hasHours(cands) && clockTime.MatchString(s) {
		// "6.30pm" where the options are times of day (the persona
		// trials: "pm" made it the afternoon). Words that name an option
		// decide first ("not 6pm, mornings"); a time said with a limit
		// ("before 5pm", "not after 5pm") picks nothing (a review).
		rest := timeSaid.ReplaceAllString(s, " ") // the times and the words that lead them
		v, err := ParseChoice(strings.Join(slices.DeleteFunc(words(rest), timeFiller), " "), cands)
		limited := limitsTime(words(s))
		i := byClock(s, cands)
		hs := clockHours(s)
		if len(hs) == 0 {
			hs = []float64{0}
		}
		switch {
		case err == nil && (limited || i < 0 || hoursOf(cands, v) != ""):
			return v, nil
		case err == nil && hs[0] < 12:
			// "any time after 9am", "whenever, im up at 7am": a morning
			// time beside "any" says when the day starts (a third review).
			return v, nil
		case err == nil || !limited && i >= 0:
			// A later time beside words that name no time of day ("any day
			// at 3pm", "I work nights so any time after 2pm": a second
			// review) is the time's.
			if i >= 0 {
				return cands[i].Value, nil
			}
			return v, nil
		}
		return "", ErrUnreadable
	}
	ws = withoutIAm(ws)
	ps := phrasesOf(cands)
	if n, cs := longestAt(ws, ps); n == len(ws) {
		return pick(cands, cs)
	}
	if i, ok := optionNumber(ws, len(cands)); ok {
		return cands[i].Value, nil
	}
	if i, ok := leadingNumber(s, ws, len(cands)); ok {
		return cands[i].Value, nil
	}
	if cs := prefixOf(strings.Join(ws, " "), ps); len(cs) > 0 {
		return pick(cands, cs)
	}
	var named []int
	for i := 0; i < len(ws); i++ {
		n, cs := longestAt(ws[i:], ps)
		if n == 0 {
			continue
		}
		if negated(ws[:i]) {
			// "not great", "not very good": the words deny the option
			// they name, so they do not pick it (a check-in's "not great"
			// was stored as good). A flow lists a denial it means as a
			// phrase of its own ("not good"), found first as the longer.
			i += n - 1
			continue
		}
		for _, c := range cs {
			if !slices.Contains(named, c) {
				named = append(named, c)
			}
		}
		i += n - 1
	}
	return pick(cands, named)
}

// withoutIAm drops "am" after "I": "I am free evenings" says nothing of
// the morning.
func withoutIAm(ws []string) []string {
	for i := 1; i < len(ws); i++ {
		if ws[i] == "am" && ws[i-1] == "i" {
			return slices.Delete(slices.Clone(ws), i, i+1)
		}
	}
	return ws
}

// moodEmoji turns the faces people answer "how are things?" with into
// words, for a message with no words of its own.
var moodEmoji = strings.NewReplacer(
	"😊", " good ", "🙂", " good ", "😀", " good ", "😃", " good ", "😄", " good ", "😁", " good ", "☺", " good ",
	"😐", " ok ", "😕", " ok ", "🫤", " ok ", "😑", " ok ",
	"🙁", " not good ", "☹", " not good ", "😞", " not good ", "😔", " not good ", "😟", " not good ",
	"😢", " not good ", "😭", " not good ", "😩", " not good ", "😫", " not good ", "😣", " not good ")

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// moodQuestion reports whether cands are moods: one is called good and
// another not good.
func moodQuestion(cands []Candidate) bool {
	good, bad := false, false
	for _, c := range cands {
		good = good || slices.Contains(c.Words, "good")
		bad = bad || slices.Contains(c.Words, "not good")
	}
	return good && bad
}

// leadingNumber reads an answer that opens with an option's number in
// digits set apart by a dash, comma, full stop, bracket or colon, and goes
// on with a comment that has no other number in it: "3 - I live on my own
// since the divorce", "1, I have my family" (session 42's trials asked
// them again). A number run into words is a count, not an option: "1
// thing, my postcode is wrong", "3 days off work" (a review).
func leadingNumber(s string, ws []string, n int) (int, bool) {
	if len(ws) < 2 || ws[0] == "" || strings.Trim(ws[0], "0123456789") != "" {
		return 0, false
	}
	rest := strings.TrimLeft(strings.TrimSpace(s), "#(")
	rest = strings.TrimLeft(strings.TrimPrefix(rest, ws[0]), " ")
	if rest == "" || !strings.ContainsRune("-,.):–—", []rune(rest)[0]) {
		return 0, false
	}
	for _, w := range ws[1:] {
		if _, ok := indexOf(w, 1000); ok {
			return 0, false
		}
	}
	return indexOf(ws[0], n)
}

// negated reports whether the words before a phrase end in a denial of it:
// "not", "no" or "never", or a word ending in n't, with at most one word
// such as "very" or "so" between.
func negated(before []string) bool {
	if n := len(before); n > 0 && slices.Contains(softeners, before[n-1]) {
		before = before[:n-1]
	}
	if len(before) == 0 {
		return false
	}
	w := before[len(before)-1]
	if w == "of" && len(before) > 1 && before[len(before)-2] == "instead" {
		return true // "text instead of ringing"
	}
	if slices.Contains(dislikes, w) {
		return true // "I hate texting"
	}
	if n := len(before); n >= 2 && slices.Contains(withWords, w) {
		// "not very good with the texting", "rubbish at texting" (session
		// 42's trials handed a request to be phoned to the team).
		if slices.Contains(badAt, before[n-2]) {
			return true
		}
		if slices.Contains(goodAt, before[n-2]) && negated(before[:n-2]) {
			return true
		}
	}
	return slices.Contains(denials, w) || strings.HasSuffix(w, "nt") && slices.Contains(denialsNT, w)
}

var (
	denials   = []string{"not", "no", "never", "nae", "hardly", "than"} // "text rather than ring"
	denialsNT = []string{"isnt", "wasnt", "arent", "werent", "aint", "dont", "didnt", "doesnt", "havent", "hasnt", "cant", "couldnt", "wont", "wouldnt"}
	withWords = []string{"with", "at", "on", "of"}
	goodAt    = []string{"good", "great", "keen", "fan", "much"}
	badAt     = []string{"bad", "rubbish", "useless", "hopeless", "terrible", "awful", "struggle", "struggling"}
	dislikes  = []string{"hate", "hates", "cannot", "without"}
	softeners = []string{"very", "so", "too", "that", "really", "all", "particularly", "exactly", "quite", "overly", "feeling", "been", "the", "a", "say"}
)

// pick returns the value of the one candidate in cs; none or several is
// ErrUnreadable.
func pick(cands []Candidate, cs []int) (string, error) {
	switch len(cs) {
	case 0:
		return "", ErrUnreadable
	case 1:
		return cands[cs[0]].Value, nil
	}
	return "", fmt.Errorf("%w: it could be any of %d options", ErrUnreadable, len(cs))
}

// choiceFiller are words a list of choices may carry that name nothing.
var choiceFiller = []string{"and", "n", "an", "or", "also", "plus", "both", "the", "a", "my", "me", "with", "some",
	"i", "im", "id", "ive", "need", "want", "like", "would", "please", "thanks", "thank", "you", "ta",
	"option", "options", "opt", "number", "numbers", "nr", "num", "choice", "choices", "of", "for", "to", "in", "on",
	"about", "its", "it", "is", "are", "bit", "really", "just", "help", "support", "advice",
	// Hedges name nothing either ("money i think", "lonely i guess",
	// "housing probably": session 41's trials asked them again).
	"think", "guess", "maybe", "probably", "perhaps", "suppose", "tbh", "honestly", "mainly", "mostly",
	"erm", "um", "umm", "hmm", "well", "so", "too", "as", "then",
	// Family name no option ("caring for my mum", "my husband died").
	"mum", "mam", "dad", "husband", "wife", "partner", "son", "daughter", "mother", "father", "nan", "grandad"}

// ParseChoices reads which of cands a person picked, one or more, and
// returns their Values in the order of cands, without duplicates. Each part
// of the answer may be anything ParseChoice reads alone, apart from a longer
// sentence: "1, 3", "1 and 3", "1 3", "1&3", "housing and money",
// "2,housing", "I need help with money and housing". An answer in which any
// part names no candidate, or could name several, is ErrUnreadable.
func ParseChoices(s string, cands []Candidate) ([]string, error) {
	ws := words(s)
	if len(ws) == 0 || len(cands) == 0 {
		return nil, ErrUnreadable
	}
	ps := phrasesOf(cands)
	picked := make([]bool, len(cands))
	found := false
	for i := 0; i < len(ws); i++ {
		if i+1 < len(ws) && ws[i] == "not" && ws[i+1] == "sure" {
			i++ // "not sure really, maybe money"
			continue
		}
		n, cs := longestAt(ws[i:], ps)
		if n == 0 {
			if c, ok := indexOf(ws[i], len(cands)); ok {
				n, cs = 1, []int{c}
				if ordinalWords[ws[i]] > 0 && i+1 < len(ws) && (ws[i+1] == "one" || ws[i+1] == "ones") {
					n = 2 // "the first one", not the first and option one
				}
			} else if slices.Contains(choiceFiller, ws[i]) {
				continue
			} else {
				n, cs = 1, prefixOf(ws[i], ps)
			}
		}
		if len(cs) != 1 {
			return nil, ErrUnreadable
		}
		picked[cs[0]], found = true, true
		i += n - 1
	}
	if !found {
		return nil, ErrUnreadable
	}
	var values []string
	for i, c := range cands {
		if picked[i] && !slices.Contains(values, c.Value) {
			values = append(values, c.Value)
		}
	}
	return values, nil
}

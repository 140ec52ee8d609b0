package flows

import (
	"slices"
	"strings"
)

// yesNo maps the phrases that answer a yes/no question, as space-joined
// words (see words), to the answer they give: yes (+1), no (-1), or neither
// (0, for "I'm ok", which is a "no thanks" or a "yes" by what follows).
// "please" alone is not here: "please tell me first" is not consent.
var yesNo = answerPhrases(
	[]string{"yes", "y", "yeah", "yea", "yeh", "yep", "yup", "ya", "yah", "ye", "yas",
		"yh", "ok", "okay", "okey", "okie", "k", "kk", "sure", "defo", "deffo", "fine", "thats fine", "thats ok", "thats okay", "aye", "certainly", "definitely", "absolutely", "correct",
		"agreed", "i agree", "of course", "ofc", "go ahead", "go on", "go for it", "i do", "i will", "i would", "will do", "can do",
		"yes please", "yes pls", "yes plz", "please do", "pls do", "why not", "dont mind", "i dont mind", "do not mind", "i do not mind",
		"alright", "all right", "happy to", "im happy", "happy for you to", "im happy for you to", "i am happy for you to", "no problem", "no probs", "no worries", "not a problem",
		"im ok with that", "im fine with that", "im happy with that", "ok with that", "fine with that", "happy with that",
		// Formal and older people's yeses (session 43's trials: "Yes, that
		// is quite acceptable" was asked again).
		// (Not "acceptable" or "quite happy" alone: "hardly acceptable",
		// "quite happy as is" say no; a review.)
		"quite acceptable", "perfectly acceptable", "thats acceptable", "that is acceptable",
		"that is fine", "that is ok", "that is okay", "that is alright", "thats alright", "perfectly fine",
		"thats correct", "that is correct", "thats right", "that is right",
		"sounds good", "sounds fine", "by all means", "indeed",
		"that would be fine", "that would be great", "that would be lovely", "thatd be great", "thatd be lovely",
		// Welsh, for people in Wales answering the English question in
		// their own language: ydw/ydy/ydi (I am, it is), ie (yes), oes
		// (there is), gwnaf (I will), iawn (fine), cytuno (agree).
		"ydw", "ydy", "ydi", "ie", "oes", "gwnaf", "iawn", "cytuno", "dwin cytuno", "ydw plis", "ie plis",
		"dim problem", "dim probs"},
	[]string{"no", "n", "nope", "nah", "na", "naw", "nay", "no thanks", "no thank you",
		"no ta", "dont", "i dont", "do not", "i do not", "wont", "i wont", "i will not", "i would not", "i wouldnt",
		"not", "not really", "not at all", "not now", "never", "no way",
		"absolutely not", "definitely not", "certainly not", "of course not", "im not happy",
		// Welsh: nac ydw/ydy/ydi (I am not, it is not), nage (no), nac oes
		// (there is not), dim diolch (no thanks), byth (never), and ddim
		// and dim (not), so "ddim yn iawn" (not fine) is never a yes.
		"nac ydw", "nac ydy", "nac ydi", "nage", "nac oes", "dim diolch", "byth", "ddim", "dim",
		"nag ydw", "nag ydy", "nag ydi", "nag oes", "nid"}, // nag: a common spelling of nac
	[]string{"im ok", "im okay", "im fine", "im good", "im alright", "i am ok", "i am fine", "i am good"})

// yesNoFiller are words that may come with an answer without changing it
// or counting against its length: "yes please", "no thanks x".
var yesNoFiller = map[string]bool{"please": true, "pls": true, "plz": true, "thanks": true, "thank you": true,
	"thankyou": true, "thx": true, "ta": true, "cheers": true, "then": true, "mate": true, "love": true,
	"lol": true, "haha": true, "x": true, "xx": true, "xxx": true, "oh": true, "um": true, "erm": true,
	"diolch": true, "plis": true, // Welsh: thanks, please
	// An offer of contact taken up with a courtesy ("yes please if they
	// can": session 41's trials asked again).
	"if they can": true, "if you can": true, "if possible": true, "when they can": true, "when you can": true,
	"if thats ok": true, "if thats okay": true}

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

// maxYesNoPhrase is the most words in a key of yesNo or yesNoFiller.
var maxYesNoPhrase = func() int {
	n := 0
	for k := range yesNo {
		n = max(n, len(strings.Fields(k)))
	}
	for k := range yesNoFiller {
		n = max(n, len(strings.Fields(k)))
	}
	return n
}()

// A yes/no answer must be short: at most maxOtherWords words that are not
// part of a yes/no phrase or filler, and, unless every word is, at most
// maxAnswerWords words in all. "i will ring you tomorrow" and a long
// message that happens to contain "yes" are not consent.
const (
	maxOtherWords  = 2
	maxAnswerWords = 6
)

// unsure are phrases that say the person does not know: their answer is
// neither yes nor no, whatever else it says.
var unsure = [][]string{{"not", "sure"}, {"unsure"}, {"maybe"}, {"perhaps"}, {"possibly"}, {"probably"},
	{"dont", "know"}, {"do", "not", "know"}, {"dunno"}, {"idk"}, {"no", "idea"}, {"not", "certain"}, {"depends"},
	{"think", "about", "it"}, {"let", "you", "know"},
	// Welsh: not sure, no idea, don't know
	{"ddim", "yn", "siwr"}, {"ddim", "yn", "siŵr"}, {"dim", "syniad"}, {"ddim", "yn", "gwybod"}, {"dwn", "i", "ddim"}}

// questionWords make a message a question wherever they come, unless they
// are part of an answer phrase ("why not").
var questionWords = map[string]bool{"who": true, "whos": true, "whose": true, "whom": true, "what": true,
	"whats": true, "why": true, "how": true, "hows": true, "when": true, "whens": true, "where": true,
	"wheres": true, "which": true}

// relativeWords are question words that, with no question mark, mostly
// join a clause to a name: "Yes. I care for my wife, Edna, who has
// Parkinson's" (session 42's trials asked it again twice, and the
// referral was handed over unmade).
var relativeWords = map[string]bool{"who": true, "whom": true, "whose": true, "which": true, "where": true, "when": true}

// questionOpeners make a message a question when it starts with them,
// unless an answer phrase starts there ("will do", "do not").
var questionOpeners = map[string]bool{"can": true, "could": true, "would": true, "will": true, "do": true,
	"does": true, "did": true, "is": true, "isnt": true, "are": true, "arent": true, "should": true,
	"shall": true, "may": true, "might": true, "am": true, "have": true, "has": true, "must": true}

// yesNoEmoji turns the emoji that answer yes or no into words.
var yesNoEmoji = strings.NewReplacer("👍", " yes ", "✅", " yes ", "✔", " yes ", "👌", " ok ",
	"👎", " no ", "❌", " no ", "✖", " no ", "❎", " no ")

// ParseYesNo reads an answer to a yes/no question. Yes: "yes", "y", "yeah",
// "yep", "yes please", "ok", "okay", "sure", "i do", "i will", "👍" and the
// like; no: "no", "n", "nope", "nah", "no thanks", "i don't", "👎" and the
// like, repeated letters allowed ("yesss", "nooo") and a few words around
// them allowed ("yes that's fine", "no thanks, I'm ok").
//
// The answer must be short and unambiguous, because it may be consent. It
// is ErrUnreadable when the message: says both, neither, or that the person
// is unsure ("not sure", "maybe", "I'll think about it"); is a question (a
// question mark, a question word such as who/what/how anywhere, or a start
// such as "can I", "will you", "do you"); or has more than two words that
// are not part of an answer, or more than six words in all. "please" alone
// is not yes.
func ParseYesNo(s string) (bool, error) { return parseYesNo(s, maxOtherWords) }

// ParseYesNoOnly is ParseYesNo for a message that is nothing but an
// answer ("yes", "ydw diolch", "no thanks", "👍"): any other word makes it
// ErrUnreadable. The answer to "Are you safe?" is read with it first, as
// a yes among other words ("i will tonight", "trist iawn": very sad) must
// be read for what the words say.
func ParseYesNoOnly(s string) (bool, error) { return parseYesNo(s, 0) }

// ParseYesNoLead is ParseYesNo for a question that is not consent, read
// as people answer it: a message that opens with a yes or a no may go on
// to say more ("yes I look after my mum", "NO I DONT LOOK AFTER ANYONE").
// It is ErrUnreadable when what follows says the opposite, doubts or turns
// ("no but my son helps me out now and then" is unreadable: but), or asks
// (a question mark, or a question word: "nope, what's the point"). Use it
// only where a no moves the conversation on, not where it ends it: the
// words after a no may be distress the screen does not know.
func ParseYesNoLead(s string) (bool, error) {
	if yes, err := ParseYesNo(s); err == nil {
		return yes, nil
	}
	ws, ok := answerWords(s)
	if !ok {
		return false, ErrUnreadable
	}
	n := matchAnswer(ws)
	if n == 0 {
		return false, ErrUnreadable
	}
	first, isAnswer := yesNo[strings.Join(ws[:n], " ")]
	if !isAnswer || first == 0 {
		return false, ErrUnreadable
	}
	asks := strings.ContainsAny(s, "?？")
	for i := n; i < len(ws); i++ {
		if leadTurns[ws[i]] || questionWords[ws[i]] && (asks || !relativeWords[ws[i]]) {
			return false, ErrUnreadable // "nope, what's the point" asks
		}
		if m := matchAnswer(ws[i:]); m > 0 {
			if v := yesNo[strings.Join(ws[i:i+m], " ")]; v != 0 && v != first {
				return false, ErrUnreadable
			}
			i += m - 1
		}
	}
	return first > 0, nil
}

// answerWords splits a yes/no answer into words, answer words with
// stretched letters squeezed ("yesss"); ok is false for a question or a
// message that says the person is unsure.
func answerWords(s string) (ws []string, ok bool) {
	if strings.ContainsAny(s, "?？¿") {
		return nil, false
	}
	ws = words(yesNoEmoji.Replace(s))
	for _, u := range unsure {
		if hasPhrase(ws, u) {
			return nil, false
		}
	}
	for i, w := range ws {
		if _, ok := yesNo[w]; !ok {
			if _, ok := yesNo[squeeze(w)]; ok {
				ws[i] = squeeze(w)
			}
		}
	}
	return ws, true
}

// leadTurns are words after an opening yes or no that may take it back.
var leadTurns = map[string]bool{"but": true, "although": true, "though": true, "except": true, "ond": true}

func parseYesNo(s string, maxOther int) (bool, error) {
	ws, ok := answerWords(s)
	if !ok {
		return false, ErrUnreadable
	}
	sawYes, sawNo, other := false, false, 0
	for i := 0; i < len(ws); i++ {
		n := matchAnswer(ws[i:])
		if n > 0 {
			if v, ok := yesNo[strings.Join(ws[i:i+n], " ")]; ok {
				sawYes, sawNo = sawYes || v > 0, sawNo || v < 0
			}
			i += n - 1
			continue
		}
		if questionWords[ws[i]] || (i == 0 && questionOpeners[ws[i]]) {
			return false, ErrUnreadable
		}
		other++
	}
	if other > maxOther || (other > 0 && len(ws) > maxAnswerWords) {
		return false, ErrUnreadable
	}
	if sawYes == sawNo {
		return false, ErrUnreadable
	}
	return sawYes, nil
}

// matchAnswer returns how many words at the start of ws make the longest
// answer phrase or filler, or 0.
func matchAnswer(ws []string) int {
	for n := min(maxYesNoPhrase, len(ws)); n > 0; n-- {
		p := strings.Join(ws[:n], " ")
		if _, ok := yesNo[p]; ok || yesNoFiller[p] {
			return n
		}
	}
	return 0
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

// conditionMarks open a condition on a yes ("yes but not my GP", "ok as
// long as my husband doesn't find out").
var conditionMarks = []string{"but", "as long as", "so long as", "only if", "providing", "provided", "unless", "except", "apart from", "if", "though"}

// ParseConditionalYes reads a yes that limits who may see the answers: "yes
// but not my GP", "ok, as long as it's only the link worker", "Yes that is
// fine. I would rather you did not share it with Derek's family though." It
// returns the condition's words and whether s is such a yes: it opens with a
// plain yes (ParseYesNoOnly, before a condition mark or the end of the
// first sentence), and the rest names sharing or who may know (a GP, a
// doctor, family, "share", "tell", "find out", "only") with a limit ("not",
// "only", "rather", "don't"). A no, a change of mind, a question or
// anything else after a yes is not one (a review: "yes but no thanks",
// "ok but I've changed my mind", "yes but what happens to my data?").
func ParseConditionalYes(s string) (string, bool) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.ContainsAny(s, "?？") {
		return "", false
	}
	ws := strings.Fields(s)
	for i := 1; i < len(ws); i++ {
		head := strings.Join(ws[:i], " ")
		sentenceEnd := strings.HasSuffix(ws[i-1], ".") || strings.HasSuffix(ws[i-1], "!")
		mark := false
		for _, m := range conditionMarks {
			p := strings.Fields(m)
			if i+len(p) > len(ws) {
				continue
			}
			match := true
			for k, w := range p {
				if strings.ToLower(strings.Trim(ws[i+k], ",.;:!-")) != w {
					match = false
					break
				}
			}
			if match {
				mark = true
				break
			}
		}
		if yes, err := ParseYesNoOnly(head); err == nil && !yes && i == 1 && notOneOfThem(strings.Join(ws[i:], " ")) {
			// "no, not my GP": a no to one of those named, not to the
			// referral (session 45's persona trial: the referral ended,
			// with "speak to your GP practice").
			return strings.Join(ws[i:], " "), true
		}
		if !mark && !sentenceEnd && !strings.HasSuffix(ws[i-1], ",") {
			continue
		}
		if yes, err := ParseYesNoOnly(head); err != nil || !yes {
			if mark || sentenceEnd {
				return "", false // the first mark or sentence decides
			}
			continue
		}
		cond := strings.Join(ws[i:], " ")
		if limitsSharing(cond, mark) && !changesMind(cond) {
			return cond, true
		}
		return "", false
	}
	return "", false
}

// notOneOfThem reports whether the words after a no limit it to one of
// those the answers are shared with, and say nothing else: "not my GP",
// "not the doctor please". Not "not really", "not my GP or you", "not my
// gp, changed my mind" or "not even my gp" (a review found each read as a
// yes with a condition).
func notOneOfThem(cond string) bool {
	ws := words(cond)
	if len(ws) < 2 || ws[0] != "not" {
		return false
	}
	ws = ws[1:]
	if ws[0] == "my" || ws[0] == "the" || ws[0] == "our" {
		ws = ws[1:]
	}
	if len(ws) > 0 && (ws[len(ws)-1] == "please" || ws[len(ws)-1] == "pls" || ws[len(ws)-1] == "thanks" || ws[len(ws)-1] == "x") {
		ws = ws[:len(ws)-1]
	}
	if len(ws) != 1 {
		return false
	}
	switch ws[0] {
	case "gp", "gps", "doctor", "doctors", "dr", "surgery", "practice":
		// Only those the consent question names ("no not my husband" is
		// a no: a review).
		return true
	}
	return false
}

// changesMind reports whether what follows a yes takes it back ("yes but
// actually no", "ok but ive changed my mind, dont tell my gp", "yes. no
// wait, not if my husband sees it", "i'd rather not do this"): then it is
// no consent at all (a second review).
func changesMind(cond string) bool {
	ws := words(cond)
	for len(ws) > 0 && conditionMarkWords[ws[0]] {
		ws = ws[1:]
	}
	if len(ws) > 0 && (ws[0] == "wait" || ws[0] == "nah" || ws[0] == "no" && (len(ws) == 1 || noTurns[ws[1]])) {
		return true
	}
	l := " " + strings.Join(ws, " ") + " "
	for _, p := range []string{" changed my mind ", " change my mind ", " actually no ", " no wait ", " rather not do ",
		" not do this ", " dont want to do ", " not want to do ", " rather not bother ", " rather not go ahead ", " dont want this ", " cancel "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// ParseDecline reports whether s turns an offer down in a few more words
// than a plain no, and in nothing else: "no thanks ive changed my mind",
// "actually no, i dont want to", "not for me thanks". The whole message
// must be a declining phrase with only a no and fillers beside it, so a
// question ("what if I change my mind?"), a deferral ("not now, he's in
// the room"), a negation ("I haven't changed my mind"), more words ("I
// changed my mind, I'd like to be referred after all") or hopelessness
// ("forget it, whats the point") is not one (a review found each taken
// for a no when any phrase anywhere counted).
func ParseDecline(s string) bool {
	if strings.ContainsAny(s, "?？¿") {
		return false
	}
	ws := words(strings.ToValidUTF8(s, "\uFFFD"))
	if len(ws) == 0 || len(ws) > maxDeclineWords {
		return false
	}
	return PhrasesAndFillers(ws, declines, declineFillers, true)
}

// PhrasesAndFillers reports whether ws hold one of phrases and nothing
// else but fillers (each list's phrases as words joined by spaces, longer
// first; a filler is taken out wherever it stands, in the list's order).
// With every, each phrase may stand more than once and several may stand
// together ("dim diolch, dwi wedi newid fy meddwl"); without, one phrase
// once.
func PhrasesAndFillers(ws, phrases, fillers []string, every bool) bool {
	rest := " " + strings.Join(ws, " ") + " "
	found := false
	for _, p := range phrases {
		for strings.Contains(rest, " "+p+" ") {
			rest, found = strings.Replace(rest, " "+p+" ", " ", 1), true
			if !every {
				break
			}
		}
		if found && !every {
			break
		}
	}
	if !found {
		return false
	}
	for _, f := range fillers {
		for strings.Contains(rest, " "+f+" ") {
			rest = strings.Replace(rest, " "+f+" ", " ", 1)
		}
	}
	return strings.TrimSpace(rest) == ""
}

// maxDeclineWords is the longest message ParseDecline reads.
const maxDeclineWords = 10

// declines are the phrases ParseDecline reads, as words, longer first.
var declines = []string{"i have changed my mind", "ive changed my mind", "i changed my mind", "changed my mind",
	"changed me mind", "i do not want to", "i dont want to", "dont want to", "i dont wanna", "i would rather not",
	"id rather not", "rather not", "its not for me", "not for me", "im not interested", "not interested",
	"dwi wedi newid fy meddwl", "wedi newid fy meddwl", "no thank you", "no thanks", "dim diolch"}

// declineFillers may stand beside a declining phrase.
var declineFillers = []string{"thank you", "thanks", "ta", "no", "nah", "nope", "actually", "sorry", "after all", "really",
	"x", "xx", "na", "nag", "diolch"}

// noTurns, after an opening "no", take the yes back ("no thanks", "no
// wait"); "no letters to my gp" is a condition (a third review).
var noTurns = map[string]bool{"thanks": true, "thank": true, "wait": true, "sorry": true, "actually": true, "i": true,
	"im": true, "ive": true, "dont": true, "not": true}

// conditionMarkWords are the words of conditionMarks.
var conditionMarkWords = map[string]bool{"but": true, "as": true, "so": true, "long": true, "only": true, "if": true,
	"providing": true, "provided": true, "unless": true, "except": true, "apart": true, "from": true, "though": true}

// limitsSharing reports whether a condition on a yes limits who may see or
// hear of the answers. After a mark that is itself a limit ("as long as",
// "only if", "unless") naming who is enough ("ok as long as it stays
// private").
func limitsSharing(cond string, mark bool) bool {
	ws := words(cond)
	who, limit := false, false
	if mark && len(ws) > 0 {
		switch ws[0] {
		case "as", "so", "only", "providing", "provided", "unless", "except", "apart":
			limit = true
		}
	}
	for i, w := range ws {
		switch w {
		case "gp", "gps", "doctor", "doctors", "dr", "surgery", "practice", "nurse", "family", "husband", "wife", "partner",
			"mum", "mam", "dad", "parents", "son", "daughter", "kids", "children", "employer", "work", "boss", "anyone",
			"anybody", "nobody", "social", "police", "share", "shared", "sharing", "tell", "told", "telling", "know",
			"knows", "private", "confidential", "yourselves", "link", "between", "us", "stays":
			who = true
		case "find":
			who = who || i+1 < len(ws) && ws[i+1] == "out"
		}
		switch w {
		case "not", "dont", "didnt", "doesnt", "wont", "never", "only", "rather", "no", "without", "just", "except":
			limit = true
		}
	}
	return who && limit
}

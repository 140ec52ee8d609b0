package flows

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// The errors the answer parsers return. Each parser wraps one of them (test
// with errors.Is); none of their messages repeats what the person typed.
var (
	// ErrUnreadable means the text is not an answer of the kind asked for.
	ErrUnreadable = errors.New("answer not understood")
	// ErrImpossibleDate means a date was read but no such day exists
	// (31/02/1990, month 13, day 0) or it lies before 1900.
	ErrImpossibleDate = errors.New("no such date")
	// ErrFutureDate means a date of birth was read that has not happened yet.
	ErrFutureDate = errors.New("date is in the future")
	// ErrOutOfRange means a number was read that lies outside the bounds asked for.
	ErrOutOfRange = errors.New("number out of range")
	// ErrQuestion means a free-text answer was a question to the bot ("why
	// do you need my name?"): not an answer, and not to be stored as one.
	ErrQuestion = errors.New("a question, not an answer")
)

// ParseText accepts free text. It repairs invalid UTF-8 (each bad byte
// sequence becomes U+FFFD), trims surrounding space and returns the rest
// verbatim, emoji and all. Text with no letter or digit at all (empty, only
// spaces, only punctuation or symbols) is ErrUnreadable; a question to the
// bot is ErrQuestion: "why do you need my name?" is not a name.
func ParseText(s string) (string, error) {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "", ErrUnreadable
	}
	if isQuestion(s) {
		return "", ErrQuestion
	}
	return s, nil
}

// ParseName reads a name as ParseText reads text, without an introduction
// before it or thanks after it: "My name is Priya Shah" and "hi, I'm Priya
// Shah thanks" give "Priya Shah" (session 40's trials: the closing message
// said "Thank you, My name is Priya Shah").
func ParseName(s string) (string, error) {
	s, err := ParseText(s)
	if err != nil {
		return "", err
	}
	for {
		m := nameIntro.FindStringIndex(s)
		if m == nil || m[1] == len(s) {
			break
		}
		s = s[m[1]:]
	}
	if m := nameThanks.FindStringIndex(s); m != nil && m[0] > 0 {
		s = s[:m[0]]
	}
	if head, rest, ok := strings.Cut(s, ","); ok && looksLikeName(head) && !readsAsSentence(head) {
		// "Sam, not that anyone cares", "John Smith, 01/02/1960, LS1 1AA":
		// the name, and more the question did not ask for (session 45's
		// persona trial saved all of it). "Smith, John" keeps both.
		if ws := words(rest); len(ws) > 2 || strings.ContainsFunc(rest, unicode.IsDigit) {
			s = head
		}
	}
	name, err := ParseText(strings.TrimRight(s, " .!,;:"))
	if err != nil {
		return "", err
	}
	if !looksLikeName(name) {
		return "", fmt.Errorf("%w: not a name", ErrUnreadable)
	}
	return name, nil
}

// looksLikeName reports whether s can be a name: it has a letter, asks
// nothing ("hello?", "? im scared"), and is not only words that answer
// something else ("yes", "ok", "idk", "no thanks", "rather not say"),
// which the person's record would otherwise greet them by ("Thank you,
// yes"). Session 41's trials saw each of these saved as a name.
func looksLikeName(s string) bool {
	if strings.ContainsAny(s, "?？") || !strings.ContainsFunc(s, unicode.IsLetter) {
		return false
	}
	if ws := words(s); len(ws) > 1 && questionStarts[ws[0]] {
		return false // "why does it matter", with no question mark (the persona trials)
	}
	if readsAsSentence(s) {
		return false
	}
	for _, w := range words(s) {
		if !notName[w] {
			return true
		}
	}
	return false
}

// readsAsSentence reports whether s is a sentence rather than a name: three
// words or more with a word no name holds ("im at work can i do this
// later", "hang on a sec", "I have dementia so my memory is bad"; session
// 45's persona trial saved each as a name), or a word that only ever says
// "wait" ("brb").
func readsAsSentence(s string) bool {
	ws := words(s)
	n := 0
	for _, w := range ws {
		if waitWords[w] {
			return true
		}
		if sentenceWords[w] {
			n++
		}
	}
	return len(ws) >= 3 && n > 0
}

// waitWords say "wait" or "later", never a name.
var waitWords = map[string]bool{"brb": true, "sec": true, "secs": true, "min": true, "mins": true, "later": true, "busy": true}

// sentenceWords are words no name of three words or more holds.
var sentenceWords = map[string]bool{
	// (Not "Im", "Do", "Can" or "So": each is a family or given name;
	// nor "I", a middle initial: "Sam I Jones".)
	"ive": true, "id": true, "me": true, "my": true, "cant": true,
	"dont": true, "this": true, "that": true, "is": true, "am": true, "are": true, "was": true,
	"have": true, "has": true, "because": true, "cos": true, "if": true, "work": true, "on": true, "at": true,
	"not": true, "anyone": true, "call": true, "text": true, "wait": true, "hang": true,
}

// questionStarts open a question, never a name of more than one word.
var questionStarts = map[string]bool{"why": true, "what": true, "whats": true, "when": true, "where": true,
	"who": true, "whos": true}

// notName holds words that are never all of a name.
var notName = map[string]bool{
	"yes": true, "yeah": true, "yep": true, "yup": true, "aye": true, "no": true, "nope": true, "nah": true,
	"ok": true, "okay": true, "k": true, "sure": true, "fine": true, "alright": true,
	"hi": true, "hiya": true, "hello": true, "hey": true, "helo": true, "morning": true, "evening": true,
	"thanks": true, "thank": true, "you": true, "ta": true, "cheers": true, "please": true, "pls": true,
	"why": true, "what": true, "who": true, "how": true, "eh": true, "huh": true, "pardon": true, "sorry": true,
	"idk": true, "dunno": true, "don't": true, "dont": true, "know": true, "i": true,
	"rather": true, "not": true, "say": true, "prefer": true, "saying": true, "to": true,
	"stop": true, "help": true, "x": true, "xx": true, "lol": true,
	// Refusals and questions in words of their own ("I'd rather not say",
	// "none of your business", "what do you mean", "I don't want to give
	// my name"): the persona trials saw each saved as a name. No word here
	// may be a name by itself ("Will", "Hope", "Joy" and "Can" are not here).
	"id": true, "would": true, "wont": true, "want": true, "wanna": true, "like": true, "tell": true, "telling": true,
	"give": true, "giving": true, "my": true, "name": true, "none": true, "of": true, "your": true, "business": true,
	"do": true, "does": true, "mean": true, "need": true, "have": true, "must": true, "skip": true, "private": true,
	"anonymous": true, "keep": true, "it": true, "that": true, "this": true, "is": true, "the": true, "question": true,
	"understand": true, "nothing": true, "just": true, "really": true, "mind": true, "own": true, "with": true,
	"but": true, "cos": true, "y": true, "u": true,
}

var (
	// nameIntro is an introduction that opens a name: a greeting, "my
	// name is", "I'm", "it's", "this is".
	nameIntro = regexp.MustCompile(`(?i)^(?:(?:hi|hello|hiya|hey|morning|afternoon|evening|thanks|thank\s+you|cheers|ta)\b|(?:my\s+)?name(?:'s|’s|s)?(?:\s+is)?\b|my\s+full\s+name\s+is\b|i'm\b|i’m\b|i\s+am\b|it's\b|it’s\b|its\b|this\s+is\b|call\s+me\b|yes\b|ok\b|sure\b)[\s,.:;!-]*`)
	// nameThanks is thanks or a kiss after a name.
	nameThanks = regexp.MustCompile(`(?i)[\s,.!]+(?:thanks|thank\s+you|ta|cheers|x+)[\s.!]*$`)
)

// isQuestion reports whether free text asks something: it ends with a
// question mark (emoji and closing brackets aside) and has a question word
// ("what's it for?") or opens as a question does ("is that ok?"). An
// answer said unsurely ("Sam?", "the one on Oxford Road?") is an answer.
func isQuestion(s string) bool {
	end := strings.TrimRightFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("?？¿.!", r)
	})
	if !strings.HasSuffix(end, "?") && !strings.HasSuffix(end, "？") {
		return false
	}
	ws := words(s)
	if len(ws) > 0 && questionOpeners[ws[0]] {
		return true
	}
	return slices.ContainsFunc(ws, func(w string) bool { return questionWords[w] })
}

// OpensAsQuestion reports whether s opens as a question to the bot, with
// or without a question mark: a question word and a verb ("what does
// worthwhile mean", "how do i answer this"). Only for answers with a form,
// where such words cannot be the answer.
func OpensAsQuestion(s string) bool {
	ws := words(s)
	if len(ws) < 3 {
		return false
	}
	switch ws[0] {
	case "what", "why", "how", "who", "when", "where", "which", "whats", "hows":
		return questionOpeners[ws[1]] || ws[0] == "whats" || ws[0] == "hows" || ws[1] == "s"
	}
	return false
}

// maxPhone bounds the text ParsePhone looks at; no phone number, however
// written, is longer.
const maxPhone = 64

// ParsePhone reads a phone number as people write it ("07700 900123",
// "+44 (0)7700 900123", "0044 7700 900123"), taking the UK as the country
// of a number with no international prefix, and returns it in E.164 form
// ("+447700900123"). A number that is not a valid number anywhere is
// ErrUnreadable, except Ofcom's range reserved for drama (07700 900000 to
// 07700 900999), accepted so that tests and demonstrations reach nobody.
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if rulesOut(s) {
		return "", ErrUnreadable
	}
	if ms := phoneInText.FindAllString(s, 2); len(ms) == 1 && len(ms[0]) < len(s) {
		// "It is 01752 660123, the landline." (the persona trials: not
		// recognised): the one number in the sentence, unless the words
		// around it rule it out ("dont use 07911 123456": a third review).
		s = ms[0]
	}
	if s == "" || len(s) > maxPhone {
		return "", ErrUnreadable
	}
	n, err := phonenumbers.Parse(strings.ToValidUTF8(s, ""), "GB")
	if err != nil {
		return "", ErrUnreadable
	}
	e164 := phonenumbers.Format(n, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(n) && !isDramaNumber(e164) {
		return "", ErrUnreadable
	}
	return e164, nil
}

// rulesOut reports whether a sentence with a number in it denies it.
func rulesOut(s string) bool {
	for _, w := range words(s) {
		switch w {
		case "not", "dont", "no", "never", "old", "anymore", "husbands", "wifes", "partners", "mums", "dads", "wrong", "used":
			return true
		}
	}
	return false
}

// phoneInText is a run of digits, with spaces, dashes or brackets between
// them and perhaps a + before, long enough to be a phone number.
var phoneInText = regexp.MustCompile(`\+?\(?\d[\d\s\-()]{8,}\d`)

// isDramaNumber reports whether e164 is in Ofcom's mobile range for drama.
func isDramaNumber(e164 string) bool {
	return len(e164) == len("+447700900123") && strings.HasPrefix(e164, "+447700900")
}

// postcodeRE is the Royal Mail's rule for a postcode with its space removed:
// the outward code (A9, A99, A9A, AA9, AA99, AA9A, with the letters each
// position allows) then the inward code (a digit and two letters, never C, I,
// K, M, O or V); or GIR 0AA.
var postcodeRE = regexp.MustCompile(`^(?:GIR0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)[0-9][ABD-HJLNP-UW-Z]{2})$`)

// ParsePostcode reads a UK postcode in any case, with or without the space
// (and with stray spaces or a full stop around it), and returns it in upper
// case with one space before the inward code: "sw1a1aa" → "SW1A 1AA".
// A longer answer that holds exactly one postcode ("It's M6 8HD, we've been
// here since 1972") gives that postcode. Anything else is ErrUnreadable. A
// returned postcode parses to itself.
func ParsePostcode(s string) (string, error) {
	if pc, err := parsePostcode(s); err == nil {
		return pc, nil
	}
	// A postcode in a sentence ("It's M6 8HD, we've been here since 1972",
	// "my postcode is tr1 1aa"): taken when it is the only one.
	if len(s) > maxPostcodeText {
		return "", ErrUnreadable
	}
	var found string
	for _, m := range postcodeInText.FindAllStringSubmatch(strings.ToUpper(s), -1) {
		pc, err := parsePostcode(m[1] + " " + m[2])
		if err != nil {
			continue
		}
		if found != "" && pc != found {
			return "", ErrUnreadable
		}
		found = pc
	}
	if found == "" {
		return "", ErrUnreadable
	}
	return found, nil
}

// ParseNoPostcode reads an answer to a postcode question from someone who
// has none to give: a forces address ("BFPO 57", given back as such), no
// fixed address ("I'm homeless at the moment", "sofa surfing"), or not
// wanting to say ("skip", "rather not say"). It returns what to record and
// whether the answer was one of these (session 40's trials: "I'm homeless
// at the moment" met "Sorry, I didn't recognise that postcode" until the
// conversation was handed over, with no referral made).
func ParseNoPostcode(s string) (string, bool) {
	ws := words(s)
	if len(ws) == 0 || len(ws) > 12 {
		return "", false
	}
	if len(ws) == 2 && ws[0] == "bfpo" && isDigits(ws[1]) && len(ws[1]) <= 4 {
		return "BFPO " + ws[1], true
	}
	joined := strings.Join(ws, " ")
	text := " " + joined + " "
	has := func(ps []string) bool {
		return slices.ContainsFunc(ps, func(p string) bool { return strings.Contains(text, " "+p+" ") })
	}
	if len(ws) <= 8 && has(notGiven) {
		return PostcodeNotGiven, true
	}
	if has(notNoAddress) {
		// "I'm not homeless, just don't know it", "my son is homeless",
		// "I don't have one to hand, I'll check" (a review).
		return "", false
	}
	if has(noFixedAddress) || len(ws) <= 6 && (slices.Contains(noPostcodeAlone, joined) || has(noPostcode)) {
		return NoFixedAddress, true
	}
	return "", false
}

// What ParseNoPostcode records for a person with no fixed address, and for
// one who would rather not give a postcode.
const (
	NoFixedAddress   = "No fixed address"
	PostcodeNotGiven = "Not given"
)

var (
	noFixedAddress = []string{"homeless", "no fixed address", "no fixed abode", "sofa surfing", "sleeping rough",
		"living in my car", "sleeping in my car"}
	// noPostcodeAlone are whole answers; noPostcode are said in a few words.
	noPostcodeAlone = []string{"none", "nfa", "n a"}
	noPostcode      = []string{"no postcode", "dont have a postcode", "dont have one", "havent got one", "not got one",
		"not got a postcode", "havent got a postcode", "no address", "dont have an address", "no fixed"}
	notNoAddress = []string{"not homeless", "isnt homeless", "arent homeless", "wasnt homeless", "to hand", "check",
		"dont know", "not sure", "forgot", "son is homeless", "daughter is homeless", "he is homeless", "hes homeless",
		"she is homeless", "shes homeless", "they are homeless", "theyre homeless", "brother is homeless",
		"sister is homeless", "friend is homeless", "husband is homeless", "wife is homeless", "mum is homeless",
		"dad is homeless", "used to be homeless", "was homeless", "were homeless last", "homeless charity",
		"homeless shelter volunteer", "volunteer"}
	notGiven = []string{"skip", "rather not say", "rather not", "prefer not to say", "prefer not", "dont want to say",
		"dont want to give it", "not saying"}
)

// maxPostcodeText is the longest answer searched for a postcode.
const maxPostcodeText = 300

// postcodeInText finds what may be a postcode among other words: an
// outward code and an inward code, with or without the space.
var postcodeInText = regexp.MustCompile(`(?:^|[^A-Z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})(?:$|[^A-Z0-9])`)

func parsePostcode(s string) (string, error) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	if len(s) > 16 {
		return "", ErrUnreadable
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r):
		default:
			return "", ErrUnreadable
		}
	}
	c := b.String()
	if !postcodeRE.MatchString(c) {
		return "", ErrUnreadable
	}
	return c[:len(c)-3] + " " + c[len(c)-3:], nil
}

// words splits s into lower-case words: runs of letters, and runs of ASCII
// digits (so "12th" is "12", "th" and "option2" is "option", "2").
// Apostrophes inside a word are dropped ("don't" → "dont", "I'd" → "id");
// every other character, including emoji and invalid UTF-8, separates.
func words(s string) []string {
	var out []string
	var b strings.Builder
	kind := 0 // of the word being built: 0 none, 1 letters, 2 digits
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
		kind = 0
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if kind != 2 {
				flush()
				kind = 2
			}
			b.WriteRune(r)
		case unicode.IsLetter(r) || (kind == 1 && unicode.IsMark(r)):
			if kind != 1 {
				flush()
				kind = 1
			}
			b.WriteRune(unicode.ToLower(r))
		case kind == 1 && isApostrophe(r):
		default:
			flush()
		}
	}
	flush()
	return out
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' || r == '`' }

// isDigits reports whether w is a run of ASCII digits (as words makes them).
func isDigits(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

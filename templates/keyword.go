package templates

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Keyword returns the kind ("stop", "start", "help", "restart", "human",
// ...) whose list holds text, or "" when none does. The whole message must be
// the keyword or phrase: case, surrounding whitespace and punctuation, and
// the spacing and punctuation between words are ignored, so "Stop." and
// "talk to  someone!" match but "stop it now" and "don't stop" do not. A
// Telegram command matches with or without a bot name: "/stop@SomeBot" is
// "/stop". The locale's own lists are tried first, then the DefaultLocale's,
// so legally required words such as STOP work in every locale.
func (c *Catalogue) Keyword(loc, text string) string {
	n := normalise(text)
	if n == "" {
		return ""
	}
	if l := c.locales[loc]; l != nil {
		if k, ok := l.keywords[n]; ok {
			return k
		}
	}
	if l := c.locales[DefaultLocale]; l != nil {
		return l.keywords[n]
	}
	return ""
}

// normalise reduces a message to the form keyword lists are matched in:
// a Telegram command "/name" (bot name dropped), or lower-case words
// separated by single spaces. It returns "" when nothing is left.
func normalise(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		return command(s)
	}
	// An apostrophe joins its word ("I'm back" is "im back", as the lists
	// write it; session 46's third review: "right I'm back" never matched).
	s = strings.NewReplacer("'", "", "’", "").Replace(s)
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), notWordRune), " ")
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r)
}

// command reads "/name" or "/name@bot", optionally followed by whitespace or
// punctuation only. Anything else (arguments, other text) is not a command
// keyword and gives "".
func command(s string) string {
	name, rest := splitIdent(s[1:])
	if name == "" {
		return ""
	}
	if strings.HasPrefix(rest, "@") {
		var bot string
		bot, rest = splitIdent(rest[1:])
		if bot == "" {
			return ""
		}
	}
	if strings.IndexFunc(rest, func(r rune) bool { return !notWordRune(r) }) >= 0 {
		return ""
	}
	return "/" + strings.ToLower(name)
}

// splitIdent splits s after its leading run of ASCII letters, digits and
// underscores, the characters of Telegram command and bot names.
func splitIdent(s string) (ident, rest string) {
	i := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
	})
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// MentionsDenied reports whether every mention of kind's phrases in text is
// denied by the few words before it: "no need to speak to someone", "I
// don't want to talk to someone". False when text mentions none.
func (c *Catalogue) MentionsDenied(loc, kind, text string) bool {
	ws := strings.Fields(normalise(text))
	found, denied := false, true
	for _, l := range []*locale{c.locales[loc], c.locales[DefaultLocale]} {
		if l == nil {
			continue
		}
		for phrase, k := range l.keywords {
			if k != kind || !strings.Contains(phrase, " ") {
				continue
			}
			p := strings.Fields(phrase)
			for i := 0; i+len(p) <= len(ws); i++ {
				if !slices.Equal(ws[i:i+len(p)], p) {
					continue
				}
				found = true
				if !slices.ContainsFunc(ws[max(0, i-4):i], isDenial) {
					denied = false
				}
			}
		}
	}
	return found && denied
}

func isDenial(w string) bool {
	switch w {
	case "no", "not", "dont", "don", "never", "without", "nae", "didnt", "doesnt", "wont", "t":
		return true
	}
	return false
}

// Only reports whether text is one of kind's phrases and nothing else but
// fillers ("right im back", "ok im back sorry"): "im back at the bridge" is
// not.
func (c *Catalogue) Only(loc, kind, text string, fillers []string) bool {
	n := " " + normalise(text) + " "
	for _, l := range []*locale{c.locales[loc], c.locales[DefaultLocale]} {
		if l == nil {
			continue
		}
		// Every phrase of kind is taken out wherever it stands ("sorry for
		// the wait, im back"), longest first, then the fillers.
		var phrases []string
		for phrase, k := range l.keywords {
			if k == kind {
				phrases = append(phrases, phrase)
			}
		}
		slices.SortFunc(phrases, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
		rest, found := n, false
		for _, phrase := range phrases {
			for strings.Contains(rest, " "+phrase+" ") {
				rest, found = strings.Replace(rest, " "+phrase+" ", " ", 1), true
			}
		}
		if !found {
			continue
		}
		for _, f := range fillers {
			for strings.Contains(rest, " "+f+" ") {
				rest = strings.Replace(rest, " "+f+" ", " ", 1)
			}
		}
		if strings.TrimSpace(rest) == "" {
			return true
		}
	}
	return false
}

// Mentions reports whether text contains one of kind's phrases of two or
// more words as whole words, anywhere: "can I talk to someone please"
// mentions "talk to someone". Single words never count ("I'm only human").
func (c *Catalogue) Mentions(loc, kind, text string) bool {
	n := " " + normalise(text) + " "
	for _, l := range []*locale{c.locales[loc], c.locales[DefaultLocale]} {
		if l == nil {
			continue
		}
		for phrase, k := range l.keywords {
			if k == kind && strings.Contains(phrase, " ") && strings.Contains(n, " "+phrase+" ") {
				return true
			}
		}
	}
	return false
}

package directory

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/linkline/linkline/templates"
)

var (
	// breakRE matches tags that end a line or block in rich text.
	breakRE = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/h[1-6]|/tr)\s*/?\s*>|<\s*li[^>]*>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`[ \t\x{00a0}]+`)
	blankRE = regexp.MustCompile(`\s*\n\s*`)
)

// PlainText turns a feed's rich text (HTML from an editor, entities, curly
// quotes) into plain text a person can be sent: tags removed, entities
// decoded, typographic characters made plain, anything else outside GSM-7
// dropped, runs of spaces and blank lines collapsed. Line breaks between
// paragraphs are kept as single newlines.
func PlainText(s string) string {
	if s == "" {
		return ""
	}
	s = breakRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, "")
	// Twice: feeds double-escape ("&amp;nbsp;").
	s = html.UnescapeString(html.UnescapeString(s))
	s = tagRE.ReplaceAllString(s, "")
	s = templates.SMSPunctuation(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == utf8.RuneError, r < ' ':
			return ' '
		case templates.IsGSM7(string(r)):
			return r
		case r >= 0x1F000 || (r >= 0x2600 && r <= 0x27BF):
			return -1 // emoji and pictographs: dropped
		default:
			return -1
		}
	}, s)
	s = spaceRE.ReplaceAllString(s, " ")
	s = blankRE.ReplaceAllString(s, "\n")
	return strings.TrimSpace(s)
}

// OneLine is s on one line: newlines become ". " or " ".
func OneLine(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			if last := b.String()[b.Len()-1]; last != '.' && last != '!' && last != '?' && last != ':' {
				b.WriteByte('.')
			}
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return b.String()
}

// Shorten cuts s at a word boundary to at most max bytes, ending "...".
func Shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max <= 3 {
		return ""
	}
	cut := s[:max-3]
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-.") + "..."
}

// Summary is the first sentence of a plain description, on one line, at
// most max bytes.
func Summary(plain string, max int) string {
	s := OneLine(plain)
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && s[i+1] == ' ' && i >= 20 {
			s = s[:i+1]
			break
		}
	}
	return Shorten(s, max)
}

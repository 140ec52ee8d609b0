package templates

import "strings"

// typographic maps punctuation and spaces that word processors and phones
// put in (curly quotes, dashes, ellipsis, non-breaking and zero-width
// spaces) to the GSM-7 characters that mean the same, as SMS providers'
// "smart encoding" does. Letters are never in it.
var typographic = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u2032", "'", "\u00b4", "'", "`", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u2033", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
	"\u2026", "...", "\u2022", "-", "\u00b7", "-", "\u25cf", "-", "\u25aa", "-",
	"\u00a0", " ", "\u2002", " ", "\u2003", " ", "\u2009", " ", "\u200a", " ", "\u202f", " ", "\u205f", " ",
	"\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
	"\t", " ",
)

// SMSPunctuation returns s with typographic punctuation and spaces replaced
// by their GSM-7 equivalents, so that one curly apostrophe or en dash does
// not make a whole text message UCS-2 (which roughly doubles its cost).
// Letters and everything else are left as written: Welsh ŵ, ŷ and â, or an
// emoji, stay, and then the message is rightly sent as UCS-2.
func SMSPunctuation(s string) string {
	if IsGSM7(s) {
		return s
	}
	return typographic.Replace(s)
}

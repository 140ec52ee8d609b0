package templates

import "unicode/utf16"

// SMS segment sizes (GSM 03.38 and 3GPP TS 23.040). A message that does not
// fit one segment is sent as parts that each lose room to a user data header.
const (
	gsmSingle  = 160 // septets in a one-part GSM-7 message
	gsmPart    = 153 // septets in each part of a longer one
	ucs2Single = 70  // UTF-16 code units in a one-part UCS-2 message
	ucs2Part   = 67  // UTF-16 code units in each part of a longer one
)

// gsmBasic is the GSM 03.38 default alphabet; each costs one septet.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension is the GSM 03.38 extension table; each costs two septets
// (an escape and the character) and the two are never split across parts.
const gsmExtension = "\f^{}\\[]~|€"

var gsmSeptets = func() map[rune]int {
	m := make(map[rune]int, 138)
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// IsGSM7 reports whether every character of s is in the GSM-7 default
// alphabet or its extension table, so s can be sent without UCS-2.
// The empty string is GSM-7.
func IsGSM7(s string) bool {
	for _, r := range s {
		if gsmSeptets[r] == 0 {
			return false
		}
	}
	return true
}

// Segments returns how many SMS parts text takes and whether it must be
// sent as UCS-2. GSM-7 text fits 160 septets in one part, else 153 per part,
// extension characters (such as € and {) taking two septets that stay in one
// part. Any other character makes the whole message UCS-2: 70 UTF-16 code
// units in one part, else 67 per part, a surrogate pair staying in one part.
// The empty string takes 0 parts.
func Segments(text string) (segments int, ucs2 bool) {
	if text == "" {
		return 0, false
	}
	if IsGSM7(text) {
		return pack(text, gsmSingle, gsmPart, func(r rune) int { return gsmSeptets[r] }), false
	}
	return pack(text, ucs2Single, ucs2Part, utf16Len), true
}

// utf16Len is how many UTF-16 code units r takes: 2 (a surrogate pair)
// outside the Basic Multilingual Plane. Invalid UTF-8 decodes to U+FFFD, 1.
func utf16Len(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// pack counts the parts text takes when each character costs size(r) units
// and may not straddle two parts.
func pack(text string, single, part int, size func(rune) int) int {
	total := 0
	for _, r := range text {
		total += size(r)
	}
	if total <= single {
		return 1
	}
	parts, used := 1, 0
	for _, r := range text {
		n := size(r)
		if used+n > part {
			parts++
			used = 0
		}
		used += n
	}
	return parts
}

package flows

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// numberWords are the numbers people spell out.
var numberWords = map[string]int{
	"zero": 0, "nought": 0, "nil": 0, "none": 0,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// ntok is one piece of a message as ParseNumber sees it.
type ntok struct {
	text   string // a run of digits, a lower-case word, or one of / - .
	kind   byte   // 'd' digits, 'w' word, 'p' punctuation
	spaced bool   // something else (a space, say) came between it and the piece before
}

func (t ntok) is(kind byte, text string) bool { return t.kind == kind && t.text == text }

// lexNumber splits s into the pieces ParseNumber reads.
func lexNumber(s string) []ntok {
	var toks []ntok
	start, kind, spaced := 0, byte(0), false
	flush := func(end int) {
		if kind != 0 {
			text := s[start:end]
			if kind == 'w' {
				text = lowerWord(text)
			}
			toks = append(toks, ntok{text, kind, spaced})
			spaced = false
		}
		kind = 0
	}
	for i, r := range s {
		var k byte // the kind of piece r belongs to; 0 for a gap
		switch {
		case r >= '0' && r <= '9':
			k = 'd'
		case unicode.IsLetter(r), kind == 'w' && (isApostrophe(r) || unicode.IsMark(r)):
			k = 'w'
		}
		if k != 0 && k == kind {
			continue
		}
		flush(i)
		switch {
		case k != 0:
			start, kind = i, k
		case r == '/' || r == '-' || r == '.':
			toks = append(toks, ntok{string(r), 'p', spaced})
			spaced = false
		default:
			spaced = true
		}
	}
	flush(len(s))
	return toks
}

// lowerWord lower-cases w and drops its apostrophes.
func lowerWord(w string) string {
	ws := words(w)
	if len(ws) == 1 {
		return ws[0]
	}
	return ""
}

// ParseNumber reads one whole number as people type it: "7", "seven",
// "twenty-one", "7/10", "6 out of 10", "about 6", "i'd say 8", "10!", "-3".
// A denominator ("/10", "out of 10") is not read as an answer. A number in
// [min, max] is returned. Text with no number, with a fraction ("7.5"), or
// with more than one different number ("6 or 7", "6-7") is ErrUnreadable; a
// number outside [min, max] is ErrOutOfRange.
func ParseNumber(s string, min, max int) (int, error) {
	toks := lexNumber(s)
	var got []int
	for i := 0; i < len(toks); i++ {
		t, start := toks[i], i
		var v int
		switch t.kind {
		case 'd':
			if i+2 < len(toks) && toks[i+1].is('p', ".") && toks[i+2].kind == 'd' && !toks[i+1].spaced && !toks[i+2].spaced {
				return 0, fmt.Errorf("%w: not a whole number", ErrUnreadable)
			}
			v = digitsValue(t.text)
			if len(t.text) == 4 && v >= 1900 && v <= 2099 && max < 1900 && !(i > 0 && toks[i-1].is('p', "/")) {
				// A year in what else they said ("7, though since my
				// wife died in 2019 the evenings are long") is not a
				// second answer where a year cannot be one.
				continue
			}
			if i > 0 && toks[i-1].is('p', "-") && !t.spaced && (i == 1 || toks[i-1].spaced) {
				v = -v
			}
		case 'w':
			n, ok := numberWords[t.text]
			if !ok {
				continue
			}
			v = n
			if n >= 20 && i+1 < len(toks) { // twenty one, twenty-one
				j := i + 1
				if toks[j].is('p', "-") && j+1 < len(toks) {
					j++
				}
				if u, ok := numberWords[toks[j].text]; ok && toks[j].kind == 'w' && u >= 1 && u <= 9 {
					v, i = n+u, j
				}
			}
		default:
			continue
		}
		if !isDenominator(toks, start) && !contains(got, v) {
			got = append(got, v)
		}
	}
	switch {
	case len(got) == 0:
		return 0, ErrUnreadable
	case len(got) > 1:
		return 0, fmt.Errorf("%w: more than one number", ErrUnreadable)
	case got[0] < min || got[0] > max:
		return 0, fmt.Errorf("%w: want %d to %d", ErrOutOfRange, min, max)
	}
	return got[0], nil
}

// isDenominator reports whether the number at toks[i] is the "10" of "7/10",
// "/10", "7 out of 10", "7 outta 10" or "7 of 10".
func isDenominator(toks []ntok, i int) bool {
	if i > 0 && toks[i-1].is('p', "/") {
		return true
	}
	if i > 0 && toks[i-1].is('w', "outta") {
		return true
	}
	if i < 2 || !toks[i-1].is('w', "of") {
		return false
	}
	before := toks[i-2]
	_, word := numberWords[before.text]
	return before.kind == 'd' || (before.kind == 'w' && word) || before.is('w', "out")
}

// digitsValue is the value of a run of ASCII digits; one too long for an int
// is math.MaxInt, out of any sensible range.
func digitsValue(d string) int {
	d = strings.TrimLeft(d, "0")
	if len(d) > 18 {
		return math.MaxInt
	}
	v, _ := strconv.Atoi(d)
	return v
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// ParseAnchor reads an answer to a number question given in the words of
// one of its ends, anchors ("not at all": 0, "completely": 10): the
// answer opens with the anchor's words and says at most one word more
// ("not at all anxious", "completely"). Anything else, a number among it,
// or "not completely", is ErrUnreadable.
func ParseAnchor(s string, anchors map[string]int) (int, error) {
	ws := words(s)
	for phrase, v := range anchors {
		p := strings.Fields(strings.ToLower(phrase))
		if len(ws) >= len(p) && len(ws) <= len(p)+1 && slices.Equal(ws[:len(p)], p) {
			if len(ws) > len(p) && (numberWords[ws[len(p)]] != 0 || ws[len(p)] == "zero" || strings.ContainsFunc(ws[len(p)], unicode.IsDigit)) {
				continue
			}
			return v, nil
		}
	}
	return 0, ErrUnreadable
}

// Package terms holds the search terms both stores index contacts by, so
// that bbolt and PostgreSQL find the same people for the same query.
package terms

import (
	"strings"
	"unicode"

	"github.com/linkline/linkline/bot"
)

// MinDigits is the shortest run of digits a search looks up in numbers.
const MinDigits = 3

// NameWords splits s into lower-cased words of letters and digits.
func NameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Name is the terms of a name: "w" and each of its words.
func Name(name string) []string {
	var out []string
	for _, w := range NameWords(name) {
		out = append(out, "w"+w)
	}
	return out
}

// Contact is c's name terms and, for each numeric address, "d" and every
// suffix (of MinDigits or more) of its digits.
func Contact(c *bot.Contact) []string {
	out := Name(c.Name)
	for _, a := range c.Addresses {
		d := strings.TrimPrefix(a.ID, "+")
		if d == "" || strings.IndexFunc(d, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			continue
		}
		for i := 0; len(d)-i >= MinDigits; i++ {
			out = append(out, "d"+d[i:])
		}
	}
	return out
}

// DigitQuery reads q as a number: its digits, if q holds only digits,
// spaces, +, - and brackets.
func DigitQuery(q string) (string, bool) {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '+' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// Query is what a search looks up: firsts, the term prefixes whose
// entries are read (any one may match), and others, the name words every
// match must also have (as prefixes of words of the same record's name).
// ok is false for a query that matches nothing.
func Query(q string) (firsts, others []string, ok bool) {
	if d, isNum := DigitQuery(q); isNum {
		if len(d) < MinDigits {
			return nil, nil, false
		}
		firsts = append(firsts, "d"+d)
		if strings.HasPrefix(d, "0") {
			firsts = append(firsts, "d44"+d[1:]) // a leading 0 is the UK's +44
		}
		return firsts, nil, true
	}
	words := NameWords(q)
	if len(words) == 0 {
		return nil, nil, false
	}
	return []string{"w" + words[0]}, words[1:], true
}

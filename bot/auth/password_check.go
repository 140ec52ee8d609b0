package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/linkline/linkline/bot"
)

// commonText is the 20,000 most common passwords of six characters or more,
// lower case, most common first: from the password list of zxcvbn
// (Dropbox, MIT licence) as ported by github.com/trustelem/zxcvbn.
//
//go:embed passwords/common.txt
var commonText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 20000)
	for line := range strings.Lines(commonText) {
		if w := strings.TrimSpace(line); w != "" {
			m[w] = true
		}
	}
	return m
})

// passwordProblem says, in words for the person choosing it, why password
// will not do for a user with this email and name, or "" if it will.
// Following the NCSC's guidance there are no composition rules (no "one
// capital, one digit"): a password is refused when it is short, is or is
// built on a common password, repeats a few characters, or contains the
// user's own email or name.
func passwordProblem(password, email, name string) string {
	p := strings.ToLower(password)
	if commonPasswords()[p] {
		return "That password is one of the most common ones, so it is easy to guess. Please choose another."
	}
	core := strings.TrimFunc(p, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	if len(core) >= 4 && commonPasswords()[core] {
		return "That password is a common one with a few characters added, so it is easy to guess. Please choose another."
	}
	distinct := map[rune]bool{}
	for _, r := range p {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return "That password repeats a few characters, so it is easy to guess. Please choose another."
	}
	var own []string
	if local, _, _ := strings.Cut(bot.NormalizeEmail(email), "@"); local != "" {
		own = append(own, local)
		own = append(own, strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	}
	own = append(own, strings.Fields(strings.ToLower(name))...)
	own = append(own, "linkline")
	for _, w := range own {
		if len([]rune(w)) >= 3 && strings.Contains(p, w) {
			return "A password must not contain your name, your email or the word Linkline. Please choose another."
		}
	}
	return ""
}

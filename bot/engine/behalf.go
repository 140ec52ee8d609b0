package engine

import (
	"slices"

	"github.com/linkline/linkline/bot"
	"strings"
	"unicode"
)

// forSomeoneElse reports whether text says the referral is for another
// person ("I'm texting for my mum, she's 82 and lonely", "can you refer my
// husband", "on behalf of my neighbour"). The self-referral records the
// texter as the person referred and takes their consent, so a referral for
// someone else is passed to the link worker team, who can talk it through
// (the persona trials: a daughter's answers about her mother were sent as
// the daughter's own self-referral). Only the ways of saying so are read:
// "I need help caring for my mum" is the texter's own referral.
func forSomeoneElse(text string) bool {
	ws := strings.FieldsFunc(strings.ToLower(strings.NewReplacer("’", "", "'", "").Replace(text)), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	for i := range ws {
		for _, lead := range behalfLeads {
			p := strings.Fields(lead)
			if i+len(p) > len(ws) || !slices.Equal(ws[i:i+len(p)], p) {
				continue
			}
			if lead == "on behalf of" || lead == "for someone else" || lead == "for somebody else" {
				return true
			}
			// The lead ends "my" or "a": a relation must follow, perhaps
			// after one word ("my elderly mum", "my 82 year old dad" has
			// no letters in 82, so "year old" is read as two words).
			for j := i + len(p); j < len(ws) && j <= i+len(p)+3; j++ {
				if relations[ws[j]] {
					return true
				}
			}
		}
	}
	return false
}

// behalfLeads open a mention of referring someone else; all but the first
// three need a relation after them.
var behalfLeads = []string{
	"on behalf of", "for someone else", "for somebody else",
	"texting for my", "writing for my", "messaging for my", "asking for my", "enquiring for my", "inquiring for my",
	"this is for my", "its for my", "it is for my", "refer my", "referring my", "referral for my", "a referral for a",
	"refer a", "sign up my",
}

// relations are the people a texter refers for.
var relations = map[string]bool{
	"mum": true, "mam": true, "mom": true, "mother": true, "dad": true, "father": true, "husband": true, "wife": true,
	"partner": true, "son": true, "daughter": true, "friend": true, "neighbour": true, "neighbor": true, "nan": true,
	"nana": true, "gran": true, "grandma": true, "grandad": true, "grandpa": true, "grandmother": true,
	"grandfather": true, "brother": true, "sister": true, "aunt": true, "auntie": true, "uncle": true, "cousin": true,
	"client": true, "patient": true, "relative": true, "child": true, "boyfriend": true, "girlfriend": true,
	"parent": true, "parents": true, "inlaw": true, "stepdad": true, "stepmum": true, "carer": true, "tenant": true,
}

// referralNotMade reports whether the contact is new or part way through the
// self-referral, before it was sent.
func (t *turn) referralNotMade() bool {
	if t.conv == nil {
		return true
	}
	return t.conv.FlowID == t.e.cfg.StartFlow && t.conv.Status == bot.ConvActive && t.conv.Answers[answerReferral] == ""
}

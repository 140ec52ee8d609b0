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
			if !strings.HasSuffix(lead, " my") && !strings.HasSuffix(lead, " a") && !strings.HasSuffix(lead, " refer") {
				return true
			}
			// The lead ends "my" or "a": a relation must follow at once,
			// or after words that only describe them ("my elderly mum",
			// "my 82 year old dad"): "it's for my anxiety, my partner
			// said..." is the texter's own (a review).
			j := i + len(p)
			if strings.HasSuffix(lead, " refer") {
				// "can I refer him?", "can you refer my mate": a request to
				// refer someone; "the clinic wont refer him" is not one (a
				// third review).
				if j < len(ws) && referred[ws[j]] {
					return true
				}
				if j < len(ws) && (ws[j] == "my" || ws[j] == "a") {
					j++
				}
			}
			for j < len(ws) && describers[ws[j]] {
				j++
			}
			if j < len(ws) && relations[ws[j]] {
				return true
			}
		}
	}
	return false
}

// behalfLeads open a mention of referring someone else; those that end
// "my" or "a" need a relation after them, and those that end "refer" a
// person (him, her, my mate).
var behalfLeads = []string{
	"on behalf of", "for someone else", "for somebody else",
	"texting for my", "writing for my", "messaging for my", "asking for my", "enquiring for my", "inquiring for my",
	"this is for my", "its for my", "it is for my", "refer my", "referring my", "referral for my", "a referral for a",
	"refer a", "sign up my", "can i refer", "can you refer", "could i refer", "could you refer", "please refer",
	"want to refer", "like to refer", "wanting to refer",
}

// referred are the people a request to refer names without a relation.
var referred = map[string]bool{"him": true, "her": true, "them": true, "someone": true, "somebody": true}

// describers may stand between a lead and a relation.
var describers = map[string]bool{"elderly": true, "old": true, "older": true, "poorly": true, "disabled": true,
	"frail": true, "little": true, "teenage": true, "adult": true, "year": true, "years": true, "best": true,
	"grown": true, "up": true, "ill": true, "sick": true}

// relations are the people a texter refers for.
var relations = map[string]bool{
	"mum": true, "mam": true, "mom": true, "mother": true, "dad": true, "father": true, "husband": true, "wife": true,
	"partner": true, "son": true, "daughter": true, "friend": true, "neighbour": true, "neighbor": true, "nan": true,
	"nana": true, "gran": true, "grandma": true, "grandad": true, "grandpa": true, "grandmother": true,
	"grandfather": true, "brother": true, "sister": true, "aunt": true, "auntie": true, "uncle": true, "cousin": true,
	"client": true, "patient": true, "mate": true, "pal": true, "lad": true, "husbands": true, "relative": true, "child": true, "boyfriend": true, "girlfriend": true,
	"parent": true, "parents": true, "inlaw": true, "stepdad": true, "stepmum": true, "carer": true, "tenant": true,
}

// referralNotMade reports whether the contact is new or at the start of
// the self-referral.
//
// Only before the name is given: later answers tell of the people in a
// carer's life ("honestly it's for my mum, I'm worn out caring" at "What
// matters to you?" is the carer's own referral: a review).
func (t *turn) referralNotMade() bool {
	if t.conv == nil {
		return true
	}
	return t.conv.FlowID == t.e.cfg.StartFlow && t.conv.Status == bot.ConvActive && t.conv.Answers["name"] == ""
}

// referralForOther reports whether text, later in the self-referral than
// referralNotMade reads, says the referral was never the texter's own:
// for someone else and "not me" ("its for my dad actually not me": session
// 45's persona trial asked for the postcode again, and the texter's own
// details stayed on the referral).
func (t *turn) referralForOther(text string) bool {
	if t.conv == nil || t.conv.FlowID != t.e.cfg.StartFlow || t.conv.Status != bot.ConvActive || !forSomeoneElse(text) {
		return false
	}
	l := " " + strings.Join(strings.FieldsFunc(strings.ToLower(strings.NewReplacer("’", "", "'", "").Replace(text)), func(r rune) bool {
		return !unicode.IsLetter(r)
	}), " ") + " "
	for _, p := range []string{" not me ", " not for me ", " not myself ", " instead of me ", " not mine "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

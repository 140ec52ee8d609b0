// Package risk is Linkline's risk screen: it reads every inbound message for
// crisis language (suicide, self-harm, overdose, abuse, harm to others,
// medical emergency) using phrase rules kept in a data file per locale, so a
// clinical safety officer can review and extend them without touching Go.
//
// See docs/safety.md for what it detects, how to extend the rules and how
// well it does on the evaluation files.
package risk

import (
	"github.com/linkline/linkline/bot"
)

// CrisisText is the fixed, pre-approved crisis reply. It is sent exactly as
// written, never generated or templated; it is plain GSM-7 and fits two SMS
// segments.
const CrisisText = "If you are in danger or have hurt yourself, call 999 now or go to A&E. For urgent mental health help call NHS 111 and choose option 2 (24/7). Samaritans: call 116 123 free, any time. Prefer text? Text SHOUT to 85258."

// The categories a rule can belong to (the part of its id before "/").
const (
	Suicide      = "suicide"
	SelfHarm     = "self_harm"
	Overdose     = "overdose"
	Abuse        = "abuse"
	HarmToOthers = "harm_to_others"
	Medical      = "medical"
)

// Categories returns every category, in the order docs/safety.md
// describes them.
func Categories() []string {
	return []string{Suicide, SelfHarm, Overdose, Abuse, HarmToOthers, Medical}
}

// notAfterGap is how many words may come between an idioms_not_after
// phrase (a person) and an idiom for the idiom to be kept: "he is killing
// me", "she really is killing me".
const notAfterGap = 2

// contextWindow is how many earlier messages context rules look at.
const contextWindow = 3

// AcrossMessages is appended to a rule id when the phrase was split between
// the previous message and this one.
const AcrossMessages = " (across messages)"

// Screen is a compiled set of rules for one locale. It implements
// bot.Screener. It is safe for concurrent use, does no I/O, never panics on
// any input, and takes microseconds per message.
type Screen struct {
	locale string
	norm   *normaliser
	idioms *matcher
	// notAfter: an idiom is not blanked when one of these ends at most
	// notAfterGap words before it ("he is killing me").
	notAfter *matcher
	rules    []rule
	risk     *matcher
	context  []contextRule
}

type rule struct {
	id, category string
}

type contextRule struct {
	rule
	earlier, now *matcher
	first        *pattern // the first "now" phrase, for reports
}

var _ bot.Screener = (*Screen)(nil)

// Locale returns the locale named in the rules file.
func (s *Screen) Locale() string { return s.locale }

// hit is one screening result with the phrase that fired, for reports.
type hit struct {
	risk   bot.Risk
	phrase string
	line   int
}

// Screen reports whether text (with recent, the person's previous messages,
// oldest first) contains risk language, and which category and rule fired.
// It checks, in order: the rules on text alone; context rules (an earlier
// phrase in one of the last three messages followed by a "now" phrase in
// text); and rule phrases split across the previous message and text.
func (s *Screen) Screen(text string, recent []string) (bot.Risk, bool) {
	h, ok := s.screen(text, recent)
	return h.risk, ok
}

func (s *Screen) screen(text string, recent []string) (hit, bool) {
	cur := s.prepare(text)
	if h, ok := s.best(cur, 0, len(cur), 0); ok {
		return h, true
	}
	if len(recent) > contextWindow {
		recent = recent[len(recent)-contextWindow:]
	}
	var prev [][]string
	for _, r := range recent {
		prev = append(prev, s.prepare(r))
	}
	for _, c := range s.context {
		if !c.now.any(cur) {
			continue
		}
		for _, p := range prev {
			if c.earlier.any(p) {
				return hit{risk: bot.Risk{Category: c.category, Rule: c.id}, phrase: c.first.text, line: c.first.line}, true
			}
		}
	}
	if len(prev) > 0 {
		last := prev[len(prev)-1]
		joined := append(append(make([]string, 0, len(last)+len(cur)), last...), cur...)
		if h, ok := s.best(joined, 0, len(last), len(last)); ok {
			h.risk.Rule += AcrossMessages
			return h, true
		}
	}
	return hit{}, false
}

// prepare normalises text and blanks out idioms, except an idiom that
// comes just after a person (an idioms_not_after phrase): those words stay
// for the rules to read, even where another idiom overlaps them, unless an
// idiom that is blanked contains that one whole.
func (s *Screen) prepare(text string) []string {
	words := s.norm.words(tokenise(text))
	var spans []span
	s.idioms.find(words, 0, len(words), func(sp span) bool {
		spans = append(spans, sp)
		return true
	})
	if len(spans) == 0 {
		return words
	}
	personEnds := make([]bool, len(words)+1)
	s.notAfter.find(words, 0, len(words), func(sp span) bool {
		personEnds[sp.end] = true
		return true
	})
	var blank, kept []span
	for _, sp := range spans {
		if afterPerson(personEnds, sp.start) {
			kept = append(kept, sp)
		} else {
			blank = append(blank, sp)
		}
	}
	keep := make([]bool, len(words))
	for _, k := range kept {
		if !covered(k, blank) {
			for i := k.start; i < k.end; i++ {
				keep[i] = true
			}
		}
	}
	for _, sp := range blank {
		for i := sp.start; i < sp.end; i++ {
			if !keep[i] {
				words[i] = ""
			}
		}
	}
	return words
}

// covered reports whether one of spans contains sp whole: a longer idiom
// that names the person itself ("{person} pushed me to {reach}") was
// written for exactly this case.
func covered(sp span, spans []span) bool {
	for _, o := range spans {
		if o.start <= sp.start && sp.end <= o.end {
			return true
		}
	}
	return false
}

// afterPerson reports whether a person phrase ends at most notAfterGap
// words before start.
func afterPerson(personEnds []bool, start int) bool {
	for k := 0; k <= notAfterGap && start-k >= 0; k++ {
		if personEnds[start-k] {
			return true
		}
	}
	return false
}

// best finds the earliest-listed rule with a match starting in
// words[from:to] and ending after mustEnd.
func (s *Screen) best(words []string, from, to, mustEnd int) (hit, bool) {
	var found *pattern
	s.risk.find(words, from, to, func(sp span) bool {
		if sp.end > mustEnd && (found == nil || sp.p.owner < found.owner) {
			found = sp.p
		}
		return found == nil || found.owner > 0
	})
	if found == nil {
		return hit{}, false
	}
	r := s.rules[found.owner]
	return hit{risk: bot.Risk{Category: r.category, Rule: r.id}, phrase: found.text, line: found.line}, true
}

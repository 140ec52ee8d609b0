package engine

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/linkline/linkline/flows"
)

// summaryChange takes a change asked for in the answer to a summary ("yes
// but my postcode is wrong, it's M6 8HF", "no the date of birth should be
// 3 April 1961", "change how they contact me") straight to the answer it
// names, rather than asking again or through the change menu (session
// 42's trials: "yes but my postcode is wrong" was asked again and the
// person gave up). A summary is a choice state with an option that leads
// to a change menu: a choice state that returns to it (see flows.State
// Return). The answer must ask for a change (that option, or words that
// say something is wrong, which also turn a "yes" into a change: "yes
// but the postcode should be M6 8HF") and name exactly one answer on the
// menu. A new
// value with a form (a postcode, a date, a phone number) given beside it
// is taken, said to be changed and the summary shown again; otherwise the
// named question is asked, and the summary comes back after it. It
// reports whether the message needs nothing more.
func (t *turn) summaryChange(f *flows.Flow, st *flows.State, text, choice string) (bool, error) {
	if choice != "" || st.Expect != flows.ExpectChoice {
		return false, nil
	}
	var via string // the summary's option that leads to the menu
	var menu *flows.State
	for _, o := range st.Options {
		if m := f.States[st.On[o.Value]]; m != nil && m.Return == t.conv.State && m.Expect == flows.ExpectChoice {
			via, menu = o.Value, m
			break
		}
	}
	if menu == nil {
		return false, nil
	}
	a, err := t.parse(st, text, "")
	switch {
	case err != nil && !isParseError(err):
		return false, err
	case (err != nil || a.value != via) && !asksForChange(text):
		return false, nil // "yes, send it"; "yes but how long will it take?"
	case err == nil && a.value != via && !butWords.MatchString(text):
		// "Yes send it, my doctor said I should be referred": a yes with
		// a change word in another sense sends (a review); "yes but the
		// postcode should be M6 8HF" does not.
		return false, nil
	}
	all, err := t.candidates(menu)
	if err != nil {
		return false, err
	}
	// Words a sentence uses for other things do not name an answer here:
	// "no, how do I fix it?", "I made a mistake, can you help?" (a
	// review); the menu itself still takes them.
	cands := make([]flows.Candidate, len(all))
	for i, c := range all {
		c.Words = slices.DeleteFunc(slices.Clone(c.Words), func(w string) bool { return commonWords[w] })
		cands[i] = c
	}
	// "no, the date of birth is wrong": the no says the summary is
	// wrong, it does not deny the answer it names. Only words name one:
	// "2" is the summary's own option, and a new date's "3" is no number
	// on the menu.
	words := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return ' '
		}
		return r
	}, withoutLead(text))
	field, err := flows.ParseChoice(words, cands)
	if err != nil {
		// Names none, or more than one ("yes but there's a typo"): which
		// to change is asked, rather than the summary sent as it is (a
		// review).
		t.conv.Invalid = 0
		return true, t.enter(f, st.On[via])
	}
	name := menu.On[field]
	target := f.States[name]
	if target == nil || name == t.conv.State || target.Save == "" {
		return false, nil // "nothing": the summary's own answer stands
	}
	t.conv.Answers[menu.Save] = field
	if v, ok := t.newValue(target, text); ok {
		if err := t.changeAnswer(f, target.Save, v); err != nil {
			return true, err
		}
		t.conv.Invalid = 0
		return true, t.enter(f, t.conv.State)
	}
	t.conv.Invalid = 0
	t.conv.ReturnTo = t.conv.State
	return true, t.enter(f, name)
}

// butWords turn a yes into a change when a change word comes with them.
var butWords = regexp.MustCompile(`(?i)\b(but|except|apart from|although|though|however)\b`)

// commonWords are a change menu's words that a sentence uses for other
// things.
var commonWords = map[string]bool{"how": true, "help": true, "back": true, "none": true, "nothing": true}

// changeWords say an answer is wrong: with them, an answer to a summary
// that is neither "send" nor "change" may still ask for a change.
// They are words that say so outright: "yes actually, thanks for your
// help" must not take the person to the help question.
var changeWords = []string{"wrong", "change", "changed", "incorrect", "mistake", "not right", "isnt right",
	"should be", "should say", "should have said", "typo", "meant", "spelt", "spelled", "misspelt"}

func asksForChange(text string) bool {
	ws := strings.FieldsFunc(strings.ToLower(strings.NewReplacer("'", "", "’", "").Replace(text)),
		func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') })
	for i := range ws {
		for _, c := range changeWords {
			cw := strings.Fields(c)
			if i+len(cw) > len(ws) || !slices.Equal(ws[i:i+len(cw)], cw) {
				continue
			}
			// "my postcode hasn't changed", "nothing is wrong": denied (a
			// review).
			if !slices.ContainsFunc(ws[max(0, i-2):i], func(w string) bool { return changeDenials[w] }) {
				return true
			}
		}
	}
	return false
}

// changeDenials, just before a change word, deny it.
var changeDenials = map[string]bool{"not": true, "hasnt": true, "havent": true, "isnt": true, "arent": true,
	"nothing": true, "never": true, "didnt": true, "dont": true, "no": true, "nowt": true}

// maxValueWords is the most words a new value given beside a change may
// have ("12th of March 1958").
const maxValueWords = 4

// newValue finds the one new answer with a form (a postcode, a date, a
// phone number) for st in text: every run of up to maxValueWords words
// that reads as one, not inside a longer run that does. More than one
// value ("M6 8HF not M6 8HG") or an answer that would lead elsewhere (a
// date of birth under the minimum age) or the answer already given is no
// value: the question is asked.
func (t *turn) newValue(st *flows.State, text string) (parsed, bool) {
	if st.Expect != flows.ExpectPostcode && st.Expect != flows.ExpectDate && st.Expect != flows.ExpectPhone {
		return parsed{}, false
	}
	ws := strings.Fields(text)
	type found struct {
		from, to int
		p        parsed
	}
	var runs []found
	for n := min(maxValueWords, len(ws)); n >= 1; n-- {
		for i := 0; i+n <= len(ws); i++ {
			if slices.ContainsFunc(runs, func(r found) bool { return r.from <= i && i+n <= r.to }) {
				continue
			}
			run := strings.Trim(strings.Join(ws[i:i+n], " "), " ,.;:!?()")
			if !strings.ContainsFunc(run, unicode.IsDigit) {
				// A postcode, a date or a phone number has figures: "no,
				// postcode" is not "no postcode", nor "yes" the date kept
				// (a review).
				continue
			}
			p, err := t.parse(st, run, "")
			if err == nil {
				runs = append(runs, found{i, i + n, p})
			} else if !isParseError(err) && !errors.Is(err, flows.ErrUnreadable) {
				return parsed{}, false
			}
		}
	}
	if len(runs) == 0 {
		return parsed{}, false
	}
	for _, r := range runs[1:] {
		if r.p.save != runs[0].p.save {
			return parsed{}, false
		}
	}
	if st.On[runs[0].p.value] != "" || runs[0].p.save == t.conv.Answers[st.Save] {
		return parsed{}, false
	}
	return runs[0].p, true
}

// leadWords open an answer to a summary without naming anything on it.
var leadWords = map[string]bool{"no": true, "nope": true, "nah": true, "yes": true, "yeah": true, "yep": true,
	"ok": true, "okay": true, "but": true, "sorry": true, "oops": true, "actually": true, "um": true, "erm": true, "oh": true}

// withoutLead is text without the leadWords it opens with.
func withoutLead(text string) string {
	s := text
	for {
		s = strings.TrimLeft(s, " ,.;:!-")
		w, rest, _ := strings.Cut(s, " ")
		if !leadWords[strings.ToLower(strings.Trim(w, ",.;:!-"))] || rest == "" {
			return s
		}
		s = rest
	}
}

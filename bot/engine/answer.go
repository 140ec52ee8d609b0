package engine

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/linkline/linkline/flows"
)

// parsed is an answer read from a person's message.
type parsed struct {
	value string // what the flow's transitions are keyed by
	save  string // what is stored under the state's save key
	label string // the chosen options' text, for choice answers
}

// parse reads text (or a pressed button's choice) as the answer st expects.
func (t *turn) parse(st *flows.State, text, choice string) (parsed, error) {
	if st.Skip && isSkip(firstOf(choice, text)) {
		return parsed{value: "skip", save: flows.Skipped}, nil
	}
	switch st.Expect {
	case flows.ExpectChoice, flows.ExpectChoices:
		cands, err := t.candidates(st)
		if err != nil {
			return parsed{}, err
		}
		var values []string
		if choice != "" {
			values = []string{choice}
			if _, ok := labelOf(cands, choice); !ok {
				return parsed{}, flows.ErrUnreadable // an old button from an earlier question
			}
		} else if st.Expect == flows.ExpectChoice {
			v, err := flows.ParseChoice(text, cands)
			if err != nil {
				return parsed{}, err
			}
			values = []string{v}
		} else if values, err = flows.ParseChoices(text, cands); err != nil {
			return parsed{}, err
		}
		labels := make([]string, len(values))
		for i, v := range values {
			labels[i], _ = labelOf(cands, v)
		}
		// For several choices the first with its own transition decides.
		value := values[0]
		for _, v := range values {
			if _, ok := st.On[v]; ok {
				value = v
				break
			}
		}
		return parsed{value: value, save: strings.Join(values, ","), label: strings.Join(labels, ", ")}, nil
	case flows.ExpectYesNo:
		read := flows.ParseYesNo
		if st.Loose && !t.screening.Distress {
			// Not when the words show distress: "no thanks, feeling really
			// low" is not just a no, and unread it is asked about.
			read = flows.ParseYesNoLead
		}
		yes, err := read(firstOf(choice, text))
		if err != nil && st.Condition != "" && choice == "" && !t.screening.Distress && flows.ParseDecline(text) {
			// "no thanks ive changed my mind" at consent: a no in more
			// words (session 44's trials: asked again, twice).
			yes, err = false, nil
		}
		if err != nil {
			return parsed{}, err
		}
		if yes {
			return parsed{value: "yes", save: "yes"}, nil
		}
		return parsed{value: "no", save: "no"}, nil
	case flows.ExpectNumber:
		n, err := flows.ParseNumber(firstOf(choice, text), *st.Min, *st.Max)
		if errors.Is(err, flows.ErrUnreadable) && len(st.Anchors) > 0 {
			if a, aerr := flows.ParseAnchor(text, st.Anchors); aerr == nil && !t.namesOtherItem(text, st) {
				n, err = a, nil
			}
		}
		if err != nil {
			return parsed{}, err
		}
		s := strconv.Itoa(n)
		return parsed{value: s, save: s}, nil
	case flows.ExpectDate:
		d, err := flows.ParseDate(text, t.now)
		if err != nil && st.Save != "" && t.conv != nil && t.conv.Answers[st.Save] != "" {
			// Asked for a date given already ("You said you were born on
			// ... please send it again"): "yes" or "that's right" keeps it
			// (a third review: an under-16 who said yes was asked three
			// times and handed on as misunderstood).
			if yes, yerr := flows.ParseYesNo(text); yerr == nil && yes {
				d, err = time.Parse("02/01/2006", t.conv.Answers[st.Save])
			}
		}
		if err != nil {
			return parsed{}, err
		}
		s := d.Format("02/01/2006")
		if st.MinAge > 0 && flows.Age(d, t.now) < st.MinAge {
			return parsed{value: "too_young", save: s}, nil
		}
		if st.MaxAge > 0 && flows.Age(d, t.now) > st.MaxAge {
			return parsed{value: "too_old", save: s}, nil
		}
		return parsed{save: s}, nil
	case flows.ExpectPostcode:
		p, err := flows.ParsePostcode(text)
		if err != nil {
			if none, ok := flows.ParseNoPostcode(text); ok {
				return parsed{save: none}, nil
			}
		}
		return parsed{save: p}, err
	case flows.ExpectPhone:
		p, err := flows.ParsePhone(text)
		return parsed{save: p}, err
	case flows.ExpectName:
		s, err := flows.ParseName(text)
		return parsed{save: s}, err
	default:
		s, err := flows.ParseText(text)
		return parsed{save: s}, err
	}
}

func (t *turn) candidates(st *flows.State) ([]flows.Candidate, error) {
	d := t.data(nil)
	cands := make([]flows.Candidate, len(st.Options))
	for i, o := range st.Options {
		label, err := t.render(o.Label, d)
		if err != nil {
			return nil, err
		}
		cands[i] = flows.Candidate{Value: o.Value, Label: label, Words: o.Words, Hours: o.Hours}
	}
	return cands, nil
}

func labelOf(cands []flows.Candidate, value string) (string, bool) {
	for _, c := range cands {
		if c.Value == value {
			return c.Label, true
		}
	}
	return "", false
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// namesOtherItem reports whether text names what another number question
// of the same flow asks about, by its saved name: "not at all anxious" at
// "how happy did you feel yesterday?" answers the anxiety question, not
// this one (session 42's trials stored it as happy 0).
func (t *turn) namesOtherItem(text string, st *flows.State) bool {
	if t.conv == nil {
		return false
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok {
		return false
	}
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, other := range f.States {
		if other == st || other.Expect != flows.ExpectNumber || other.Save == "" || other.Save == st.Save {
			continue
		}
		if slices.Contains(ws, strings.ToLower(other.Save)) {
			return true
		}
	}
	return false
}

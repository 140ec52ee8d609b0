package flows

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/linkline/linkline/templates"
)

// Problem is one thing wrong with a flow, precise enough to fix: the file,
// the state (empty for the flow as a whole) and what is wrong.
type Problem struct {
	File  string
	Flow  string
	State string
	Msg   string
	// Warning marks something that works but not as well as it could
	// (on WhatsApp, choices that must be typed because they do not fit
	// buttons): the flow can run.
	Warning bool
}

func (p Problem) String() string {
	msg := p.Msg
	if p.Warning {
		msg = "warning: " + msg
	}
	if p.State == "" {
		return fmt.Sprintf("%s: flow %s: %s", p.File, p.Flow, msg)
	}
	return fmt.Sprintf("%s: flow %s: state %s: %s", p.File, p.Flow, p.State, msg)
}

// Catalogue is what Check needs of the message catalogue.
type Catalogue interface {
	Has(locale, key string) bool
	Render(locale, key string, data any) (string, error)
}

// CheckOptions tune Check.
type CheckOptions struct {
	// Locale whose templates must exist. Default "en".
	Locale string
	// MaxSegments is the most SMS segments any one message may take.
	// Default 3.
	MaxSegments int
	// Warnings adds, marked Warning, what works but not as well as it
	// could: questions whose choices must be typed on WhatsApp.
	Warnings bool
}

var expects = map[string]bool{
	ExpectNone: true, ExpectChoice: true, ExpectChoices: true, ExpectYesNo: true, ExpectNumber: true,
	ExpectDate: true, ExpectPostcode: true, ExpectPhone: true, ExpectText: true, ExpectName: true,
}

// Expects returns the answer kinds a state may expect, none aside.
func Expects() []string {
	var out []string
	for e := range expects {
		if e != ExpectNone {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

var actions = map[string]bool{"referral": true, "handoff": true, "score": true, "follow_up": true, "start": true, "signpost": true}

// Check validates every flow in the set against the catalogue and returns
// the problems found, sorted by file and state. No problems means every
// flow can run.
func (s *Set) Check(cat Catalogue, opts CheckOptions) []Problem {
	if opts.Locale == "" {
		opts.Locale = "en"
	}
	if opts.MaxSegments <= 0 {
		opts.MaxSegments = 3
	}
	var out []Problem
	for _, id := range s.IDs() {
		out = append(out, checkFlow(s.flows[id], cat, opts)...)
		out = append(out, s.checkStarts(s.flows[id])...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].State < out[j].State
	})
	return out
}

func checkFlow(f *Flow, cat Catalogue, opts CheckOptions) []Problem {
	var out []Problem
	add := func(state, format string, args ...any) {
		out = append(out, Problem{File: f.File, Flow: f.ID, State: state, Msg: fmt.Sprintf(format, args...)})
	}
	if len(f.States) == 0 {
		add("", "has no states")
		return out
	}
	if _, ok := f.States[f.Start]; !ok {
		add("", "start state %q does not exist", f.Start)
	}
	for field, v := range map[string]string{"remind": f.Remind, "expire": f.Expire} {
		if v == "" {
			continue
		}
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			add("", "%s: %q is not a positive duration such as 24h", field, v)
		}
	}
	sample := sampleData(f)
	for _, name := range sortedStates(f) {
		st := f.States[name]
		if !expects[st.Expect] {
			add(name, "expect: unknown answer kind %q", st.Expect)
		}
		for _, t := range st.Targets() {
			if _, ok := f.States[t]; !ok {
				add(name, "leads to unknown state %q", t)
			}
		}
		if st.Final && (st.Next != "" || len(st.On) > 0 || st.Expect != ExpectNone) {
			add(name, "a final state cannot expect an answer or lead anywhere")
		}
		if !st.Final && st.Next == "" && len(st.On) == 0 {
			add(name, "has no way out: give it next, on, or final: true")
		}
		if st.Expect == ExpectNone && !st.Final && st.Next == "" {
			add(name, "asks nothing, so it needs next")
		}
		if st.Expect == ExpectNone && st.Save != "" {
			add(name, "save needs an answer: it asks nothing")
		}
		out = append(out, checkAnswers(f, name, st)...)
		for _, a := range st.Actions {
			if !actions[a.Do] {
				add(name, "unknown action %q", a.Do)
			}
		}
		keys := append([]string(nil), st.Say...)
		if (st.Condition != "" || st.ConditionSay != "") && (st.Expect != ExpectYesNo || st.Condition == "" || st.ConditionSay == "") {
			add(name, "condition and condition_say go together, on a yes/no question")
		}
		for _, k := range []string{st.Retry, st.Explain, st.ConditionSay} {
			if k != "" {
				keys = append(keys, k)
			}
		}
		for _, o := range st.Options {
			keys = append(keys, o.Label)
		}
		for _, k := range keys {
			if !cat.Has(opts.Locale, k) {
				add(name, "template key %q does not exist in locale %s", k, opts.Locale)
			}
		}
		out = append(out, checkSegments(f, name, st, cat, opts, sample)...)
	}
	for _, name := range unreachable(f) {
		add(name, "cannot be reached from start state %q", f.Start)
	}
	return append(out, checkScoring(f)...)
}

func checkAnswers(f *Flow, name string, st *State) []Problem {
	var out []Problem
	add := func(format string, args ...any) {
		out = append(out, Problem{File: f.File, Flow: f.ID, State: name, Msg: fmt.Sprintf(format, args...)})
	}
	valid := map[string]bool{}
	switch st.Expect {
	case ExpectChoice, ExpectChoices:
		if len(st.Options) == 0 {
			add("expects a %s but has no options", st.Expect)
		}
		for i, o := range st.Options {
			if o.Value == "" || o.Label == "" {
				add("option %d needs both value and label", i+1)
				continue
			}
			if valid[o.Value] {
				add("option value %q appears twice", o.Value)
			}
			valid[o.Value] = true
			if o.Hours != "" {
				if _, _, err := ParseHours(o.Hours); err != nil {
					add("option %q: %v", o.Value, err)
				}
			}
			if _, ok := st.On[o.Value]; !ok && st.Next == "" {
				add("choice %q has no transition: add it to on, or give the state next", o.Value)
			}
		}
	case ExpectYesNo:
		valid["yes"], valid["no"] = true, true
		for _, v := range []string{"yes", "no"} {
			if _, ok := st.On[v]; !ok && st.Next == "" {
				add("answer %q has no transition: add it to on, or give the state next", v)
			}
		}
	case ExpectDate:
		valid["too_young"], valid["too_old"] = true, true
	default:
		if len(st.Options) > 0 {
			add("options need expect: choice or choices")
		}
	}
	for k := range st.On {
		if !valid[k] {
			add("on: %q is not an answer this state accepts", k)
		}
	}
	if st.SkipIfKnown && st.Expect != ExpectPhone {
		add("skip_if_known needs expect: phone")
	}
	for phrase, v := range st.Anchors {
		if st.Expect != ExpectNumber {
			add("anchors need expect: number")
			break
		}
		if st.Min != nil && st.Max != nil && (v < *st.Min || v > *st.Max) {
			add("anchor %q is %d, outside %d to %d", phrase, v, *st.Min, *st.Max)
		}
	}
	if st.Loose && st.Expect != ExpectYesNo {
		add("loose needs expect: yesno")
	}
	if no := firstNonEmpty(st.On["no"], st.Next); st.Loose && no != "" && f.States[no] != nil && f.States[no].Final {
		add("loose where a no ends the conversation (%s): the words after the no may be distress the screen does not know", no)
	}
	if st.Chain && st.Next == "" {
		add("chain needs next: the state it moves on to")
	}
	if st.MinAge > 0 && st.Expect != ExpectDate {
		add("min_age needs expect: date")
	}
	if st.Expect == ExpectDate && st.MinAge > 0 && st.On["too_young"] == "" {
		add("min_age needs on: {too_young: <state>} to say what happens to younger people")
	}
	if st.OwnWords && st.Expect != ExpectText {
		add("own_words needs expect: text")
	}
	if st.MaxAge > 0 && st.Expect != ExpectDate {
		add("max_age needs expect: date")
	}
	if st.Expect == ExpectDate && st.MaxAge > 0 && st.On["too_old"] == "" {
		add("max_age needs on: {too_old: <state>} to say what happens to older ages")
	}
	if (st.Min != nil || st.Max != nil) && st.Expect != ExpectNumber {
		add("min and max need expect: number")
	}
	if st.Expect == ExpectNumber && (st.Min == nil || st.Max == nil || *st.Min > *st.Max) {
		add("expect: number needs min and max, with min <= max")
	}
	return out
}

// MaxWhatsApp is the most characters one WhatsApp message may carry
// through Twilio's Messages API (its Body limit). WhatsApp counts no
// segments; Telegram's 4,096 are not checked, as its sender splits longer
// messages.
const MaxWhatsApp = 1600

// checkSegments checks each message's length on each channel: SMS
// segments, WhatsApp characters.
func checkSegments(f *Flow, name string, st *State, cat Catalogue, opts CheckOptions, data templates.Data) []Problem {
	var out []Problem
	var labels []string
	if st.Expect == ExpectYesNo {
		for _, k := range []string{"choice.yes", "choice.no"} {
			if l, err := cat.Render(opts.Locale, k, data); err == nil {
				labels = append(labels, l)
			}
		}
	}
	for _, o := range st.Options {
		if l, err := cat.Render(opts.Locale, o.Label, data); err == nil {
			labels = append(labels, l)
		}
	}
	for i, key := range st.Say {
		text, err := cat.Render(opts.Locale, key, data)
		if err != nil {
			if cat.Has(opts.Locale, key) {
				out = append(out, Problem{File: f.File, Flow: f.ID, State: name, Msg: fmt.Sprintf("template %q: %v", key, err)})
			}
			continue
		}
		if templates.IsHTML(key) {
			text = templates.Plain(text) // what SMS would carry
		}
		if i == len(st.Say)-1 && len(labels) > 0 {
			if p, ok := checkWhatsAppChoices(text, labels); ok && opts.Warnings {
				out = append(out, Problem{File: f.File, Flow: f.ID, State: name, Msg: p, Warning: true})
			}
			if st.Expect != ExpectYesNo {
				text = templates.Numbered(text, labels)
			}
		}
		if n := utf8.RuneCountInString(text); n > MaxWhatsApp {
			out = append(out, Problem{File: f.File, Flow: f.ID, State: name,
				Msg: fmt.Sprintf("template %q is %d characters, more than WhatsApp through Twilio sends (%d)", key, n, MaxWhatsApp)})
		}
		if n, ucs2 := templates.Segments(text); n > opts.MaxSegments {
			enc := "GSM-7"
			if ucs2 {
				enc = "UCS-2 (it has a character outside GSM-7)"
			}
			out = append(out, Problem{File: f.File, Flow: f.ID, State: name,
				Msg: fmt.Sprintf("template %q is %d SMS segments in %s, more than %d", key, n, enc, opts.MaxSegments)})
		}
	}
	return out
}

// checkWhatsAppChoices says, when a question's choices cannot be buttons
// on WhatsApp for a reason the flow's author can change, what happens
// instead. A list for more than three choices is as intended.
func checkWhatsAppChoices(text string, labels []string) (string, bool) {
	style, why := WhatsAppStyle(text, labels)
	switch {
	case style == StyleButtons, style == StyleList && len(labels) > WhatsAppMaxButtons:
		return "", false
	case style == StyleList:
		return "on WhatsApp the choices go as a list, not buttons: " + why, true
	}
	return "on WhatsApp the choices must be typed, not pressed: " + why, true
}

// sampleData fills every answer a flow saves with a plausible value, so
// templates render at a realistic length.
func sampleData(f *Flow) templates.Data {
	d := templates.SampleData()
	for _, st := range f.States {
		if st.Save != "" {
			if _, ok := d.Answers[st.Save]; !ok {
				d.Answers[st.Save] = strings.Repeat("x", 20)
				d.Answers[st.Save+"_label"] = strings.Repeat("x", 20)
			}
		}
	}
	return d
}

func sortedStates(f *Flow) []string {
	names := make([]string, 0, len(f.States))
	for name := range f.States {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func unreachable(f *Flow) []string {
	seen := map[string]bool{}
	queue := []string{f.Start}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		st, ok := f.States[name]
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		queue = append(queue, st.Targets()...)
	}
	var out []string
	for _, name := range sortedStates(f) {
		if !seen[name] {
			out = append(out, name)
		}
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

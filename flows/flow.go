// Package flows defines Linkline's conversation flows: the YAML format, the
// loader and validator, compilation to looplab/fsm machines, and the parsers
// that read a person's answers.
package flows

// Flow is one conversation, as written in a YAML file.
//
//	id: self-referral
//	version: 1
//	start: consent
//	states:
//	  consent:
//	    say: [referral.privacy]
//	    expect: yesno
//	    save: consent
//	    on: {"yes": name, "no": declined}
type Flow struct {
	ID      string `yaml:"id"`
	Version int    `yaml:"version"`
	// Title is shown to link workers (the console lists flows by it).
	Title string `yaml:"title"`
	// Start is the first state.
	Start string `yaml:"start"`
	// Remind and Expire are how long a conversation waits for an answer
	// before one reminder, and then before it expires (Go durations, e.g.
	// "24h"). Defaults: 24h and 72h.
	Remind string `yaml:"remind"`
	Expire string `yaml:"expire"`
	// Attribution is shown wherever the flow is listed (e.g. the OGL notice
	// of a survey).
	Attribution string            `yaml:"attribution"`
	States      map[string]*State `yaml:"states"`
	// Scoring makes the flow a survey: which answers are scored and how
	// (see Scoring). A state's {do: score} action stores the result.
	Scoring *Scoring `yaml:"scoring"`

	// File is where the flow was loaded from ("builtin:..." for embedded).
	File string `yaml:"-"`
}

// State is one step of a flow: what the bot says on entering it, what answer
// it expects, where each answer leads.
type State struct {
	// Say lists template keys rendered, in order, on entering the state.
	Say []string `yaml:"say"`
	// Expect is the kind of answer: choice, choices (several), yesno,
	// number, date, postcode, phone, text, or "" for a state that asks
	// nothing (it moves on to Next at once, or is final).
	Expect string `yaml:"expect"`
	// Save is the answer key the parsed answer is stored under.
	Save string `yaml:"save"`
	// Options are the answers a choice or choices state offers.
	Options []Option `yaml:"options"`
	// Min and Max bound a number answer; MinAge bounds a date of birth.
	Min    *int `yaml:"min"`
	Max    *int `yaml:"max"`
	MinAge int  `yaml:"min_age"`
	// MaxAge, on a date of birth, sends an older age (a year typed wrong:
	// 1916 for 1961) to on: {too_old: ...}, which asks again.
	MaxAge int `yaml:"max_age"`
	// Anchors are the words a number question gives its ends ("where 0 is
	// not at all and 10 is completely"): an answer in those words is that
	// number (see ParseAnchor).
	Anchors map[string]int `yaml:"anchors"`
	// Retry is the template key of the re-ask after an answer that could not
	// be read; each kind of answer has a default.
	Retry string `yaml:"retry"`
	// Explain is the template key of what the question means, sent before
	// it is asked again when the person asks ("what do you mean?", "eh?");
	// without it a general line is sent.
	Explain string `yaml:"explain"`
	// OwnWords marks a free-text question about the person's life ("What
	// matters to you?"): a message there that raised a concern is kept as
	// the answer once the person says they are safe, not asked for again.
	OwnWords bool `yaml:"own_words"`
	// Condition, on a yes/no question, takes a yes with a condition ("yes
	// but not my GP") as a yes and saves the person's words under this
	// answer key; ConditionSay is the template sent before going on.
	Condition    string `yaml:"condition"`
	ConditionSay string `yaml:"condition_say"`
	// On maps an answer value (a choice option's value, or "yes"/"no") to the
	// next state.
	On map[string]string `yaml:"on"`
	// Next is the next state for any answer On does not name.
	Next string `yaml:"next"`
	// Return makes a detour: whichever state this one leads to, once that
	// state is answered and would move on by its Next, the conversation goes
	// to Return instead. A summary's "change an answer" menu uses it.
	Return string `yaml:"return"`
	// Actions run on entering the state, before it speaks.
	Actions []Action `yaml:"actions"`
	// Final ends the conversation once the state has spoken.
	Final bool `yaml:"final"`
	// Skip lets the person answer SKIP: the answer is saved as Skipped and
	// the conversation moves on by Next.
	Skip bool `yaml:"skip"`
	// SkipIfKnown, for expect: phone, moves on by Next without asking
	// when the person writes from a phone number (SMS or WhatsApp): the
	// contact has it. Only a person without one (on Telegram) is asked.
	SkipIfKnown bool `yaml:"skip_if_known"`
	// Loose, for expect: yesno on a question that is not consent, reads an
	// answer that opens with yes or no and says more ("yes I look after my
	// mum"); see ParseYesNoLead. Consent keeps the strict reading.
	Loose bool `yaml:"loose"`
	// Chain keeps a detour (see Return) going: once answered, the state
	// moves on by its Next rather than going back, so a question asked in
	// parts ("how shall we contact you?", then "when?") is asked whole
	// when it is changed. The last part goes back as usual.
	Chain bool `yaml:"chain"`
}

// Option is one answer a choice state offers.
type Option struct {
	// Value is what is saved and what On is keyed by.
	Value string `yaml:"value"`
	// Label is the template key of the text shown for the option.
	Label string `yaml:"label"`
	// Words are other ways a person may type this option (case-insensitive).
	Words []string `yaml:"words"`
	// Hours, "17-22", make this option a time of day: an answer with a
	// clock time in them ("6.30pm", "18:30") picks it.
	Hours string `yaml:"hours"`
}

// Action is something a state does besides talking.
type Action struct {
	// Do is the action: "referral" (create a referral from the answers),
	// "handoff" (ask for a link worker, with Reason), "score" (score a
	// survey flow's answers by its Scoring and store the result),
	// "follow_up" (after a person's first result on a survey, schedule the
	// same survey once more, 12 weeks later by default), "start" (end
	// this flow and start Flow for the person; only in a final state),
	// "signpost" (after a referral, offer up to three local services for
	// the person's needs, when the service has a directory).
	Do     string `yaml:"do"`
	Reason string `yaml:"reason"`
	// Flow is the flow a "start" action starts.
	Flow string `yaml:"flow"`
}

// Answer kinds a state may expect.
const (
	ExpectNone     = ""
	ExpectChoice   = "choice"
	ExpectChoices  = "choices"
	ExpectYesNo    = "yesno"
	ExpectNumber   = "number"
	ExpectDate     = "date"
	ExpectPostcode = "postcode"
	ExpectPhone    = "phone"
	ExpectText     = "text"
	// ExpectName is free text that is a person's name: an introduction
	// around it ("My name is Priya Shah") is not kept.
	ExpectName = "name"
)

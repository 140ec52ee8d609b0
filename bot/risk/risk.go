// Package risk is Linkline's risk screen: it reads every inbound message for
// crisis language (suicide, self-harm, overdose, abuse, harm to others,
// medical emergency) and for a request to talk to a person.
//
// The screen works on concepts, not phrases. A rules file per locale
// (rules/en.yaml, rules/cy.yaml), which a clinical safety officer can read
// and extend without touching Go, lists concepts ("die": die, dead, not
// wake up...; "means": tablets, rope, bridge...), and rules that combine
// them within a sentence, across the last few messages, with negation
// scoped to its clause. Before matching, a message is normalised: text-speak
// and emoji become words, contractions and possessives are undone, stretched
// letters are cut, misspellings of the rules' words are corrected (never a
// real word), and word forms and Welsh mutations are matched.
//
// Every finding names its tier, the rule and the words that fired:
//   - Urgent: the crisis text and an urgent handoff.
//   - Concern: possible risk (hopelessness without intent, a denial that
//     names suicide, a past attempt): the engine asks whether the person is
//     safe, with the crisis numbers, and flags it for a link worker.
//   - Distress, Request: not risk; distress words and a request for a
//     person, which the engine uses where a flow did not understand.
//
// The screen is deterministic, does no I/O and never panics. See
// docs/safety.md for what it detects, how to extend the rules and how well
// it does on the evaluation files.
package risk

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
	// Distressed rules find distress that is not risk on its own.
	Distressed = "distress"
	// Person rules find a request to talk to a person.
	Person = "person"
	// Possible is the category of a finding by the model (the second
	// signal), which does not say what kind of risk it is.
	Possible = "possible"
)

// Categories returns every risk category, in the order docs/safety.md
// describes them.
func Categories() []string {
	return []string{Suicide, SelfHarm, Overdose, Abuse, HarmToOthers, Medical}
}

func allCategories() []string { return append(Categories(), Distressed, Person) }

// Tier is how a finding is acted on.
type Tier string

// The tiers, most serious first.
const (
	Urgent   Tier = "urgent"
	Concern  Tier = "concern"
	Request  Tier = "request"
	Distress Tier = "distress"
)

func (t Tier) rank() int {
	switch t {
	case Urgent:
		return 4
	case Concern:
		return 3
	case Request:
		return 2
	case Distress:
		return 1
	}
	return 0
}

// Finding is one thing the screen found in a message.
type Finding struct {
	Tier     Tier
	Category string
	// Rule is the id of the rule that fired, with AcrossMessages or
	// Negated added when that is how it fired.
	Rule string
	// Words are the words that fired, as the person typed them.
	Words string
	// Locale is the rules file the rule is in.
	Locale string
}

// Found reports whether f holds a finding.
func (f Finding) Found() bool { return f.Tier != "" }

// AcrossMessages is added to a rule id when the words that fired were split
// between the previous message and this one.
const AcrossMessages = " (across messages)"

// EarlierMessage is added to a rule id in an evaluation report when the
// risk was caught in one of the earlier messages of a case, as the engine
// catches it when that message arrives.
const EarlierMessage = " (earlier message)"

// Negated is added to a rule id when a negation in the clause made an
// urgent rule a concern ("I'm not going to kill myself").
const Negated = " (negated)"

// Result is what the screen found in one message.
type Result struct {
	// Risk is the most serious urgent or concern finding; empty when none.
	Risk Finding
	// Distress is set when the message shows distress but no risk.
	Distress Finding
	// Request is set when the message asks to talk to a person.
	Request Finding
	// Noted is a concern the screen asks about first (a denial that
	// names suicide, a past attempt or self-harm: rules marked
	// always_ask) that the model set aside: not asked about, but kept on
	// the person's record for the link worker. Its tier is Concern, what
	// the rule raised; its rule id ends with the model's score.
	Noted Finding
}

// contextWindow is how many earlier messages the screen reads.
const contextWindow = 3

// maxWords caps the words a finding quotes.
const maxWords = 160

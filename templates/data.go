package templates

import (
	"strconv"
	"strings"
)

// Data is what every template is rendered with.
type Data struct {
	Contact Person
	// Answers holds the conversation's saved answers by key; a choice answer
	// also has "<key>_label", the text of the option(s) chosen.
	Answers map[string]string
	Service Service
	// Team says whether link workers are working now and, if not, when
	// they are next in ("on Monday at 9am").
	Team Team
	// Min and Max bound the number a re-ask asks for.
	Min, Max int
}

// Person is the part of a contact templates may show.
type Person struct {
	Name string
}

// Service describes the social prescribing service to the people who text it.
type Service struct {
	// Name, e.g. "Riverside PCN Linkline".
	Name string
	// ResponseTime is how long a link worker usually takes to get in touch
	// after a referral, e.g. "within 5 working days".
	ResponseTime string
	// Hours are when the team works, e.g. "Monday to Friday, 9am to 5pm".
	Hours string
}

// Team is the link worker team's availability at the time of a message.
type Team struct {
	Open bool
	Next string
}

// SampleData is realistic data for checking how long rendered templates are.
func SampleData() Data {
	return Data{
		Contact: Person{Name: "Alexandra"},
		Answers: map[string]string{"name": "Alexandra Smith"},
		Service: Service{Name: "Riverside Linkline", ResponseTime: "within 5 working days", Hours: "Monday to Friday, 9am to 5pm"},
		Team:    Team{Open: false, Next: "on Wednesday at 9:30am"},
		Min:     0,
		Max:     10,
	}
}

// Numbered appends labels to text as a numbered list, one per line
// ("1. Yes"), the way SMS and the simulator show choices.
func Numbered(text string, labels []string) string {
	var b strings.Builder
	b.WriteString(text)
	for i, l := range labels {
		b.WriteByte('\n')
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(l)
	}
	return b.String()
}

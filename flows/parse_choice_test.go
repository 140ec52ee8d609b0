package flows

import (
	"errors"
	"slices"
	"testing"
)

// needs are the options of the self-referral flow's "what would help" question.
var needs = []Candidate{
	{Value: "lonely", Label: "Feeling lonely or isolated", Words: []string{"lonely", "loneliness", "isolated", "isolation", "alone"}},
	{Value: "mental_wellbeing", Label: "Mental wellbeing, stress, low mood", Words: []string{"stress", "stressed", "low mood", "anxious", "anxiety", "mental health", "depressed"}},
	{Value: "money", Label: "Money, debt or benefits", Words: []string{"money", "debt", "debts", "benefits", "bills"}},
	{Value: "housing", Label: "Housing", Words: []string{"housing", "home", "rent"}},
	{Value: "work", Label: "Work, training or volunteering", Words: []string{"work", "job", "training", "volunteering"}},
	{Value: "activity", Label: "Physical activity and healthy living", Words: []string{"exercise", "activity", "healthy living"}},
	{Value: "caring", Label: "Caring for someone", Words: []string{"caring", "carer"}},
	{Value: "long_term_condition", Label: "Long-term health condition", Words: []string{"long-term condition", "condition"}},
	{Value: "bereavement", Label: "Bereavement", Words: []string{"bereavement", "grief", "bereaved"}},
	{Value: "other", Label: "Something else", Words: []string{"other", "something else"}},
}

// times are the options of a "when should we call" question.
var times = []Candidate{
	{Value: "morning", Label: "Morning", Words: []string{"morning", "am"}, Hours: "0-12"},
	{Value: "afternoon", Label: "Afternoon", Words: []string{"afternoon", "pm"}, Hours: "12-17"},
	{Value: "any", Label: "Any time", Words: []string{"any", "anytime", "whenever", "any time"}},
	{Value: "evening", Label: "Evening", Words: []string{"evening", "evenings", "any evening"}, Hours: "17-24"},
}

// contactWays are the options of a "how should we contact you" question.
var contactWays = []Candidate{
	{Value: "text", Label: "Text message", Words: []string{"text", "sms", "message", "texts"}},
	{Value: "phone", Label: "Phone call", Words: []string{"phone", "call", "ring", "phone call"}},
}

// checkinHow are the carer check-in's answers to "How have things been
// this week?" (flows/builtin/carer-checkin.yaml).
var checkinHow = []Candidate{
	{Value: "good", Label: "Good", Words: []string{"good", "great", "fine", "well", "very good"}},
	{Value: "okay", Label: "Okay", Words: []string{"ok", "okay", "alright", "all right", "not bad", "not too bad", "so so"}},
	{Value: "not_so_good", Label: "Not so good", Words: []string{"not so good", "not good", "bad", "awful", "not great", "not very good", "not ok"}},
	{Value: "talk", Label: "I'd like to talk to someone", Words: []string{"talk", "call me", "speak", "ring me"}},
}

// confirm is a summary's options.
var confirm = []Candidate{
	{Value: "send", Label: "Yes, send it", Words: []string{"send", "yes", "ok", "okay", "correct"}},
	{Value: "change", Label: "No, change something", Words: []string{"change", "no", "wrong", "edit"}},
}

func TestParseChoice(t *testing.T) {
	tests := []struct {
		in    string
		cands []Candidate
		want  string // "" for ErrUnreadable
	}{
		// By number as listed.
		{"1", times, "morning"},
		{"2", times, "afternoon"},
		{"2.", times, "afternoon"},
		{"#2", times, "afternoon"},
		{"(2)", times, "afternoon"},
		{"option 2", times, "afternoon"},
		{"Option2", times, "afternoon"},
		{"no. 3", times, "any"},
		{"two", times, "afternoon"},
		{"2 please", times, "afternoon"},
		{"10", needs, "other"},
		{"5", times, ""},
		// Clock times, by the options' hours (the persona trials: "6.30pm"
		// was the afternoon, by "pm").
		{"6.30pm", times, "evening"},
		{"6:30 pm", times, "evening"},
		{"9pm", times, "evening"},
		{"after 6.30 p.m. please", times, "evening"},
		{"18:30", times, "evening"},
		{"10am", times, "morning"},
		{"7.30am", times, "morning"},
		{"12pm", times, "afternoon"},
		{"2pm", times, "afternoon"},
		{"between 10am and 2pm", times, ""},
		{"any evening", times, "evening"},
		{"I am free evenings", times, "evening"},
		{"6.30", times, ""},
		// A review: words that name an option win; a limited time picks
		// nothing; midnight is no time to call.
		{"any time before 5pm", times, "any"},
		{"not after 5pm please", times, ""},
		{"not 6pm, morning", times, "morning"},
		{"morning, never after 1pm", times, "morning"},
		{"12am", times, ""},
		{"after 6.30pm", times, "evening"},
		{"5am", times, "morning"},
		// A second review: a time beside "any" is the time's.
		{"any day at 3pm", times, "afternoon"},
		{"anytime after 6pm", times, "evening"},
		{"I work nights so any time after 2pm", times, "afternoon"},
		{"any time before 11am", times, "any"},
		// A third review: a morning time beside "any" says when the day
		// starts.
		{"any time after 9am", times, "any"},
		{"whenever, im up at 7am", times, "any"},
		{"0", times, ""},
		{"1)", times, "morning"},
		{"3 - I live on my own since the divorce", times, "any"}, // a number and a comment
		{"1, I have my family", times, "morning"},
		{"1 thing, my postcode is wrong", times, ""}, // a count, not an option (a review)
		{"3 days off work this week", times, ""},
		{"2 or 3 i think", times, ""},
		{"9 - I live alone", times, ""}, // not an option
		{"1 or 2", times, ""},
		// A word that denies an option does not pick it (a check-in's
		// "not great" was stored as good).
		{"not great", checkinHow, "not_so_good"},
		// A face alone answers how things have been (session 43).
		{"🙂", checkinHow, "good"},
		{"😊😊", checkinHow, "good"},
		{"😐", checkinHow, "okay"},
		{"😢", checkinHow, "not_so_good"},
		{"😞!", checkinHow, "not_so_good"},
		{"😊😢", checkinHow, ""},         // both
		{"🙂", times, ""},               // names no time
		{"🙂‍↔️", checkinHow, ""},       // a head shaken no
		{"😕", confirm, ""},             // not "ok, send it" at a summary (a review)
		{"good 😢", checkinHow, "good"}, // words say it; the face is not read
		// "rather than", "instead of" deny too (session 41).
		{"morning rather than afternoon", times, "morning"},
		{"afternoon instead of morning", times, "afternoon"},
		{"morning please, I am not very good with the afternoon", times, "morning"}, // session 42
		{"morning, rubbish at afternoons", times, "morning"},
		{"morning, I hate afternoon", times, "morning"},
		{"not very good this week", checkinHow, "not_so_good"},
		{"not ok", checkinHow, "not_so_good"},
		{"not too bad", checkinHow, "okay"},
		{"it hasn't been good", checkinHow, ""},
		{"i wouldn't say great", checkinHow, ""},
		{"not really fine, can someone call me", checkinHow, "talk"},
		{"never good on a monday but fine today", checkinHow, "good"},
		{"not the morning", times, ""},
		// By value, label or word, in any case, ignoring punctuation.
		{"morning", times, "morning"},
		{"MORNING", times, "morning"},
		{"Morning!", times, "morning"},
		{"any time", times, "any"},
		{"Any-time", times, "any"},
		{"anytime", times, "any"},
		{"PM", times, "afternoon"},
		{"mental_wellbeing", needs, "mental_wellbeing"},
		{"Mental wellbeing, stress, low mood", needs, "mental_wellbeing"},
		{"low mood", needs, "mental_wellbeing"},
		{"long term condition", needs, "long_term_condition"},
		{"Text message", contactWays, "text"},
		{"ring me", contactWays, "phone"},
		// A unique start of at least three letters.
		{"aft", times, "afternoon"},
		{"morn", times, "morning"},
		{"bereave", needs, "bereavement"},
		{"hous", needs, "housing"},
		{"mo", times, ""}, // too short
		{"an", times, ""}, // too short
		{"ment", needs, "mental_wellbeing"},
		// A phrase inside a longer answer.
		{"I'd prefer a phone call please", contactWays, "phone"},
		{"the morning is best for me", times, "morning"},
		{"mornings are good", times, ""}, // "mornings" is no word of the options
		{"in the afternoon, after 2", times, "afternoon"},
		{"I'm feeling really lonely 😢", needs, "lonely"},
		{"any time in the afternoon", times, ""}, // two options named
		{"text or call", contactWays, ""},
		// Nothing.
		{"", times, ""},
		{"  ", times, ""},
		{"?!", times, ""},
		{"😊", times, ""},
		{"evening", needs, ""},
		{"\xff\xfe", times, ""},
		{"morning", nil, ""},
	}
	for _, tt := range tests {
		got, err := ParseChoice(tt.in, tt.cands)
		if tt.want == "" {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParseChoice(%q) = %q, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseChoice(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseChoiceShared(t *testing.T) {
	// A word two options share names neither.
	cands := []Candidate{{Value: "a", Label: "Caring for someone", Words: []string{"carer"}}, {Value: "b", Label: "Being cared for", Words: []string{"carer"}}}
	if got, err := ParseChoice("carer", cands); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseChoice(shared word) = %q, %v; want ErrUnreadable", got, err)
	}
	if got, err := ParseChoices("carer", cands); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseChoices(shared word) = %q, %v; want ErrUnreadable", got, err)
	}
	if got, err := ParseChoice("car", cands); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseChoice(shared prefix) = %q, %v; want ErrUnreadable", got, err)
	}
	if got, err := ParseChoice("being cared for", cands); err != nil || got != "b" {
		t.Errorf("ParseChoice(label) = %q, %v; want b", got, err)
	}
}

func TestParseChoices(t *testing.T) {
	tests := []struct {
		in    string
		cands []Candidate
		want  []string // nil for ErrUnreadable
	}{
		{"1", needs, []string{"lonely"}},
		{"1, 3", needs, []string{"lonely", "money"}},
		{"1 n 3", needs, []string{"lonely", "money"}}, // the persona trials
		// Session 41's trials: hedges name nothing.
		{"money i think", needs, []string{"money"}},
		{"lonely i guess", needs, []string{"lonely"}},
		{"housing probably", needs, []string{"housing"}},
		{"not sure really, maybe money", needs, []string{"money"}},
		{"lonely tbh", needs, []string{"lonely"}},
		{"1,3", needs, []string{"lonely", "money"}},
		{"1 and 3", needs, []string{"lonely", "money"}},
		{"1 3", needs, []string{"lonely", "money"}},
		{"1&3", needs, []string{"lonely", "money"}},
		{"3, 1", needs, []string{"lonely", "money"}},
		{"1, 1, 3", needs, []string{"lonely", "money"}},
		{"#1 #3", needs, []string{"lonely", "money"}},
		{"options 2 and 10", needs, []string{"mental_wellbeing", "other"}},
		{"housing and money", needs, []string{"money", "housing"}},
		{"Housing & Money", needs, []string{"money", "housing"}},
		{"2,housing", needs, []string{"mental_wellbeing", "housing"}},
		{"housing, 4", needs, []string{"housing"}},
		{"Money, debt or benefits", needs, []string{"money"}},
		{"Money, debt or benefits and housing", needs, []string{"money", "housing"}},
		{"Physical activity and healthy living", needs, []string{"activity"}},
		{"I need help with money and housing please", needs, []string{"money", "housing"}},
		{"debt, rent, grief", needs, []string{"money", "housing", "bereavement"}},
		{"low mood and anxiety", needs, []string{"mental_wellbeing"}},
		{"hous and bereave", needs, []string{"housing", "bereavement"}},
		{"something else", needs, []string{"other"}},
		{"MONEY!!!", needs, []string{"money"}},
		{"money 💷 and housing 🏠", needs, []string{"money", "housing"}},
		{"mental_wellbeing,money", needs, []string{"mental_wellbeing", "money"}},
		// Any part that names nothing, or several.
		{"1, 11", needs, nil},
		{"0", needs, nil},
		{"housing and xyzzy", needs, nil},
		{"not housing", needs, nil},
		{"housing but not money", needs, nil},
		{"", needs, nil},
		{" , ", needs, nil},
		{"and", needs, nil},
		{"😊", needs, nil},
		{"\xff", needs, nil},
		{"1", nil, nil},
	}
	for _, tt := range tests {
		got, err := ParseChoices(tt.in, tt.cands)
		if tt.want == nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParseChoices(%q) = %q, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseChoices(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestWithoutChoices(t *testing.T) {
	cands := []Candidate{
		{Value: "lonely", Label: "Feeling lonely or isolated", Words: []string{"lonely", "alone"}},
		{Value: "money", Label: "Money, debt or benefits", Words: []string{"money", "debt"}},
	}
	for _, tt := range []struct{ in, want string }{
		{"money and lonely really, plus my knees", "and really plus my knees"},
		{"so lonely, everything is awful", "so everything is awful"},
		{"Feeling lonely or isolated", ""},
		{"nothing here", "nothing here"},
	} {
		if got := WithoutChoices(tt.in, cands); got != tt.want {
			t.Errorf("WithoutChoices(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Options named by their place in the list (session 45's persona trial).
func TestParseChoicesOrdinals(t *testing.T) {
	cands := []Candidate{{Value: "lonely", Label: "Feeling lonely"}, {Value: "money", Label: "Money"}, {Value: "housing", Label: "Housing"}}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"the first one", []string{"lonely"}},
		{"first", []string{"lonely"}},
		{"the second one", []string{"money"}},
		{"first and third", []string{"lonely", "housing"}},
		{"1 and 2 then", []string{"lonely", "money"}},
	} {
		got, err := ParseChoices(tt.in, cands)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseChoices(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got, err := ParseChoice("the second one", cands); err != nil || got != "money" {
		t.Errorf("ParseChoice(the second one) = %q, %v; want money", got, err)
	}
}

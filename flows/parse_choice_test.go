package flows

import (
	"errors"
	"slices"
	"testing"
)

// needs are the options of the self-referral flow's "what would help" question.
var needs = []Candidate{
	{"lonely", "Feeling lonely or isolated", []string{"lonely", "loneliness", "isolated", "isolation", "alone"}},
	{"mental_wellbeing", "Mental wellbeing, stress, low mood", []string{"stress", "stressed", "low mood", "anxious", "anxiety", "mental health", "depressed"}},
	{"money", "Money, debt or benefits", []string{"money", "debt", "debts", "benefits", "bills"}},
	{"housing", "Housing", []string{"housing", "home", "rent"}},
	{"work", "Work, training or volunteering", []string{"work", "job", "training", "volunteering"}},
	{"activity", "Physical activity and healthy living", []string{"exercise", "activity", "healthy living"}},
	{"caring", "Caring for someone", []string{"caring", "carer"}},
	{"long_term_condition", "Long-term health condition", []string{"long-term condition", "condition"}},
	{"bereavement", "Bereavement", []string{"bereavement", "grief", "bereaved"}},
	{"other", "Something else", []string{"other", "something else"}},
}

// times are the options of a "when should we call" question.
var times = []Candidate{
	{"morning", "Morning", []string{"morning", "am"}},
	{"afternoon", "Afternoon", []string{"afternoon", "pm"}},
	{"any", "Any time", []string{"any", "anytime", "whenever", "any time"}},
}

// contactWays are the options of a "how should we contact you" question.
var contactWays = []Candidate{
	{"text", "Text message", []string{"text", "sms", "message", "texts"}},
	{"phone", "Phone call", []string{"phone", "call", "ring", "phone call"}},
}

// checkinHow are the carer check-in's answers to "How have things been
// this week?" (flows/builtin/carer-checkin.yaml).
var checkinHow = []Candidate{
	{"good", "Good", []string{"good", "great", "fine", "well", "very good"}},
	{"okay", "Okay", []string{"ok", "okay", "alright", "all right", "not bad", "not too bad", "so so"}},
	{"not_so_good", "Not so good", []string{"not so good", "not good", "bad", "awful", "not great", "not very good", "not ok"}},
	{"talk", "I'd like to talk to someone", []string{"talk", "call me", "speak", "ring me"}},
}

// confirm is a summary's options.
var confirm = []Candidate{
	{"send", "Yes, send it", []string{"send", "yes", "ok", "okay", "correct"}},
	{"change", "No, change something", []string{"change", "no", "wrong", "edit"}},
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
		{"4", times, ""},
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
		{"evening", times, ""},
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
	cands := []Candidate{{"a", "Caring for someone", []string{"carer"}}, {"b", "Being cared for", []string{"carer"}}}
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

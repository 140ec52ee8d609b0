package risk

import (
	"errors"
	"strings"
	"testing"
)

func TestScreen(t *testing.T) {
	s := mustNew(t)
	tests := []struct {
		text     string
		recent   []string
		category string // "" means no risk
		rule     string // checked when set
	}{
		// DOMAIN.md's examples
		{text: "kill myself", category: Suicide, rule: "suicide/kill-myself"},
		{text: "I want to die", category: Suicide, rule: "suicide/want-to-die"},
		{text: "end it all", category: Suicide, rule: "suicide/end-it-all"},
		{text: "they're all better off without me", category: Suicide, rule: "suicide/better-off-without-me"},
		{text: "I don't want to be here anymore", category: Suicide},
		{text: "cut myself", category: SelfHarm},
		{text: "overdose", category: Overdose},
		{text: "hurt myself", category: SelfHarm},
		{text: "he hits me", category: Abuse},
		{text: "not safe at home", category: Abuse},
		{text: "i'm going to kill him", category: HarmToOthers},
		{text: "chest pain", category: Medical},
		{text: "can't breathe", category: Medical},
		// text-speak, misspellings, stretched letters, punctuation
		{text: "kms", category: Suicide},
		{text: "wanna die", category: Suicide},
		{text: "want 2 die", category: Suicide},
		{text: "i want to dieeee!!!", category: Suicide},
		{text: "I WANT TO DIE 😭😭", category: Suicide},
		{text: "im so sucidal", category: Suicide},
		{text: "suicidle", category: Suicide},
		{text: "i kil my self", category: Suicide},
		{text: "i od'd", category: Overdose},
		{text: "took an overdoes", category: Overdose},
		{text: "don’t want to be alive", category: Suicide}, // curly apostrophe
		// negation does not cancel risk
		{text: "I don't want to be alive", category: Suicide},
		{text: "no reason to live", category: Suicide},
		{text: "can't go on", category: Suicide},
		{text: "STOP I can't do this anymore", category: Suicide, rule: "suicide/can-not-go-on"},
		// idioms do not fire...
		{text: "my feet are killing me"},
		{text: "I could murder a cup of tea"},
		{text: "dying to try it"},
		{text: "this traffic is killing me"},
		{text: "killing it"},
		{text: "dead tired"},
		{text: "to die for"},
		{text: "I'm dying of laughter"},
		{text: "died laughing"},
		{text: "I'd kill for a coffee"},
		{text: "I feel a bit odd today"},
		{text: "odd socks"},
		// ...but do not hide risk elsewhere in the message
		{text: "my feet are killing me and i want to die", category: Suicide},
		{text: "i could murder a cup of tea. i want to kill myself", category: Suicide},
		// ordinary messages
		{text: "can I get help with my gas bill"},
		{text: "my mum has dementia and I'm her carer"},
		{text: "yes"},
		{text: "12/03/1958"},
		{text: ""},
		// context: the earlier message makes this one risk
		{text: "going to take them all", recent: []string{"I've got all my tablets here"}, category: Overdose, rule: "overdose/has-pills-then-take"},
		{text: "I want to", recent: []string{"do you ever want to die?"}, category: Suicide, rule: "suicide/asked-then-yes"},
		{text: "going to take them all", recent: []string{"I've got all my tablets here", "hello", "ok"}, category: Overdose},
		{text: "going to take them all", recent: []string{"I've got all my tablets here", "a", "b", "c"}}, // out of the window
		{text: "going to take them all"},
		{text: "yes", recent: []string{"can I bring my dog?"}},
		// a phrase split across two messages
		{text: "myself", recent: []string{"i want to kill"}, category: Suicide, rule: "suicide/kill-myself" + AcrossMessages},
		{text: "thanks", recent: []string{"i want to kill myself"}}, // earlier risk does not make every later message risk
	}
	for _, tt := range tests {
		got, ok := s.Screen(tt.text, tt.recent)
		if ok != (tt.category != "") || got.Category != tt.category {
			t.Errorf("Screen(%q, %q) = %+v, %v; want category %q", tt.text, tt.recent, got, ok, tt.category)
			continue
		}
		if tt.rule != "" && got.Rule != tt.rule {
			t.Errorf("Screen(%q) rule = %q, want %q", tt.text, got.Rule, tt.rule)
		}
	}
}

// An idiom never hides words a person is doing: "my feet are killing me"
// is an idiom, "he is killing me" is abuse.
func TestIdiomAfterPerson(t *testing.T) {
	s := mustNew(t)
	for _, tt := range []struct {
		text     string
		category string // "" means no risk
	}{
		{"he is killing me", Abuse},
		{"she's killing me", Abuse},
		{"hes really killing me", Abuse},
		{"my husband has been killing me", Abuse},
		{"he pushed me to the floor", Abuse},
		{"my partner pushed me to the ground", Abuse},
		{"he beat me to a pulp", Abuse},
		{"he beat me at home", Abuse},
		{"he hit me up against the wall", Abuse},
		{"my boyfriend has hit me up against the wall", Abuse},
		{"he kicked me out", Abuse},
		{"he said he'd kill me if i left", Abuse},
		{"he cut me with a knife", Abuse},
		{"im scared for my life", Abuse},
		{"he will kill me", Abuse},
		{"she is having a fit", Medical},
		// nobody doing it: still an idiom
		{"my feet are killing me", ""},
		{"this heat is killing me", ""},
		{"you're killing me lol", ""},
		{"hit me up later", ""},
		{"beat me to it", ""},
		{"you pushed me to try harder", ""},
		// an idiom that names the person itself is blanked whole
		{"my daughter pushed me to get in touch", ""},
		{"she's been pushing me to see the gp", ""},
		{"she's having a fit about the mess", ""},
		{"my landlord kicked me out", ""},
		// ...but only its own words
		{"my daughter pushed me to get in touch because he hits me", Abuse},
	} {
		got, ok := s.Screen(tt.text, nil)
		if ok != (tt.category != "") || got.Category != tt.category {
			t.Errorf("Screen(%q) = %+v, %v; want category %q", tt.text, got, ok, tt.category)
		}
	}
}

func TestLoadIdiomsNotAfter(t *testing.T) {
	rules := `locale: test
slots:
  person: [he, my dog]
idioms:
  - "licks me"
idioms_not_after:
  - "{person}"
rules:
  - id: abuse/licks
    phrases: ["licks me"]
`
	s, err := Load(strings.NewReader(rules))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"it licks me", false},
		{"he licks me", true},
		{"my dog always licks me", true},
		{"my dog is a dear, the cat licks me", false}, // more than two words after the person
	} {
		if _, ok := s.Screen(tt.text, nil); ok != tt.want {
			t.Errorf("Screen(%q) = %v, want %v", tt.text, ok, tt.want)
		}
	}
	bad := "locale: x\nidioms_not_after: [\"{nope}\"]\nrules:\n  - id: suicide/a\n    phrases: [a]\n"
	if _, err := Load(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "idioms_not_after") {
		t.Errorf("Load with an unknown slot in idioms_not_after: error %v, want one naming idioms_not_after", err)
	}
}

func TestNormalise(t *testing.T) {
	s := mustNew(t)
	tests := []struct{ in, want string }{
		{"I'm gonna KMS!!!", "i am going to kil myself"},
		{"dont wanna b here", "do not want to b here"},
		{"my self", "myself"},
		{"od'd", "overdosed"},
		{"odd", "od"}, // not overdose: only "od" and "od'd" are
		{"want 2 die 2day", "want to die today"},
		{"dieeee soooo", "die so"},
		{"self-harm", "self harm"},
		{"i\xffwant", "i want"},
		{"100 paracetamol", "100 paracetamol"},
		{"he'd she'll they'd", "he would she wil they would"},
	}
	for _, tt := range tests {
		if got := strings.Join(s.norm.words(tokenise(tt.in)), " "); got != tt.want {
			t.Errorf("normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewLocale(t *testing.T) {
	for _, loc := range []string{"en", "EN", "en-GB", "en_GB"} {
		s, err := New(loc)
		if err != nil || s.Locale() != "en" {
			t.Errorf("New(%q) = %v, %v; want the en rules", loc, s, err)
		}
	}
	for _, loc := range []string{"", "xx", "../rules/en", "fr"} {
		if _, err := New(loc); !errors.Is(err, ErrUnknownLocale) {
			t.Errorf("New(%q) error = %v, want ErrUnknownLocale", loc, err)
		}
	}
}

func TestLoad(t *testing.T) {
	good := `locale: test
normalise:
  wanna: want to
slots:
  pet: [cat, dog]
idioms:
  - "raining {pet} and dogs"
rules:
  - id: medical/pet
    phrases:
      - "{pet} bit me"
      - "want to ... pat the {pet}"
context:
  - id: abuse/then
    earlier: ["the {pet}"]
    now: ["again"]
`
	s, err := Load(strings.NewReader(good))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tt := range []struct {
		text, recent string
		want         bool
	}{
		{"the dog bit me", "", true},
		{"i wanna quickly pat the cat", "", true},
		{"it is raining cats and dogs", "", false},
		{"again", "the cat", true},
		{"again", "", false},
	} {
		var recent []string
		if tt.recent != "" {
			recent = []string{tt.recent}
		}
		if _, ok := s.Screen(tt.text, recent); ok != tt.want {
			t.Errorf("custom rules: Screen(%q) = %v, want %v", tt.text, ok, tt.want)
		}
	}

	bad := map[string]string{
		"not yaml":         "rules: [",
		"unknown field":    "locale: x\nrulez: []\n",
		"no locale":        "rules:\n  - id: suicide/a\n    phrases: [a]\n",
		"no rules":         "locale: x\n",
		"unknown category": "locale: x\nrules:\n  - id: sadness/a\n    phrases: [a]\n",
		"no name":          "locale: x\nrules:\n  - id: suicide\n    phrases: [a]\n",
		"duplicate id":     "locale: x\nrules:\n  - id: suicide/a\n    phrases: [a]\n  - id: suicide/a\n    phrases: [b]\n",
		"unknown slot":     "locale: x\nrules:\n  - id: suicide/a\n    phrases: [\"{nope} a\"]\n",
		"leading gap":      "locale: x\nrules:\n  - id: suicide/a\n    phrases: [\"... a\"]\n",
		"trailing gap":     "locale: x\nrules:\n  - id: suicide/a\n    phrases: [\"a ...\"]\n",
		"double gap":       "locale: x\nrules:\n  - id: suicide/a\n    phrases: [\"a ... ... b\"]\n",
		"empty phrase":     "locale: x\nrules:\n  - id: suicide/a\n    phrases: [\"!!\"]\n",
		"no phrases":       "locale: x\nrules:\n  - id: suicide/a\n",
		"glued slot":       "locale: x\nslots:\n  s: [a]\nrules:\n  - id: suicide/a\n    phrases: [\"x{s}\"]\n",
		"context half":     "locale: x\nrules:\n  - id: suicide/a\n    phrases: [a]\ncontext:\n  - id: suicide/b\n    now: [a]\n",
		"empty slot":       "locale: x\nslots:\n  s: [\"!\"]\nrules:\n  - id: suicide/a\n    phrases: [a]\n",
	}
	for name, in := range bad {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("Load(%s) = nil error, want one", name)
		}
	}
}

func TestLoadErrorNamesLine(t *testing.T) {
	in := "locale: x\nrules:\n  - id: suicide/a\n    phrases:\n      - fine\n      - \"{nope}\"\n"
	_, err := Load(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("Load error = %v, want one naming line 6", err)
	}
}

// The built-in rules must cover every category and include context rules.
func TestBuiltInRulesCoverEveryCategory(t *testing.T) {
	s := mustNew(t)
	if len(s.rules) < 20 || len(s.context) < 2 {
		t.Errorf("built-in rules: %d rules, %d context rules; want the full set", len(s.rules), len(s.context))
	}
	for _, c := range Categories() {
		found := false
		for _, r := range s.rules {
			found = found || r.category == c
		}
		if !found {
			t.Errorf("no rule for category %s", c)
		}
	}
}

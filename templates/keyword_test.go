package templates

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestKeyword(t *testing.T) {
	cat, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want string
	}{
		{"STOP", "stop"},
		{"stop", "stop"},
		{"Stop.", "stop"},
		{" stop!! ", "stop"},
		{"STOP\n", "stop"},
		{"\tStOp ", "stop"},
		{"stopall", "stop"},
		{"Unsubscribe", "stop"},
		{"end", "stop"},
		{"quit", "stop"},
		{"cancel", "stop"},
		{"optout", "stop"},
		{"revoke", "stop"},
		{"/stop", "stop"},
		{"/stop@SomeBot", "stop"},
		{"/STOP@some_bot ", "stop"},
		{"start", "start"},
		{"UNSTOP", "start"},
		{"Yes!", "start"},
		{"help", "help"},
		{"Help?", "help"},
		{"info", "help"},
		{"/help", "help"},
		{"restart", "restart"},
		{"/restart", "restart"},
		{"HUMAN", "human"},
		{"agent", "human"},
		{"talk to someone", "human"},
		{"Talk to someone.", "human"},
		{"  speak   to a   PERSON!!", "human"},
		{"speak to someone", "human"},
		{"talk to a person?", "human"},
		{"talk, to someone", "human"},
		{"/human", "human"},
		{"/human@LinklineBot", "human"},
		// Not keywords: the whole message must be the keyword.
		{"stop it now", ""},
		{"don't stop", ""},
		{"please stop", "stop_wish"}, // not an opt-out: the engine asks them to reply STOP
		{"stopping", ""},
		{"s t o p", ""},
		{"I want to talk to someone", ""},
		{"talk to someone please", ""},
		{"/stop now", ""},
		{"/stopall", ""},
		{"/stop@", ""},
		{"/", ""},
		{"/start", "begin"}, // Telegram's Start button (engine.yaml)
		{"stop/", "stop"},
		{"", ""},
		{"   ", ""},
		{"!!!", ""},
		{"hello", ""},
		{"1", ""},
	}
	for _, tt := range tests {
		if got := cat.Keyword("en", tt.text); got != tt.want {
			t.Errorf("Keyword(en, %q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestKeywordLocales(t *testing.T) {
	base := fstest.MapFS{
		"locales/en/core.yaml": {Data: []byte("keywords:\n  stop: [STOP]\n  help: [HELP]\n")},
		"locales/cy/core.yaml": {Data: []byte("keywords:\n  stop: [STOPIO]\n  help: [CYMORTH]\n")},
	}
	extra := fstest.MapFS{
		"templates.en.yaml": {Data: []byte("keywords:\n  human: [call me]\n  stop: [leave me alone]\n")},
	}
	cat, err := load(base, extra)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ loc, text, want string }{
		{"cy", "stopio", "stop"},
		{"cy", "Cymorth", "help"},
		{"cy", "STOP", "stop"}, // English lists apply in every locale
		{"en", "stopio", ""},
		{"en", "Call me!", "human"},
		{"en", "leave me alone", "stop"},
		{"en", "stop", "stop"}, // overrides add, they do not replace
		{"fr", "stop", "stop"}, // unknown locale uses English
	}
	for _, tt := range tests {
		if got := cat.Keyword(tt.loc, tt.text); got != tt.want {
			t.Errorf("Keyword(%s, %q) = %q, want %q", tt.loc, tt.text, got, tt.want)
		}
	}
}

func FuzzKeyword(f *testing.F) {
	cat, err := Load(nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"stop", "/stop@bot", "talk to someone", "", "/", "/@", "don't stop"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := cat.Keyword("en", s)
		// Surrounding whitespace and punctuation never change the answer.
		if got := cat.Keyword("en", " \n"+s+" ."); got != k && !strings.HasPrefix(strings.TrimSpace(s), "/") {
			t.Fatalf("Keyword(%q) = %q but padded gives %q", s, k, got)
		}
		if k != "" && normalise(s) == "" {
			t.Fatalf("Keyword(%q) = %q for a message with no words", s, k)
		}
	})
}

func TestMentions(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want bool
	}{
		{"can I talk to someone please", true},
		{"I'd like to SPEAK TO A PERSON.", true},
		{"talk to someone", true},
		{"I'm only human", false},
		{"human", false}, // whole-message keywords are Keyword's job
		{"talk to some one", false},
		{"no, i want to talk to someone now", true},
		{"", false},
	}
	for _, tc := range cases {
		if got := c.Mentions("en", "human", tc.text); got != tc.want {
			t.Errorf("Mentions(human, %q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// Only is a phrase of the kind (any number of them) and fillers, nothing
// else; an apostrophe joins its word ("I'm back" is "im back").
func TestOnly(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	fillers := []string{"right", "ok", "sorry"}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"im back", true},
		{"right I'm back", true},
		{"ok I’m back sorry", true},
		{"sorry for the wait, im back", true}, // two phrases of the kind
		{"im back at the bridge", false},
		{"here now, by the river", false},
		{"right", false}, // fillers alone are not a return
		{"", false},
	} {
		if got := c.Only("en", "back_now", tc.text, fillers); got != tc.want {
			t.Errorf("Only(back_now, %q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if !c.Mentions("en", "later_wish", "I'm at work, can I finish this later") {
		t.Error(`Mentions(later_wish) missed "I'm at work" typed with an apostrophe`)
	}
}

func TestMentionsDenied(t *testing.T) {
	cat, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"no need to speak to someone", true},
		{"I don't want to talk to someone, just the form", true},
		{"can I talk to someone please", false},
		{"I don't want to fill in forms, I need to talk to someone", false},
		{"hello", false},
	} {
		if got := cat.MentionsDenied("en", "human", tt.text); got != tt.want {
			t.Errorf("MentionsDenied(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

package flows

import (
	"errors"
	"testing"
)

func TestParseYesNo(t *testing.T) {
	yes := []string{"yes", "Yes", "YES", " yes ", "y", "Y", "yeah", "yep", "yup", "yes please", "Yes please!",
		"ok", "OK", "okay", "sure", "i do", "I do", "👍", "👍🏽", "✅", "yesss", "Yeahhh", "aye", "of course",
		"yes that's fine", "yes, go ahead", "yes.", "Yes!!!", "yea sure", "I don't mind", "no problem",
		"why not", "please", "ok 👍", "k", "definitely", "I'm ok with that",
		"that's fine", "go on then", "I'm happy for you to", "yh", "defo", "yes pls"}
	no := []string{"no", "No", "NO", "n", "N", "nope", "nah", "no thanks", "No thank you.", "i don't", "I dont",
		"I do not", "👎", "❌", "nooo", "Nope!", "not really", "no, not now", "not at all", "never", "no way",
		"no thanks, I'm ok", "I'm not interested", "I'm fine thanks, no", "absolutely not",
		"Definitely NOT", "no ta", "Nope 👎", "no, never mind"}
	unreadable := []string{"", "   ", "?", "😊", "maybe", "not sure", "I'm not sure", "dunno", "I don't know",
		"idk", "yes and no", "yes no", "yeah nah", "hello", "what do you mean", "12", "perhaps yes",
		"depends", "no idea", "yes 👎", "\xff\xfe", "banana", "I'm ok thanks", "I'm fine", "ja", "yes but no"}
	for _, s := range yes {
		if got, err := ParseYesNo(s); err != nil || !got {
			t.Errorf("ParseYesNo(%q) = %v, %v; want yes", s, got, err)
		}
	}
	for _, s := range no {
		if got, err := ParseYesNo(s); err != nil || got {
			t.Errorf("ParseYesNo(%q) = %v, %v; want no", s, got, err)
		}
	}
	for _, s := range unreadable {
		if got, err := ParseYesNo(s); !errors.Is(err, ErrUnreadable) {
			t.Errorf("ParseYesNo(%q) = %v, %v; want ErrUnreadable", s, got, err)
		}
	}
}

package flows

import (
	"errors"
	"testing"
)

func TestParseYesNo(t *testing.T) {
	yes := []string{"yes", "Yes", "YES", " yes ", "y", "Y", "yeah", "yep", "yup", "yes please", "Yes please!",
		"ok", "OK", "okay", "sure", "i do", "I do", "👍", "👍🏽", "✅", "yesss", "Yeahhh", "aye", "of course",
		"yes that's fine", "yes, go ahead", "yes.", "Yes!!!", "yea sure", "I don't mind", "no problem",
		"why not", "ok 👍", "k", "definitely", "I'm ok with that",
		"that's fine", "go on then", "I'm happy for you to", "yh", "defo", "yes pls",
		// short answers with a little around them
		"i will", "I would", "yes i will", "I would, yes", "will do", "please do", "yes please 😊",
		"yes please, thank you", "ok then x", "yes i would like that", "Yes. Thanks!", "yes please if they can",
		"Yes, that is quite acceptable", "That is fine.", "yes that's correct", "By all means", "Sounds good",
		"That would be lovely, thank you", "perfectly acceptable",
		// Welsh
		"ydw", "Ydw diolch", "ie", "Ie plis", "oes", "iawn", "Ydy", "cytuno", "Dwi'n cytuno", "dim problem"}
	no := []string{"no", "No", "NO", "n", "N", "nope", "nah", "no thanks", "No thank you.", "i don't", "I dont",
		"I do not", "👎", "❌", "nooo", "Nope!", "not really", "no, not now", "not at all", "never", "no way",
		"no thanks, I'm ok", "I'm not interested", "I'm fine thanks, no", "absolutely not",
		"Definitely NOT", "no ta", "Nope 👎", "no, never mind",
		"not acceptable", "not quite happy", // a review
		// Welsh
		"na", "Na diolch", "nac ydw", "Nage", "dim diolch", "nac oes"}
	unreadable := []string{"", "   ", "?", "😊", "maybe", "not sure", "I'm not sure", "dunno", "I don't know",
		"idk", "yes and no", "yes no", "yeah nah", "hello", "what do you mean", "12", "perhaps yes",
		"ddim yn iawn", "dwi ddim yn iawn", "dwi ddim yn cytuno", // Welsh: not fine, I do not agree
		"that is not acceptable", "That isn't acceptable", "hardly acceptable", "Hardly a bother", "I'm quite happy thanks", "quite happy as is", "that is not fine", "yes that is not ok",
		"depends", "no idea", "yes 👎", "\xff\xfe", "banana", "I'm ok thanks", "I'm fine", "ja", "yes but no",
		// "please" is not consent on its own
		"please", "pls", "please tell me more first", "please call me",
		// questions are not answers, whatever words they contain
		"Can I talk to someone please", "who will see my answers? please tell me first", "yes?", "ok?",
		"will you share my details", "do you need my nhs number", "could you ring me instead",
		"is it free", "what happens if i say yes", "yes but who will see it", "ok so what happens now",
		"how long will it take", "why do you need it", "where does it go", "when will they call",
		"can i say yes later", "would i have to pay",
		// longer messages that are not clearly yes or no
		"i will think about it", "i would like to know more first", "i will ring you tomorrow",
		"i will if it's free", "sure i'll let you know", "I will have to ask my daughter first",
		"yes that is absolutely fine with me thank you", "i was going to say something else entirely but yes"}
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

func TestParseYesNoLead(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int // 1 yes, -1 no, 0 unreadable
	}{
		{"yes", 1},
		{"yes I look after my mum", 1},
		{"Yes, my husband since his stroke", 1},
		{"NO I DONT LOOK AFTER ANYONE", -1},
		{"NO I LOOK AFTER NOBODY ITS JUST ME SINCE MY HUSBAND DIED", -1},
		{"no, my son does all that", -1},
		{"ydw, dwi'n gofalu am Mam", 1},
		{"yes but not very often", 0},
		{"Yes. I care for my wife, Edna, who has Parkinson's disease.", 1}, // a relative "who" (session 42)
		{"yes who is asking?", 0},
		{"yes, what is this for", 0},
		{"no but my son helps me out now and then", 0},
		{"yes no", 0},
		{"yes I mean no", 0},
		{"yes, do I have to say who?", 0},
		{"nope, what's the point", 0},
		{"not sure, sometimes I help my neighbour", 0},
		{"I look after my mum", 0},
		{"I am not understand the question", 0},
		{"", 0},
	} {
		yes, err := ParseYesNoLead(tt.in)
		got := 0
		if err == nil {
			got = -1
			if yes {
				got = 1
			}
		}
		if got != tt.want {
			t.Errorf("ParseYesNoLead(%q) = %v, %v; want %d", tt.in, yes, err, tt.want)
		}
	}
}

func TestParseConditionalYes(t *testing.T) {
	for _, tt := range []struct {
		in, cond string
		ok       bool
	}{
		{"yes but not my GP", "but not my GP", true},
		{"Yes, but I don't want my doctor to know", "but I don't want my doctor to know", true},
		{"ok as long as my husband doesnt find out", "as long as my husband doesnt find out", true},
		{"yes, but only the link worker", "but only the link worker", true},
		{"yes", "", false},
		{"yes but", "", false},
		{"yes but no", "", false},
		{"no but thanks anyway", "", false},
		{"I suppose so but not my GP", "", false},
		{"not sure but maybe", "", false},
		// A review: what follows a yes must limit who sees the answers.
		{"yes but no thanks", "", false},
		{"ok but I've changed my mind", "", false},
		{"yes but what happens to my data?", "", false},
		{"ok but can someone ring me instead", "", false},
		{"yes please if it helps", "", false},
		{"yes but I'm not coping at all", "", false},
		// The persona trials: a condition in a sentence of its own.
		{"Yes that is fine, thank you for asking. I would rather you did not share it with Derek's family though.", "thank you for asking. I would rather you did not share it with Derek's family though.", true},
		{"yes. don't tell my husband", "don't tell my husband", true},
		{"ok as long as it stays private", "as long as it stays private", true},
		{"yes but I'd rather not tell my GP", "but I'd rather not tell my GP", true},
		// A second review: a change of mind is no consent.
		{"yes but actually no, I dont want anyone to know", "", false},
		{"ok but ive changed my mind, dont tell my gp", "", false},
		{"yes. no wait, not if my husband sees it", "", false},
		{"yes but I dont want anyone to know, i'd rather not do this", "", false},
		// A third review: conditions after all.
		{"yes but no letters to my gp please", "but no letters to my gp please", true},
		// Session 45's persona trial: a no to the GP alone.
		{"no not my GP", "not my GP", true},
		{"No, not my doctor please", "not my doctor please", true},
		{"no not really", "", false},
		{"no, not my GP or anyone", "", false},
		{"no not now", "", false},
		// A review: a no to more than one, or more than a no to one.
		{"no, not my gp or you", "", false},
		{"no not my gp or the team", "", false},
		{"no not my gp, changed my mind", "", false},
		{"no thanks, not my GP", "", false},
		{"no not even my gp", "", false},
		{"no not my gp, not you", "", false},
		{"no not my husband", "", false},
		{"yes but actually dont tell my gp", "but actually dont tell my gp", true},
		{"yes but im not sure my gp needs to know", "but im not sure my gp needs to know", true},
	} {
		cond, ok := ParseConditionalYes(tt.in)
		if ok != tt.ok || cond != tt.cond {
			t.Errorf("ParseConditionalYes(%q) = %q, %v; want %q, %v", tt.in, cond, ok, tt.cond, tt.ok)
		}
	}
}

// A no in more words at consent (session 44's trials: "no thanks ive
// changed my mind" was asked again, twice).
func TestParseDecline(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"no thanks ive changed my mind", true},
		{"actually no, i dont want to", true},
		{"Not for me thanks", true},
		{"I've changed my mind", true},
		{"id rather not", true},
		{"dim diolch, dwi wedi newid fy meddwl", true},
		{"Sorry, I've changed my mind", true},
		{"no I don't mind", false},
		// A review: questions, deferrals, negations, more words and
		// hopelessness are not a decline.
		{"no thanks, whats the point", false},
		{"forget it i give up", false},
		{"not interested in anything anymore", false},
		{"not now, he's in the room", false},
		{"what if I change my mind later", false},
		{"can I change my mind later", false},
		{"I haven't changed my mind, I want the referral", false},
		{"dwi ddim wedi newid fy meddwl", false},
		{"I changed my mind, I'd like to be referred after all", false},
		{"leave it with you", false},
		{"I'm not interested in groups, I just need someone to talk to", false},
		{"not now, next week would be better", false},
		{"not today thanks", false},
		{"yes, I dont want to wait", false},
		{"I don't want to be a bother", false},
		{"I don't want to share it with my GP", false},
		{"rather not tell my doctor", false},
		{"not sure, i might change my mind", false},
		{"have I changed my mind?", false},
		{"ok", false},
		{"", false},
	} {
		if got := ParseDecline(tt.in); got != tt.want {
			t.Errorf("ParseDecline(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

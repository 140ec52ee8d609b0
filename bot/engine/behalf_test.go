package engine

import "testing"

func TestForSomeoneElse(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Hi I'm texting for my mum, she's 82 and very lonely", true},
		{"can you refer my husband please", true},
		{"I'd like a referral for my elderly dad", true},
		{"Im writing on behalf of my neighbour", true},
		{"this is for my daughter, she is 17", true},
		{"It’s for my 82 year old nan", true},
		{"is this for someone else or me", true},
		{"can I refer a friend", true},
		{"I need help caring for my mum", false},
		{"it's for my anxiety", false},
		{"asking about my mum, I'm her carer and I'm exhausted", false},
		{"my mum died last year and I'm lonely", false},
		{"I refer to my last message", false},
		{"texting for myself", false},
		// A review: the texter's own referral.
		{"Its for my anxiety, my partner said I should get in touch", false},
		{"it's for my depression since my husband died", false},
		{"this is for my own good, my mum made me text", false},
		{"this is for my best friend", true},
		{"my mate Dan has been really down, can i refer him?", true},
		{"can you refer me", false},
		{"can you refer my mate please", true},
		// A third review: another's referral told of, not asked for.
		{"my husband has dementia and the memory clinic wont refer him. im worn out caring for him", false},
		{"my gp said she would refer her but my mum wont go", false},
	} {
		if got := forSomeoneElse(tt.text); got != tt.want {
			t.Errorf("forSomeoneElse(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

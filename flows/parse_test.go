package flows

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePostcode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SW1A 1AA", "SW1A 1AA"},
		{"sw1a1aa", "SW1A 1AA"},
		{"Sw1A 1aA", "SW1A 1AA"},
		{"  sw1a   1aa  ", "SW1A 1AA"},
		{"SW1A 1AA.", "SW1A 1AA"},
		{"M1 1AE", "M1 1AE"},     // A9 9AA
		{"m11ae", "M1 1AE"},      //
		{"B33 8TH", "B33 8TH"},   // A99 9AA
		{"W1A 0AX", "W1A 0AX"},   // A9A 9AA
		{"CR2 6XH", "CR2 6XH"},   // AA9 9AA
		{"DN55 1PT", "DN55 1PT"}, // AA99 9AA
		{"EC1A 1BB", "EC1A 1BB"}, // AA9A 9AA
		{"ls27jq", "LS2 7JQ"},    //
		{"GIR 0AA", "GIR 0AA"},   // Girobank
		{"gir0aa", "GIR 0AA"},    //
		{"ne1\t4st", "NE1 4ST"},  // a tab for a space
		{"bt7 1nn", "BT7 1NN"},   // Northern Ireland
		{"ze1 0aa", "ZE1 0AA"},   // Shetland
		{"", ""},
		{"   ", ""},
		{"SW1A", ""}, // outward code only
		{"1AA", ""},  // inward code only
		{"SW1A 1A", ""},
		{"SW1A 1AAA", ""},
		{"SW1A 1OA", ""}, // O for 0 (no O in the inward code letters either)
		{"SW1A 1CA", ""}, // C is never an inward letter
		{"QW1A 1AA", ""}, // Q never starts a postcode
		{"SI1A 1AA", ""}, // I is never second
		{"S1 1AAX", ""},
		{"123 456", ""},
		{"SW1A-1AA", ""},
		{"my postcode is SW1A 1AA", "SW1A 1AA"},
		{"SW1A 1AA 😊", "SW1A 1AA"},
		{"It's M6 8HD, been there since 1972 when we bought the house", "M6 8HD"},
		{"sw1a1aa or m1 1ae", ""}, // two postcodes
		{"I'm homeless at the moment", ""},
		{"ＳＷ１Ａ １ＡＡ", ""}, // full-width letters
		{"SW1A\xff1AA", ""},
		{strings.Repeat("SW1A 1AA ", 1200), ""},
	}
	for _, tt := range tests {
		got, err := ParsePostcode(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParsePostcode(%q) = %q, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePostcode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if again, err := ParsePostcode(got); err != nil || again != got {
			t.Errorf("ParsePostcode(%q) = %q, %v; want it unchanged", got, again, err)
		}
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"07700 900123", "+447700900123"}, // Ofcom's drama range
		{"+44 7700 900123", "+447700900123"},
		{"07700900123", "+447700900123"},
		{"07911 123456", "+447911123456"},
		{"07911-123-456", "+447911123456"},
		{"+44 (0) 7911 123456", "+447911123456"},
		{"0044 7911 123456", "+447911123456"},
		{"447911123456", "+447911123456"},
		{"020 7946 0958", "+442079460958"},
		{"(020) 7946 0958", "+442079460958"},
		{"  0161 496 0000 ", "+441614960000"},
		{"+1 415 555 2671", "+14155552671"},
		// The persona trials: a number in a sentence.
		{"It is 01752 660123, the landline.", "+441752660123"},
		{"my mobile is 07911 123456 thanks", "+447911123456"},
		{"07911 123456 or 07911 654321", ""},
		{"dont use 07911 123456", ""},
		{"not 07911 123456 anymore, new one coming", ""},
		{"my husbands 07911 123456, i dont have one", ""},
		{"", ""},
		{"   ", ""},
		{"phone", ""},
		{"12345", ""},
		{"07911", ""},
		{"079111234567890", ""},
		{"07700 9001234", ""},
		{"😊", ""},
		{"07911\xff123456", "+447911123456"},
		{strings.Repeat("0", 10000), ""},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParsePhone(%q) = %q, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Getting out more", "Getting out more"},
		{"  spending time with my grandkids 👧👦  ", "spending time with my grandkids 👧👦"},
		{"line one\nline two", "line one\nline two"},
		{"42", "42"},
		{"ok!", "ok!"},
		{"café ☕", "café ☕"},
		{"my garden\xff", "my garden\uFFFD"},
		{"Ωμέγα", "Ωμέγα"},
		{"", ""},
		{"   \t\n ", ""},
		{"?!...", ""},
		{"😊😊", ""},
		{"\xff\xfe", ""},
		{"\u00a0", ""},
	}
	for _, tt := range tests {
		got, err := ParseText(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParseText(%q) = %q, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	// A question is not an answer; a question mark inside one is.
	for _, q := range []string{"why do you need my name?", "what's it for?", "is that ok? 🙂",
		"(do I have to?)", "which one do you mean？", "can I just give my first name??"} {
		if got, err := ParseText(q); !errors.Is(err, ErrQuestion) {
			t.Errorf("ParseText(%q) = %q, %v; want ErrQuestion", q, got, err)
		}
	}
	for _, a := range []string{"Jo (is that enough?) Smith", "my garden, why not", "The one on Oxford Road, not sure what it's called", "What matters is my family",
		"Sam?", "Jo Smith?", "the one on Oxford Road?", "why me", "Why do you need it"} {
		if got, err := ParseText(a); err != nil || got != a {
			t.Errorf("ParseText(%q) = %q, %v; want it as given", a, got, err)
		}
	}
	long := strings.Repeat("word ", 2000)
	if got, err := ParseText(long); err != nil || got != strings.TrimSpace(long) {
		t.Errorf("ParseText(10,000 characters) lost text: %d characters, %v", len(got), err)
	}
}

// TestParseLongMessages feeds every parser 10,000-character messages, as a
// phone's paste can send: each must still read the answer or refuse it.
func TestParseLongMessages(t *testing.T) {
	pad := strings.Repeat("blah ", 2000)
	if _, err := ParseDate(pad+"12/03/1958", testNow); err != nil {
		t.Errorf("ParseDate(long + date) = %v", err)
	}
	if _, err := ParseDate(strings.Repeat("12 ", 3400), testNow); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseDate(many numbers) = %v, want ErrUnreadable", err)
	}
	if _, err := ParsePostcode(pad + "SW1A 1AA"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParsePostcode(long) = %v, want ErrUnreadable", err)
	}
	if n, err := ParseNumber(pad+"7", 0, 10); err != nil || n != 7 {
		t.Errorf("ParseNumber(long + 7) = %d, %v", n, err)
	}
	if _, err := ParseYesNo(pad + "yes"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseYesNo(long + yes) = %v, want ErrUnreadable: a long message is not a clear answer", err)
	}
	if v, err := ParseChoice(pad+"morning", times); err != nil || v != "morning" {
		t.Errorf("ParseChoice(long + morning) = %q, %v", v, err)
	}
	if vs, err := ParseChoices(strings.Repeat("housing and money ", 550), needs); err != nil || len(vs) != 2 {
		t.Errorf("ParseChoices(long) = %q, %v", vs, err)
	}
	if _, err := ParseChoices(pad+"housing", needs); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParseChoices(long with unknown words) = %v, want ErrUnreadable", err)
	}
	if _, err := ParsePhone(strings.Repeat("07911 123456 ", 800)); !errors.Is(err, ErrUnreadable) {
		t.Errorf("ParsePhone(long) = %v, want ErrUnreadable", err)
	}
}

func TestParseName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Priya Shah", "Priya Shah"},
		{"My name is Priya Shah", "Priya Shah"},
		{"hi, my name's Priya Shah", "Priya Shah"},
		{"Hello I'm Sam", "Sam"},
		{"I am Margaret Jones thanks", "Margaret Jones"},
		{"its Sammy x", "Sammy"},
		{"Name: Seán Ó Briain", "Seán Ó Briain"},
		{"this is Mo", "Mo"},
		{"Okonkwo Eze", "Okonkwo Eze"},
		{"Im Sook-ja", "Im Sook-ja"},
		// Session 45's persona trial: sentences are not names; a name
		// before a comma is kept without what follows.
		{"hang on a sec", ""},
		{"brb", ""},
		{"im at work can i do this later", ""},
		{"I work nights so dont call in the day", ""},
		{"I have dementia so my memory is bad", ""},
		{"its Sam, not that anyone cares", "Sam"},
		{"John Smith, 01/02/1960, LS1 1AA, Park Lane surgery", "John Smith"},
		{"Smith, John", "Smith, John"},
		{"Do Van Minh", "Do Van Minh"},
		{"Can Yilmaz Demir", "Can Yilmaz Demir"},
		{"Sam I Jones", "Sam I Jones"},
		{"Heydon Price", "Heydon Price"},
		{"why do you need my name?", ""},
		// Session 41's trials: answers that are not names are asked again.
		{"Hi", ""},
		{"hello?", ""},
		{"?", ""},
		{"yes", ""},
		{"ok", ""},
		{"idk", ""},
		{"thank you", ""},
		{"no thanks", ""},
		{"rather not say", ""},
		{"123", ""},
		{"eh?", ""},
		{"hello? im scared", ""},
		{"thanks its Pat", "Pat"},
		{"Dawn", "Dawn"},
		{"Hope", "Hope"},
		{"Joy Sweet", "Joy Sweet"},
		// The persona trials: refusals and questions without a question mark.
		{"I'd rather not say", ""},
		{"Id rather not say", ""},
		{"what do you mean", ""},
		{"none of your business", ""},
		{"I don't want to give my name", ""},
		{"do I have to", ""},
		{"Will", "Will"},
		{"Can", "Can"},
		// The persona trials.
		{"why does it matter", ""},
		// A third review.
		{"How Wei Ling", "How Wei Ling"},
		{"Wat Tyler", "Wat Tyler"},
		{"but why do you need it", ""},
		{"y do u need it", ""},
		{"cos why", ""},
		{"Harold Pemberton.", "Harold Pemberton"},
		{"mind your own business", ""},
		{"Nothing to do with you", ""},
		{"Im Sook-ja", "Im Sook-ja"},
	} {
		got, err := ParseName(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseName(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNoPostcode(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"I'm homeless at the moment", NoFixedAddress},
		{"no fixed address", NoFixedAddress},
		{"sofa surfing at my mates", NoFixedAddress},
		{"don't have one", NoFixedAddress},
		{"BFPO 57", "BFPO 57"},
		{"skip", PostcodeNotGiven},
		{"I'd rather not say", PostcodeNotGiven},
		{"I've not got a postcode", NoFixedAddress},
		{"Me and my partner are homeless", NoFixedAddress},
		{"I'm homeless with my son", NoFixedAddress},
		{"I'd rather not say thank you", PostcodeNotGiven},
		{"SW1A 1AA", ""},
		{"Riverside Surgery", ""},
		{"my husband is homeless and I have been looking after him since he came out of hospital last month", ""},
	} {
		got, ok := ParseNoPostcode(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("ParseNoPostcode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestParseNoPostcodeRefuses: answers a review found read as no fixed
// address.
func TestParseNoPostcodeRefuses(t *testing.T) {
	for _, in := range []string{"none of your business", "I don't have one to hand, I'll check", "I'm not homeless, just don't know it", "my son is homeless, I'm at home"} {
		if got, ok := ParseNoPostcode(in); ok {
			t.Errorf("ParseNoPostcode(%q) = %q, want no answer", in, got)
		}
	}
}

func TestOpensAsQuestion(t *testing.T) {
	for s, want := range map[string]bool{
		"what does worthwhile mean": true,
		"how do i answer this":      true,
		"whats this about":          true,
		"what matters is my kids":   false,
		"how are":                   false,
		"7":                         false,
		"which one is best?":        false, // (a question mark is read by ParseText)
	} {
		if got := OpensAsQuestion(s); got != want {
			t.Errorf("OpensAsQuestion(%q) = %v, want %v", s, got, want)
		}
	}
}

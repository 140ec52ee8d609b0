package risk

import (
	"strings"
	"testing"
)

// gsm7Basic is the GSM 03.38 basic character set (one septet each).
const gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsm7Extension characters cost two septets (escape + character).
const gsm7Extension = "^{}\\[~]|€\f"

// septets returns how many GSM-7 septets s needs, or ok=false if it has a
// character outside GSM-7 (which would force the whole SMS to UCS-2).
func septets(s string) (n int, ok bool) {
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsm7Basic, r):
			n++
		case strings.ContainsRune(gsm7Extension, r):
			n += 2
		default:
			return 0, false
		}
	}
	return n, true
}

func TestCrisisText(t *testing.T) {
	const want = "If you are in danger or have hurt yourself, call 999 now or go to A&E. For urgent mental health help call NHS 111 and choose option 2 (24/7). Samaritans: call 116 123 free, any time. Prefer text? Text SHOUT to 85258."
	if CrisisText != want {
		t.Fatalf("CrisisText changed:\n got %q\nwant %q", CrisisText, want)
	}
	n, ok := septets(CrisisText)
	if !ok {
		t.Fatal("CrisisText has a character outside GSM-7 basic")
	}
	for _, r := range CrisisText {
		if strings.ContainsRune(gsm7Extension, r) {
			t.Errorf("CrisisText uses GSM-7 extension character %q", r)
		}
	}
	// Two concatenated segments carry 2 x 153 septets.
	if n > 306 {
		t.Errorf("CrisisText is %d septets, more than two segments (306)", n)
	}
	for _, number := range []string{"999", "NHS 111", "option 2", "116 123", "SHOUT to 85258", "A&E"} {
		if !strings.Contains(CrisisText, number) {
			t.Errorf("CrisisText lacks %q", number)
		}
	}
}

func TestSeptets(t *testing.T) {
	for _, tt := range []struct {
		in string
		n  int
		ok bool
	}{
		{"abc", 3, true},
		{"€", 2, true},
		{"it’s", 0, false}, // curly quote
		{"😀", 0, false},
	} {
		if n, ok := septets(tt.in); n != tt.n || ok != tt.ok {
			t.Errorf("septets(%q) = %d, %v; want %d, %v", tt.in, n, ok, tt.n, tt.ok)
		}
	}
}

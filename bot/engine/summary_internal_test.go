package engine

import "testing"

// TestAsksForChange: words that say an answer is wrong ask for a change,
// unless denied just before ("my postcode hasn't changed", "nothing is
// wrong": a review), and "yes" turns into a change only with "but".
func TestAsksForChange(t *testing.T) {
	for _, tt := range []struct {
		text      string
		change    bool
		butChange bool
	}{
		{"yes but my postcode is wrong, it's M6 8HF", true, true},
		{"No, postcode is wrong", true, false},
		{"the date of birth should be 3 April 1961", true, false},
		{"yes but my postcode hasn't changed", false, true},
		{"no, nothing is wrong, send it", false, false},
		{"it's not wrong", false, false},
		{"Yes send it, my doctor said I should be referred", true, false},
		{"yes, thanks for your help", false, false},
	} {
		if got := asksForChange(tt.text); got != tt.change {
			t.Errorf("asksForChange(%q) = %v, want %v", tt.text, got, tt.change)
		}
		if got := butWords.MatchString(tt.text); got != tt.butChange {
			t.Errorf("butWords(%q) = %v, want %v", tt.text, got, tt.butChange)
		}
	}
}

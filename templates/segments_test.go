package templates

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestSegments(t *testing.T) {
	r := strings.Repeat
	tests := []struct {
		name string
		text string
		segs int
		ucs2 bool
	}{
		{"empty", "", 0, false},
		{"one char", "a", 1, false},
		{"160 septets", r("a", 160), 1, false},
		{"161 septets", r("a", 161), 2, false},
		{"153*2", r("a", 306), 2, false},
		{"153*2+1", r("a", 307), 3, false},
		{"153*3", r("a", 459), 3, false},
		{"whole basic set is 127 septets", gsmBasic + r("a", 33), 1, false},
		{"whole basic set plus 34", gsmBasic + r("a", 34), 2, false},
		{"newline and CR are basic", r("\n", 80) + r("\r", 80), 1, false},
		{"€ is two septets: 80 fit one", r("€", 80), 1, false},
		{"€ is two septets: 81 do not", r("€", 81), 2, false},
		{"159 then € is 161", r("a", 159) + "€", 2, false},
		{"158 then € is 160", r("a", 158) + "€", 1, false},
		// 152 septets then an escape pair: the pair cannot straddle parts 1
		// and 2, so part 1 holds 152 and the pair opens part 2.
		{"escape pair not split", r("a", 152) + "€" + r("a", 152), 3, false},
		{"escape pair fits exactly", r("a", 151) + "€" + r("a", 153), 2, false},
		{"all extension chars", "^{}\\[]~|€\f", 1, false},
		{"70 UCS-2", "é" + r("ж", 69), 1, true},
		{"71 UCS-2", r("ж", 71), 2, true},
		{"67*2 UCS-2", r("ж", 134), 2, true},
		{"67*2+1 UCS-2", r("ж", 135), 3, true},
		{"one curly quote makes UCS-2", r("a", 70) + "\u2019", 2, true},
		{"curly quote alone", "\u2019", 1, true},
		{"emoji is a surrogate pair: 35 fit", r("😀", 35), 1, true},
		{"emoji is a surrogate pair: 36 do not", r("😀", 36), 2, true},
		// 66 units then an emoji: the pair moves to part 2.
		{"surrogate pair not split", r("a", 66) + "😀" + r("a", 66), 3, true},
		{"surrogate pair fits exactly", r("a", 65) + "😀" + r("a", 67), 2, true},
		{"em dash", "a \u2014 b", 1, true},
		{"lower c cedilla is not GSM-7", "ç", 1, true},
		{"invalid UTF-8", "\xff", 1, true},
		{"NUL is not @", "\x00", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, ucs2 := Segments(tt.text)
			if segs != tt.segs || ucs2 != tt.ucs2 {
				t.Fatalf("Segments = %d, %v; want %d, %v", segs, ucs2, tt.segs, tt.ucs2)
			}
		})
	}
}

func TestGSM7Alphabet(t *testing.T) {
	if n := len([]rune(gsmBasic)); n != 127 { // 128 codes less the escape
		t.Fatalf("basic set has %d characters, want 127", n)
	}
	if n := len(gsmSeptets); n != 137 {
		t.Fatalf("alphabet has %d characters, want 137 (127 basic + 10 extension)", n)
	}
	for _, s := range []string{"", "Hello, World! 1/2 (ok)?", "£5 @ 50% & #1", "€[x]{y}"} {
		if !IsGSM7(s) {
			t.Errorf("IsGSM7(%q) = false", s)
		}
	}
	for _, s := range []string{"`", "ç", "\u201c", "\u2014", "\t", "😀", "\u00a0"} {
		if IsGSM7(s) {
			t.Errorf("IsGSM7(%q) = true", s)
		}
	}
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{"", "a", "€", "😀", strings.Repeat("a€", 100), strings.Repeat("ж😀", 50), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		segs, ucs2 := Segments(s)
		if ucs2 != !IsGSM7(s) {
			t.Fatalf("ucs2 = %v but IsGSM7 = %v", ucs2, IsGSM7(s))
		}
		if (segs == 0) != (s == "") {
			t.Fatalf("%d segments for %q", segs, s)
		}
		// Bounds: never fewer parts than the units need, and packing whole
		// characters wastes at most one unit per part.
		units, part := 0, gsmPart
		if ucs2 {
			units, part = len(utf16.Encode([]rune(s))), ucs2Part
		} else {
			for _, r := range s {
				units += gsmSeptets[r]
			}
		}
		if segs > 1 && (segs < (units+part-1)/part || segs > (units+part-2)/(part-1)+1) {
			t.Fatalf("%d units gave %d segments", units, segs)
		}
	})
}

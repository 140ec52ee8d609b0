package flows

import (
	"errors"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		want     int
		err      error
	}{
		{"7", 0, 10, 7, nil},
		{" 7 ", 0, 10, 7, nil},
		{"seven", 0, 10, 7, nil},
		{"Seven", 0, 10, 7, nil},
		{"SEVEN!!", 0, 10, 7, nil},
		{"7/10", 0, 10, 7, nil},
		{"7 / 10", 0, 10, 7, nil},
		{"10/10", 0, 10, 10, nil},
		{"about 6", 0, 10, 6, nil},
		{"6 out of 10", 0, 10, 6, nil},
		{"six out of ten", 0, 10, 6, nil},
		{"6 of 10", 0, 10, 6, nil},
		{"5 outta 10", 0, 10, 5, nil},
		{"i'd give it a 10/10", 0, 10, 10, nil},
		{"9/10 today", 0, 10, 9, nil},
		{"1 - awful", 0, 10, 1, nil},
		{"i'd say 8", 0, 10, 8, nil},
		{"I’d say 8 tbh", 0, 10, 8, nil},
		{"10!", 0, 10, 10, nil},
		{"0", 0, 10, 0, nil},
		{"zero", 0, 10, 0, nil},
		{"none", 0, 10, 0, nil},
		{"ten", 0, 10, 10, nil},
		{"a 5 I guess", 0, 10, 5, nil},
		{"5 5", 0, 10, 5, nil},
		{"5 or five", 0, 10, 5, nil},
		{"8ish", 0, 10, 8, nil},
		{"7.", 0, 10, 7, nil},
		{"7️⃣", 0, 10, 7, nil},
		{"007", 0, 10, 7, nil},
		{"twenty", 0, 100, 20, nil},
		{"twenty one", 0, 100, 21, nil},
		{"Twenty-one", 0, 100, 21, nil},
		{"ninety nine", 0, 100, 99, nil},
		{"I'm 42", 18, 120, 42, nil},
		{"-3", -5, 5, -3, nil},
		{"about -3", -5, 5, -3, nil},
		{"3 😊", 0, 10, 3, nil},
		{"3\xff", 0, 10, 3, nil},
		// Out of the range asked for.
		{"11", 0, 10, 0, ErrOutOfRange},
		{"eleven", 0, 10, 0, ErrOutOfRange},
		{"-1", 0, 10, 0, ErrOutOfRange},
		{"0", 1, 10, 0, ErrOutOfRange},
		{"99999999999999999999999", 0, 10, 0, ErrOutOfRange},
		{"11/10", 0, 10, 0, ErrOutOfRange},
		// Not one whole number.
		{"", 0, 10, 0, ErrUnreadable},
		{"   ", 0, 10, 0, ErrUnreadable},
		{"dunno", 0, 10, 0, ErrUnreadable},
		{"lots", 0, 10, 0, ErrUnreadable},
		{"6 or 7", 0, 10, 0, ErrUnreadable},
		{"7, though since my wife died in 2019 the evenings are long", 0, 10, 7, nil}, // a year is not a second answer
		{"2019", 0, 10, 0, ErrUnreadable},
		{"born 1958", 1900, 2100, 1958, nil}, // where a year can be the answer it is read
		{"6-7", 0, 10, 0, ErrUnreadable},
		{"between six and seven", 0, 10, 0, ErrUnreadable},
		{"maybe a 6 or 7", 0, 10, 0, ErrUnreadable},
		{"7 on a good day, 3 on a bad day", 0, 10, 0, ErrUnreadable},
		{"7.5", 0, 10, 0, ErrUnreadable},
		{"😊", 0, 10, 0, ErrUnreadable},
		{"\xff\xfe", 0, 10, 0, ErrUnreadable},
		{"-", 0, 10, 0, ErrUnreadable},
		{"/10", 0, 10, 0, ErrUnreadable},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in, tt.min, tt.max)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseNumber(%q, %d, %d) = %d, %v; want %v", tt.in, tt.min, tt.max, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseNumber(%q, %d, %d) = %d, %v; want %d", tt.in, tt.min, tt.max, got, err, tt.want)
		}
	}
}

func TestParseNumberLongMessage(t *testing.T) {
	long := strings.Repeat("I think ", 1250) + "8"
	if got, err := ParseNumber(long, 0, 10); err != nil || got != 8 {
		t.Errorf("ParseNumber(10,000 characters ending in 8) = %d, %v", got, err)
	}
}

func TestParseAnchor(t *testing.T) {
	anchors := map[string]int{"not at all": 0, "completely": 10}
	for _, tt := range []struct {
		in   string
		want int // -1: unreadable
	}{
		{"not at all", 0},
		{"Not at all.", 0},
		{"not at all anxious", 0},
		{"completely", 10},
		{"Completely satisfied!", 10},
		{"not completely", -1},
		{"completely not at all", -1},
		{"not at all really, maybe a bit", -1},
		{"not at all 5", -1},
		{"completely ten", -1},
		{"", -1},
	} {
		got, err := ParseAnchor(tt.in, anchors)
		if tt.want < 0 {
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("ParseAnchor(%q) = %d, %v; want ErrUnreadable", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAnchor(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

package flows

import (
	"errors"
	"testing"
	"time"
)

// testNow is the "now" every date test reads against: mid-June 2026.
var testNow = time.Date(2026, time.June, 15, 14, 30, 0, 0, time.UTC)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // 2006-01-02, or "" when err is set
		err  error
	}{
		// Numbers that are not one date (session 40's trials: a postcode
		// and a year were stored as a date of birth).
		{"It's M6 8HD, I've lived there since 1972 with my wife Edna", "", ErrUnreadable},
		{"flat 3 4 Church Lane since 2001", "", ErrUnreadable},
		{"born on the 12th of March 1958", "1958-03-12", nil},
		{"sorry, it's 12/03/1958", "1958-03-12", nil},
		// The ways people in the UK write a date of birth.
		{"12/03/1958", "1958-03-12", nil},
		{"12-3-58", "1958-03-12", nil},
		{"12.03.1958", "1958-03-12", nil},
		{"12 March 1958", "1958-03-12", nil},
		{"12th march 58", "1958-03-12", nil},
		{"March 12 1958", "1958-03-12", nil},
		{"March 12th, 1958", "1958-03-12", nil},
		{"1958-03-12", "1958-03-12", nil},
		{"12 mar 1958", "1958-03-12", nil},
		{"12 MAR 1958", "1958-03-12", nil},
		{"12th of March 1958", "1958-03-12", nil},
		{"1st jan 2000", "2000-01-01", nil},
		{"2nd Feb 1970", "1970-02-02", nil},
		{"3rd sept 1945", "1945-09-03", nil},
		{"22 Febuary 1960", "1960-02-22", nil},
		{"12 03 1958", "1958-03-12", nil},
		{"12031958", "1958-03-12", nil},
		{"120358", "1958-03-12", nil},
		{"1/1/01", "2001-01-01", nil},
		{"  12/03/1958  ", "1958-03-12", nil},
		{"born 12/03/1958 thanks", "1958-03-12", nil},
		{"my dob is 5th nov 1983 😊", "1983-11-05", nil},
		{"29/02/2000", "2000-02-29", nil},
		{"29/02/1996", "1996-02-29", nil},
		{"31/12/1999", "1999-12-31", nil},
		{"01/01/1900", "1900-01-01", nil},
		{"15/06/2026", "2026-06-15", nil}, // today
		// Two-digit years: the latest that is not in the future.
		{"12/03/05", "2005-03-12", nil},
		{"12/03/26", "2026-03-12", nil},
		{"15/06/26", "2026-06-15", nil},
		{"16/06/26", "1926-06-16", nil},
		{"12/03/27", "1927-03-12", nil},
		{"12/03/99", "1999-03-12", nil},
		{"12/03/00", "2000-03-12", nil},
		// Days that do not exist.
		{"31/02/1990", "", ErrImpossibleDate},
		{"00/01/1990", "", ErrImpossibleDate},
		{"12/13/1990", "", ErrImpossibleDate},
		{"12/00/1990", "", ErrImpossibleDate},
		{"29/02/1990", "", ErrImpossibleDate},
		{"29/02/1900", "", ErrImpossibleDate},
		{"31/04/1990", "", ErrImpossibleDate},
		{"32 march 1958", "", ErrImpossibleDate},
		{"03/25/1990", "", ErrImpossibleDate}, // American order
		{"12/03/1899", "", ErrImpossibleDate},
		{"12/03/0058", "", ErrImpossibleDate},
		// Not yet.
		{"16/06/2026", "", ErrFutureDate},
		{"01/01/2030", "", ErrFutureDate},
		{"12 march 2099", "", ErrFutureDate},
		// Not a date.
		{"", "", ErrUnreadable},
		{"   ", "", ErrUnreadable},
		{"no", "", ErrUnreadable},
		{"march", "", ErrUnreadable},
		{"12 march", "", ErrUnreadable},
		{"march 1958", "", ErrUnreadable},
		{"1958", "", ErrUnreadable},
		{"12/03", "", ErrUnreadable},
		{"12/03/195", "", ErrUnreadable},
		{"12/03/19580", "", ErrUnreadable},
		{"123/03/1958", "", ErrUnreadable},
		{"12/03/1958 10:30", "", ErrUnreadable},
		{"12 march may 1958", "", ErrUnreadable},
		{"12 foo 1958", "", ErrUnreadable},
		{"1234567", "", ErrUnreadable},
		{"🎂", "", ErrUnreadable},
		{"12/03/\xff1958", "1958-03-12", nil},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, testNow)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("ParseDate(%q) = %v, %v; want %s midnight UTC", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateNowLocation(t *testing.T) {
	// Just after midnight in London on 12 March is still 11 March in UTC:
	// the person's calendar decides what "today" is.
	london := time.FixedZone("BST", 3600)
	now := time.Date(2026, time.July, 12, 0, 30, 0, 0, london)
	got, err := ParseDate("12/07/2026", now)
	if err != nil || got != time.Date(2026, time.July, 12, 0, 0, 0, 0, time.UTC) {
		t.Errorf("ParseDate(today in London) = %v, %v", got, err)
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		dob, now string
		want     int
	}{
		{"1958-03-12", "2026-06-15", 68},
		{"1958-06-15", "2026-06-15", 68}, // birthday today
		{"1958-06-16", "2026-06-15", 67}, // birthday tomorrow
		{"2026-06-15", "2026-06-15", 0},
		{"2008-06-16", "2026-06-15", 17},
		{"2008-06-15", "2026-06-15", 18},
		{"2000-02-29", "2023-02-28", 22}, // leap-day birthday: a year older on 1 March
		{"2000-02-29", "2023-03-01", 23},
		{"2000-02-29", "2024-02-29", 24},
	}
	for _, tt := range tests {
		dob, _ := time.Parse(time.DateOnly, tt.dob)
		now, _ := time.Parse(time.DateOnly, tt.now)
		if got := Age(dob, now.Add(13*time.Hour)); got != tt.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tt.dob, tt.now, got, tt.want)
		}
	}
}

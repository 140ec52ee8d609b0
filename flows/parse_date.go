package flows

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var monthNames = [...]string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// monthTypos are misspellings too common to refuse.
var monthTypos = map[string]int{"febuary": 2, "feburary": 2, "febary": 2, "janury": 1, "janurary": 1, "agust": 8}

// monthOf returns the month w names (1-12): a full name, or a prefix of one
// at least three letters long ("mar", "sept", "decem"); 0 if none.
func monthOf(w string) int {
	if m, ok := monthTypos[w]; ok {
		return m
	}
	if len(w) < 3 {
		return 0
	}
	for i, name := range monthNames {
		if strings.HasPrefix(name, w) {
			return i + 1
		}
	}
	return 0
}

// ParseDate reads a date of birth written the UK way, day before month:
// "12/03/1958", "12-3-58", "12.03.1958", "12 March 1958", "12th march 58",
// "March 12, 1958", "1958-03-12", "12 mar 1958", "12031958"; words around it
// ("born on the ...") are ignored. A two-digit year is the latest such year
// that does not put the date after now ("58" → 1958, "05" → 2005 in 2026).
// It returns midnight UTC of that day.
//
// A date with no such day (31/02/1990, 00/01/1990, month 13) or before 1900
// is ErrImpossibleDate; a day after now's calendar date (in now's location)
// is ErrFutureDate; anything else that is not a date is ErrUnreadable.
func ParseDate(s string, now time.Time) (time.Time, error) {
	var nums []string
	month := 0
	// The parts of a date stand together: a number glued to letters is
	// part of something else (a postcode's "M6 8HD", "flat 3b"), and words
	// between two parts other than "of" mean they are not one date ("It's
	// M6 8HD, I've lived there since 1972" was read as 06/08/1972).
	s = ordinal.ReplaceAllString(s, "$1 ")
	s = glued.ReplaceAllString(s, " x ")
	ws := words(s)
	first, last := -1, -1
	for i, w := range ws {
		if isDigits(w) || monthOf(w) != 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	for i := first + 1; i < last; i++ {
		if w := ws[i]; !isDigits(w) && monthOf(w) == 0 && w != "of" {
			return time.Time{}, ErrUnreadable
		}
	}
	for _, w := range ws {
		if isDigits(w) {
			if nums = append(nums, w); len(nums) > 3 {
				return time.Time{}, ErrUnreadable
			}
		} else if m := monthOf(w); m != 0 {
			if month != 0 {
				return time.Time{}, ErrUnreadable
			}
			month = m
		}
	}
	var d, m, y string // day, month and year as typed
	switch {
	case month != 0 && len(nums) == 2: // 12 March 1958, March 12 1958, 1958 March 12
		d, y = nums[0], nums[1]
		if len(d) == 4 {
			d, y = y, d
		}
		m = strconv.Itoa(month)
	case month == 0 && len(nums) == 3 && len(nums[0]) == 4: // 1958-03-12
		y, m, d = nums[0], nums[1], nums[2]
	case month == 0 && len(nums) == 3: // 12/03/1958
		d, m, y = nums[0], nums[1], nums[2]
	case month == 0 && len(nums) == 1 && (len(nums[0]) == 6 || len(nums[0]) == 8): // 120358, 12031958
		d, m, y = nums[0][:2], nums[0][2:4], nums[0][4:]
	default:
		return time.Time{}, ErrUnreadable
	}
	if len(d) > 2 || len(m) > 2 || (len(y) != 2 && len(y) != 4) {
		return time.Time{}, ErrUnreadable
	}
	day, _ := strconv.Atoi(d)
	mon, _ := strconv.Atoi(m)
	year, _ := strconv.Atoi(y)
	ty, tm, td := now.Date()
	today := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	if mon < 1 || mon > 12 || day < 1 {
		return time.Time{}, ErrImpossibleDate
	}
	if len(y) == 2 {
		year += ty - ty%100
		if year > ty || (day <= daysIn(mon, year) && date(year, mon, day).After(today)) {
			year -= 100
		}
	}
	if year < 1900 || day > daysIn(mon, year) {
		return time.Time{}, ErrImpossibleDate
	}
	t := date(year, mon, day)
	if t.After(today) {
		return time.Time{}, ErrFutureDate
	}
	return t, nil
}

var (
	// ordinal finds "12th", "1st": the number is the day.
	ordinal = regexp.MustCompile(`(?i)\b([0-9]{1,2})(?:st|nd|rd|th)\b`)
	// glued finds a word of letters and digits together ("M6", "8HD", "3b").
	glued = regexp.MustCompile(`\b[[:alnum:]]*(?:[[:alpha:]][[:digit:]]|[[:digit:]][[:alpha:]])[[:alnum:]]*\b`)
)

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// daysIn is the number of days in month m of year y.
func daysIn(m, y int) int { return date(y, m+1, 0).Day() }

// Age is how many whole years old someone born on dob is at now, counting
// birthdays by now's calendar date in now's location. Someone born on 29
// February turns a year older on 1 March in other years, as in UK law.
func Age(dob, now time.Time) int {
	y, m, d := now.Date()
	by, bm, bd := dob.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}

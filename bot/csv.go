package bot

import (
	"encoding/csv"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// CSVWriter writes the CSV files Linkline exports (referrals, outcomes,
// survey reports), for people who open them in a spreadsheet. It defuses
// formulas: a cell that starts with = + - @, a tab or a carriage return is
// written with a leading ' so the spreadsheet shows it as text instead of
// running it (CSV injection) — unless it is a plain number such as -1.25.
// Every export writes through it.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter returns a CSVWriter writing to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// plainNumber matches the cells left as they are although they start with -.
var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// SafeCell is v as the CSVWriter writes it. A cell that starts with = + -
// @, their full-width forms ＝ ＋ － ＠, a tab, a carriage return or a line
// feed (after any spaces or quotes, which do not stop a formula) is
// prefixed with ' so a spreadsheet shows it as text; so is any part of a
// cell that starts after a comma or semicolon, since a spreadsheet set to
// split on semicolons (as in much of Europe) reads "Ann;=cmd()" as two
// cells. A plain number such as -1.25 is left alone.
func SafeCell(v string) string {
	if v == "" || plainNumber.MatchString(v) {
		return v
	}
	var b strings.Builder
	start := true // at the start of the cell or of a part after a separator
	for _, r := range v {
		switch {
		case start && (r == ' ' || r == '"'):
			// Spaces and quotes before a formula do not stop it.
		case start && strings.ContainsRune("=+-@＝＋－＠\t\r\n", r):
			b.WriteByte('\'')
			start = false
		default:
			start = false
		}
		b.WriteRune(r)
		if r == ',' || r == ';' {
			start = true
		}
	}
	return b.String()
}

// Write writes one row, each cell made safe.
func (c *CSVWriter) Write(row ...string) error {
	safe := make([]string, len(row))
	for i, v := range row {
		safe[i] = SafeCell(v)
	}
	return c.w.Write(safe)
}

// Flush writes what is buffered and returns the first error of any write.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// WriteOutcomesCSV writes the outcomes report (Outcomes) as CSV: per survey
// and item, how many people have a baseline and a follow-up, the mean
// change, and the people in each band before and after. The console's
// download and `linkline report outcomes --csv` both write it.
func WriteOutcomesCSV(w io.Writer, out []Outcome) error {
	cw := NewCSVWriter(w)
	if err := cw.Write("survey", "item", "people_baseline", "people_follow_up", "pairs",
		"mean_baseline", "mean_follow_up", "mean_change", "band", "before", "after"); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, o := range out {
		pb, pf := strconv.Itoa(o.Baseline), strconv.Itoa(o.FollowUp)
		for _, it := range o.Items {
			row := []string{o.Survey, it.Item, pb, pf, strconv.Itoa(it.Pairs), "", "", "", "", "", ""}
			if it.Numeric && it.Pairs > 0 {
				row[5], row[6], row[7] = f(it.MeanBaseline), f(it.MeanFollowUp), f(it.MeanChange)
			}
			if err := cw.Write(row...); err != nil {
				return err
			}
			bands := map[string]bool{}
			for k := range it.Before {
				bands[k] = true
			}
			for k := range it.After {
				bands[k] = true
			}
			keys := make([]string, 0, len(bands))
			for k := range bands {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if err := cw.Write(o.Survey, it.Item, pb, pf, strconv.Itoa(it.Pairs), "", "", "", k,
					strconv.Itoa(it.Before[k]), strconv.Itoa(it.After[k])); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}

package risk

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Case is one line of an evaluation file and what the screen made of it.
type Case struct {
	// Line is the line number in the file.
	Line int
	// Label is "risk" or "ok", as written in the file.
	Label string
	// Text is the message screened; Recent the earlier messages given as
	// context (oldest first), if the line had any.
	Text   string
	Recent []string
	// Rule and Phrase say what fired (empty when nothing did); Rule is the
	// id the engine would record, Phrase the pattern as written in the
	// rules file, RuleLine its line there.
	Rule     string
	Phrase   string
	RuleLine int
}

// Report is the result of Evaluate.
type Report struct {
	// TP: risk lines flagged; FN: risk lines missed; FP: ok lines flagged;
	// TN: ok lines passed.
	TP, FP, FN, TN int
	// Misses are the risk lines the screen did not flag, in file order.
	Misses []Case
	// FalseAlarms are the ok lines the screen flagged, in file order.
	FalseAlarms []Case
}

// Precision is the share of flagged lines that were labelled risk; 1 when
// nothing was flagged.
func (r Report) Precision() float64 {
	if r.TP+r.FP == 0 {
		return 1
	}
	return float64(r.TP) / float64(r.TP+r.FP)
}

// Recall is the share of risk lines that were flagged; 1 when there were
// none.
func (r Report) Recall() float64 {
	if r.TP+r.FN == 0 {
		return 1
	}
	return float64(r.TP) / float64(r.TP+r.FN)
}

// String prints the counts, precision and recall, then every miss and false
// alarm with its line number (and for false alarms the rule that fired).
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lines: %d (risk %d, ok %d)\n", r.TP+r.FP+r.FN+r.TN, r.TP+r.FN, r.FP+r.TN)
	fmt.Fprintf(&b, "recall:    %5.1f%%  (%d of %d risk lines caught)\n", 100*r.Recall(), r.TP, r.TP+r.FN)
	fmt.Fprintf(&b, "precision: %5.1f%%  (%d of %d alerts were risk)\n", 100*r.Precision(), r.TP, r.TP+r.FP)
	fmt.Fprintf(&b, "misses: %d\n", len(r.Misses))
	for _, c := range r.Misses {
		fmt.Fprintf(&b, "  line %d: %s\n", c.Line, c.describe())
	}
	fmt.Fprintf(&b, "false alarms: %d\n", len(r.FalseAlarms))
	for _, c := range r.FalseAlarms {
		fmt.Fprintf(&b, "  line %d: %s  [%s: %q, rules line %d]\n", c.Line, c.describe(), c.Rule, c.Phrase, c.RuleLine)
	}
	return b.String()
}

func (c Case) describe() string {
	if len(c.Recent) == 0 {
		return c.Text
	}
	return strings.Join(c.Recent, " | ") + " | " + c.Text
}

// Evaluate screens every line of an evaluation file and counts the results.
//
// The file is UTF-8 text, one case a line: label<TAB>text, where label is
// "risk" or "ok". A line with more tab-separated fields gives earlier
// messages first: label<TAB>earlier<TAB>...<TAB>text, and the label is for
// the last one. Blank lines and lines starting with "#" are skipped. A line
// with another label, or without a tab, is an error naming the line.
func Evaluate(s *Screen, r io.Reader) (Report, error) {
	var rep Report
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			return rep, fmt.Errorf("risk: eval line %d: want label<TAB>text", n)
		}
		c := Case{Line: n, Label: strings.ToLower(strings.TrimSpace(fields[0])), Text: fields[len(fields)-1], Recent: fields[1 : len(fields)-1]}
		if c.Label != "risk" && c.Label != "ok" {
			return rep, fmt.Errorf("risk: eval line %d: label %q is not risk or ok", n, fields[0])
		}
		h, flagged := s.screen(c.Text, c.Recent)
		c.Rule, c.Phrase, c.RuleLine = h.risk.Rule, h.phrase, h.line
		switch {
		case c.Label == "risk" && flagged:
			rep.TP++
		case c.Label == "risk":
			rep.FN++
			rep.Misses = append(rep.Misses, c)
		case flagged:
			rep.FP++
			rep.FalseAlarms = append(rep.FalseAlarms, c)
		default:
			rep.TN++
		}
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("risk: reading eval file: %w", err)
	}
	return rep, nil
}

package risk

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Case is one line of an evaluation file and what the screen made of it.
type Case struct {
	// Line is the line number in the file.
	Line int
	// Label is "risk", "ok", "human" or "answer"; Class is the optional
	// class after a colon ("risk:plans-means").
	Label, Class string
	// Text is the message screened; Recent the earlier messages given as
	// context (oldest first), if the line had any.
	Text   string
	Recent []string
	// Found is what fired (empty when nothing did).
	Found Finding
	// Near names the rule that came closest when nothing fired, and the
	// parts of it the message lacked.
	Near string
}

// Count is flagged lines out of all lines of one kind.
type Count struct{ Flagged, Total int }

// Rate is Flagged/Total, or 0 when there are none.
func (c Count) Rate() float64 { return ratio(c.Flagged, c.Total, 0) }

// Report is the result of Evaluate.
type Report struct {
	// TP: risk lines flagged (urgent or concern); FN: risk lines missed;
	// FP: ok lines flagged; TN: ok lines passed.
	TP, FP, FN, TN int
	// ByTier counts, per tier, the risk lines and ok lines it flagged.
	RiskByTier, OKByTier map[Tier]int
	// ByClass counts flagged lines per "label:class".
	ByClass map[string]*Count
	// Misses are the risk lines not flagged, FalseAlarms the ok lines
	// flagged, in file order.
	Misses      []Case
	FalseAlarms []Case
	// Person requests (files labelled human/answer): requests recognised,
	// requests missed, answers taken for requests.
	Requests, RequestMisses, AnswerAlarms []Case
	requestTotal, answerTotal             int
	// AnswerRiskAlarms are the answers to the bot's questions (a name, a
	// date, what matters to the person) flagged as risk: each would be
	// asked "Are you safe?" in the middle of a referral.
	AnswerRiskAlarms []Case
}

// ratio is num/den, or none when den is 0.
func ratio(num, den int, none float64) float64 {
	if den == 0 {
		return none
	}
	return float64(num) / float64(den)
}

// Precision is the share of flagged lines that were labelled risk; 1 when
// nothing was flagged.
func (r Report) Precision() float64 { return ratio(r.TP, r.TP+r.FP, 1) }

// Recall is the share of risk lines that were flagged; 1 when there were
// none.
func (r Report) Recall() float64 { return ratio(r.TP, r.TP+r.FN, 1) }

// FalseAlarmRate is the share of ok lines that were flagged.
func (r Report) FalseAlarmRate() float64 { return ratio(r.FP, r.FP+r.TN, 0) }

// UrgentFalseAlarmRate is the share of ok lines flagged urgent: sent the
// crisis text and an urgent handoff.
func (r Report) UrgentFalseAlarmRate() float64 { return ratio(r.OKByTier[Urgent], r.FP+r.TN, 0) }

// UrgentRecall is the share of risk lines flagged urgent.
func (r Report) UrgentRecall() float64 { return ratio(r.RiskByTier[Urgent], r.TP+r.FN, 1) }

// UrgentPrecision is the share of urgent alerts that were risk lines.
func (r Report) UrgentPrecision() float64 {
	return ratio(r.RiskByTier[Urgent], r.RiskByTier[Urgent]+r.OKByTier[Urgent], 1)
}

// AnswerAlarmRate is the share of ordinary answers taken for a request.
func (r Report) AnswerAlarmRate() float64 { return ratio(len(r.AnswerAlarms), r.answerTotal, 0) }

// AnswerRiskRate is the share of ordinary answers flagged as risk.
func (r Report) AnswerRiskRate() float64 { return ratio(len(r.AnswerRiskAlarms), r.answerTotal, 0) }

// RequestRecall is the share of person requests recognised.
func (r Report) RequestRecall() float64 { return ratio(len(r.Requests), r.requestTotal, 1) }

// String prints the figures, per tier and per class, then every miss (with
// the rule that nearly fired) and every false alarm (with the rule and
// words that fired).
func (r Report) String() string {
	var b strings.Builder
	if n := r.TP + r.FP + r.FN + r.TN; n > 0 {
		fmt.Fprintf(&b, "lines: %d (risk %d, ok %d)\n", n, r.TP+r.FN, r.FP+r.TN)
		fmt.Fprintf(&b, "recall:      %5.1f%%  (%d of %d risk lines caught: urgent %d, concern %d)\n",
			100*r.Recall(), r.TP, r.TP+r.FN, r.RiskByTier[Urgent], r.RiskByTier[Concern])
		fmt.Fprintf(&b, "false alarm: %5.1f%%  (%d of %d ok lines flagged: urgent %d, concern %d)\n",
			100*r.FalseAlarmRate(), r.FP, r.FP+r.TN, r.OKByTier[Urgent], r.OKByTier[Concern])
		fmt.Fprintf(&b, "precision:   %5.1f%%  (%d of %d alerts were risk)\n", 100*r.Precision(), r.TP, r.TP+r.FP)
		fmt.Fprintf(&b, "urgent tier alone: recall %.1f%%, false alarm %.1f%%, precision %.1f%%\n",
			100*r.UrgentRecall(), 100*r.UrgentFalseAlarmRate(), 100*r.UrgentPrecision())
	}
	if r.requestTotal+r.answerTotal > 0 {
		fmt.Fprintf(&b, "person requests: %d of %d recognised (%.1f%%); answers taken for requests: %d of %d; answers taken for risk: %d of %d\n",
			len(r.Requests), r.requestTotal, 100*r.RequestRecall(), len(r.AnswerAlarms), r.answerTotal, len(r.AnswerRiskAlarms), r.answerTotal)
	}
	if len(r.ByClass) > 0 {
		fmt.Fprintf(&b, "by class (flagged/lines):\n")
		keys := make([]string, 0, len(r.ByClass))
		for k := range r.ByClass {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c := r.ByClass[k]
			fmt.Fprintf(&b, "  %-32s %4d/%-4d %5.1f%%\n", k, c.Flagged, c.Total, 100*c.Rate())
		}
	}
	list := func(title string, cs []Case, fired bool) {
		fmt.Fprintf(&b, "%s: %d\n", title, len(cs))
		for _, c := range cs {
			fmt.Fprintf(&b, "  line %d: %s", c.Line, c.describe())
			switch {
			case fired:
				fmt.Fprintf(&b, "  [%s %s: %q]", c.Found.Tier, c.Found.Rule, c.Found.Words)
			case c.Near != "":
				fmt.Fprintf(&b, "  [nearly %s]", c.Near)
			}
			b.WriteByte('\n')
		}
	}
	if r.TP+r.FP+r.FN+r.TN > 0 {
		list("misses", r.Misses, false)
		list("false alarms", r.FalseAlarms, true)
	}
	if r.requestTotal+r.answerTotal > 0 {
		list("requests missed", r.RequestMisses, false)
		list("answers taken for requests", r.AnswerAlarms, true)
		list("answers taken for risk", r.AnswerRiskAlarms, true)
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
// The file is UTF-8 text, one case a line: label<TAB>text. The label is
// "risk" or "ok" (a risk line counts as caught at either tier, urgent or
// concern), or "human" or "answer" for a request to talk to a person and
// an ordinary answer; it may carry a class after a colon ("risk:plans")
// and a "!note" after that, which is ignored. A line with more
// tab-separated fields gives earlier messages first:
// label<TAB>earlier<TAB>...<TAB>text, and the label is for the last one.
// Blank lines and lines starting with "#" are skipped. A line with another
// label, or without a tab, is an error naming the line.
func Evaluate(s *Screen, r io.Reader) (Report, error) { return evaluate(s, r, false) }

// EvaluateInConversation is Evaluate with every one-message line read as
// the next message of a conversation, after an ordinary one: in use nearly
// every message has an earlier one, and the screen reads the two together
// (the model, the rules that join words split between messages, and the
// context rules). The earlier message is the nearest ok line before it in
// the file (after it, for the first) that is one message and that the
// screen does not flag alone, so each line is read after an ordinary text
// of the same writer. A file with no such line is read as Evaluate reads
// it. The figures should be close to Evaluate's: an ordinary earlier
// message must neither hide risk nor make an ordinary message look risky.
func EvaluateInConversation(s *Screen, r io.Reader) (Report, error) { return evaluate(s, r, true) }

func evaluate(s *Screen, r io.Reader, conversation bool) (Report, error) {
	rep := Report{RiskByTier: map[Tier]int{}, OKByTier: map[Tier]int{}, ByClass: map[string]*Count{}}
	cases, err := evalCases(r)
	if err != nil {
		return rep, err
	}
	if conversation {
		afterOrdinary(s, cases)
	}
	for _, c := range cases {
		label, class := c.Label, c.Class
		res := s.Check(c.Text, c.Recent)
		// Every message is screened as it arrives: an earlier message
		// that showed risk on its own was caught then, and the person met
		// the more serious of the two findings (an urgent one on the
		// earlier message is not made a concern by the later one).
		for i, r := range c.Recent {
			if e := s.Check(r, c.Recent[:i]).Risk; e.Found() && e.Tier.rank() > res.Risk.Tier.rank() {
				e.Rule += EarlierMessage
				res.Risk = e
			}
		}
		key := label
		if class != "" {
			key += ":" + class
		}
		count := rep.ByClass[key]
		if count == nil {
			count = &Count{}
			rep.ByClass[key] = count
		}
		count.Total++
		switch label {
		case "risk", "ok":
			c.Found = res.Risk
			flagged := res.Risk.Found()
			if flagged {
				count.Flagged++
			}
			switch {
			case label == "risk" && flagged:
				rep.TP++
				rep.RiskByTier[res.Risk.Tier]++
			case label == "risk":
				rep.FN++
				if strings.Contains(res.Distress.Rule, SetAside) {
					// A rule fired and the model set it aside: say so, so a
					// reviewer sees what the model kept quiet.
					c.Near = res.Distress.Rule + ": " + strconv.Quote(res.Distress.Words)
				} else {
					c.Near = s.near(c.Text)
				}
				rep.Misses = append(rep.Misses, c)
			case flagged:
				rep.FP++
				rep.OKByTier[res.Risk.Tier]++
				rep.FalseAlarms = append(rep.FalseAlarms, c)
			default:
				rep.TN++
			}
		case "human", "answer":
			c.Found = res.Request
			if res.Request.Found() {
				count.Flagged++
			}
			if label == "human" {
				rep.requestTotal++
				if res.Request.Found() {
					rep.Requests = append(rep.Requests, c)
				} else {
					rep.RequestMisses = append(rep.RequestMisses, c)
				}
			} else {
				rep.answerTotal++
				if res.Request.Found() {
					rep.AnswerAlarms = append(rep.AnswerAlarms, c)
				}
				if res.Risk.Found() {
					rc := c
					rc.Found = res.Risk
					rep.AnswerRiskAlarms = append(rep.AnswerRiskAlarms, rc)
				}
			}
		}
	}
	return rep, nil
}

// evalCases reads the lines of an evaluation file (see Evaluate).
func evalCases(r io.Reader) ([]Case, error) {
	var cases []Case
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
			return nil, fmt.Errorf("risk: eval line %d: want label<TAB>text", n)
		}
		label, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(fields[0])), "!")
		label, class, _ := strings.Cut(label, ":")
		switch label {
		case "risk", "ok", "human", "answer":
		default:
			return nil, fmt.Errorf("risk: eval line %d: label %q is not risk, ok, human or answer", n, fields[0])
		}
		cases = append(cases, Case{Line: n, Label: label, Class: class, Text: fields[len(fields)-1], Recent: fields[1 : len(fields)-1]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("risk: reading eval file: %w", err)
	}
	return cases, nil
}

// afterOrdinary gives every one-message case an ordinary earlier message
// (see EvaluateInConversation).
func afterOrdinary(s *Screen, cases []Case) {
	var ordinary []int
	for i, c := range cases {
		if c.Label == "ok" && len(c.Recent) == 0 && !s.Check(c.Text, nil).Risk.Found() {
			ordinary = append(ordinary, i)
		}
	}
	if len(ordinary) == 0 {
		return
	}
	for i := range cases {
		if len(cases[i].Recent) > 0 {
			continue
		}
		// The nearest ordinary line before this one, or the first after it.
		k := sort.SearchInts(ordinary, i) - 1
		if k < 0 {
			k = 0
			if ordinary[0] == i {
				k = 1
			}
		}
		if k >= len(ordinary) {
			continue // the file's only ordinary line, and this is it
		}
		cases[i].Recent = []string{cases[ordinary[k]].Text}
	}
}

// near names the urgent or concern rule with the largest share of its
// parts present in text (at least half), and the parts it lacked. Of the
// rules with every part present, one that matched and was muted or set
// aside is named first, with why (see quiet).
func (s *Screen) near(text string) string {
	best, bestScore := "", 0.5
	matched := "" // the first rule that matched and was muted or set aside
	tried := map[*rule]bool{}
	for _, rs := range s.sets {
		p := rs.prepare(text)
		present := map[int]bool{}
		words := map[string]bool{}
		for i := range p.toks {
			for _, mk := range p.marks.of(i) {
				present[mk.concept] = true
			}
			words[p.word(i)] = true
		}
		for _, r := range rs.rules {
			if r.tier != Urgent && r.tier != Concern {
				continue
			}
			for _, pt := range append(append([]*pattern(nil), r.phrases...), r.all...) {
				var have, total int
				var missing []string
				for _, e := range pt.elems {
					var ok bool
					if e.optional {
						continue
					}
					switch e.kind {
					case gapElem, endElem:
						continue
					case conceptElem:
						ok = present[e.concept]
						if !ok {
							missing = append(missing, "{"+rs.lex.names[e.concept]+"}")
						}
					default:
						ok = words[e.word]
						if !ok {
							missing = append(missing, e.word)
						}
					}
					total++
					if ok {
						have++
					}
				}
				if total < 2 {
					continue
				}
				if len(missing) == 0 && matched == "" && !tried[r] {
					tried[r] = true
					if why := rs.quiet(p, r, text); why != "" {
						matched = fmt.Sprintf("%s (%s)", r.id, why)
					}
				}
				if sc := float64(have) / float64(total); sc > bestScore {
					bestScore = sc
					best = fmt.Sprintf("%s (%q lacks %s)", r.id, pt.text, strings.Join(missing, " "))
					if len(missing) == 0 {
						best = fmt.Sprintf("%s (%q: every part is here, but not in order, not in one clause or sentence, or denied)", r.id, pt.text)
					}
				}
			}
		}
	}
	if matched != "" {
		return matched
	}
	return best
}

// quiet says why rule r, whose every part is in text (read as p), raised
// nothing there: the words it matched and what muted them or set them
// aside; "" if it did not match.
func (rs *ruleset) quiet(p *prepared, r *rule, text string) string {
	var fired, muted []hit
	rs.scanMuted(p, len(p.toks), 0, func(h hit) {
		if h.rule == r {
			fired = append(fired, h)
		}
	}, func(h hit) {
		if h.rule == r {
			muted = append(muted, h)
		}
	})
	a := rs.setAside(p)
	for _, h := range fired {
		if why, _ := a.covers(rs, p, h); why != "" {
			return fmt.Sprintf("%q matched, set aside as %s", quote(text, p.toks, h.start, h.end), why)
		}
	}
	if len(fired) > 0 {
		// The screen kept it quiet after the rules: the model set it aside
		// (named only when no distress finding took its place) or another
		// reading outranked it.
		return fmt.Sprintf("%q matched, then set aside by the model or outranked by another reading", quote(text, p.toks, fired[0].start, fired[0].end))
	}
	for _, h := range muted {
		for _, b := range p.bounds {
			if h.start < b[0] || h.start >= b[1] {
				continue
			}
			m := &matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1], more: p.more,
				present: rs.newPresence(p.toks, &p.marks, b[0], b[1])}
			u := rs.sentenceMutedBy(p, b, m, r)
			if u == nil {
				u = rs.clauseMutedBy(p, b, m, r, h.start, h.end)
			}
			rs.release(m.present)
			if u != nil {
				return fmt.Sprintf("%q matched, muted by unless %q", quote(text, p.toks, h.start, h.end), u.text)
			}
		}
	}
	if len(muted) > 0 {
		return fmt.Sprintf("%q matched, muted by its unless list", quote(text, p.toks, muted[0].start, muted[0].end))
	}
	return ""
}

package risk

import (
	"strings"
)

// Screen is a compiled set of rules: one locale's, or several (English and
// Welsh), in which case a message is screened with every locale whose
// marker words it (or a recent message) contains, and always with the
// first. It is safe for concurrent use, does no I/O, never panics on any
// input, and takes microseconds per message.
type Screen struct {
	sets []*ruleset
}

// Locale returns the first locale the screen was built with.
func (s *Screen) Locale() string { return s.sets[0].locale }

// Locales returns every locale the screen reads.
func (s *Screen) Locales() []string {
	var out []string
	for _, rs := range s.sets {
		out = append(out, rs.locale)
	}
	return out
}

// Combine returns a screen that reads messages with every one of screens'
// rules files: the first always, the others when a message is in their
// language.
func Combine(screens ...*Screen) *Screen {
	c := &Screen{}
	for _, s := range screens {
		c.sets = append(c.sets, s.sets...)
	}
	return c
}

// markerMin is how many of a language's marker words mark a message as in
// that language.
const markerMin = 2

// Check screens text, with recent (the person's previous messages, oldest
// first) for context.
func (s *Screen) Check(text string, recent []string) Result {
	var res Result
	s.check(text, recent, func(rs *ruleset, h hit, src string) {
		f := rs.finding(h, src)
		switch h.tier {
		case Urgent, Concern:
			if res.Risk.Tier.rank() < h.tier.rank() {
				res.Risk = f
			}
		case Request:
			if !res.Request.Found() {
				res.Request = f
			}
		case Distress:
			if !res.Distress.Found() {
				res.Distress = f
			}
		}
	})
	return res
}

// check calls fn with the best hit of each tier, from each ruleset that
// reads the message, most serious first within a ruleset.
func (s *Screen) check(text string, recent []string, fn func(*ruleset, hit, string)) {
	if len(recent) > contextWindow {
		recent = recent[len(recent)-contextWindow:]
	}
	// A message in another of the screen's languages is read by the first
	// (English) rules without spelling correction: "coffi" is Welsh for
	// coffee, not a misspelt "coffin".
	spell := true
	for _, rs := range s.sets[1:] {
		n := rs.rawMarkers(text)
		for _, r := range recent {
			n += rs.rawMarkers(r)
		}
		spell = spell && n < markerMin
	}
	for k, rs := range s.sets {
		cur := rs.prepareSpell(text, spell || k > 0)
		var prev []*prepared
		if k > 0 {
			n := rs.markerCount(cur)
			for _, r := range recent {
				p := rs.prepare(r)
				prev = append(prev, p)
				n += rs.markerCount(p)
			}
			if n < markerMin {
				continue
			}
		}
		best := map[Tier]*hit{}
		keep := func(h hit) {
			if b := best[h.tier]; h.better(b) {
				best[h.tier] = &h
			}
		}
		rs.scan(cur, 0, 0, keep)
		if len(recent) > 0 {
			if prev == nil {
				for _, r := range recent {
					prev = append(prev, rs.prepare(r))
				}
			}
			rs.contextHits(cur, prev, keep)
		}
		for _, t := range []Tier{Urgent, Concern, Request, Distress} {
			if h := best[t]; h != nil {
				fn(rs, *h, text)
			}
		}
		if best[Urgent] == nil && len(recent) > 0 {
			if h, joined, ok := rs.across(recent[len(recent)-1], text); ok {
				fn(rs, h, joined)
			}
		}
	}
}

// across screens the previous message and this one read as one, for words
// split between them ("i want to kill" / "myself"); only a match that
// starts in the previous message and ends in this one counts.
func (rs *ruleset) across(prev, text string) (hit, string, bool) {
	prev = strings.TrimRight(prev, " \t\r\n.!?;…")
	if prev == "" || strings.TrimSpace(text) == "" {
		return hit{}, "", false
	}
	joined := prev + " " + text
	p := rs.prepare(joined)
	split := len(p.toks)
	for i, t := range p.toks {
		if t.start > len(prev) {
			split = i
			break
		}
	}
	var best *hit
	rs.scan(p, 0, split, func(h hit) {
		if h.start < split && (h.tier == Urgent || h.tier == Concern) && h.better(best) {
			h.across = true
			best = &h
		}
	})
	if best == nil {
		return hit{}, "", false
	}
	return *best, joined, true
}

// contextHits finds context rules: an earlier phrase in a recent message or
// an earlier sentence of this one, and a now phrase in this message after it.
func (rs *ruleset) contextHits(cur *prepared, prev []*prepared, fn func(hit)) {
	for _, c := range rs.context {
		for _, now := range c.now {
			for si, b := range cur.bounds {
				m := &matcher{toks: cur.toks, marks: cur.marks, limit: b[1]}
				start, end, ok := m.find(now, b[0])
				if !ok {
					continue
				}
				if rs.negated(cur, m.cov, start, end) {
					continue
				}
				if rs.earlierHas(c, cur, si, prev) {
					fn(hit{rule: &c.rule, tier: c.tier, start: start, end: end, pattern: now})
					return
				}
			}
		}
	}
}

func (rs *ruleset) earlierHas(c *contextRule, cur *prepared, before int, prev []*prepared) bool {
	for _, e := range c.earlier {
		for _, p := range prev {
			for _, b := range p.bounds {
				if _, _, ok := (&matcher{toks: p.toks, marks: p.marks, limit: b[1]}).find(e, b[0]); ok {
					return true
				}
			}
		}
		for _, b := range cur.bounds[:before] {
			if _, _, ok := (&matcher{toks: cur.toks, marks: cur.marks, limit: b[1]}).find(e, b[0]); ok {
				return true
			}
		}
	}
	return false
}

// finding turns a hit into what the engine records: the rule id (marked
// when it fired across messages or was negated) and the words as typed.
func (rs *ruleset) finding(h hit, text string) Finding {
	id := h.rule.id
	if h.across {
		id += AcrossMessages
	}
	if h.negated {
		id += Negated
	}
	f := Finding{Tier: h.tier, Category: h.rule.category, Rule: id, Locale: rs.locale}
	p := rs.prepare(text)
	f.Words = quote(text, p.toks, h.start, h.end)
	if h.second != [2]int{} {
		if w := quote(text, p.toks, h.second[0], h.second[1]); w != "" && w != f.Words {
			f.Words += " … " + w
		}
	}
	return f
}

// quote returns the typed text of toks[start:end].
func quote(text string, toks []token, start, end int) string {
	if start < 0 || end > len(toks) || start >= end {
		return ""
	}
	a, b := toks[start].start, toks[end-1].end
	if a < 0 || b > len(text) || a >= b {
		return ""
	}
	w := strings.Join(strings.Fields(text[a:b]), " ")
	if len(w) > maxWords {
		w = w[:maxWords]
		for len(w) > 0 && w[len(w)-1]&0xC0 == 0x80 { // do not cut a rune
			w = w[:len(w)-1]
		}
		if len(w) > 0 && w[len(w)-1] >= 0xC0 {
			w = w[:len(w)-1]
		}
	}
	return w
}

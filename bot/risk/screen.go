package risk

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Screen is a compiled set of rules: one locale's, or several (English and
// Welsh), in which case a message is screened with every locale whose
// marker words it (or a recent message) contains, and always with the
// first. It is safe for concurrent use, does no I/O, never panics on any
// input, and takes microseconds per message.
type Screen struct {
	sets []*ruleset
	// both holds, for a screen of two or more rules files, what the first
	// two know of each word either of them knows ([k] is sets[k].lookup):
	// the words of a message both read are looked up once, here, for the
	// two (see lazyWords.known). nil for one file.
	both map[string][2]wordInfo
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
	if len(c.sets) >= 2 {
		c.both = bothInfo(c.sets[0], c.sets[1])
	}
	return c
}

// bothInfo returns what a and b know of every word either knows: [0] is
// a.lookup(w), [1] is b.lookup(w). A word neither knows is left out (and
// has no id in either).
func bothInfo(a, b *ruleset) map[string][2]wordInfo {
	both := make(map[string][2]wordInfo, len(a.info)+len(b.info))
	for _, rs := range []*ruleset{a, b} {
		for w := range rs.info {
			both[w] = [2]wordInfo{a.lookup(w), b.lookup(w)}
		}
	}
	return both
}

// markerMin is how many of a language's marker words mark a message as in
// that language.
const markerMin = 2

// Check screens text, with recent (the person's previous messages, oldest
// first) for context.
func (s *Screen) Check(text string, recent []string) Result {
	if len(recent) == 0 && isGreeting(text) {
		// A wave and smiles as the first message ("👋", "🙂👋") is a
		// hello, not a farewell told in emoji: asking "Are you safe?"
		// would be the first thing they hear (session 39's trials). After
		// other messages it is read as ever.
		return Result{}
	}
	var res Result
	var risk hit // the hit behind res.Risk
	var riskSet *ruleset
	s.check(text, recent, func(rs *ruleset, h hit, src string, toks []token) {
		f := rs.finding(h, src, toks)
		switch h.tier {
		case Urgent, Concern:
			if res.Risk.Tier.rank() < h.tier.rank() {
				res.Risk, risk, riskSet = f, h, rs
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
	if res.Risk.Tier == Concern && riskSet == s.sets[0] && !(risk.asked() && res.Request.Found()) {
		if p, ok := s.setAside(risk, text, recent); ok {
			// The rules' concern is kept as distress: asked about if the
			// conversation cannot go on (see bot.Screening.Distress), and
			// named with the model's score on the finding. A denial or a
			// past attempt is also noted on the person's record.
			f := res.Risk
			f.Rule += SetAside + strconv.FormatFloat(p, 'f', 2, 64) + ")"
			if risk.asked() {
				res.Noted = f
			}
			f.Tier = Distress
			res.Risk = Finding{}
			if !res.Distress.Found() {
				res.Distress = f
			}
		}
	}
	if res.Risk.Tier == Concern && risk.also != nil {
		// Two different signs in one message ("sorted the will and said
		// goodbye to the dog, tired of it all", "sent my savings to my
		// kids and just need to pick a night now"), not set aside by the
		// model: more than either alone, so urgent (session 44's persona
		// trials: only the check question). Named with both rules.
		res.Risk.Tier = Urgent
		res.Risk.Rule += TwoSigns + risk.also.id + ")"
	}
	return res
}

// TwoSigns is added to a concern rule's id when another concern rule found
// a second sign in the same message and the finding was made urgent,
// followed by that rule's id and ")".
const TwoSigns = " (with "

// SetAside is added to a rule id when the model set its concern aside
// (see Screen.setAside), followed by the model's score and ")".
const SetAside = " (set aside: model "

// Overruled is added to a rule id when the rule's unless list muted it and
// the model overruled the list (see Screen.modelHit), followed by the
// model's score and ")".
const Overruled = " (unless overruled: model "

// asked reports whether h is a concern the screen asks about first: a
// denial that names suicide ("I'm not suicidal") or a rule marked
// always_ask (the texter's own past attempt or self-harm).
func (h hit) asked() bool { return h.negated || h.rule != nil && h.rule.keepConcern }

// setAside reports whether the model sets aside a concern the English
// rules raised, and the model's score: only when the model file gives a
// set-aside score, the message was read in English alone, and the model
// scores the message both on its own and with the last earlier message
// below it. A concern raised by a negation ("I'm not suicidal") or by a
// rule marked always_ask (the texter's own past attempt) has its own,
// lower or equal score (set-aside-asked; 0: always asked about). Never
// for a context rule, a reading across two messages, a message told in
// emoji or the model itself: those are always asked about; nor for a
// denial or past attempt in a message that says it is back ({recurring}).
// Measured on development sets the rules had not seen (docs/safety.md,
// "The model sets aside a weak concern").
func (s *Screen) setAside(h hit, text string, recent []string) (float64, bool) {
	en := s.sets[0]
	m := en.model
	if m == nil || h.rule == nil || h.rule == en.modelRule || h.across || h.rule.emoji || h.rule.context {
		return 0, false
	}
	limit := m.setAside
	if h.asked() {
		limit = m.setAsideAsked
		if p := en.cached(text, true); p.has(en.recurring) {
			// "4 years since I last cut, but I've had a bad week lately"
			return 0, false
		}
	}
	if limit <= 0 {
		return 0, false
	}
	for _, rs := range s.sets[1:] {
		n := rs.rawMarkers(text)
		for _, r := range recent {
			n += rs.rawMarkers(r)
		}
		if n >= markerMin {
			return 0, false // read in Welsh too: the model reads Welsh less well
		}
	}
	cur := en.cached(text, true)
	if cur.emoji || wordCount(cur) < modelMinWords {
		return 0, false
	}
	z := en.modelSum(m, cur)
	p := m.prob(z)
	if len(recent) > 0 {
		p = max(p, m.prob(z+en.modelSum(m, en.cached(recent[len(recent)-1], true))))
	}
	return p, p < limit
}

// check calls fn with the best hit of each tier, from each ruleset that
// reads the message, most serious first within a ruleset, with the text
// and tokens the hit's positions refer to.
func (s *Screen) check(text string, recent []string, fn func(*ruleset, hit, string, []token)) {
	if len(recent) > contextWindow {
		recent = recent[len(recent)-contextWindow:]
	}
	// The first rules file reads every message; another reads a message
	// when it or a recent one has enough of its language's marker words.
	// A message in another language is read by the first (English) rules
	// without spelling correction: "coffi" is Welsh for coffee, not a
	// misspelt "coffin".
	reads := make([]bool, len(s.sets))
	reads[0] = true
	spell := true
	// The message is tokenised once for every ruleset, if it needs to be
	// read at all (a recent one is usually cached).
	lw := lazyWords{text: text}
	defer lw.release()
	for k, rs := range s.sets[1:] {
		n := rs.rawMarkersWords(&lw)
		for _, r := range recent {
			n += rs.rawMarkers(r)
		}
		reads[k+1] = n >= markerMin
		spell = spell && !reads[k+1]
	}
	if s.both != nil && reads[1] {
		// The first two files both read it: each word is looked up once
		// for the two, when the first of them prepares the message.
		lw.both = borrowBoth(s.sets[0], s.sets[1], s.both)
	}
	// The model reads a message when no rule found risk or a request in
	// it, and no ruleset set a finding aside; it scores every ruleset's
	// reading (see modelHit).
	found, modelOK := false, true
	var curs [2]*prepared
	// The first two files' readings of the recent messages: the model
	// reads the last of them again, as the file read it (see modelHit).
	var readings [2]earlierReadings
	// muted is the most serious match the first file's unless lists
	// muted (and no denial or joke set aside), for the model to overrule
	// (see modelHit).
	var muted hit
	requested, requestMuted := false, false
	emit := func(rs *ruleset, h hit, src string, toks []token) {
		found = found || h.tier == Urgent || h.tier == Concern || h.tier == Request
		requested = requested || h.tier == Request
		fn(rs, h, src, toks)
	}
	for k, rs := range s.sets {
		if !reads[k] {
			continue
		}
		spelt := spell || k > 0
		cur := rs.cachedWords(&lw, spelt)
		if k < len(curs) {
			curs[k] = cur
		}
		// best holds the best hit of each tier, by the tier's rank.
		var best [5]hit
		var have [5]bool
		aside := rs.setAside(cur)
		setAside := false // a finding was set aside: the model must not bring it back
		// signs are the suicide concern rules found in the message itself
		// (see twoSigns): two different ones make the finding urgent.
		var signs [2]hit
		nsigns := 0
		ownMessage := true
		keep := func(h hit) {
			if risky := h.tier == Urgent || h.tier == Concern; risky {
				if why, modelMayRead := aside.covers(rs, cur, h); why != "" {
					setAside = setAside || !modelMayRead
					return
				}
			}
			if ownMessage && nsigns < 2 && h.twoSigns() {
				// Two rules, on words of their own: two rules reading the
				// same words are one sign ("sgwennu llythyr").
				if f := &signs[0]; nsigns == 0 || f.rule != h.rule && (h.end <= f.start || f.end <= h.start) {
					signs[nsigns] = h
					nsigns++
				}
			}
			r := h.tier.rank()
			var b *hit
			if have[r] {
				b = &best[r]
			}
			if h.better(b) {
				best[r], have[r] = h, true
			}
		}
		var onMuted func(hit)
		if k == 0 {
			onMuted = func(h hit) {
				if h.tier == Request {
					// The request rules' unless lists say this is not a
					// request ("it's Frank Person"): the request model
					// must not say it is. (A request match a negation
					// dropped does not stop the model: "I don't want a
					// bot, I want to talk to a person" is a request, and
					// a refusal taken for one is only asked about.)
					requestMuted = true
					return
				}
				if (muted.rule == nil || h.better(&muted)) && !rs.mutedSetAside(cur, h) {
					muted = h
				}
			}
		}
		rs.scanMuted(cur, len(cur.toks), 0, keep, onMuted)
		ownMessage = false
		// Earlier messages are read only when needed: a context rule's now
		// phrase is in this one, or nothing urgent was found in it alone.
		var more earlierReadings // a third file's, which the model does not read
		earlier := &more
		if k < len(readings) {
			earlier = &readings[k]
		}
		*earlier = earlierReadings{rs: rs, recent: recent, spell: spelt}
		if len(recent) > 0 {
			rs.contextHits(cur, earlier, keep)
		}
		// The model does not read a message that denies and reassures
		// ("no I'm not being abused, my husband's lovely").
		if setAside || aside.past || aside.negated && len(cur.negs) > 0 {
			modelOK = false
		}
		if r := Concern.rank(); have[r] && nsigns == 2 {
			// Named with the other sign; the best concern need not be a
			// sign itself ("... cant see myself getting to christmas 🪦":
			// a review found more risk lowering the tier).
			best[r].also = signs[0].rule
			if best[r].rule == signs[0].rule {
				best[r].also = signs[1].rule
			}
		}
		for _, t := range []Tier{Urgent, Concern, Request, Distress} {
			if r := t.rank(); have[r] {
				emit(rs, best[r], text, cur.toks)
			}
		}
		if !have[Urgent.rank()] && len(recent) > 0 {
			last := earlier.get()[len(recent)-1]
			if h, p, joined, ok := rs.across(last, recent[len(recent)-1], cur, text); ok {
				// A rule the earlier message fired on its own was acted on
				// when it came ("I'm not suicidal" / "I'm safe yes"): read
				// across, it is not a new finding.
				if !rs.fires(last, h) {
					emit(rs, h, joined, p.toks)
				}
				releaseJoined(p)
			}
		}
	}
	if en := s.sets[0]; en.model != nil && modelOK && !found {
		var last string
		if len(recent) > 0 {
			last = recent[len(recent)-1]
		}
		if last != "" && (en.flagged(readings[0].last()) || en.overruled(readings[0].last())) {
			// The rules found risk in the earlier message on its own, or
			// the model overruled an unless list in it: it was acted on
			// then, and read with this one it would only raise the same
			// concern again (see modelHit).
			last = ""
		}
		if h, ok := s.modelHit(curs, &readings, last, !spell, muted); ok {
			fn(en, h, text, curs[0].toks)
		}
	}
	if en := s.sets[0]; en.requestModel != nil && !requested && !requestMuted {
		if h, ok := en.requestHit(curs[0]); ok {
			fn(en, h, text, curs[0].toks)
		}
	}
}

// requestMinWords and requestMaxWords bound the messages the request
// model reads: a name or a date is left to the rules, and so is a long
// message (99.7% of the corpus's requests have at most 20 words, so the
// model learnt almost nothing of longer ones, and reading them costs
// time).
const (
	requestMinWords = 2
	requestMaxWords = 24
)

// requestHit reports a request for a person the request rules did not
// find, when the request model scores the message (read alone, as the
// English rules read it) at or above its threshold. A request is
// confirmed with the person, never stored as an answer, so the model may
// find one the rules have no words for ("is there sum1 i can chat 2
// proper"). p is the English rules' reading of the message (spelt unless a
// recent message made it read as Welsh too).
func (rs *ruleset) requestHit(p *prepared) (hit, bool) {
	m := rs.requestModel
	if n := wordCount(p); n < requestMinWords || n > requestMaxWords || m.prob(m.sum(rs, p, false)) < m.threshold {
		return hit{}, false
	}
	e := m.newExplainer()
	e.add(rs, p, false)
	return hit{rule: rs.requestRule, tier: Request, start: 0, end: len(p.toks), explain: e.explain()}, true
}

// earlierReadings are a person's recent messages as one ruleset reads
// them, read on first need (see get). They are kept in the struct, not in
// a slice of their own, so a check allocates nothing for them.
type earlierReadings struct {
	rs     *ruleset
	recent []string
	spell  bool
	read   bool
	buf    [contextWindow]*prepared
}

// get returns the recent messages' readings, oldest first (cached: they
// were read with the person's earlier messages).
func (e *earlierReadings) get() []*prepared {
	if !e.read {
		for i, r := range e.recent {
			e.buf[i] = e.rs.cached(r, e.spell)
		}
		e.read = true
	}
	return e.buf[:len(e.recent)]
}

// last returns the reading of the most recent message; there must be one.
func (e *earlierReadings) last() *prepared {
	ps := e.get()
	return ps[len(ps)-1]
}

// fires reports whether message p on its own already gives what hit h
// says: the same rule, at least as serious, and not weakened by a negation
// h does not have ("I won't kill myself. but I want to kill" / "myself" is
// a new, urgent finding).
func (rs *ruleset) fires(p *prepared, h hit) bool {
	found := false
	rs.scan(p, len(p.toks), 0, func(x hit) {
		found = found || x.rule == h.rule && x.tier.rank() >= h.tier.rank() && (h.negated || !x.negated)
	})
	return found
}

// overruled reports whether message p on its own raised a concern by the
// model overruling an unless list (see Screen.modelHit): like a message a
// rule flagged, it was asked about when it came. Only for the ruleset
// that holds the model.
func (rs *ruleset) overruled(p *prepared) bool {
	m := rs.model
	if m == nil || m.overrule <= 0 {
		return false
	}
	p.overruledOnce.Do(func() {
		found := false
		rs.scanMuted(p, len(p.toks), 0, func(hit) {}, func(h hit) {
			// (A muted request is not risk the model could overrule.)
			found = found || h.tier != Request && !rs.mutedSetAside(p, h)
		})
		p.overruled = found && wordCount(p) >= modelMinWords && m.prob(rs.modelSum(m, p)) >= m.overrule
	})
	return p.overruled
}

// mutedSetAside reports whether a muted hit h in p is one the message's
// denial, reassurance or joke sets aside (as Screen.check sets aside the
// same hit when it is not muted): the model must not bring it back.
func (rs *ruleset) mutedSetAside(p *prepared, h hit) bool {
	why, _ := rs.setAside(p).covers(rs, p, h)
	return why != ""
}

// flagged reports whether a rule finds risk (urgent or concern) in
// message p on its own.
// It is worked out once per prepared message: the last earlier message
// is asked again with each new one.
func (rs *ruleset) flagged(p *prepared) bool {
	p.flagOnce.Do(func() {
		rs.scan(p, len(p.toks), 0, func(h hit) { p.flag = p.flag || h.tier == Urgent || h.tier == Concern })
	})
	return p.flag
}

// modelMinWords is the fewest words a message needs for the model to read
// it: short answers are left to the rules.
const modelMinWords = 4

// modelHit scores the message (with the last earlier message, if any)
// with the first ruleset's model: a concern when the score reaches its
// threshold (the Welsh threshold for a message the Welsh rules read, when
// the model reads those; it then also reads the concepts the Welsh rules
// found). curs are each ruleset's reading of the message (nil for a
// ruleset that did not read it), and readings theirs of the recent
// messages, the last of which is last ("" to read this message alone).
func (s *Screen) modelHit(curs [2]*prepared, readings *[2]earlierReadings, last string, welsh bool, muted hit) (hit, bool) {
	en := s.sets[0]
	m := en.model
	threshold := m.threshold
	if welsh {
		threshold = m.thresholdCy
	}
	overrule := muted.rule != nil && !welsh && m.overrule > 0
	if overrule {
		threshold = min(threshold, m.overrule)
	}
	if threshold == 0 || wordCount(curs[0]) < modelMinWords {
		return hit{}, false // "yes", "no", a name, a date: answers, not risk
	}
	z, zLast := 0.0, 0.0
	for k, cur := range curs {
		if cur == nil || k >= len(s.sets) {
			continue
		}
		rs := s.sets[k]
		z += rs.modelSum(m, cur)
		if last != "" {
			// Read with the same spelling as this message, as the rules
			// read it.
			zLast += rs.modelSum(m, readings[k].last())
		}
	}
	// The two messages are read together so that risk split between them
	// is seen. But an earlier message the model finds risky on its own was
	// acted on when it came: then only this message's own words count, or
	// every answer to the safety question ("yes I'm safe, my mum is with
	// me") would raise the same concern again. An ordinary earlier message
	// never makes this one less risky than it reads alone: its words weigh
	// against risk, and in a conversation nearly every message has one
	// ("I dont see me getting old" after a text about the vet was missed).
	p := m.prob(z)
	if last != "" && m.prob(zLast) < threshold && m.prob(z+zLast) > p {
		p = m.prob(z + zLast)
	} else {
		last = ""
	}
	if p < threshold {
		return hit{}, false
	}
	if overrule && p < m.threshold {
		// Only the muted rule and the model together find risk: the
		// rule's words are what fired, asked about as a concern. (At the
		// threshold the model's own concern stands, naming what it
		// weighed.)
		muted.tier, muted.overruled = Concern, p
		return muted, true
	}
	e := m.newExplainer()
	for k, cur := range curs {
		if cur == nil || k >= len(s.sets) {
			continue
		}
		rs := s.sets[k]
		e.add(rs, cur, k > 0)
		if last != "" {
			e.add(rs, readings[k].last(), k > 0)
		}
	}
	return hit{rule: en.modelRule, tier: Concern, start: 0, end: len(curs[0].toks), explain: e.explain()}, true
}

// modelSum returns the total weight of p's features in m, worked out once
// per prepared message (a recent message is scored again with each new
// one). A ruleset other than the model's gives only its concepts.
func (rs *ruleset) modelSum(m *model, p *prepared) float64 {
	p.sumOnce.Do(func() { p.modelSum = m.sum(rs, p, rs.model != m) })
	return p.modelSum
}

// acrossWords is how many words of each message across joins: enough for
// any phrase split between two messages.
const acrossWords = 8

// across screens the end of the previous message and the start of this one
// read as one, for words split between them ("i want to kill" / "myself");
// only a match that starts in the previous message and ends in this one
// counts. The previous message's last sentence and this one's first (at
// most acrossWords words of each) are joined from their prepared words.
func (rs *ruleset) across(prev *prepared, prevText string, cur *prepared, text string) (hit, *prepared, string, bool) {
	if len(prev.toks) == 0 || len(cur.toks) == 0 || endsSentence(prevText) {
		return hit{}, nil, "", false
	}
	pb := prev.bounds[len(prev.bounds)-1]
	from := max(pb[0], pb[1]-acrossWords)
	to := min(cur.bounds[0][1], acrossWords)
	tailStart, tailEnd := prev.toks[from].start, prev.toks[len(prev.toks)-1].end
	headEnd := cur.toks[to-1].end
	shift, base := tailEnd-tailStart+1, tailStart
	// The joined message is only scanned here and quoted by the caller, so
	// its buffers are reused (see releaseJoined).
	p := joinedPool.Get().(*prepared)
	p.toks = p.toks[:0]
	p.words = [2]string{prev.words[0], cur.words[0]}
	for _, t := range prev.toks[from:] {
		t.start, t.end = t.start-base, t.end-base
		p.toks = append(p.toks, t)
	}
	p.toks[0].brk = noBreak
	split := len(p.toks)
	p.more = false
	for _, t := range cur.toks[to:] {
		if t.nw != 0 {
			p.more = true // the message goes on past the joined words
			break
		}
	}
	for i, t := range cur.toks[:to] {
		t.start, t.end = t.start+shift, t.end+shift
		t.src = 1 // its word is in cur's words
		if i == 0 {
			t.brk = noBreak
		}
		p.toks = append(p.toks, t)
	}
	p.layout(rs.clauseWords, &rs.clauseFilter)
	p.marks = rs.lex.annotate(p.toks, rs.alts, nil, 0, len(p.toks), p.marks)
	p.negs, p.asked = p.negs[:0], p.asked[:0]
	p.findNegations(rs.negator, rs.notNegation)
	p.findReported(rs.reported)
	var best hit
	found := false
	// Only a match that starts in the earlier message counts, and not a
	// negated one: a denial is read in the message that makes it, where a
	// reason given with it sets it aside ("can I get support" / "no I'm
	// not suicidal, just skint" is not a concern read across). A gap may
	// not run over the join for more than two words: "my partner" /
	// "punched me" is one clause, "my wife who has dementia, is there any
	// respite?" / "broke my wrist coming off the pony" is not.
	rs.scan(p, split, split, func(h hit) {
		var b *hit
		if found {
			b = &best
		}
		if h.start < split && !h.negated && (!h.pattern.hasGap() || rs.joinConsumed(p, h, split)) && (h.tier == Urgent || h.tier == Concern) && h.better(b) {
			h.across = true
			best, found = h, true
		}
	})
	if !found {
		releaseJoined(p)
		return hit{}, nil, "", false
	}
	return best, p, prevText[tailStart:tailEnd] + " " + text[:headEnd], true
}

// endsSentence reports whether text ends with a full stop or an
// exclamation mark: a message its writer finished, so the next one does
// not go on with its words (a question often does: "What time do the
// trains stop?" / "don't need a ticket") ("...I tell my story in schools to help
// kids." / "Those scars on my wrists are old" is not "kids those scars").
// A message split by hitting send ends mid-clause, with no mark.
func endsSentence(text string) bool {
	t := strings.TrimRightFunc(text, unicode.IsSpace)
	return strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "..") || strings.HasSuffix(t, "!")
}

// joinedPool holds the prepared messages across joins, for reuse.
var joinedPool = sync.Pool{New: func() any { return new(prepared) }}

// releaseJoined gives back a message across made, once its hit is quoted.
func releaseJoined(p *prepared) {
	clear(p.toks)
	p.words = [2]string{}
	p.emoji, p.more = false, false
	joinedPool.Put(p)
}

// contextHits finds context rules: an earlier phrase in a recent message
// and a now phrase in this message.
func (rs *ruleset) contextHits(cur *prepared, prev *earlierReadings, fn func(hit)) {
	type tried struct{ rule, sentence int }
	done := map[tried]bool{}
	for si, b := range cur.bounds {
		// The now phrases are few and short: trying them is quicker than
		// working out which the sentence could hold (see presence).
		m := &matcher{toks: cur.toks, marks: &cur.marks, alts: rs.alts, limit: b[1]}
		rs.now.each(m, b[0], b[1], func(now *pattern, start, end int) bool {
			k := tried{now.owner, si}
			if done[k] || rs.negated(cur, m.cov(), start, end) {
				return true
			}
			done[k] = true
			// Whether a recent message holds an earlier phrase is known
			// once per message; the unless phrases are read only then.
			c := rs.context[now.owner]
			if rs.earlierHas(now.owner, prev.get()) && !rs.unlessIn(cur, b, &c.rule) {
				fn(hit{rule: &c.rule, tier: c.tier, start: start, end: end, pattern: now})
			}
			return true
		})
	}
}

// unlessIn reports whether one of r's unless phrases is in sentence b of
// cur: a context rule, like any other, does not fire in a sentence that
// holds one ("got the rope ready" / "for the tug of war on saturday").
func (rs *ruleset) unlessIn(cur *prepared, b [2]int, r *rule) bool {
	for _, u := range r.unless {
		if _, _, ok := (&matcher{toks: cur.toks, marks: &cur.marks, alts: rs.alts, limit: b[1]}).find(u, b[0]); ok {
			return true
		}
	}
	return false
}

// earlierHas reports whether context rule k has an earlier phrase in a
// recent message. Only in a recent message: an earlier sentence of this
// one does not count, so a message is screened the same whether or not
// the person has texted before (it had counted only when they had: "Got
// my tablets. Can we move Thursday?" was urgent as a second message and
// nothing as a first).
func (rs *ruleset) earlierHas(k int, prev []*prepared) bool {
	for _, p := range prev {
		if rs.earlierIn(p)[k] {
			return true
		}
	}
	return false
}

// earlierIn reports, for each context rule, whether one of its earlier
// phrases is in p. It is worked out once per prepared message, for every
// context rule at once: a recent message is asked again with each new one.
func (rs *ruleset) earlierIn(p *prepared) []bool {
	p.earlierOnce.Do(func() {
		in := make([]bool, len(rs.context))
		whole := rs.wholePresence(p)
		for k, c := range rs.context {
		phrases:
			for _, e := range c.earlier {
				if !e.feasibleNow(whole) {
					continue // a word or concept it needs is not in the message
				}
				for _, b := range p.bounds {
					if _, _, ok := (&matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1]}).find(e, b[0]); ok {
						in[k] = true
						break phrases
					}
				}
			}
		}
		p.earlier = in
	})
	return p.earlier
}

// finding turns a hit into what the engine records: the rule id (marked
// when it fired across messages or was negated) and the words as typed.
func (rs *ruleset) finding(h hit, text string, toks []token) Finding {
	id := h.rule.id
	if h.across {
		id += AcrossMessages
	}
	if h.negated {
		id += Negated
	}
	if h.overruled > 0 {
		id += Overruled + strconv.FormatFloat(h.overruled, 'f', 2, 64) + ")"
	}
	f := Finding{Tier: h.tier, Category: h.rule.category, Rule: id, Locale: rs.locale}
	if h.explain != "" {
		f.Words = h.explain
		return f
	}
	f.Words = quote(text, toks, h.start, h.end)
	if h.second != [2]int{} {
		if w := quote(text, toks, h.second[0], h.second[1]); w != "" && w != f.Words {
			f.Words += " … " + w
		}
	}
	return f
}

// singleSpaced reports whether s is plain ASCII words with one space
// between each two and none around them: strings.Fields and a join with
// spaces would give s back, so s is quoted as it is (no copy).
func singleSpaced(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false // another space, perhaps: left to strings.Fields
		case c == ' ' && s[i-1] == ' ':
			return false
		}
	}
	return true
}

// quote returns the typed text of toks[start:end].
func quote(text string, toks []token, start, end int) string {
	if start < 0 || end > len(toks) || start >= end {
		return ""
	}
	a, b := int(toks[start].start), int(toks[end-1].end)
	if a < 0 || b > len(text) || a >= b {
		return ""
	}
	w := text[a:b]
	if !singleSpaced(w) {
		w = strings.Join(strings.Fields(w), " ")
	}
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

// joinConsumed reports whether h, a match read across two messages joined
// at split, has no gap running over the join that skips more than two
// words.
func (rs *ruleset) joinConsumed(p *prepared, h hit, split int) bool {
	lim := len(p.toks)
	for _, b := range p.bounds {
		if h.start >= b[0] && h.start < b[1] {
			lim = b[1]
		}
	}
	m := &matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: lim, more: p.more}
	end, ok := m.at(h.pattern.elems, h.start)
	if !ok || end != h.end {
		return false
	}
	cov := m.cov()
	for i := 0; i+1 < len(cov); i++ {
		if cov[i] < split && cov[i+1] >= split && cov[i+1]-cov[i]-1 > 2 {
			return false
		}
	}
	return true
}

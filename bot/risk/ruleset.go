package risk

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// negScope is how many words before a match a negation may stand and
// still apply to it ("I don't really want to die").
const negScope = 4

// notAfterGap is how many words may come between an idioms_not_after
// phrase (a person) and an idiom for the idiom to be kept: "he is killing
// me", "she really is killing me".
const notAfterGap = 2

// negation says what a negation in the clause does to a rule's match.
type negation uint8

const (
	negDefault negation = iota
	negConcern          // the match is read one tier lower: concern
	negDrop             // the match does not count
	negKeep             // negation makes no difference
)

// rule is one compiled rule of a rules file.
type rule struct {
	id, category string
	tier         Tier
	line         int
	phrases      []*pattern // any one of these, in order, within a sentence
	all          []*pattern // every one of these, any order, in one sentence
	unless       []*pattern // none of these in the same sentence
	// sentenceUnless and clauseUnless split unless for the rules section:
	// an entry mutes the rule in its sentence, but one that is only a
	// concept the file lists under clause_unless (things, not frames:
	// "{literal}", not "{work}") only in the clause the rule matched in:
	// "want to hang myself, been off my food for weeks" is not about
	// food. Context rules read unless whole.
	sentenceUnless, clauseUnless []*pattern
	negated                      negation
	// emoji: the rule reads only a message told mostly in emoji (see
	// prepared.emoji), where a bridge or a train on its own says a lot.
	emoji bool
	// context: a context rule's (its words are in two messages).
	context bool
	// keepConcern: a concern this rule raises is never set aside by the
	// model (see Screen.setAside): a past attempt is always asked about.
	keepConcern bool
	// keepPast: a past told as over ({past_distant} and {resolved}) does
	// not set this rule aside: the texter's own past attempt is asked
	// about however long ago it was.
	keepPast bool
}

func (r *rule) onNegation() negation {
	if r.negated != negDefault {
		return r.negated
	}
	if r.tier == Urgent {
		return negConcern
	}
	return negDrop
}

// contextRule fires when an earlier message has one of its earlier
// phrases and this message one of its now phrases.
type contextRule struct {
	rule
	earlier, now []*pattern
}

// ruleset is the compiled rules file of one locale.
type ruleset struct {
	locale  string
	welsh   bool // Welsh morphology: words are also read as their radicals
	table   *table
	speller *speller
	// medicineWords are the one-word phrases of {pills}: a word typed as
	// a name is still corrected to one of them (see spell).
	medicineWords map[string]bool
	lex           *lexicon
	irregular     map[string][]string
	clauseWords   map[string]bool
	// clauseUnless names the concepts that, as a whole unless entry, mute
	// a rule only in its clause (see rule.clauseUnless).
	clauseUnless map[string]bool
	markers      map[string]bool
	// clauseFilter and markerFilter pass over most words that are not in
	// clauseWords and markers without a lookup (see wordFilter).
	clauseFilter, markerFilter wordFilter
	// markerSuffixes: a word ending in one counts as a marker.
	// suffixApostrophe: every one of them has an apostrophe, so a word
	// without one ends in none of them.
	markerSuffixes   []string
	suffixApostrophe bool
	negator          int // concept id of {not}, or -1
	// notNegation: the concept id (or -1) of phrases that start like a
	// negation and deny nothing after them ("no point ⚰️", "no hope").
	notNegation int
	// reassure, pastTime, resolved and recurring are the concept ids (or
	// -1) that set a finding aside: see (*prepared).setAside; doubt (or -1)
	// holds phrases whose negations deny nothing (see doubted).
	reassure, pastTime, resolved, recurring, reported, doubt int
	// onPurpose: words that say harm was meant ("on purpose"), unless
	// notOnPurpose says it was not; frames are the unless entries it
	// overrules (see frameOverruled: {accident}, {cooking}, {literal},
	// {literal_thing}).
	onPurpose, notOnPurpose int
	// angerNotIdiom: see angerOverruled.
	angerNotIdiom int
	frames        map[string]bool
	// pastWeeks: a near past of a week or more ("last month"), which sets
	// a medical finding aside as a distant past does; a day ago ("this
	// morning", "yesterday") does not (session 46's review).
	pastWeeks int
	// happeningNow: words that place risk now ("tonight", "every night"):
	// a sentence that has them is not muted by {past_distant}.
	happeningNow int
	// pastYear: a year told as past ("in 1974"), which sets aside like
	// pastTime but, unlike it, stops no rule, and not where someone died
	// ({bereaved}: "she died in 2019" is grief, not a past got over).
	pastYear, bereaved int
	// jokeLaugh, jokeShape and jokeSerious set a told joke aside;
	// jokeThreat are the verbs of a threat said in jest ("she'll kill me
	// when she sees my hair lol"), unless the message is afraid
	// (fearStrong), the threat is about control (threatControl: "if i
	// talk to other lads"), from a partner (threatNamed: "my ex and his
	// mum are gonna kill me 😂") or from someone unnamed (threatPartner:
	// "he said he'll kill me haha", unless threatFamily names who: "my
	// mum would kill me if she saw this room"). laughReal is a laugh ("lol", "😂"), not the
	// word joke or 🙄; kmsSerious keeps a "kms" said with a laugh
	// ("kms lol the pills are in my drawer").
	jokeLaugh, jokeShape, jokeSerious, jokeThreat, threatControl, threatPartner, threatNamed, threatFamily, fearStrong, laughReal, kmsSerious int
	// medChecked and medNow set aside a medical event told as seen to
	// and over (see setAside); pastRecent is a near past ("last week").
	medChecked, medNow, pastRecent int
	// medBenign and medClinician: a sentence that names a clinician (or a
	// check) and a harmless reading ("the GP says it's reflux") sets aside
	// a medical finding anywhere in it, not only in its own clause.
	medBenign, medClinician int
	// medManaged and medRelief: a known condition the texter looked
	// after ("had my inhaler") and relief from it ("it's settling"):
	// beside a harmless reading, both together set a medical finding aside
	// as a clinician's reading does; -1 if none.
	medManaged, medRelief int
	// medOver: an end said outright ("fine now", "fully recovered"), which
	// covers its whole sentence too.
	medOver int
	// ownFailure: one's own course or job going wrong (see
	// studyOverruled); emergencyNow: an emergency happening now (see
	// griefOverruled).
	ownFailure, emergencyNow int
	// circumstance: a "when ... was" telling what was happening (see
	// onlyCircumstance); situation, the part of it that is what the
	// texter was doing or feeling, for any finding; -1 if none.
	circumstance, situation int
	// deniedAfter: a denial said after what it denies ("hurting myself
	// isn't something I'd do"); -1 if none (see deniedAfterwards).
	deniedAfter int
	// betterPast: a better past set against now ("he used to be so
	// happy"): its "used to" does not place a finding in the past.
	betterPast int
	idioms     *index
	notAfter   *index
	rules      []*rule
	ordered    *index // every rule's phrases
	context    []*contextRule
	// wordIDs numbers the words patterns use; patterns counts them.
	wordIDs map[string]int
	// info holds, for every word the file uses (its ids, concept words,
	// known words and normalising entries' first words), what a message's
	// word needs from all of them, in one lookup; nil while the file is
	// being loaded (see buildInfo).
	info     map[string]wordInfo
	patterns int
	// longLists counts the index lists long enough to be kept per
	// sentence (see presence.memo).
	longLists int
	// compiled is every pattern, words is the number of word ids once
	// loaded (see intern.go).
	compiled []*pattern
	words    int
	// wordSigs holds, per word id, the signature bits of the word needs
	// it meets (see signature).
	wordSigs []signature
	// alts backs the radical readings of Welsh words (see
	// wordInfo.nalt).
	alts []int32
	// presences are reused from sentence to sentence (they are sized by
	// the number of patterns).
	presences sync.Pool
	// model is the second signal, if the locale has one.
	model     *model
	modelRule *rule
	// requestModel, if the locale has one, finds a request for a person
	// the request rules did not (see Screen.requestHit).
	requestModel *model
	requestRule  *rule
	// modelConcepts holds each concept's slot in the models (the risk and
	// request models have tables of one size; see conceptSlots).
	modelConcepts atomic.Pointer[conceptSlots]

	// now indexes the context rules' now phrases (owner: the context
	// rule's index).
	now *index

	cache        boundedCache[cacheKey, *prepared]
	markerCounts boundedCache[string, int]
}

// wordForms returns the forms of w the file's morphology knows.
func (rs *ruleset) wordForms(w string) []string {
	out := append([]string(nil), rs.irregular[w]...)
	if !rs.welsh {
		out = append(out, englishForms(w)...)
	}
	return out
}

// known reports whether w is a real word the speller must leave alone.
func (rs *ruleset) known(w string) bool {
	if rs.info != nil {
		return rs.lookup(w).known || inDictionary(w)
	}
	if rs.lex.vocab[w] || rs.table.byFirst[w] != nil {
		return true
	}
	return inDictionary(w)
}

// normalise turns text into tokens: the table's rewrites, possessives,
// stretched letters and misspellings of rule words undone, Welsh radicals
// added. The message it returns has only its tokens and their words.
func (rs *ruleset) normalise(text string) *prepared { return rs.normaliseSpell(text, true) }

// normaliseSpell is normalise, with the spelling tolerance on or off (off
// for a message in another language: "coffi" is Welsh, not "coffin").
func (rs *ruleset) normaliseSpell(text string, spell bool) *prepared {
	lw := lazyWords{text: text}
	defer lw.release()
	p := &prepared{}
	p.toks, p.words[0] = rs.normaliseWords(text, lw.words(), spell, nil)
	return p
}

// normaliseWords is normaliseSpell for a message's words as tokenised
// from text. It returns the tokens and the words they place (see
// prepared.word). known, if not nil, is what rs knows of each word as
// tokenised (see lazyWords.known), so that a word is not looked up again.
func (rs *ruleset) normaliseWords(text string, ws []word, spell bool, known []wordInfo) ([]token, string) {
	if rs.welsh {
		buf := wordBufs.Get().(*[]word)
		ws = splitWelshCliticsInto((*buf)[:0], ws)
		defer returnWords(buf, ws)
	} else {
		ws = splitWill(ws)
	}
	if !rs.welsh && spell && rs.speller != nil {
		buf := wordBufs.Get().(*[]word)
		if split, ok := rs.splitJoined((*buf)[:0], ws); ok {
			ws = split
			defer returnWords(buf, ws)
		} else {
			wordBufs.Put(buf)
		}
	}
	// The table writes some words as two ("wanna": "want to"). The
	// tokens are made in a pooled buffer and copied out at their exact
	// number: a prepared message is kept (cached), so no room is spare.
	// Their words are written one after another in a pooled buffer too,
	// and made one string at the end.
	buf := tokenBufs.Get().(*tokenBuf)
	toks, words := buf.toks[:0], buf.words[:0]
	defer func() {
		buf.toks, buf.words = toks[:0], words[:0]
		tokenBufs.Put(buf)
	}()
	add := func(t token, w string) {
		t.w, t.nw, t.count = int32(len(words)), int32(len(w)), isCount(w)
		words = append(words, w...)
		toks = append(toks, t)
	}
	// carry is a break left by words the table dropped ("lol"), which the
	// next token takes.
	var carry boundary
	for i := 0; i < len(ws); {
		w := ws[i]
		brk := max(w.brk, carry)
		// Once loaded, one lookup says whether the word starts a
		// normalising entry, and, when it is read as typed, its id.
		var typed wordInfo
		var list []replacement
		if rs.info != nil {
			if known != nil && w.idx >= 0 {
				typed = known[w.idx] // rs.lookup(w.text), made for two files at once
			} else {
				typed = rs.lookup(w.text)
			}
			if typed.table {
				list = rs.table.lists[typed.tab]
			}
		}
		if r := rs.table.lookup(ws, i, rs.info == nil || typed.table, list); r != nil {
			end := ws[i+len(r.key)-1].end
			carry = brk
			for k, v := range r.value {
				t := token{start: int32(w.start), end: int32(end), id: noWord}
				if rs.info != nil {
					var inf wordInfo
					if len(r.infos) == len(r.value) {
						inf = r.infos[k] // rs.lookup(v), made once
					} else {
						inf = rs.lookup(v)
					}
					t.id, t.alt, t.nalt = inf.id, inf.alt, inf.nalt
				}
				if k == 0 {
					t.brk, carry = brk, noBreak
				}
				add(t, v)
			}
			i += len(r.key)
			continue
		}
		carry = noBreak
		t := token{start: int32(w.start), end: int32(w.end), brk: brk}
		wt := w.text
		if base, ok := strings.CutSuffix(wt, "'s"); ok && base != "" {
			wt, t.poss = base, true
		} else if base, ok := strings.CutSuffix(wt, "'n"); ok && base != "" && !rs.welsh {
			// A Welsh "'n" written onto a word ("Mam-gu'n unig") is not
			// part of it: read by the English rules, "gu'n" was "gun".
			wt = base
		}
		tw := wt // the word the rules read
		if spell {
			bare := strings.ReplaceAll(wt, "'", "")
			var known *wordInfo // what the lookup above knows of bare, if it is the word as typed
			if rs.info != nil && bare == w.text {
				known = &typed
			}
			tw = rs.spell(bare, &t, known, i+1 < len(ws) && beforePlace(text, w, ws[i+1]) || i > 0 && afterPlacePreposition(text, ws[i-1], w))
		} else if strings.IndexByte(wt, '\'') >= 0 {
			var buf [32]byte
			tw = string(appendBare(buf[:0], wt)) // copied into words: made on the stack when short
		}
		t.id = noWord
		if rs.info != nil && tw != "" {
			inf := typed
			if tw != w.text {
				inf = rs.lookup(tw)
			}
			t.id, t.alt, t.nalt = inf.id, inf.alt, inf.nalt
		}
		add(t, tw)
		i++
	}
	return slices.Clone(toks), string(words)
}

// beforePlace reports whether w, typed with a capital, stands right before
// a word that makes it the name of a place ("Overdale Medical Practice",
// "Garve Road"): such a word is a name, not a misspelling.
func beforePlace(text string, w, next word) bool {
	if next.brk != noBreak || w.end-w.start < 2 || !('A' <= text[w.start] && text[w.start] <= 'Z') {
		return false
	}
	return placeWords[next.text]
}

// afterPlacePreposition reports whether w, typed with a capital inside a
// sentence, follows a word that puts a place after it ("lives in
// Overdale", "the bus to Garve"): a name, not a misspelling. "my husband
// Strangeld me" is still corrected (a second review).
func afterPlacePreposition(text string, prev, w word) bool {
	if w.brk != noBreak || w.end-w.start < 2 || !('A' <= text[w.start] && text[w.start] <= 'Z') || !('a' <= text[w.start+1] && text[w.start+1] <= 'z') {
		return false
	}
	return placePrepositions[prev.text]
}

var placePrepositions = map[string]bool{"in": true, "at": true, "to": true, "from": true, "near": true, "of": true, "into": true, "round": true, "past": true, "by": true}

var placeWords = map[string]bool{
	"practice": true, "surgery": true, "medical": true, "health": true, "clinic": true, "hospital": true,
	"street": true, "st": true, "road": true, "rd": true, "lane": true, "avenue": true, "close": true,
	"drive": true, "court": true, "crescent": true, "terrace": true, "gardens": true, "park": true,
	"centre": true, "center": true, "school": true, "village": true, "estate": true, "farm": true,
	"community": true, "church": true, "chapel": true, "hall": true, "library": true, "station": true,
	"house": true,
}

// splitWill returns ws with each word that ends in "'ll" read as two: the
// word, then "will" ("my son'll find it", "no1'll miss me"), so the table
// and the spelling read the word as typed, and spelling cannot make
// "husband'll" a word of its own. The table's keys are written that way
// too ("a will no" for "a'll no"). ws itself is returned when no word
// needs it; the words made have no place among the typed words (idx -1).
func splitWill(ws []word) []word {
	n := 0
	for _, w := range ws {
		if len(w.text) > 3 && strings.HasSuffix(w.text, "'ll") {
			n++
		}
	}
	if n == 0 {
		return ws
	}
	out := make([]word, 0, len(ws)+n)
	for _, w := range ws {
		base, ok := strings.CutSuffix(w.text, "'ll")
		if !ok || base == "" {
			out = append(out, w)
			continue
		}
		// Both readings keep the word's whole typed span: the apostrophe
		// may be a curly one (three bytes) or followed by trailing ones,
		// so the span cannot be cut at a fixed place.
		out = append(out, word{text: base, start: w.start, end: w.end, brk: w.brk, idx: -1},
			word{text: "will", start: w.start, end: w.end, idx: -1})
	}
	return out
}

// tokenBuf is what normaliseWords makes tokens and their words in.
type tokenBuf struct {
	toks  []token
	words []byte
}

// tokenBufs holds tokenBufs for reuse.
var tokenBufs = sync.Pool{New: func() any { return new(tokenBuf) }}

// spell returns the word the rules should read for w. typed, if not nil,
// is rs.lookup(w), made already. name says w was typed as a name (see
// beforePlace and afterPlacePreposition): it is not corrected towards a rule word ("the Garve road"
// is not "the grave road"), unless to a medicine.
func (rs *ruleset) spell(w string, t *token, typed *wordInfo, name bool) string {
	if rs.speller == nil && !hasRun(w, 3) {
		// Nothing to correct and no stretched letters to cut: whether w
		// is known would not change it.
		return w
	}
	if typed != nil {
		if typed.known || inDictionary(w) { // rs.known(w), without a second lookup
			return w
		}
	} else if rs.known(w) {
		return w
	}
	// A dropped g ("goin", "walkin", "bein", written as said across the
	// north, Scotland and London): an unknown word that is a known one
	// with its g put back is read as that word. English only: the files
	// without spelling tolerance (Welsh) leave their words as typed.
	if rs.speller != nil && len(w) >= 4 && strings.HasSuffix(w, "in") && rs.known(w+"g") {
		t.fixed = true
		return w + "g"
	}
	if !hasRun(w, 3) {
		if rs.speller != nil {
			if fixed, ok := rs.speller.fix(w); ok && (!name || rs.medicineWords[fixed]) {
				t.fixed = true
				return fixed
			}
		}
		// A dropped h ("'urtin", as said across much of England) and a
		// letter typed twice ("beatting"; three or more is a run, below):
		// when no rules word is one slip away, an unknown word that is a
		// real word with its h put back, or with one of a doubled letter
		// taken out, is read as that word (English only, as above). After
		// the speller, so "arped" is "raped" and "garbbed" "grabbed", not
		// "harped" and "garbed" (session 50's third review).
		if rs.speller != nil && !name && len(w) >= minFixLen-1 && len(w) < 32 {
			// Built in a buffer on the stack: most words are not fixed.
			var buf [32]byte
			if b := append(append(buf[:0], 'h'), w...); inDictionaryBytes(b) && !hPronoun[string(b)] {
				t.fixed = true
				return string(b)
			}
			for i := 1; i < len(w); i++ {
				if w[i] == w[i-1] && w[i] < utf8.RuneSelf && len(w)-1 >= minFixLen {
					if b := append(append(buf[:0], w[:i]...), w[i+1:]...); inDictionaryBytes(b) {
						t.fixed = true
						return string(b)
					}
				}
			}
		}
		return w
	}
	cands := [3]string{w, squeeze(w, 3, 2), squeeze(w, 3, 1)}
	for _, c := range cands[1:] {
		if rs.known(c) {
			return c
		}
	}
	if rs.speller != nil {
		for _, c := range cands {
			if fixed, ok := rs.speller.fix(c); ok {
				t.fixed = true
				return fixed
			}
		}
	}
	// Unknown: stretched letters count as two ("zzzzz" -> "zz"), so a
	// double letter is never lost.
	return cands[1]
}

// prepared is a message read for matching.
type prepared struct {
	toks []token
	// words holds the tokens' words one after another (see word); a joined
	// reading of two messages (see across) has each message's.
	words  [2]string
	marks  markList
	sent   []int32 // sentence number of each token
	clause []int32 // clause number of each token
	bounds [][2]int
	negs   [][2]int // spans of negation phrases ({not})
	// modelSum is the total weight of the message's features in the
	// model, worked out once on first need.
	sumOnce  sync.Once
	modelSum float64
	// flag is whether a rule finds risk in the message on its own (see
	// flagged), worked out once on first need.
	flagOnce sync.Once
	flag     bool
	// overruled is whether the model overrules an unless list that muted
	// a rule in the message on its own (see overruled), worked out once
	// on first need.
	overruledOnce sync.Once
	overruled     bool
	// whole is what the whole message holds, made once on first need
	// (prepared messages are cached and shared: it is only ever read).
	wholeOnce sync.Once
	whole     *presence
	// earlier is, for each context rule, whether one of its earlier
	// phrases is in the message, made once on first need (see earlierIn).
	earlierOnce sync.Once
	earlier     []bool
	// asked holds the starts of reported questions ({reported}: "the GP
	// asked if"): what follows in the same sentence is read as negated,
	// however far after.
	asked []int
	// echoed holds the sentences asked back and answered no (see
	// findEchoDenied).
	echoed []int32
	// exclaimed is 1 + the token where "kms" is typed as an exclamation,
	// or 0 (see findExclaimed).
	exclaimed int32
	// more is set on a joined reading of two messages (see across) when
	// the later message has words past the part joined: "$" cannot match
	// its end there.
	more bool
	// emoji is set for a message told mostly in emoji: one or more, and at
	// most emojiWords words typed besides ("done 🌊🚶‍♀️", "🚆🚶‍♂️").
	emoji bool
	// boundsBuf, negsBuf and askedBuf back bounds, negs and asked while a
	// message has few of each (most do), saving an allocation apiece.
	boundsBuf [4][2]int
	negsBuf   [2][2]int
	askedBuf  [2]int
}

// word returns token i's word as the rules see it ("" for a blanked one).
func (p *prepared) word(i int) string {
	t := &p.toks[i]
	return p.words[t.src][t.w : t.w+t.nw]
}

// clauseWord reports whether w is one of clauseWords (filter passes over
// most words that are not without a lookup).
func clauseWord(w string, clauseWords map[string]bool, filter *wordFilter) bool {
	return filter.mayHave(w) && clauseWords[w]
}

// emojiWords is the most words a message told in emoji may hold besides.
const emojiWords = 3

// prepare normalises text, blanks its idioms and finds its concepts.
func (rs *ruleset) prepare(text string) *prepared { return rs.prepareSpell(text, true) }

func (rs *ruleset) prepareSpell(text string, spell bool) *prepared {
	lw := lazyWords{text: text}
	defer lw.release()
	return rs.prepareWords(&lw, spell)
}

// prepareWords is prepareSpell for a message tokenised on demand.
func (rs *ruleset) prepareWords(lw *lazyWords, spell bool) *prepared {
	ws := lw.words()
	p := &prepared{emoji: toldInEmoji(ws)}
	p.toks, p.words[0] = rs.normaliseWords(lw.text, ws, spell, lw.known(rs))
	p.bounds, p.negs, p.asked = p.boundsBuf[:0], p.negsBuf[:0], p.askedBuf[:0]
	// The sentence and clause numbers and where each token's marks start
	// share one array.
	n := len(p.toks)
	ints := make([]int32, 3*n+1)
	p.sent, p.clause = ints[:0:n], ints[n:n:2*n]
	p.layout(rs.clauseWords, &rs.clauseFilter)
	// The marks are made in pooled arrays, then kept at their exact size.
	sc := markScratch.Get().(*[2]markList)
	sc[0] = rs.lex.annotate(p.toks, rs.alts, nil, 0, n, sc[0])
	p.marks = sc[0]
	if lo, hi := rs.blankIdioms(p); lo < hi {
		// Only a phrase that reaches a blanked word can have changed.
		sc[1] = rs.lex.annotate(p.toks, rs.alts, &sc[0], max(0, lo-rs.lex.longest+1), hi, sc[1])
		p.marks = sc[1]
	}
	ml := markList{at: ints[2*n:]}
	copy(ml.at, p.marks.at)
	if len(p.marks.all) > 0 {
		ml.all = slices.Clone(p.marks.all)
	}
	p.marks = ml
	markScratch.Put(sc)
	p.findNegations(rs.negator, rs.notNegation)
	p.findReported(rs.reported)
	p.findEchoDenied(lw.text)
	p.exclaimed = p.findExclaimed(lw.text, rs.laughReal)
	return p
}

// kmsIntent are the words before "kms" that make it a wish or an intent,
// not an exclamation ("wanna kms", "going to kms", "might kms").
var kmsIntent = map[string]bool{"to": true, "wanna": true, "gonna": true, "will": true, "would": true, "might": true, "could": true,
	"should": true, "going": true, "finna": true, "about": true, "can": true, "just": true, "i": true, "me": true, "and": true, "want": true,
	"need": true, "gotta": true, "shall": true, "may": true, "tryna": true}

// findExclaimed returns 1 + the token where "kms" is typed as an
// exclamation: opening its sentence or clause, right after a laugh ("lmao
// kms i just called my lecturer mum"), or right before one after no wish
// ("over my laptop kms 😂"); 0 if none. "kms" is read as two tokens
// ("kill", "myself") with the typed word's offsets.
func (p *prepared) findExclaimed(text string, laugh int) int32 {
	for i := range p.toks {
		t := &p.toks[i]
		if t.src != 0 || t.end-t.start != 3 || int(t.end) > len(text) || !strings.EqualFold(text[t.start:t.end], "kms") {
			continue
		}
		if i > 0 && p.toks[i-1].start == t.start {
			continue // not the replacement's first word
		}
		opens := i == 0 || p.sent[i] != p.sent[i-1] || p.clause[i] != p.clause[i-1]
		if !opens && laugh >= 0 {
			for _, mk := range p.marks.of(i - 1) {
				opens = opens || mk.concept == laugh
			}
		}
		// Or said after the mishap, a laugh right after it ("spilt my
		// coffee over my laptop kms 😂"), with no wish or intent before it
		// ("i wanna kms haha" is not an exclamation).
		if end := i + 2; !opens && laugh >= 0 && end < len(p.toks) && p.toks[i+1].start == t.start && !kmsIntent[p.word(i-1)] {
			for _, mk := range p.marks.of(end) {
				opens = opens || mk.concept == laugh
			}
		}
		if opens {
			return int32(i) + 1
		}
	}
	return 0
}

// findEchoDenied records the sentences that ask back what the person was
// asked and are answered no in the next sentence ("Self harm? No,
// never.", "Have I thought about ending my life? Not once."): what they
// name is read as negated, as after a reported question.
func (p *prepared) findEchoDenied(text string) {
	for k := 0; k+1 < len(p.bounds); k++ {
		last, first := &p.toks[p.bounds[k][1]-1], &p.toks[p.bounds[k+1][0]]
		if last.src != 0 || first.src != 0 || last.end > first.start || int(first.start) > len(text) ||
			!strings.Contains(text[last.end:first.start], "?") {
			continue
		}
		if !notEchoOpeners[p.word(p.bounds[k][0])] && p.opensWithNo(p.bounds[k+1][0], p.bounds[k+1][1]) && !p.answerHedged(p.bounds[k+1]) {
			p.echoed = append(p.echoed, int32(k))
		}
	}
}

// opensWithNo reports whether tokens [from, to) open with an answer no:
// a no word standing alone in its clause ("No, never", "Nope.") or a
// denial phrase ("not once", "no chance"), not "no one cares".
func (p *prepared) opensWithNo(from, to int) bool {
	w := p.word(from)
	alone := from+1 == to || p.toks[from+1].brk != noBreak
	if answerNoWords[w] && alone {
		return true
	}
	if from+1 < to {
		two := w + " " + p.word(from+1)
		return answerNoPhrases[two] && (from+2 == to || p.toks[from+2].brk != noBreak || two == "not once" || two == "not me")
	}
	return false
}

// notEchoOpeners open a question a no does not deny: a question of the
// person's own, not one asked back ("Would anyone care if I killed
// myself? No.", "Can I stop myself from hurting myself? No.").
var notEchoOpeners = map[string]bool{"would": true, "could": true, "can": true, "will": true, "does": true, "is": true, "who": true,
	"why": true, "how": true, "should": true, "what": true, "where": true, "when": true, "whats": true, "anyone": true, "any": true,
	"wouldnt": true, "cant": true, "isnt": true, "shall": true}

// answerHedged reports whether the answer sentence b takes its no back
// ("No, not yet.", "No. But ...").
func (p *prepared) answerHedged(b [2]int) bool {
	for i := b[0]; i < b[1]; i++ {
		if w := p.word(i); w == "yet" || w == "but" || w == "though" || w == "tho" {
			return true
		}
	}
	return false
}

var (
	answerNoWords   = map[string]bool{"no": true, "nope": true, "nah": true, "na": true, "nae": true, "never": true, "nay": true}
	answerNoPhrases = map[string]bool{"not once": true, "no chance": true, "no way": true, "absolutely not": true, "definitely not": true,
		"certainly not": true, "course not": true, "god no": true, "hell no": true, "no never": true, "not me": true, "never ever": true,
		"not ever": true, "no no": true}
)

// toldInEmoji reports whether ws is a message told mostly in emoji.
func toldInEmoji(ws []word) bool {
	emoji, typed := 0, 0
	for _, w := range ws {
		if r, _ := utf8.DecodeRuneInString(w.text); isEmoji(r) {
			emoji++
		} else {
			typed++
		}
	}
	return emoji > 0 && typed <= emojiWords
}

// isGreeting reports whether s is nothing but waves and smiles, with any
// skin tone (and spaces).
func isGreeting(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	var word strings.Builder
	for _, r := range s + " " {
		switch {
		case unicode.IsLetter(r):
			word.WriteRune(unicode.ToLower(r))
			continue
		case r == '👋', r == '🙂', r == '😊', r == '😀', r == '😃', r == '😄', r == '😁', r == '🤗', r == '☺', r == '👍':
		case r >= 0x1F3FB && r <= 0x1F3FF, r == 0xFE0F, r == ' ', r == '!', r == ',', r == '.': // skin tone, emoji presentation
		default:
			return false
		}
		// "hey 👋" (session 44's persona trials: "Are you safe?"), not
		// "bye 👋".
		if w := word.String(); w != "" && !greetingWords[w] {
			return false
		}
		word.Reset()
	}
	return true
}

var greetingWords = map[string]bool{"hi": true, "hey": true, "heya": true, "hiya": true, "hello": true, "helo": true, "hallo": true,
	"ello": true, "yo": true, "morning": true, "afternoon": true, "evening": true, "good": true, "there": true, "all": true,
	"everyone": true, "shwmae": true}

// findReported records where reported questions start.
func (p *prepared) findReported(reported int) {
	if reported < 0 {
		return
	}
	for i := range p.toks {
		for _, mk := range p.marks.of(i) {
			if mk.concept == reported {
				p.asked = append(p.asked, i)
			}
		}
	}
}

func (p *prepared) findNegations(negator, notNegation int) {
	if negator < 0 {
		return
	}
	for i := range p.toks {
		marks := p.marks.of(i)
		if notNegation >= 0 && slices.ContainsFunc(marks, func(mk mark) bool { return mk.concept == notNegation }) {
			continue // "no point ⚰️": the "no" denies the point, not what follows
		}
		answer := false
		for _, mk := range marks {
			if mk.concept != negator {
				continue
			}
			if p.answerNo(i, mk.end) {
				answer = true
			} else {
				p.negs = append(p.negs, [2]int{i, mk.end})
			}
		}
		if answer {
			p.dropMark(i, negator)
		}
	}
}

// dropMark takes concept id's marks off token i: an answer "no" ("no,
// carry on" to "Do you want to talk to someone?") is not the {not} of a
// rule's "{not} carry on".
func (p *prepared) dropMark(i, id int) {
	lo, hi := int(p.marks.at[i]), int(p.marks.at[i+1])
	kept := lo
	for k := lo; k < hi; k++ {
		if p.marks.all[k].concept != id {
			p.marks.all[kept] = p.marks.all[k]
			kept++
		}
	}
	if kept == hi {
		return
	}
	p.marks.all = append(p.marks.all[:kept], p.marks.all[hi:]...)
	for j := i + 1; j < len(p.marks.at); j++ {
		p.marks.at[j] -= int32(hi - kept)
	}
}

// answerNo reports whether the negation at [i, end) is a bare "no" that
// opens a sentence and is followed by the person speaking ("No I'm not
// safe", "no, i want to die"): an answer to a question, not a denial of
// what follows.
func (p *prepared) answerNo(i, end int) bool {
	if end != i+1 || p.word(i) != "no" || (i > 0 && p.sent[i] == p.sent[i-1]) || end >= len(p.toks) {
		return false
	}
	switch p.word(end) {
	case "i", "im", "me", "my", "not", "nope", "never", "keep", "carry", "continue", "thanks", "thank", "just", "please", "its", "go":
		return true
	}
	return p.toks[end].brk != noBreak
}

// has reports whether concept id is found anywhere in p.
func (p *prepared) has(id int) bool {
	if id < 0 {
		return false
	}
	for _, mk := range p.marks.all {
		if mk.concept == id {
			return true
		}
	}
	return false
}

// recursNow reports whether p says the past is back ({recurring}), in
// words that are not inside a phrase saying it is over ({resolved}):
// "grateful every day" is not "every day".
func (rs *ruleset) recursNow(p *prepared) bool {
	return rs.anyMark(p, rs.recurring, func(i, end int) bool { return !rs.insideResolved(p, i, end) })
}

// anyMark reports whether p has a phrase of concept, from token i up to
// (not including) token end, for which keep(i, end) is true.
func (rs *ruleset) anyMark(p *prepared, concept int, keep func(i, end int) bool) bool {
	if !p.has(concept) {
		return false
	}
	for i := range p.toks {
		for _, mk := range p.marks.of(i) {
			if mk.concept == concept && keep(i, mk.end) {
				return true
			}
		}
	}
	return false
}

// insideResolved reports whether tokens [from, to) lie inside a phrase of
// {resolved} in p.
func (rs *ruleset) insideResolved(p *prepared, from, to int) bool {
	for i := max(0, from-rs.lex.longest); i <= from; i++ {
		for _, mk := range p.marks.of(i) {
			if mk.concept == rs.resolved && mk.end >= to && (i < from || mk.end > to) {
				return true
			}
		}
	}
	return false
}

// inside reports whether tokens [from, to) lie within a phrase of concept
// in p (the phrase may be the same words).
func (rs *ruleset) inside(p *prepared, concept, from, to int) bool {
	for i := max(0, from-rs.lex.longest); i <= from; i++ {
		for _, mk := range p.marks.of(i) {
			if mk.concept == concept && mk.end >= to {
				return true
			}
		}
	}
	return false
}

// resolvedPlainly reports whether p says a past is over in words no
// negation turns round and that are not a better past set against now:
// "im not happy" is not "happy now" (a review: "he was beating me when
// he was drunk last night, im not happy" was set aside as a past got
// over), nor is "he used to be so happy".
func (rs *ruleset) resolvedPlainly(p *prepared) bool {
	return rs.anyMark(p, rs.resolved, func(i, end int) bool {
		return !rs.negatedBefore(p, i) && (rs.betterPast < 0 || !rs.inside(p, rs.betterPast, i, end))
	})
}

// negatedBefore reports whether a negation ends at most one word before
// token i, in its clause ("not happy", "not really happy").
func (rs *ruleset) negatedBefore(p *prepared, i int) bool {
	for _, n := range p.negs {
		if n[1] <= i && n[1] >= i-1 && p.clause[n[0]] == p.clause[i] {
			return true
		}
	}
	return false
}

// aside is what a message sets aside: see setAside.
type aside struct {
	negated, past, joke, medical bool
	// kmsJoke: "kms" said as an exclamation (see prepared.exclaimed) in a
	// message that laughs and does not take the laugh back.
	kmsJoke bool
	// threatJoke: a threat said in jest ({joke_threat}: "my mum's gonna
	// kill me when she sees my hair lol") in a message that laughs, does
	// not take it back and is not afraid.
	threatJoke bool
}

// kmsMishapWords is the fewest words (the two of "kms" among them) a
// message needs for its "kms" to be said over a mishap: "kms lol" alone
// tells of none.
const kmsMishapWords = 5

// markedWhere reports whether a phrase of concept id starts at a token of
// p that where accepts.
func (p *prepared) markedWhere(id int, where func(i int) bool) bool {
	if id < 0 {
		return false
	}
	for i := range p.toks {
		if !where(i) {
			continue
		}
		for _, mk := range p.marks.of(i) {
			if mk.concept == id {
				return true
			}
		}
	}
	return false
}

// hasOutside reports whether a phrase of concept id starts in p outside
// tokens [from, to] ("kms" is itself {hopeless}).
func (rs *ruleset) hasOutside(p *prepared, id, from, to int) bool {
	return p.markedWhere(id, func(i int) bool { return i < from || i > to })
}

// inSentence reports whether a phrase of concept id starts in hit h's
// sentence (a laugh, {laugh_real}; a partner named, {threat_partner_named}).
func (rs *ruleset) inSentence(p *prepared, h hit, id int) bool {
	if h.start < 0 || h.start >= len(p.toks) || len(p.sent) != len(p.toks) {
		return false
	}
	s := p.sent[h.start]
	return p.markedWhere(id, func(i int) bool { return p.sent[i] == s })
}

// spans reports whether a phrase of concept id starts among hit h's words.
func (rs *ruleset) spans(p *prepared, h hit, id int) bool {
	return p.markedWhere(id, func(i int) bool { return i >= h.start && i < h.end })
}

// setAside reports which of this message's hits do not count:
//
//   - a denial with a reason ("I'm not suicidal, just skint", "no thoughts
//     of harming myself, I only need help with the gas bill"): negated hits
//     when the message also reassures ({reassure}). A negation inside a
//     doubt about the person's safety ({doubt}: "I can't promise I won't
//     hurt myself, I'm fine otherwise") denies nothing, so there is no
//     negated hit to set aside (see doubted);
//
//   - a past told as over ("my son overdosed five years ago, he's thriving
//     now"): when the message has a distant past ({past_distant}) and says
//     it is resolved ({resolved}), unless it also says it is happening
//     again ({recurring}: "again", "still", "lately"); the caller sets aside
//     only the hits in a sentence that tells the past or says it is over
//     (see toldAsPast).
//
//   - a joke told as one ("if I hear Baby Shark one more time I'll throw
//     myself off a cliff 😅"): suicide hits when the message laughs
//     ({joke_laugh}), has the shape of a hyperbole ({joke_shape}: "if I
//     have to", "one more", "made me want to") and does not take the joke
//     back ({joke_serious}: "not joking", "I mean it"). Only the suicide
//     category is set aside: abuse or harm in the same message still counts.
//
//   - "kms" said as an exclamation over a mishap ("kms the bus left 2 secs
//     b4 i got there lol", "burton 3-0 down at half time, kms 😂"): the
//     suicide hit that starts with it, when it opens a sentence or clause
//     (or follows a laugh) and the message laughs ({joke_laugh}) without
//     taking it back ({joke_serious}). "i wanna kms lol" is not one: the
//     kms does not open its clause.
//
//   - a threat said in jest ("she's gonna kill me when she sees i ate her
//     leftovers 😂", "mam said she'll end me if I'm not in by 11 lol", "our
//     kid's done my head in, gonna strangle him (jk)"): an abuse or
//     harm-to-others hit whose words hold a {joke_threat} verb, when the message
//     laughs, does not take it back, says nothing of fear ({fear_strong})
//     and the threat is not about control ({threat_control}: "bf keeps
//     joking he'll end me if i talk to other lads"). Other abuse words in the same message still count
//     ("he hit me again lol" is not a threat in jest).
//
//   - a medical event told as seen to and over ("had chest pains last week,
//     A&E said it was heartburn", "blacked out this morning, 111 said it's
//     my blood pressure, fine now"): medical hits when the message says a
//     clinician has read it or that it is over ({med_checked}, {med_over},
//     or a clinician and a harmless reading), or tells a past a week or
//     more ago ({past_weeks}: "had a seizure last month, can't drive now")
//     or distant, and says
//     nothing of now ({recurring}: "again", "still", "right now"; {med_now}:
//     getting worse, a sign of an emergency now, something swallowed, a
//     question of what to do). Only the medical category is set aside, and
//     only in a clause that itself says it was seen to or tells a near or
//     distant past, or a sentence that says it is over outright or names a
//     clinician and a harmless reading (see covers): "the GP said it was
//     reflux, but tonight the pain is back" keeps the pain, and a self-harm
//     or overdose in the same message still counts. The model still reads
//     the message.
//
// A bare denial ("I'm not suicidal") is still a concern.
func (rs *ruleset) setAside(p *prepared) aside {
	recurring := rs.recursNow(p)
	return aside{
		negated: p.has(rs.reassure),
		past:    (p.has(rs.pastTime) || p.has(rs.pastYear) && !p.has(rs.bereaved)) && rs.resolvedPlainly(p) && !recurring,
		joke:    p.has(rs.jokeLaugh) && p.has(rs.jokeShape) && !p.has(rs.jokeSerious),
		kmsJoke: p.exclaimed > 0 && p.has(rs.laughReal) && !p.has(rs.jokeSerious) && !p.has(rs.happeningNow) &&
			!rs.hasOutside(p, rs.kmsSerious, int(p.exclaimed)-1, int(p.exclaimed)) && wordCount(p) >= kmsMishapWords,
		threatJoke: p.has(rs.jokeThreat) && p.has(rs.laughReal) && !p.has(rs.jokeSerious) && !p.has(rs.fearStrong) &&
			!p.has(rs.threatControl) && !p.has(rs.happeningNow) && !p.has(rs.angerNotIdiom),
		medical: (p.has(rs.medChecked) || p.has(rs.medOver) || p.has(rs.medBenign) && (p.has(rs.medClinician) || p.has(rs.medManaged) && p.has(rs.medRelief)) || p.has(rs.pastTime) || p.has(rs.pastYear) || p.has(rs.pastWeeks)) && !recurring && !p.has(rs.medNow),
	}
}

// covers says why a sets hit h of p aside ("": it does not), and whether the model
// may still read the message: a medical event set aside as seen to leaves
// the model as a second reader, since the words that set it aside are
// ordinary ones.
func (a aside) covers(rs *ruleset, p *prepared, h hit) (why string, modelMayRead bool) {
	switch {
	case a.past && !h.rule.keepPast && rs.toldAsPast(p, h, true, rs.pastTime, rs.pastYear, rs.resolved) && !rs.nearPastInClause(p, h):
		// (In the finding's own clauses: "I want to die, I used to be
		// happy" is not a past told as over; a second review. On held-out
		// 13-108 this flagged four ordinary lines more and caught one. A
		// past tense placed by a past anywhere in the sentence was tried in
		// session 47 and taken out: "I took 20 sertraline this morning,
		// used to do it when i was younger, I have a good life now" was
		// set aside.)
		return "a past told as over", false
	case a.negated && h.negated:
		return "denied with reassurance", false
	case a.joke && h.rule.category == Suicide:
		return "a joke", false
	case a.kmsJoke && h.rule.category == Suicide && h.start == int(p.exclaimed)-1:
		// The model still reads the message, and the one before it
		// ("everyone hates me" / "kms 😂").
		return "kms said as an exclamation", true
	case a.threatJoke && h.rule.category == Abuse && rs.spans(p, h, rs.jokeThreat) && !rs.inSentence(p, h, rs.threatNamed) && (!rs.spans(p, h, rs.threatPartner) || rs.spans(p, h, rs.threatFamily)) && rs.inSentence(p, h, rs.laughReal):
		return "a threat said in jest", false
	case a.medical && h.rule.category == Medical:
		// A check or a past covers only its own clause: "the GP said it was
		// reflux, but tonight the pain is back" keeps the pain. An end said
		// outright ("fully recovered") or a clinician's harmless reading
		// ("chest pain when I cough, GP says it's muscular") covers its
		// whole sentence.
		// A day's past ("on Sunday", "this morning") places the event
		// only when the message also says it was seen to ("they've done an
		// ECG"): alone, "my husband collapsed this morning" is now, and a
		// week's past elsewhere does not make it past (a second review).
		checked := rs.toldAsPast(p, h, false, rs.medChecked, rs.medOver) ||
			rs.toldAsPast(p, h, false, rs.medBenign) && (rs.toldAsPast(p, h, false, rs.medClinician) || rs.toldAsPast(p, h, false, rs.medManaged) && rs.toldAsPast(p, h, false, rs.medRelief))
		seenTo := rs.toldAsPast(p, h, true, rs.medChecked, rs.pastWeeks, rs.pastTime, rs.pastYear, rs.resolved) ||
			checked && rs.toldAsPast(p, h, true, rs.pastRecent) ||
			rs.toldAsPast(p, h, false, rs.medOver) ||
			rs.toldAsPast(p, h, false, rs.medBenign) && (rs.toldAsPast(p, h, false, rs.medClinician) || rs.toldAsPast(p, h, false, rs.medManaged) && rs.toldAsPast(p, h, false, rs.medRelief))
		if seenTo {
			return "a medical event seen to or over", true
		}
		return "", false
	}
	return "", false
}

// toldAsPast reports whether the sentence of hit h (with inClause, the
// clauses it spans) holds one of concepts: whether it tells a past or says
// it is over. A message that tells a past as over sets aside only the hits
// in such sentences: risk told in the present in a sentence of its own ("I
// self harmed as a teenager, no urges for years. I'm planning to jump
// tomorrow") still counts. Every hit placed in p has a sentence; the
// bounds check only keeps a hit from outside p from indexing it.
func (rs *ruleset) toldAsPast(p *prepared, h hit, inClause bool, concepts ...int) bool {
	if h.start < 0 || h.start >= len(p.toks) || len(p.sent) != len(p.toks) || len(p.clause) != len(p.toks) {
		return true
	}
	s := p.sent[h.start]
	lo, hi := p.clause[h.start], p.clause[min(max(h.end, h.start+1), len(p.toks))-1]
	for i := range p.toks {
		if p.sent[i] != s || inClause && (p.clause[i] < lo || p.clause[i] > hi) {
			continue
		}
		for _, mk := range p.marks.of(i) {
			if mk.concept >= 0 && slices.Contains(concepts, mk.concept) {
				return true
			}
		}
	}
	return false
}

// wholePresence is what p holds anywhere, for skipping a pattern that
// cannot match in it; read with feasibleNow only, as p is shared.
func (rs *ruleset) wholePresence(p *prepared) *presence {
	p.wholeOnce.Do(func() {
		ps := rs.newPresence(p.toks, &p.marks, 0, len(p.toks))
		p.whole = &presence{words: slices.Clone(ps.words), concepts: slices.Clone(ps.concepts)}
		rs.release(ps)
	})
	return p.whole
}

// cacheSize bounds the prepared messages a ruleset keeps. A person's
// recent messages are read again with each new one, so each is normalised
// once, not four times.
const cacheSize = 1024

type cacheKey struct {
	text  string
	spell bool
}

// cached is prepareSpell for a message that may have been read before. A
// prepared message is never changed once made, so it can be shared.
func (rs *ruleset) cached(text string, spell bool) *prepared {
	lw := lazyWords{text: text}
	defer lw.release()
	return rs.cachedWords(&lw, spell)
}

// cachedWords is cached for a message tokenised on demand (once, for every
// ruleset that reads it).
func (rs *ruleset) cachedWords(lw *lazyWords, spell bool) *prepared {
	k := cacheKey{lw.text, spell}
	if p, ok := rs.cache.get(k); ok {
		return p
	}
	p := rs.prepareWords(lw, spell)
	rs.cache.put(k, p)
	return p
}

// boundedCache is a map safe for concurrent use that is emptied when it
// holds cacheSize entries.
type boundedCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheSize {
		// Made at full size: a map grown one doubling at a time makes
		// the call that grows it copy every entry, up to 512 of them.
		c.m = make(map[K]V, cacheSize)
	}
	c.m[k] = v
}

// layout numbers sentences and clauses.
func (p *prepared) layout(clauseWords map[string]bool, filter *wordFilter) {
	if n := len(p.toks); cap(p.sent) >= n && cap(p.clause) >= n {
		p.sent, p.clause = p.sent[:n], p.clause[:n] // reused (across)
	} else {
		both := make([]int32, 2*n)
		p.sent, p.clause = both[:n:n], both[n:]
	}
	p.bounds = p.bounds[:0]
	var s, c int32
	start := 0
	for i := range p.toks {
		if t := &p.toks[i]; i > 0 {
			switch {
			case t.brk == sentenceBreak:
				p.bounds = append(p.bounds, [2]int{start, i})
				s, c, start = s+1, c+1, i
			case t.brk == clauseBreak || t.nw > 0 && clauseWord(p.word(i), clauseWords, filter):
				c++
			}
		}
		p.sent[i], p.clause[i] = s, c
	}
	if len(p.toks) > 0 {
		p.bounds = append(p.bounds, [2]int{start, len(p.toks)})
	}
}

// blankIdioms removes idioms ("my feet are killing me") so their words
// cannot help a rule fire, except an idiom right after a person ("he is
// killing me"), which is kept unless a blanked idiom contains it whole.
// It returns the tokens [lo, hi) it blanked words in (lo == hi: none).
func (rs *ruleset) blankIdioms(p *prepared) (lo, hi int) {
	type span struct{ start, end int }
	var blankBuf, keptBuf [8]span // a message has few idioms
	blank, kept := blankBuf[:0], keptBuf[:0]
	personEnds := map[int]bool{}
	for _, b := range p.bounds {
		m := &matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1]}
		rs.notAfter.each(m, b[0], b[1], func(_ *pattern, _, end int) bool {
			personEnds[end] = true
			return true
		})
		rs.idioms.each(m, b[0], b[1], func(_ *pattern, start, end int) bool {
			after := false
			for k := 0; k <= notAfterGap && start-k >= 0; k++ {
				after = after || personEnds[start-k]
			}
			if after {
				kept = append(kept, span{start, end})
			} else {
				blank = append(blank, span{start, end})
			}
			return true
		})
	}
	if len(blank) == 0 {
		return 0, 0
	}
	var keepBuf [64]bool
	var keep []bool
	if len(p.toks) <= len(keepBuf) {
		keep = keepBuf[:len(p.toks)]
	} else {
		keep = make([]bool, len(p.toks))
	}
	for _, k := range kept {
		covered := false
		for _, b := range blank {
			covered = covered || b.start <= k.start && k.end <= b.end
		}
		if !covered {
			for i := k.start; i < k.end; i++ {
				keep[i] = true
			}
		}
	}
	lo, hi = len(p.toks), 0
	for _, b := range blank {
		for i := b.start; i < b.end; i++ {
			if !keep[i] {
				t := &p.toks[i]
				t.nw, t.id, t.nalt, t.count = 0, noWord, 0, false
				lo, hi = min(lo, i), max(hi, i+1)
			}
		}
	}
	return lo, max(lo, hi)
}

// hit is one rule matching a message.
type hit struct {
	rule       *rule
	tier       Tier
	start, end int
	pattern    *pattern
	negated    bool
	across     bool
	// second holds the words of the second part of an "all" rule or the
	// now part of a context rule, for showing what fired.
	second [2]int
	// explain, for the model, names the features that weighed most.
	explain string
	// overruled is the model's score when it overruled the rule's unless
	// list (see Screen.modelHit); 0 otherwise.
	overruled float64
	// also is another concern rule that found a second sign in the same
	// message (see twoSigns); nil if none.
	also *rule
}

// twoSigns reports whether h is a concern that can count as one of two
// signs in a message: a suicide concern found in the message itself, not
// a denial, not a past told about (always asked), not a reading of a
// message told in emoji, not the model's.
func (h *hit) twoSigns() bool {
	return h.tier == Concern && h.rule != nil && h.rule.category == Suicide && !h.negated && !h.across &&
		!h.rule.keepConcern && !h.rule.context && !h.rule.emoji && h.explain == ""
}

// better reports whether h outranks o: a higher tier, then the rule
// written first.
func (h *hit) better(o *hit) bool {
	if o == nil {
		return true
	}
	if h.tier.rank() != o.tier.rank() {
		return h.tier.rank() > o.tier.rank()
	}
	return h.rule.line < o.rule.line
}

// scan finds the rules that match p, sentence by sentence, calling fn
// with each. Only matches that start before before and end after mustEnd
// are looked for (for phrases split across two messages; a whole message
// is scanned with len(p.toks) and 0).
func (rs *ruleset) scan(p *prepared, before, mustEnd int, fn func(hit)) {
	rs.scanMuted(p, before, mustEnd, fn, nil)
}

// scanMuted is scan that also calls muted, if not nil, with each urgent,
// concern or request match its rule's unless list muted (see
// Screen.modelHit, and Screen.check's requestMuted).
func (rs *ruleset) scanMuted(p *prepared, before, mustEnd int, fn, muted func(hit)) {
	for _, b := range p.bounds {
		if b[0] >= before || b[1] <= mustEnd {
			continue
		}
		m := &matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1], more: p.more,
			present: rs.newPresence(p.toks, &p.marks, b[0], b[1])}
		rs.scanSentence(p, b, m, before, mustEnd, fn, muted)
		rs.release(m.present)
	}
}

// scanSentence is scan for sentence b, with its matcher.
func (rs *ruleset) scanSentence(p *prepared, b [2]int, m *matcher, before, mustEnd int, fn, muted func(hit)) {
	{
		unless := map[*rule]bool{}
		blocked := func(r *rule) bool {
			v, ok := unless[r]
			if !ok {
				v = rs.sentenceMutedBy(p, b, m, r) != nil
				unless[r] = v
			}
			return v
		}
		rs.ordered.each(m, b[0], min(b[1], before), func(pt *pattern, start, end int) bool {
			if end <= mustEnd {
				return true
			}
			r := rs.rules[pt.owner]
			if r.emoji && !p.emoji {
				return true
			}
			quiet := blocked(r) || rs.clauseMuted(p, b, m, r, start, end)
			if quiet && (muted == nil || r.tier != Urgent && r.tier != Concern && r.tier != Request) {
				return true
			}
			h := hit{rule: r, tier: r.tier, start: start, end: end, pattern: pt}
			if rs.negated(p, m.cov(), start, end) && !rs.applyNegation(&h) {
				return true
			}
			rs.deniedAfterwards(p, &h, end)
			if quiet {
				muted(h)
			} else {
				fn(h)
			}
			return true
		})
		if mustEnd > 0 {
			return
		}
		for _, r := range rs.rules {
			if len(r.all) == 0 || r.emoji && !p.emoji {
				continue
			}
			h, ok := rs.matchAll(p, r, b, m.present)
			switch {
			case !ok:
			case !blocked(r) && !rs.clauseMuted(p, b, m, r, h.start, h.end) && (h.second == [2]int{} || !rs.clauseMuted(p, b, m, r, h.second[0], h.second[1])):
				fn(h)
			case muted != nil && (r.tier == Urgent || r.tier == Concern || r.tier == Request):
				muted(h)
			}
		}
	}
}

// sentenceMutedBy is the entry of rule r's unless list (one that mutes
// the rule for the whole sentence) found in sentence b, or nil.
func (rs *ruleset) sentenceMutedBy(p *prepared, b [2]int, m *matcher, r *rule) *pattern {
	for _, u := range r.sentenceUnless {
		if m.present != nil && !u.feasible(m.present) {
			continue // a word or concept it needs is not in the sentence
		}
		if rs.frameOverruled(u, m.present) || rs.angerOverruled(u, m.present) || rs.studyOverruled(u, m.present) || rs.griefOverruled(r, u, m.present) {
			continue
		}
		if u.text == "{past_distant}" && m.present != nil && (m.present.hasConcept(rs.pastRecent) && rs.nearPast(p, b) ||
			m.present.hasConcept(rs.happeningNow) || rs.onlyBetterPast(p, b) || r.category == Abuse && rs.onlyCircumstance(p, b, rs.circumstance) ||
			rs.onlyCircumstance(p, b, rs.situation)) {
			// "he hit me again last night, the kids were at school": a
			// near past in the sentence is when it happened, whatever
			// else it says was long ago; and "my husband hits me every
			// night now, he used to only shout", "i cut myself again
			// tonight, ive been clean since then": the sentence says it
			// is now. So does one whose only past is a better one set
			// against now ("I took 30 pills, I used to be happy"), and,
			// for a blow, one whose only past is what was happening when
			// it happened ("he raped me when i was asleep"; not one's own
			// act: "I took an overdose when I was pregnant" is a past,
			// unless the past is only what they were doing or feeling:
			// "... when I was alone in the flat", {situation}).
			continue
		}
		if _, _, found := (&matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1]}).find(u, b[0]); found {
			return u
		}
	}
	return nil
}

// onlyCircumstance reports whether every distant past in the message of
// sentence b is a "when ... was" that tells what was happening, not a time
// of life ({circumstance}: "he strangled me when he was drunk"), and the
// message names no year ("..., that was 2009") and says nothing is over
// ({resolved}): such a message tells no past.
func (rs *ruleset) onlyCircumstance(p *prepared, b [2]int, circumstance int) bool {
	// The whole message: "he beat me when he was drunk. We separated in
	// 2009." tells its past in the next sentence (a third review).
	// A better past set against now may stand beside it ("he strangled me
	// when I was asleep. he used to be so kind").
	return circumstance >= 0 && !p.has(rs.resolved) && rs.everyPast(p, [2]int{0, len(p.toks)}, true, func(i, end int) bool {
		return slices.ContainsFunc(p.marks.of(i), func(o mark) bool { return o.concept == circumstance && o.end >= end }) ||
			rs.betterPast >= 0 && rs.inside(p, rs.betterPast, i, end)
	})
}

// onlyBetterPast reports whether every distant past in sentence b is a
// better past set against now ("my son wants to kill himself, he used to
// be so happy"): such a sentence tells its risk in the present.
func (rs *ruleset) onlyBetterPast(p *prepared, b [2]int) bool {
	return rs.betterPast >= 0 && rs.everyPast(p, b, false, func(i, end int) bool { return rs.inside(p, rs.betterPast, i, end) })
}

// everyPast reports whether sentence b has a distant past ({past_distant}),
// each of them (tokens [i, end)) one that ok accepts, and, with noYear,
// names no year ({past_year}).
func (rs *ruleset) everyPast(p *prepared, b [2]int, noYear bool, ok func(i, end int) bool) bool {
	found := false
	for i := b[0]; i < b[1]; i++ {
		for _, mk := range p.marks.of(i) {
			if noYear && mk.concept == rs.pastYear && rs.pastYear >= 0 {
				return false
			}
			if mk.concept != rs.pastTime {
				continue
			}
			if !ok(i, mk.end) {
				return false
			}
			found = true
		}
	}
	return found
}

// nearPastInClause reports whether the clauses of hit h tell a past of a
// day or so ("he was beating me when he was drunk last night"): what
// happened then is not a past got over, whatever the message says is over
// now.
func (rs *ruleset) nearPastInClause(p *prepared, h hit) bool {
	if h.start < 0 || h.start >= len(p.toks) || len(p.clause) != len(p.toks) {
		return false
	}
	lo, hi := h.start, min(max(h.end, h.start+1), len(p.toks))
	for lo > 0 && p.clause[lo-1] == p.clause[h.start] {
		lo--
	}
	for hi < len(p.toks) && p.clause[hi] == p.clause[hi-1] {
		hi++
	}
	for i := lo; i < hi; i++ {
		marks := p.marks.of(i)
		for _, mk := range marks {
			// A day's past: not a distant one nor a week's ("in the
			// summer" is also a season: "my scars still bother me in
			// summer").
			if mk.concept == rs.pastRecent && !slices.ContainsFunc(marks, func(o mark) bool {
				return (o.concept == rs.pastTime || o.concept == rs.pastWeeks) && o.end == mk.end
			}) {
				return true
			}
		}
	}
	return false
}

// nearPast reports whether sentence b tells a near past ({past_recent},
// "last night") in words that are not also a distant one ("years back" is
// both).
func (rs *ruleset) nearPast(p *prepared, b [2]int) bool {
	for i := b[0]; i < b[1]; i++ {
		marks := p.marks.of(i)
		for _, mk := range marks {
			if mk.concept == rs.pastRecent && !slices.ContainsFunc(marks, func(o mark) bool { return o.concept == rs.pastTime && o.end == mk.end }) {
				return true
			}
		}
	}
	return false
}

// frameOverruled reports whether unless entry u is a frame of things
// ({accident}, {cooking}, {literal}: "cut myself chopping onions") that the
// sentence says was no accident ({on_purpose}: "on purpose", "no
// accident"): such a frame then mutes nothing.
func (rs *ruleset) frameOverruled(u *pattern, present *presence) bool {
	return present != nil && rs.onPurpose >= 0 && rs.frames[u.text] && present.hasConcept(rs.onPurpose) &&
		(rs.notOnPurpose < 0 || !present.hasConcept(rs.notOnPurpose))
}

// angerOverruled reports whether unless entry u holds {idiom_anger} (an
// everyday reason beside a threat: "she'll kill me if I forget her
// birthday again") in a sentence that also tells a blow struck or harm
// beyond the idiom ({anger_not_idiom}: "he's going to kill me over the
// milk, he's already punched me twice"): it then mutes nothing.
func (rs *ruleset) angerOverruled(u *pattern, present *presence) bool {
	return present != nil && rs.angerNotIdiom >= 0 && strings.Contains(u.text, "{idiom_anger}") && present.hasConcept(rs.angerNotIdiom)
}

// griefOverruled reports whether unless entry u is {bereaved} or
// {nonurgent_medical} for a medical rule r in a sentence with a sign of an
// emergency now ({emergency_now}): "my aunt has collapsed at the
// crematorium, what do I do" is an emergency at a funeral, not a death
// told, and "he has collapsed at his asthma review" an emergency, not a
// check-up.
func (rs *ruleset) griefOverruled(r *rule, u *pattern, present *presence) bool {
	return present != nil && rs.emergencyNow >= 0 && r.category == Medical && (u.text == "{bereaved}" || u.text == "{nonurgent_medical}") && present.hasConcept(rs.emergencyNow)
}

// studyOverruled reports whether unless entry u is {work} in a sentence
// that tells one's own course or job going wrong ({own_failure}: "im
// tired of life, failing my course"): the course is then the person's
// life, not a frame of study or work, and mutes nothing.
func (rs *ruleset) studyOverruled(u *pattern, present *presence) bool {
	return present != nil && rs.ownFailure >= 0 && u.text == "{work}" && present.hasConcept(rs.ownFailure)
}

// clauseMuted reports whether one of r's clauseUnless entries is in the
// clauses of sentence b that the match [start, end) is in.
func (rs *ruleset) clauseMuted(p *prepared, b [2]int, m *matcher, r *rule, start, end int) bool {
	return rs.clauseMutedBy(p, b, m, r, start, end) != nil
}

// clauseMutedBy is the entry of rule r's clause unless list that mutes
// its match [start, end) in sentence b, or nil.
func (rs *ruleset) clauseMutedBy(p *prepared, b [2]int, m *matcher, r *rule, start, end int) *pattern {
	if len(r.clauseUnless) == 0 || end <= start {
		return nil
	}
	lo, hi := start, end
	for lo > b[0] && p.clause[lo-1] == p.clause[start] {
		lo--
	}
	for hi < b[1] && p.clause[hi] == p.clause[end-1] {
		hi++
	}
	for _, u := range r.clauseUnless {
		if m.present != nil && !u.feasible(m.present) || rs.frameOverruled(u, m.present) {
			continue
		}
		if _, _, found := (&matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: hi}).find(u, lo); found {
			return u
		}
	}
	return nil
}

// matchAll matches a rule whose parts may come in any order in sentence b.
// present, if not nil, is what the sentence holds: a rule with a part that
// needs a word or concept the sentence does not hold is passed over
// without looking for its parts.
func (rs *ruleset) matchAll(p *prepared, r *rule, b [2]int, present *presence) (hit, bool) {
	if present != nil {
		for _, pt := range r.all {
			if !pt.feasible(present) {
				return hit{}, false
			}
		}
	}
	h := hit{rule: r, tier: r.tier, start: -1}
	neg := false
	for k, pt := range r.all {
		m := &matcher{toks: p.toks, marks: &p.marks, alts: rs.alts, limit: b[1]}
		start, end, ok := m.find(pt, b[0])
		if !ok {
			return hit{}, false
		}
		neg = neg || rs.negated(p, m.cov(), start, end)
		if k == 0 {
			h.start, h.end, h.pattern = start, end, pt
		} else if k == 1 {
			h.second = [2]int{start, end}
		}
	}
	if neg && !rs.applyNegation(&h) {
		return hit{}, false
	}
	rs.deniedAfterwards(p, &h, h.end)
	return h, true
}

// applyNegation changes h as its rule says for a negated match and reports
// whether it still counts.
func (rs *ruleset) applyNegation(h *hit) bool {
	switch h.rule.onNegation() {
	case negDrop:
		return false
	case negConcern:
		h.negated = true
		if h.tier == Urgent {
			h.tier = Concern
		}
	}
	return true
}

// deniedAfterwards reads an urgent hit h ending at end as negated, a
// concern, when a denial of the texter's own act follows its words right
// after them and ends the message ({denied_after}: "hurting myself isn't
// something I'd do", "ending it is not on the cards"), and nothing in the
// message places risk now ({recurring}, {happening_now}: "Until this week
// killing myself never crossed my mind"). Whatever follows a denial may
// take it back ("is off the table. for now", "is not something I'd do.
// I'm on the bridge now though", "... too messy, I'd do pills"), so a
// denial with more after it denies nothing; nor one of another's act
// ("him hitting me is not something I can tell anyone").
func (rs *ruleset) deniedAfterwards(p *prepared, h *hit, end int) {
	if rs.deniedAfter < 0 || h.tier != Urgent || h.negated || h.start < 0 || h.rule == nil {
		return
	}
	if c := h.rule.category; c != Suicide && c != SelfHarm && c != Overdose {
		return
	}
	if p.has(rs.recurring) || p.has(rs.happeningNow) {
		return
	}
	// The act is what is denied only when it opens its clause (after at
	// most a clause word or "and"): "Telling anyone I want to kill myself
	// is not something I'd do" denies the telling (a third review).
	if first := h.start - 1; first >= 0 && p.clause[first] == p.clause[h.start] {
		w := p.word(first)
		if !(w == "and" || clauseWord(w, rs.clauseWords, &rs.clauseFilter)) || first > 0 && p.clause[first-1] == p.clause[h.start] {
			return
		}
	}
	for i := end; i < min(end+2, len(p.toks)) && p.clause[i] == p.clause[h.start]; i++ {
		for _, mk := range p.marks.of(i) {
			if mk.concept == rs.deniedAfter && mk.end >= len(p.toks) {
				h.negated, h.tier = true, Concern
				return
			}
		}
	}
}

// negated reports whether a negation not consumed by the match stands in
// the match's clause, at most negScope words before it or inside it. A
// negation phrase ("do not") counts as consumed when any of its words is.
func (rs *ruleset) negated(p *prepared, cov []int, start, end int) bool {
	if len(p.echoed) > 0 && slices.Contains(p.echoed, p.sent[start]) {
		return true
	}
	for _, a := range p.asked {
		if a < start && p.sent[a] == p.sent[start] && !p.contrastBetween(a, start) {
			return true
		}
	}
	// A negation reaches over a list joined by "or" ("no thoughts of
	// suicide or self-harm"): the scope doubles after "or" or "nor".
	scope := negScope
	if start > 0 && (p.word(start-1) == "or" || p.word(start-1) == "nor") {
		scope += negScope
	}
	for _, n := range p.negs {
		if rs.doubted(p, n[0]) {
			// "I can't promise I won't hurt myself": the "won't" is what
			// cannot be promised, not a denial.
			continue
		}
		inside := n[0] >= start // within the match's own words ("I'm fine, not suicidal")
		if n[1] <= start-scope || n[0] >= end || !inside && p.clause[n[0]] != p.clause[start] && p.clause[n[1]-1] != p.clause[start] {
			continue
		}
		if !inside && p.newVerbAfterAnd(n[0], n[1], start) {
			// "I cant cope anymore and want to die": the "can't" denies
			// the coping; after "and" a new verb says something else.
			continue
		}
		if !inside && p.newStatementAfterCannot(n[0], n[1], start) {
			// "i cant think i want to die": what the person cannot do
			// is a statement of its own.
			continue
		}
		if n[1] <= start-negScope && p.choiceBetween(n[1], start) {
			// Reached only over "or", and the "or" offers a choice ("not
			// sure if I want to live or kill myself"): not a denied list.
			continue
		}
		consumed := false
		for _, c := range cov {
			if n[0] <= c && c < n[1] {
				consumed = true
				break
			}
		}
		if !consumed {
			return true
		}
	}
	return false
}

// newVerbAfterAnd reports whether "and" stands in [from, start) and
// begins a new statement the negation [neg, from) does not reach: the
// person named again ("I'm not sleeping and I want to die"), or, after
// what the person cannot do, a verb of wanting or intending ("I cant cope
// anymore and want to die"). Not one negation shared by two verbs ("I
// don't sit and think about suicide", "I'm not depressed and planning
// suicide"), nor a list ("no thoughts of suicide and self harm").
func (p *prepared) newVerbAfterAnd(neg, from, start int) bool {
	cannot := false
	for j := max(0, neg-1); j < from; j++ { // "cant" is read as "can not"
		cannot = cannot || cannotWords[p.word(j)]
	}
	for j := from; j < start && j+1 < len(p.toks); j++ {
		if w := p.word(j); w != "and" && w != "&" && w != "n" && w != "an" {
			continue
		}
		if w := p.word(j + 1); selfWords[w] || cannot && wantWords[w] {
			return true
		}
	}
	return false
}

// newStatementAfterCannot reports whether the negation [neg, from) says
// what the person cannot do and a new statement starts before the match at
// start, so the negation does not deny it (round 90's third review: a
// complaint before a risk statement was read as its denial). A statement
// starts with a verb of its own after "can't" ("i cant focus want to end
// it", "i cant think i want to die") or with the person named again at the
// match ("cant sleep, im going to end it"). Words that only soften the
// "can't" or carry it on ("can't ever", "can't bring myself to") leave it
// a denial, and so does a verb that puts what follows in the mind ("I
// can't imagine I'd ever kill myself", "I can't say I want to die").
func (p *prepared) newStatementAfterCannot(neg, from, start int) bool {
	cannot := false
	for j := max(0, neg-1); j < from; j++ { // "cant" is read as "can not"
		cannot = cannot || cannotWords[p.word(j)]
	}
	if !cannot || start >= len(p.toks) {
		return false
	}
	verb := from // the first word after "can't" that is not a softener
	for verb < start && softWords[p.word(verb)] {
		verb++
	}
	if hedgeVerbs[p.word(verb)] {
		return false
	}
	return verb < start || selfWords[p.word(start)]
}

var (
	// hedgeVerbs, after "can't", make what follows a thought, not a
	// statement (see newStatementAfterCannot).
	// softWords, between "can't" and a match, leave it a denial: they
	// soften it or carry it to the match ("can't ever", "can't bring
	// myself to", "can't go through with it").
	softWords   = map[string]bool{"ever": true, "really": true, "just": true, "possibly": true, "actually": true, "even": true, "honestly": true, "go": true, "do": true, "bring": true, "let": true, "be": true, "myself": true, "me": true, "to": true, "and": true, "through": true, "with": true, "it": true}
	hedgeVerbs  = map[string]bool{"imagine": true, "say": true, "see": true, "believe": true, "promise": true, "guarantee": true, "swear": true, "picture": true, "tell": true, "remember": true, "recall": true, "understand": true, "stress": true}
	cannotWords = map[string]bool{"cant": true, "can't": true, "cannot": true, "couldnt": true, "couldn't": true, "can": true, "could": true}
	selfWords   = map[string]bool{"i": true, "im": true, "i'm": true, "ive": true, "i've": true}
	wantWords   = map[string]bool{"want": true, "wanna": true, "wish": true, "just": true, "really": true, "feel": true, "need": true, "thinking": true, "wanting": true}
)

// contrastBetween reports whether a word that turns a sentence ("but",
// "however") stands in (a, b]: what a person reports saying ends there ("I
// said I was fine but I'm not, I want to die" is not a report).
func (p *prepared) contrastBetween(a, b int) bool {
	for j := a + 1; j <= b && j < len(p.toks); j++ {
		if w := p.word(j); w == "but" || w == "however" || w == "although" || w == "though" {
			return true
		}
	}
	return false
}

// doubted reports whether the word at i lies inside a phrase of {doubt}
// ("can not promise i will not"), whose negations deny nothing.
func (rs *ruleset) doubted(p *prepared, i int) bool {
	if rs.doubt < 0 {
		return false
	}
	for j := max(0, i-maxDoubtWords); j <= i && j < len(p.toks); j++ {
		for _, mk := range p.marks.of(j) {
			if mk.concept == rs.doubt && mk.end > i {
				return true
			}
		}
	}
	return false
}

// maxDoubtWords bounds how far back a {doubt} phrase holding a negation
// may start: its phrases run to about eight words.
const maxDoubtWords = 10

// choiceWords, between a negation and an "or", make the "or" a choice
// between two things rather than a list of things denied.
var choiceWords = map[string]bool{"if": true, "whether": true, "between": true, "to": true, "should": true, "decide": true, "either": true}

// choiceBetween reports whether a choice word stands in p.toks[from:to].
func (p *prepared) choiceBetween(from, to int) bool {
	for i := from; i < to; i++ {
		if choiceWords[p.word(i)] {
			return true
		}
	}
	return false
}

// rawMarkers counts the marker words of text as typed, before any
// normalisation: a cheap test of whether a message is in this language.
// Counts are kept with the prepared messages, as recent messages are
// counted again with each new one.
func (rs *ruleset) rawMarkers(text string) int {
	lw := lazyWords{text: text}
	defer lw.release()
	return rs.rawMarkersWords(&lw)
}

// rawMarkersWords is rawMarkers for a message tokenised on demand.
func (rs *ruleset) rawMarkersWords(lw *lazyWords) int {
	text := lw.text
	if n, ok := rs.markerCounts.get(text); ok {
		return n
	}
	// Words as typed, short forms unsplit ("dwi'n" is a marker; English
	// "I'm" must not count as Welsh "i" + "fy").
	n := 0
	for _, w := range lw.words() {
		if rs.markerFilter.mayHave(w.text) && rs.markers[w.text] ||
			!(rs.suffixApostrophe && strings.IndexByte(w.text, '\'') < 0) && hasMarkerSuffix(w.text, rs.markerSuffixes) {
			n++
		}
	}
	rs.markerCounts.put(text, n)
	return n
}

// hasMarkerSuffix reports whether w is a longer word ending in one of sfx.
func hasMarkerSuffix(w string, sfx []string) bool {
	for _, s := range sfx {
		if len(w) > len(s)+1 && strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// hPronoun holds the words a dropped h is not put back into: "imself" may
// be "myself" typed wrong ("i want to kill imself"), and read as "himself"
// it is someone else's act (session 50's second review).
var hPronoun = map[string]bool{"himself": true, "herself": true, "him": true, "his": true, "her": true, "hers": true}

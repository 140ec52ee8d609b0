package engine

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// riskEvent records a finding: what was said, when, which rule fired on
// which words, and the tier (the PRSB "Risks" entry).
func (t *turn) riskEvent(r bot.Risk, msgID uint64, text string, extra map[string]string) error {
	data := map[string]string{"tier": string(r.Tier), "category": r.Category, "rule": r.Rule, "words": r.Words, "text": text}
	if msgID != 0 {
		data["message_id"] = strconv.FormatUint(msgID, 10)
	}
	for k, v := range extra {
		data[k] = v
	}
	return t.event(bot.EventRisk, data)
}

// onConcern handles possible risk: the person is asked whether they are
// safe (the question carries the crisis numbers), link workers are told,
// and a timer treats silence as risk. The conversation is not moved.
func (t *turn) onConcern(r bot.Risk, msgID uint64, text string) error {
	t.risk = true
	if err := t.riskEvent(r, msgID, text, nil); err != nil {
		return err
	}
	t.contact.SafetyAsked, t.contact.SafetyRisk = t.now, &r
	if err := t.tx.PutContact(t.contact); err != nil {
		return err
	}
	t.timers = true
	if err := t.tx.PutTimer(&bot.Timer{ID: bot.SafetyTimerID(t.contact.ID), Due: t.now.Add(t.e.cfg.SafetyWait),
		Kind: bot.TimerSafety, ContactID: t.contact.ID}); err != nil {
		return err
	}
	t.alerts = append(t.alerts, bot.Alert{Kind: bot.AlertConcern, ContactID: t.contact.ID})
	return t.queue(&bot.Outbound{Text: t.mustRender("safety.check"), Urgent: true})
}

// mustRender renders a template that the catalogue always has (checked at
// start-up); a failure falls back to the fixed crisis text, never silence.
func (t *turn) mustRender(key string) string {
	s, err := t.render(key, t.data(nil))
	if err != nil {
		t.e.cfg.Log.Error("render safety message", "key", key, "err", err)
		return t.e.cfg.CrisisText
	}
	return s
}

// safetyAnswer reads the answer to "Are you safe?". Yes is recorded and
// the conversation carries on where it was; a reply that is only a number
// answering the pending question is asked about once more
// (safetyAskAgain); no, or anything else, is treated as risk: the crisis
// text and an urgent handoff. It reports whether the message needs
// nothing more.
func (t *turn) safetyAnswer(text string, msgID uint64) (bool, error) {
	yes, err := readSafetyAnswer(text)
	if t.asksWhatSafetyMeant(text) {
		err = errWhatMeant // "I don't understand" is not a no
	}
	switch {
	case err == nil && yes:
		asked := t.contact.SafetyAsked
		if err := t.clearSafety("yes"); err != nil {
			return true, err
		}
		if err := t.say("safety.thanks", nil); err != nil {
			return true, err
		}
		return true, t.carryOn(asked)
	case noThenSafe(text):
		// "no im fine", "nah im ok x", Welsh "na, dwi'n iawn": a no that
		// may deny the danger, not the safety; asked once more, plainly
		// (the third persona trial: the crisis text and an urgent handoff
		// for a common British "no, I'm fine"). The 15 minutes still run,
		// and a second such answer is a no.
		if again, err := t.askSafetyOnceMore(text, "safety.sure"); again || err != nil {
			return true, err
		}
		return true, t.escalate("no", msgID, text)
	case err == nil:
		return true, t.escalate("no", msgID, text)
	default:
		if again, err := t.safetyAskAgain(text); again || err != nil {
			return true, err
		}
		// Not a clear yes: treated as no. The message is then handled as
		// usual (STOP is honoured; a flow answer waits for the team).
		return false, t.escalate("unclear", msgID, text)
	}
}

// safetyAskAgain asks "Are you safe?" once more, instead of taking it as
// unclear, when the reply is only a number, a date or a list of numbers
// that answers the question the flow was waiting on ("7" at a 0-10 survey
// question, "1, 3" at a list): the person answered what they were asked
// before the check and said nothing about being safe (session 42's
// trials: "pretty low tbh" then "3" made an urgent handoff and dropped the
// survey). A reply with any word in it ("yes for now", "not at all",
// "call me", "awful", an option named in words: see answersFlowInstead)
// is read as before, and so is any reply at a yes/no
// question, from a person who opted out, or while a link worker holds the
// conversation (a review). Only once; the silence timer keeps running from
// the first asking. It reports whether it asked.
//
// A reply that only asks what is meant ("what?", "eh?", "what do you
// mean") is not unclear either: the question is asked again, once, saying
// why it was asked (safety.explain) (the persona trials: "eh?" then "I'm
// fine" had made an urgent handoff and sent the crisis text).
func (t *turn) safetyAskAgain(text string) (bool, error) {
	if t.contact.OptedOut {
		return false, nil
	}
	key := "safety.explain"
	if !t.asksWhatSafetyMeant(text) {
		key = "safety.again"
		if ok, err := t.answersFlowInstead(text); !ok || err != nil {
			return false, err
		}
	}
	return t.askSafetyOnceMore(text, key)
}

// askSafetyOnceMore asks "Are you safe?" again with the template key,
// once for each asking: it reports false if it was asked again already.
func (t *turn) askSafetyOnceMore(text, key string) (bool, error) {
	if t.contact.OptedOut {
		return false, nil
	}
	asked := t.contact.SafetyAsked
	again := false
	if err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		if e.Kind == bot.EventSafetyAnswered && e.Data["answer"] == bot.SafetyAnsweredInstead && !e.At.Before(asked) {
			again = true
			return false
		}
		return true
	}); err != nil {
		return false, err
	}
	if again {
		return false, nil
	}
	if err := t.event(bot.EventSafetyAnswered, map[string]string{"answer": bot.SafetyAnsweredInstead}); err != nil {
		return false, err
	}
	return true, t.queue(&bot.Outbound{Text: t.mustRender(key), Urgent: true})
}

// noThenSafe reports whether an answer to "Are you safe?" is a no followed
// only by words that say safe ("no im fine", "nah im ok x", "no I'm alright
// thanks"), in words alone (smiles aside), with nothing that limits them.
func noThenSafe(text string) bool {
	if !inWordsAndSmiles(text) {
		return false
	}
	ws := safetyWordsOf(text)
	if len(ws) < 2 || !safetyLeadNo[ws[0]] || qualified(ws) {
		return false
	}
	// (Welsh "nac ydw, dwi'n iawn" is "I am not, I'm fine": "nac ydw"
	// answers "are you safe?" itself, as English "no im not, im fine"
	// does, and is a no; a review.)
	return flows.PhrasesAndFillers(ws[1:], safeAfterNo, safeFillers, false)
}

// safeAfterNo say safe after a no: safetySaysSafe and, after a no, the
// words that say it only as the whole answer ("nah im good").
var safeAfterNo = append(slices.Clone(safetySaysSafe), safetyAloneSafe...)

// safeFillers may stand beside "im fine" after a no; longer first.
var safeFillers = []string{"thanks for asking", "thanks", "thank you", "ta", "x", "xx", "honestly", "honest", "really",
	"just", "love", "hun", "mate", "lol", "diolch", "wir", "no", "nah"}

// asksWhatSafetyMeant reports whether a reply to "Are you safe?" only asks
// what is meant. Not "I'm confused": confusion can be a sign of harm (after
// an overdose, say), so it is unclear, and urgent (a review).
func (t *turn) asksWhatSafetyMeant(text string) bool {
	if asksWhyAsked(text) {
		return true
	}
	return t.asksWhatMeant(text) && !strings.Contains(strings.ToLower(text), "confused")
}

// asksWhyAsked reports whether a reply only asks why the question was
// asked ("why?", "why do you ask", "why are you asking me that"): the
// question is asked again saying why (session 45's persona trial: "why?"
// was unclear, and urgent).
func asksWhyAsked(text string) bool {
	ws := safetyWordsOf(text)
	if len(ws) == 0 || ws[0] != "why" {
		return false
	}
	switch strings.Join(ws, " ") {
	case "why", "why do you ask", "why are you asking", "why you asking", "why u asking", "why r u asking",
		"why are you asking me that", "why are you asking me", "why do you ask that", "why ask", "why is that",
		"why that":
		return true
	}
	return false
}

// answersFlowInstead reports whether text, with no letter in it, answers
// the question the flow was waiting on before "Are you safe?" (a number,
// a date, a list of numbers), while the bot holds the conversation.
// (Words naming an option, "afternoons", were tried in session 45 and
// taken out: a review found "bad", "rough" and "rarely" at a check-in or
// survey, "help" and "talk" at a menu, and "safe till the morning" asked
// again and then cleared by a yes.)
func (t *turn) answersFlowInstead(text string) (bool, error) {
	if strings.IndexFunc(text, unicode.IsLetter) >= 0 {
		return false, nil
	}
	if err := t.loadConversation(); err != nil {
		return false, err
	}
	_, st := t.activeState()
	if st == nil || t.conv.NeedsHuman {
		return false, nil
	}
	switch st.Expect {
	case flows.ExpectNumber, flows.ExpectDate, flows.ExpectPhone, flows.ExpectChoice, flows.ExpectChoices:
	default:
		return false, nil
	}
	if _, err := t.parse(st, text, ""); err != nil {
		return false, nil
	}
	if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
		return false, nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return false, err
	}
	return true, nil
}

// clearSafety ends a pending "Are you safe?" and records its answer.
func (t *turn) clearSafety(answer string) error {
	t.contact.SafetyAsked, t.contact.SafetyRisk = time.Time{}, nil
	if err := t.tx.PutContact(t.contact); err != nil {
		return err
	}
	if err := t.tx.DeleteTimer(bot.SafetyTimerID(t.contact.ID)); err != nil {
		return err
	}
	return t.event(bot.EventSafetyAnswered, map[string]string{"answer": answer})
}

// escalate makes a pending concern urgent: the answer was no, unclear, or
// never came.
func (t *turn) escalate(answer string, msgID uint64, text string) error {
	r := bot.Risk{Tier: bot.RiskUrgent, Category: "concern", Rule: "safety/" + answer}
	if p := t.contact.SafetyRisk; p != nil {
		r.Category, r.Words = p.Category, p.Words
		r.Rule = p.Rule + " (safety check: " + answer + ")"
	}
	if err := t.clearSafety(answer); err != nil {
		return err
	}
	return t.onRisk(r, msgID, text)
}

// carryOn goes on with the conversation after a yes to "Are you safe?",
// if it waits on a question and no link worker holds it. The message that
// raised the concern (asked at asked) is taken as the answer when
// it reads as one to a question with a form ("It's M6 8HD, been there since
// 1972...", "often, since my wife died"): the person is not made to answer
// twice (session 40's trials). Otherwise, and for questions answered in
// free words (a name, what matters), the question is asked again.
func (t *turn) carryOn(asked time.Time) error {
	if err := t.loadConversation(); err != nil {
		return err
	}
	if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
		return nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return err
	}
	if t.conv == nil && !t.contact.OptedOut {
		// The concern was the person's first message ("sorry to message so
		// late, can't sleep again" at 2 a.m.): after the yes they hear what
		// the service is, rather than nothing until they write again
		// (session 40's trials).
		return t.startFlow(t.e.cfg.StartFlow)
	}
	f, st := t.activeState()
	if st == nil {
		return nil
	}
	if st.Expect != flows.ExpectName && !asked.IsZero() {
		text, err := t.concernText()
		if err != nil {
			return err
		}
		// At a question that asks about the person's life in their own
		// words (own_words) the message is kept too ("since Alan went I
		// just want to be with him again" at what matters: the persona
		// trials asked her again, to repeat something painful); at any
		// other free-text question ("Riverside, I don't see a future" at
		// the GP question) it is asked again.
		keep := st.Expect != flows.ExpectText || st.OwnWords
		if text != "" && keep {
			if _, err := t.parse(st, text, ""); err == nil {
				return t.answer(text, "")
			}
		}
	}
	if err := t.sayLast(st); err != nil {
		return err
	}
	t.conv.Step++
	t.conv.Reminded, t.conv.UpdatedAt = false, t.now
	return t.saveConversation(f)
}

// concernText is the words that raised the pending concern, as the risk
// event asking about it recorded them ("" if none): by the event, not by
// the transcript, where an edit or a message over the flood limit can come
// between (a review).
func (t *turn) concernText() (string, error) {
	var text string
	err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		if e.Kind == bot.EventRisk && e.Data["tier"] == string(bot.RiskConcern) {
			text = e.Data["text"]
		}
		return true
	})
	return text, err
}

// safetyTimeout fires when "Are you safe?" went unanswered.
func (t *turn) safetyTimeout() error {
	if t.contact.SafetyAsked.IsZero() {
		return nil // answered in time
	}
	return t.escalate("none", 0, "")
}

// confirmHuman asks a person whose answer looked like a request for a
// person whether that is what they want, instead of saving it as an
// answer.
func (t *turn) confirmHuman() error {
	t.contact.ConfirmHuman = true
	if err := t.tx.PutContact(t.contact); err != nil {
		return err
	}
	return t.say("person.confirm", nil)
}

// humanConfirmed reads the answer to "Do you want to talk to someone from
// the team?": yes, or asking for a person again in other words (asked: the
// screen found a request, "just get me someone"), hands over; a no, also
// one that says more ("no thanks, just the form"), asks the question
// again; anything else is taken as the answer to the question. It reports
// whether the message needs nothing more.
func (t *turn) humanConfirmed(text string, asked bool) (bool, error) {
	if t.asksWhatMeant(text) {
		// "what?": the question waiting is this one, asked again.
		return true, t.say("person.confirm", nil)
	}
	t.contact.ConfirmHuman = false
	if err := t.tx.PutContact(t.contact); err != nil {
		return true, err
	}
	yes, err := flows.ParseYesNo(text)
	if no, nerr := flows.ParseYesNoLead(text); nerr == nil && !no {
		yes, err = false, nil // "no thanks, just the form"
	} else if ws := strings.Fields(text); err != nil && len(ws) > 1 && !asked {
		// "no its fine": a first word that is a no, and nothing that asks
		// for a person again, is a no, not the answer to the question
		// (session 42's trials saved "no its fine" as a name).
		if first, ferr := flows.ParseYesNo(strings.TrimRight(ws[0], ",.!;:")); ferr == nil && !first {
			yes, err = false, nil
		}
	}
	switch {
	case err == nil && yes, err != nil && asked:
		return true, t.needsHuman(bot.ReasonAsked, "", "handoff.asked")
	case err != nil && wantsPerson(text):
		// "please", "i'd like that", "if someone could ring me that would
		// help": a yes in other words (a review).
		return true, t.needsHuman(bot.ReasonAsked, "", "handoff.asked")
	case err != nil:
		if held := t.heldAnswer(true); held != "" && !strings.ContainsAny(text, "?？") {
			// Neither yes nor no, but more words for the same question
			// ("i just want to get out of the house more" after "since my
			// wife died I dont see anyone. I would like someone to talk
			// to" at what matters): both are the answer, as written (the
			// persona trials kept only the second).
			return true, t.answer(held+"\n"+text, "")
		}
		return false, nil
	default: // no: the question again
		f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
		if !ok || f.States[t.conv.State] == nil {
			return false, nil
		}
		// The message that named a person was an answer in the person's
		// own words ("getting a break, one night of proper sleep, and
		// someone to talk to who gets it" at what matters): after the no
		// it is kept as the answer, not lost and asked for again (session
		// 41's trials).
		if held := t.heldAnswer(false); held != "" {
			return true, t.answer(held, "")
		}
		return true, t.reask(f)
	}
}

// heldAnswer is the message before this one when it was a free-text answer
// that "Do you want to talk to someone?" held back: at a free-text
// question, and long enough to be an answer (minAnswerWords); else "".
// joined: more words are to be added to it.
func (t *turn) heldAnswer(joined bool) string {
	_, st := t.activeState()
	if st == nil || st.Expect != flows.ExpectText {
		return ""
	}
	if joined && !st.OwnWords {
		// More words are joined to it only at a question about the
		// person's life: "Overdale Medical Practice" after "not sure who
		// my gp is, can I talk to someone about it" is the GP alone (a
		// review).
		return ""
	}
	if n := len(t.contact.Recent); n >= 2 && len(strings.Fields(t.contact.Recent[n-2])) >= minAnswerWords {
		return t.contact.Recent[n-2]
	}
	return ""
}

// wantsPerson reports whether a reply to "Do you want to talk to someone
// from the team?" that is not a yes or no says yes in other words ("i'd
// like that", "if someone could ring me that would help").
func wantsPerson(text string) bool {
	l := " " + strings.Join(strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(text, "’", "")), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}), " ") + " "
	l = strings.ReplaceAll(l, "'", "")
	for _, w := range []string{" not ", " no ", " dont ", " didnt ", " stop ", " rather ", " later ", " just ", " carry on ", " text "} {
		if strings.Contains(l, w) {
			// "please just carry on", "id rather you didnt call me",
			// "later please", "please just text me" (a third review).
			return false
		}
	}
	if t := strings.TrimSpace(l); t == "please" || t == "pls" || t == "yes please" || t == "yeah please" {
		return true // "please" alone (the third persona trial)
	}
	for _, p := range []string{" id like that ", " i would like that ", " would be nice ", " would help ", " would be good ",
		" would be great ", " that would be lovely ",
		" ring me ", " call me ", " phone me ", " someone could ring ", " someone could call ", " go on then ", " why not "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// minAnswerWords is how many words a message that named a person must
// have to be kept as a free-text answer after a no to "Do you want to
// talk to someone?": a request and little else ("can I talk to someone
// please") is not one.
const minAnswerWords = 8

// readSafetyAnswer reads the answer to "Are you safe?": a short yes or no
// as flows read them, or a yes in the person's own words ("yes I'm safe,
// my mum is with me", "I'm safe, just a bad day"): a message that opens
// with yes or says it is safe (or denies the danger the question names:
// "no, I'm not in danger"), asks nothing, takes nothing back (no, not safe,
// not sure, but: safetyTakeBacks) and does not limit the safe word to a
// time, a condition or other people (safetyQualifiers). The risk screen has
// already read the message and found nothing in it; anything else is
// unreadable, and is treated as a no.
func readSafetyAnswer(text string) (bool, error) {
	if rest, ok := afterEchoedQuestion(text); ok {
		// "Am I safe? Yeah course I am", "Safe? Yes.": the question asked
		// back, then the answer (session 46's persona trial: an urgent
		// handoff for a clear yes).
		text = rest
	}
	if strings.ContainsAny(text, "?？¿") {
		// A question answers nothing (nor does "no?").
		if yes, err := flows.ParseYesNo(text); err == nil && !yes {
			return false, nil
		}
		return false, flows.ErrUnreadable
	}
	ws := safetyWordsOf(text)
	if deniesOnly(text, ws) {
		return true, nil
	}
	has := func(phrase string) bool {
		p := strings.Fields(phrase)
		for i := 0; i+len(p) <= len(ws); i++ {
			if slices.Equal(ws[i:i+len(p)], p) {
				return true
			}
		}
		return false
	}
	// "no, I'm not in danger" answers the danger the question names: safe,
	// unless something else takes it back ("no, not in danger, but ...").
	if slices.ContainsFunc(safetyDeniesDanger, has) {
		for _, back := range safetyTakeBacks {
			if has(back) && !safetyLeadNo[back] {
				return false, flows.ErrUnreadable
			}
		}
		if qualified(ws) {
			return false, flows.ErrUnreadable
		}
		return true, nil
	}
	// A no, however put, is a no.
	yes, err := flows.ParseYesNo(text)
	if err == nil && !yes {
		return false, nil
	}
	// A yes with nothing else ("yes", "ydw diolch", "👍") is a yes, unless
	// it is a yes that says nothing of safety ("I will", "oes": there is).
	// A yes among other words is read below, for what the words say.
	err = flows.ErrUnreadable
	if yes, perr := flows.ParseYesNoOnly(text); perr == nil && yes && !slices.ContainsFunc(notSafetyYes, has) {
		return true, nil
	}
	for _, back := range safetyTakeBacks {
		if has(back) {
			return false, err
		}
	}
	if qualified(ws) || textSpeakForNow(text) {
		return false, err
	}
	// A negation shortly before the word that says safe takes it back
	// ("I don't think I'm safe", "I'm not at all safe now"); one elsewhere
	// does not ("yes safe, not going to do anything daft").
	for i, w := range ws {
		if !safetyWords[w] {
			continue
		}
		for _, n := range ws[max(0, i-safetyNegReach):i] {
			if safetyNegations[n] {
				return false, err
			}
		}
	}
	if len(ws) > 0 && safetyYesOpeners[ws[0]] {
		return true, nil
	}
	for _, safe := range safetySaysSafe {
		if has(safe) {
			return true, nil
		}
	}
	rest := slices.DeleteFunc(slices.Clone(ws), func(w string) bool { return w == "thanks" || w == "ta" || w == "thank" || w == "you" || w == "x" })
	for _, safe := range safetyAloneSafe {
		if strings.Join(rest, " ") == safe {
			return true, nil
		}
	}
	return false, err
}

// safetyYesOpeners open a yes ("yes, I'm at my sister's"), in English and
// Welsh ("ydw", "ydw, dwi'n saff").
var safetyYesOpeners = map[string]bool{
	"yes": true, "yeah": true, "yea": true, "yep": true, "yup": true, "yh": true, "ye": true, "yeh": true,
	"aye": true, "ya": true, "yas": true, "yess": true, "yesss": true, "ydw": true, "yndw": true, "ie": true,
	"safe": true, // "safe yes", "safe thanks"
}

// safetySaysSafe say the person is safe without a yes ("I'm safe, my
// sister is here"; "I'm alright", the commonest British way to say it,
// was urgent in session 41's trials).
var safetySaysSafe = []string{
	"im safe", "i am safe", "am safe", "safe now", "im ok", "i am ok", "im okay", "i am okay",
	"im fine", "i am fine", "im alright", "i am alright", "im all right", "i am all right",
	"dwi yn saff", "dwin saff", "dwi n saff", "dwin iawn", "dwi yn iawn",
}

// safetyAloneSafe say safe only as the whole answer, thanks aside ("I'm
// good", not "I'm good at hiding it").
var safetyAloneSafe = []string{"im good", "i am good", "im grand", "i am grand", "all good"}

// safetyDeniesDanger deny the danger "Are you safe?" names ("no, I'm not
// in danger"): a "no" before them answers "are you in danger?".
var safetyDeniesDanger = []string{
	"not in danger", "not in any danger", "no danger", "not at risk", "not in any risk",
	"not going to hurt myself", "not gonna hurt myself", "wont hurt myself", "will not hurt myself",
	"not going to do anything", "not gonna do anything", "wont do anything", "will not do anything",
}

// safetyDenialsAlone deny what the check asked about, and answer it only as
// the whole message, fillers aside ("I'm not suicidal if that's what you
// mean": the persona trials sent the crisis text). With more beside them
// ("not suicidal, I just cut sometimes", "I'm not suicidal, I've stopped
// taking my meds") they are read as any other words are (a review).
var safetyDenialsAlone = []string{
	"not suicidal", "not feeling suicidal", "not going to kill myself", "not gonna kill myself", "wont kill myself",
	"will not kill myself", "not going to harm myself", "not gonna harm myself", "wont harm myself",
	"will not harm myself", "not going to end my life", "wont end my life", "not going to hurt myself",
	"not gonna hurt myself", "wont hurt myself", "will not hurt myself",
	"not going to do anything stupid", "not gonna do anything stupid", "wont do anything stupid",
	"will not do anything stupid", "not going to do anything daft", "wont do anything daft",
	"not going to do anything silly", "wont do anything silly",
}

// denialFillers may stand beside a denial that is the whole answer.
var denialFillers = []string{"if thats what you mean", "if that is what you mean", "if thats what youre asking",
	"if that is what you are asking", "if thats what youre getting at", "dont worry", "do not worry", "i promise",
	"promise", "honestly", "honest", "definitely", "really", "at all", "thanks", "thank you", "ta", "x", "no", "nope",
	"nah", "im", "i am", "i", "ok", "okay", "its", "just", "so", "and", "am", "feeling", "lol", "haha", "hun", "love", "mate"}

// onlyDenies reports whether ws (readSafetyAnswer's words) are one of
// safetyDenialsAlone with nothing beside it but fillers.
func onlyDenies(ws []string) bool {
	return flows.PhrasesAndFillers(ws, safetyDenialsAlone, denialFillers, false)
}

// deniesOnly reports whether text, an answer to "Are you safe?", is only a
// denial of what was asked about (onlyDenies), not limited to a time
// (qualified), asking nothing, and written in words alone: "im not
// suicidal 🔪" says more than its words (a review).
func deniesOnly(text string, ws []string) bool {
	return inWordsAndSmiles(text) && onlyDenies(ws) && !qualified(ws)
}

// inWordsAndSmiles reports whether text is words, with at most the smiles
// and thumbs that go with "I'm fine" ("im not suicidal :)": a third review
// found them made urgent); any other sign or face ("):", "🔪") says more
// than the words.
func inWordsAndSmiles(text string) bool {
	text = strings.NewReplacer(":-)", " ", ":)", " ").Replace(text)
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsSpace(r) && !strings.ContainsRune(".,!'’-🙂😊😀👍🙏\uFE0F", r) {
			return false
		}
	}
	return true
}

// safetyWordsOf splits an answer to "Are you safe?" into the lower-case
// words readSafetyAnswer reads, apostrophes dropped.
func safetyWordsOf(text string) []string {
	ws := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(text, "’", "'")), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	for i, w := range ws {
		if w == "'na" {
			w = "yna" // Welsh "mae 'na rywun" (there is someone), not "na" (no)
		}
		ws[i] = strings.ReplaceAll(w, "'", "")
	}
	return ws
}

// safetyLeadNo are the takebacks that are the "no" such a denial opens with.
var safetyLeadNo = map[string]bool{"no": true, "nope": true, "nah": true, "na": true, "nag": true, "nac": true}

// safetyQualifiers limit a safe answer to a time, a condition or other
// people ("safe till tomorrow", "im ok rn", "not in danger unless he comes
// back", "safe from others"). Unlike the takebacks they count only right
// after a word that says safe (or danger, risk, anything: see
// safetyAnchors), within safetyQualifierReach words: "yes I'm safe, my
// sister's here this week" and "my son takes care of me" are a yes (a
// third review).
var safetyQualifiers = []string{
	"yet", "until", "till", "til", "right now", "rn", "atm", "at the moment", "at the min", "for the minute",
	"for a bit", "for a while", "for a few", "for the next", "for the time being", "as long as", "so long as",
	"providing", "provided", "enough", "now he", "now she", "now hes", "now shes", "while", "whilst",
	"when he", "when she", "when hes", "when shes", "unless", "except", "apart from me", "apart from myself",
	"if he", "if she", "from anyone else", "from anybody else", "from everyone else", "from everybody else",
	"from others", "from other", "from them", "from him", "from her", "from me", "good at", "good for",
	"today", "tonight", "tonite", "2nite", "4 now", "4 2nite", "this week",
	// Sarcasm right after the yes ("Safe? yeah right", "yes unfortunately":
	// session 46's reviews), and Welsh for now and until ("Ydw am rŵan",
	// "Ydw, tan iddo fo ddod adre"), only there: "yes im safe, my sister is
	// here tan dydd Sul" further on is a yes.
	"right", "as if", "unfortunately", "am rwan", "am rŵan", "tan",
}

// textSpeakForNow reports whether text limits itself in text-speak with
// digits, which the words read above leave out ("safe 4 now", "ok 2nite").
func textSpeakForNow(text string) bool {
	l := strings.ToLower(text)
	for _, q := range []string{"4 now", "4 2nite", "2nite", "2night", "4 2day", "2day", "4 the moment"} {
		if strings.Contains(l, q) {
			return true
		}
	}
	return false
}

// safetyAnchors are the words a qualifier follows.
var safetyAnchors = map[string]bool{"safe": true, "ok": true, "okay": true, "fine": true, "alright": true,
	"good": true, "danger": true, "risk": true, "anything": true,
	// A bare yes too: "yes for a bit", "yes as long as he stays away",
	// "yes until he gets back" (a review), while "yes im safe, my mum is
	// here until tomorrow" stays a yes (the limit is far from both).
	"yes": true, "yeah": true, "yep": true, "yh": true, "ye": true, "aye": true, "ydw": true,
	// The denials' own last words: "not going to hurt myself tonight",
	// "not suicidal at the moment" are for now only.
	"myself": true, "suicidal": true, "life": true}

// afterEchoedQuestion returns what follows a question that only asks the
// safety question back ("Safe?", "Am I safe?", "me, safe?", Welsh "Diogel?")
// at the start of text, when something follows it.
func afterEchoedQuestion(text string) (string, bool) {
	i := strings.IndexAny(text, "?？")
	if i < 0 {
		return "", false
	}
	q := safetyWordsOf(text[:i])
	rest := strings.TrimLeft(text[i:], "?？ \t\n,.!")
	if len(q) == 0 || len(q) > 4 || strings.TrimSpace(rest) == "" {
		return "", false
	}
	for _, w := range q {
		if !echoWords[w] {
			return "", false
		}
	}
	return rest, slices.ContainsFunc(q, func(w string) bool { return w == "safe" || w == "diogel" || w == "saff" })
}

// echoWords are the words a question asking "Are you safe?" back is made of.
var echoWords = map[string]bool{"am": true, "i": true, "im": true, "me": true, "safe": true, "you": true, "mean": true, "asking": true,
	"if": true, "are": true, "is": true, "that": true, "what": true, "whether": true, "diogel": true, "saff": true, "ydw": true, "dwi": true, "yn": true}

// safetyQualifierReach is how many words after its anchor a qualifier may
// start.
const safetyQualifierReach = 3

// qualified reports whether a qualifier follows an anchor in ws.
func qualified(ws []string) bool {
	for i, w := range ws {
		if !safetyAnchors[w] {
			continue
		}
		for j := i + 1; j <= i+safetyQualifierReach && j < len(ws); j++ {
			for _, q := range safetyQualifiers {
				p := strings.Fields(q)
				if j+len(p) <= len(ws) && slices.Equal(ws[j:j+len(p)], p) {
					return true
				}
			}
		}
	}
	return false
}

// safetyNegReach is how many words before "safe" (or "ok", "fine") a
// negation takes the answer back.
const safetyNegReach = 4

// safetyWords say the person is safe; safetyNegations, standing shortly
// before one, say the opposite.
var (
	safetyWords     = map[string]bool{"safe": true, "ok": true, "okay": true, "fine": true, "alright": true, "saff": true, "iawn": true, "diogel": true}
	safetyNegations = map[string]bool{"not": true, "dont": true, "cant": true, "wont": true, "never": true, "aint": true, "isnt": true, "arent": true, "wasnt": true, "no": true, "ddim": true, "dim": true, "nid": true}
)

// safetyTakeBacks make a yes unreadable: the answer says no, doubts, or
// adds a "but" (Welsh "ond").
var safetyTakeBacks = []string{
	"no", "nope", "nah", "not safe", "not ok", "not okay", "not fine", "not really", "not sure",
	"dont know", "do not know", "dunno", "unsure", "but", "maybe", "ddim yn saff", "dim yn saff", "na",
	"ond", "nag", "nac", "nid",
	// A yes hedged or limited in time is not a yes (session 40's trials:
	// "yes for now" after "I won't be a burden much longer" was cleared).
	// Only from oneself, or wishing (session 41's reviews).
	"just me", "only me", "am the risk", "im the risk", "from myself", "of myself", "past caring",
	"wish", "if only", "anything today", "anything tonight", "alright tonight",
	"for now", "for the moment", "for today", "for tonight", "safe tonight", "safe today", "ok tonight",
	"ok today", "okay tonight", "fine tonight", "fine for now", "i guess", "guess so", "i suppose",
	"suppose so", "i think", "think so", "kind of", "sort of", "kinda", "sorta", "probably", "hopefully",
	"i hope", "hope so", "just about", "more or less", "ish", "at the minute",
	"am nawr", "am y tro", "am heno", "siwr o fod", "gobeithio", "am wn i",
	// A doubt or a turn after the yes (session 45's persona trial: "yes.
	// cant promise for tomorrow tho" was cleared as safe).
	"cant promise", "cannot promise", "can not promise", "wont promise", "no promises", "though", "tho",
	"although", "cant guarantee", "cannot guarantee", "can not guarantee", "doesnt mean", "does not mean",
	"who knows", "not that it matters", "might not be", "could happen", "another story", "cant say",
	"still have the tablets", "still have the pills", "still got the tablets", "still got the pills",
	// A yes with no future (session 46's second review: "Safe? Yes. Not for
	// long." once the question asked back was dropped); Welsh, not for long.
	"not for long", "dim am hir", "ddim am hir",
}

// notSafetyYes are the yes answers of the flows that say nothing of being
// safe: "I will" (do what?), Welsh gwnaf (I will), oes (there is), cytuno
// (agree). Alone they are unreadable as an answer to "Are you safe?".
var notSafetyYes = []string{
	"i will", "i would", "will do", "can do", "go ahead", "go on", "go for it", "i agree", "agreed",
	"why not", "i dont mind", "dont mind", "please do", "if you like",
	"gwnaf", "oes", "cytuno", "dim problem", "dim probs",
}

package engine

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// invalidLimit is how many misunderstood answers in a row mark a
// conversation as needing a human.
const invalidLimit = 3

// loadConversation reads the contact's conversation, starting the service's
// first flow for a contact who has none.
func (t *turn) loadConversation() error {
	conv, err := t.tx.Conversation(t.contact.ID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		t.conv = nil
		return nil
	case err != nil:
		return err
	}
	if conv.Answers == nil {
		conv.Answers = map[string]string{}
	}
	t.conv = conv
	return nil
}

// startFlow begins flow id from its start state, replacing any conversation
// the contact had, and says the start state's messages.
func (t *turn) startFlow(id string) error {
	f, ok := t.e.cfg.Flows.Flow(id)
	if !ok {
		return fmt.Errorf("start flow %q: not loaded", id)
	}
	var step uint64
	if t.conv != nil {
		step = t.conv.Step
	}
	if t.contact.ConfirmHuman {
		// "Do you want to talk to someone?" belonged to the conversation
		// that ended: a new one's reminder must not ask it (a review).
		t.contact.ConfirmHuman = false
		if err := t.tx.PutContact(t.contact); err != nil {
			return err
		}
	}
	t.conv = &bot.Conversation{
		ContactID: t.contact.ID, FlowID: f.ID, FlowVersion: f.Version, State: f.Start,
		Answers: map[string]string{}, Status: bot.ConvActive, Step: step, StartedAt: t.now, UpdatedAt: t.now,
	}
	if err := t.event(bot.EventConvStarted, map[string]string{"flow": f.ID}); err != nil {
		return err
	}
	return t.enter(f, f.Start)
}

// answer takes a flow step with the person's answer.
func (t *turn) answer(text, choice string) error {
	if news, err := t.lifeNews(text); err != nil {
		return err
	} else if news && t.screening.Distress {
		// News told with distress ("struggling, dad went into a care home
		// yesterday"): asked whether they are safe, with the numbers, and
		// the team alerted, rather than the answer saved (a review).
		return t.onConcern(bot.Risk{Tier: bot.RiskConcern, Category: "distress", Rule: "distress/news"}, t.msgID, t.text)
	} else if news {
		// At a check-in or a survey, or just after one, news of a death, a
		// care home or a hospital stay ("My mum died on Tuesday", "2 but
		// mum's going into a care home next week") goes to the link worker
		// team at once, with or without an answer beside it: not "didn't
		// catch that", not a next question (session 42's trials: the
		// check-ins went on, and no one heard).
		return t.needsHuman(bot.ReasonNews, "news at a check-in", "handoff.news")
	}
	finished := t.conv != nil && (t.conv.Status == bot.ConvDone ||
		t.conv.Status == bot.ConvExpired && t.conv.FlowID != t.e.cfg.StartFlow)
	if finished && t.screening.Distress && !t.screening.Noted.Found() {
		// "I forgot to say, it's been awful and I'm not coping" after a
		// check-in ended: asked whether they are safe, with the crisis
		// numbers and a flag for the team, not told it was saved
		// (session 40's trials).
		return t.onConcern(bot.Risk{Tier: bot.RiskConcern, Category: "distress", Rule: "distress/after-conversation"}, t.msgID, t.text)
	}
	if t.conv != nil && t.conv.Status == bot.ConvExpired && t.conv.FlowID != t.e.cfg.StartFlow {
		if resumed, err := t.lateAnswer(text, choice); err != nil || !resumed {
			// A check-in or survey that went unanswered: the person is
			// known, so their next message is kept for the team, not a
			// new referral.
			if err != nil {
				return err
			}
			return t.say("core.after_done", nil)
		}
	}
	if t.conv == nil || t.conv.Status == bot.ConvExpired {
		if t.conv != nil && len(t.conv.Answers) > 0 {
			// A self-referral left partway: why it starts again (the
			// persona trials: the welcome came back with no word of the
			// answers given before).
			if err := t.say("core.expired_again", nil); err != nil {
				return err
			}
		}
		return t.startFlow(t.e.cfg.StartFlow)
	}
	if t.conv.Status == bot.ConvDone {
		if _, qerr := flows.ParseText(text); t.conv.FlowID == t.e.cfg.StartFlow && t.conv.Answers["confirmed"] == "send" &&
			(errors.Is(qerr, flows.ErrQuestion) || flows.OpensAsQuestion(text)) {
			// "what happens now?" after the referral went: what does, not
			// "reply RESTART" (session 42's trials).
			return t.say("core.after_referral", nil)
		}
		return t.say("core.after_done", nil)
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	var st *flows.State
	if ok {
		st = f.States[t.conv.State]
	}
	if st == nil {
		// The flow changed under this conversation (or was removed): its
		// state no longer exists, so start again with an apology.
		t.e.cfg.Log.Warn("conversation state no longer exists; restarting flow",
			"contact", t.contact.ID, "flow", t.conv.FlowID, "version", t.conv.FlowVersion, "state", t.conv.State)
		if err := t.event(bot.EventConvRestarted, map[string]string{"flow": t.conv.FlowID, "reason": "flow changed"}); err != nil {
			return err
		}
		if err := t.say("core.flow_changed", nil); err != nil {
			return err
		}
		id := t.conv.FlowID
		if !ok {
			id = t.e.cfg.StartFlow
		}
		return t.startFlow(id)
	}
	if choice == "" && t.asksWhatQuestionMeant(text) {
		return t.invalid(st, errWhatMeant)
	}
	if done, err := t.correction(f, st, text, choice); done || err != nil {
		return err
	}
	if done, err := t.summaryChange(f, st, text, choice); done || err != nil {
		return err
	}
	a, err := t.parse(st, text, choice)
	if cond, ok := t.conditionalYes(st, text, choice); (isParseError(err) || err == nil && a.value == "no") && ok {
		// "yes but not my GP": a yes, and the condition kept for the team;
		// "no, not my GP" too (a no to the GP alone: see
		// flows.ParseConditionalYes).
		a, err = parsed{value: "yes", save: "yes"}, nil
		t.conv.Answers[st.Condition] = cond
		if err := t.say(st.ConditionSay, nil); err != nil {
			return err
		}
	} else if err == nil && st.Condition != "" {
		delete(t.conv.Answers, st.Condition) // asked again and answered plainly
	}
	switch {
	case isParseError(err):
		return t.invalid(st, err)
	case err != nil:
		return err
	}
	t.conv.Invalid = 0
	if st.Save != "" {
		t.conv.Answers[st.Save] = a.save
		if a.label != "" {
			t.conv.Answers[st.Save+"_label"] = a.label
		}
		if st.Save == "name" {
			t.contact.Name = a.save
			if err := t.tx.PutContact(t.contact); err != nil {
				return err
			}
		}
	}
	next, via, err := t.e.cfg.Flows.Step(t.ctx, f.ID, t.conv.State, a.value)
	if err != nil {
		return err
	}
	if via == flows.ViaNone {
		return t.enter(f, t.conv.State)
	}
	if st.Return != "" {
		t.conv.ReturnTo = st.Return
	} else if t.conv.ReturnTo != "" && via == flows.ViaNext && !st.Chain {
		next = t.conv.ReturnTo
	}
	return t.enter(f, next)
}

// correction takes "sorry M14 5RF" or "oops, 12/03/1958" sent after a
// postcode, date or phone answer for a change to that answer, rather than
// as the answer to the question now asked (session 41's trials: a
// postcode corrected in a second quick text became the GP practice); and
// "sorry I meant 4" or "oops meant 2" after a number or choice answer
// (strongCorrection; the choice's label with it). Only
// an answer with a form is changed: it can be read for certain. The
// question now asked is asked again. It reports whether the message needs
// nothing more.
func (t *turn) correction(f *flows.Flow, st *flows.State, text, choice string) (bool, error) {
	rest, ok := correctionOf(text)
	if !ok || choice != "" {
		return false, nil
	}
	var prev *flows.State
	var prevName string
	for name, p := range f.States {
		if p.Next != t.conv.State || p.Save == "" || name == t.conv.State {
			continue
		}
		if p.Expect != flows.ExpectPostcode && p.Expect != flows.ExpectDate && p.Expect != flows.ExpectPhone &&
			(p.Expect != flows.ExpectNumber && p.Expect != flows.ExpectChoice || !strongCorrection(text)) {
			continue
		}
		if prev != nil && prev.Save != p.Save {
			return false, nil // more than one way here: which answer is meant is not known
		}
		if prev == nil || name < prevName {
			prev, prevName = p, name // (the same answer by two ways: either reads it)
		}
	}
	if prev == nil || t.conv.Answers[prev.Save] == "" || t.conv.ReturnTo != "" {
		return false, nil // (not in a detour from the summary)
	}
	// The message before this one must have been that answer: not after
	// a detour, a handoff or anything else in between (a second review).
	// (One of the two before it: an edited message on Telegram comes
	// between, a third review.)
	answered := false
	for k := len(t.contact.Recent) - 2; k >= 0 && k >= len(t.contact.Recent)-3; k-- {
		if pa, err := t.parse(prev, t.contact.Recent[k], ""); err == nil && pa.save == t.conv.Answers[prev.Save] {
			answered = true
			break
		}
	}
	if !answered {
		return false, nil
	}
	// The correction must be the answer alone ("sorry M14 5RF"), not a
	// sentence with a postcode or a date in it ("sorry, we've lived here
	// since 1 May 1985") nor "sorry, I don't have one".
	if len(strings.Fields(rest)) > maxCorrectionWords {
		return false, nil
	}
	if _, none := flows.ParseNoPostcode(rest); none {
		return false, nil
	}
	a, err := t.parse(prev, rest, "")
	if err != nil || prev.On[a.value] != "" {
		// Unreadable, or an answer that would lead elsewhere (a date of
		// birth under the minimum age): read as usual.
		return false, nil
	}
	if err := t.changeAnswer(f, prev.Save, a); err != nil {
		return true, err
	}
	return true, t.reask(f)
}

// changeAnswer replaces the answer saved as save with a (its label too:
// the summary shows it, a review), records the correction and says so.
func (t *turn) changeAnswer(f *flows.Flow, save string, a parsed) error {
	t.conv.Answers[save] = a.save
	if a.label != "" {
		t.conv.Answers[save+"_label"] = a.label
	} else {
		delete(t.conv.Answers, save+"_label")
	}
	if err := t.event(bot.EventAnswerCorrected, map[string]string{"flow": f.ID, "state": t.conv.State, "answer": save}); err != nil {
		return err
	}
	return t.say("core.corrected", nil)
}

// strongCorrection reports whether text says outright that it corrects
// ("sorry I meant 4", "oops that should be 6"), as a survey's number
// answer must: "sorry, 5" may only apologise for a late answer to the
// question now asked (session 42's trials: corrections of survey answers
// were saved against the next questions).
func strongCorrection(text string) bool {
	s := strings.ToLower(text)
	for _, m := range []string{"meant", "should be", "should have been", "oops", "typo", "correction", "wrong"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return strings.HasPrefix(strings.TrimSpace(s), "*")
}

// correctionOf reports whether text opens as a correction ("sorry",
// "oops", "I meant", "typo", "*") and returns the words after it.
func correctionOf(text string) (string, bool) {
	s := strings.TrimSpace(text)
	if rest, ok := strings.CutPrefix(s, "*"); ok {
		rest = strings.TrimSpace(rest)
		return rest, rest != ""
	}
	found := false
	for {
		s = strings.TrimLeft(s, " ,.:;!-")
		cut := false
		marks := correctionMarks
		if found {
			marks = correctionMarksAfter // "sorry its M14 5RF"
		}
		for _, m := range marks {
			if len(s) > len(m) && strings.EqualFold(s[:len(m)], m) && strings.IndexByte(" ,.:;!-", s[len(m)]) >= 0 {
				s, cut, found = s[len(m)+1:], true, true
				break
			}
		}
		if !cut {
			break
		}
	}
	s = strings.TrimSpace(s)
	return s, found && s != ""
}

// correctionMarksAfter is what is read after a first mark: the marks
// again, then correctionAfter.
var correctionMarksAfter = slices.Concat(correctionMarks, correctionAfter)

// maxCorrectionWords is the most words a correction's answer may have
// ("12th of March 1958", "07700 900 123").
const maxCorrectionWords = 4

// correctionMarks open a correction, in the order they are tried.
// "no wait" too ("no wait its 07700 900556": the persona trials' corrected
// number on Telegram was lost); not "actually", which opens answers ("actually
// the one on M14 5RF" at the GP question: a review).
var correctionMarks = []string{"sorry,", "sorry", "oops,", "oops", "typo,", "typo", "correction:", "correction", "i meant", "i mean", "meant", "it should be", "should be",
	"no wait", "oh wait", "no sorry"}

// correctionAfter may follow a correction mark ("sorry, it's M14 5RF"),
// but do not open one: "it's the surgery on Hyde Road" answers the GP
// question. Longer first: the first that fits is taken.
var correctionAfter = []string{"that should have been", "should have been", "that should be", "date of birth is",
	"phone number is", "date of birth", "phone number", "postcode is", "birthday is", "number is", "should be",
	"i meant", "it is", "meant", "postcode", "number", "wrong", "its", "it's", "it’s", "the", "my"}

// backFillers may stand beside a "back now" phrase: anything else ("im
// back at the bridge", "sorry about that, had a fall") is read for what
// it says (session 46's second review).
var backFillers = []string{"right", "ok", "okay", "hi", "hello", "hiya", "sorry", "again", "now", "so", "yes", "yeah", "lol", "x", "xx", "thanks", "ta"}

// invalid re-asks after an answer that could not be read, and after three
// in a row marks the conversation as needing a human.
func (t *turn) invalid(st *flows.State, perr error) error {
	if errors.Is(perr, flows.ErrUnreadable) {
		if _, qerr := flows.ParseText(t.text); errors.Is(qerr, flows.ErrQuestion) || flows.OpensAsQuestion(t.text) {
			// A question where a number or a choice was asked ("who sees
			// these answers? is it my doctor", or with no question mark:
			// "what does worthwhile mean"): told that questions go to a
			// link worker, as at a free-text question (session 41's second
			// trial got "didn't catch that"; session 42's, without "?").
			perr = flows.ErrQuestion
		}
	}
	if errors.Is(perr, flows.ErrQuestion) && st.Explain != "" && asksWhy(t.text) {
		// "why do you need my name?": the question has an answer (the
		// persona trials got "Sorry, I can't answer questions here").
		perr = errWhatMeant
	}
	if !t.screening.Distress && !t.conv.NeedsHuman {
		// "im at work can i finish this later" and, later, "right im back":
		// the question waits, and neither counts as not understood
		// (session 46's persona trial ran out of tries and was handed to
		// the team). A check-in or survey told "another time" ends
		// politely instead (stop_flow, below).
		stop := t.e.cfg.Templates.Mentions(t.locale(), "stop_flow", t.text)
		later := t.e.cfg.Templates.Mentions(t.locale(), "later_wish", t.text) && !stop ||
			stop && t.conv.FlowID == t.e.cfg.StartFlow && (strings.Contains(strings.ToLower(t.text), "later") || strings.Contains(strings.ToLower(t.text), "another time"))
		if later {
			return t.say("core.later_ok", nil)
		}
		if t.e.cfg.Templates.Only(t.locale(), "back_now", t.text, backFillers) {
			return t.sayLast(st)
		}
	}
	t.conv.Invalid++
	t.conv.UpdatedAt = t.now
	if err := t.tx.PutConversation(t.conv); err != nil {
		return err
	}
	if t.screening.Distress && !t.distressIsAnAnswer(st) {
		// Not understood, and the words show distress: ask whether they
		// are safe (with the crisis numbers) rather than "Sorry, I didn't
		// catch that".
		return t.onConcern(bot.Risk{Tier: bot.RiskConcern, Category: "distress", Rule: "distress/not-understood"}, t.msgID, t.text)
	}
	if t.conv.FlowID != t.e.cfg.StartFlow && !t.conv.NeedsHuman {
		if t.e.cfg.Templates.Mentions(t.locale(), "stop_flow", t.text) {
			// "no more questions please", "can we do this another time":
			// the check-in or survey ends here, politely (session 42's
			// trials: "didn't catch that" until the person gave up). Done,
			// not expired: it is not a missed run, a late answer does not
			// carry it on, and the next run comes as usual (a review).
			t.conv.Status, t.conv.UpdatedAt = bot.ConvDone, t.now
			if err := t.tx.PutConversation(t.conv); err != nil {
				return err
			}
			if err := t.event(bot.EventConvDone, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State, "reason": "stopped by the person"}); err != nil {
				return err
			}
			t.timers = true
			return t.say("core.flow_stopped", nil)
		}
	}
	if t.conv.Invalid >= invalidLimit && !t.conv.NeedsHuman {
		return t.needsHuman(bot.ReasonMisunderstood, "", "handoff.misunderstood")
	}
	if errors.Is(perr, flows.ErrQuestion) && st.Explain != "" && asksWhoSees(t.text) {
		// "who sees it exactly?", "will my GP see what I write?", "what
		// happens if I say no?": the state's explanation answers them
		// (session 45's persona trial got "I can't answer questions here"
		// at consent, which left the consent uninformed).
		perr = errWhatMeant
	}
	if errors.Is(perr, errWhatMeant) {
		// What the question means, then the question itself.
		key := st.Explain
		if key == "" {
			key = "retry.what_meant"
		}
		if err := t.say(key, nil); err != nil {
			return err
		}
		return t.sayLast(st)
	}
	key, extra := retryKey(st, perr)
	if err := t.say(key, extra); err != nil {
		return err
	}
	return t.ask(st)
}

// conditionalYes reports whether text is a yes with a condition where st
// takes one, and the person's words to keep.
func (t *turn) conditionalYes(st *flows.State, text, choice string) (string, bool) {
	if st.Condition == "" || choice != "" || t.screening.Distress {
		// "yes but I'm not coping at all": asked whether they are safe,
		// as any answer that shows distress is (a review).
		return "", false
	}
	if _, ok := flows.ParseConditionalYes(text); !ok {
		return "", false
	}
	return strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD")), true
}

// asksWhy reports whether a question asks why, or what something is ("why
// do you need my name?", "whats a postcode"), which a state's explanation
// answers.
func asksWhy(text string) bool {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(ws) == 0 {
		return false
	}
	switch ws[0] {
	case "why", "whys", "wat", "wats", "whats":
		return true
	case "what":
		return len(ws) > 1 && (ws[1] == "is" || ws[1] == "s" || ws[1] == "does" || ws[1] == "do")
	}
	return false
}

// asksWhoSees reports whether a question asks who sees the answers, what
// is done with them or what happens after a no: what a state's explanation
// says.
func asksWhoSees(text string) bool {
	l := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }), " ") + " "
	for _, p := range []string{" who ", " see ", " sees ", " seen ", " share ", " shared ", " sharing ", " gp ", " doctor ",
		" data ", " details ", " private ", " privacy ", " confidential ", " say no ", " kept ", " stored ", " read ",
		" happens ", " happen "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// errWhatMeant is the "answer" that asks what the question means.
var errWhatMeant = errors.New("asks what the question means")

// distressIsAnAnswer reports whether the distress the screen found is
// only in words that name an option of the question ("money and lonely
// really, plus my knees" where "Feeling lonely or isolated" is one): the
// person is answering, and is asked again like anyone else rather than
// asked whether they are safe (session 42's trials).
func (t *turn) distressIsAnAnswer(st *flows.State) bool {
	if len(st.Options) == 0 {
		return false
	}
	cands, err := t.candidates(st)
	if err != nil {
		return false
	}
	return !t.e.cfg.Screen.Screen(flows.WithoutChoices(t.text, cands), nil).Distress
}

// ask repeats a state's choices (if any) after a re-ask, so the person can
// see them again.
func (t *turn) ask(st *flows.State) error {
	if len(st.Options) == 0 {
		return nil
	}
	return t.sayLast(st)
}

// sayLast sends the last of a state's messages: its question, with the
// choices.
func (t *turn) sayLast(st *flows.State) error {
	if len(st.Say) == 0 {
		return nil
	}
	o, err := t.outbound(st, len(st.Say)-1)
	if err != nil {
		return err
	}
	return t.queue(o)
}

// enter moves the conversation into state name: it runs the state's actions,
// says its messages and moves straight on through states that ask nothing.
// A final state's start action then begins the flow it names.
func (t *turn) enter(f *flows.Flow, name string) error {
	var then string // flow a start action begins once this one is done
	for hops := 0; ; hops++ {
		if hops > len(f.States) {
			return fmt.Errorf("flow %s: states that ask nothing loop at %q", f.ID, name)
		}
		st, ok := f.States[name]
		if !ok {
			return fmt.Errorf("flow %s: unknown state %q", f.ID, name)
		}
		t.conv.State, t.conv.UpdatedAt = name, t.now
		if t.conv.ReturnTo == name {
			t.conv.ReturnTo = ""
		}
		if st.SkipIfKnown && t.knownPhone() {
			// The number they write from is how to call them: the
			// contact has it (and erasing them removes it).
			name = st.Next
			if t.conv.ReturnTo != "" && !st.Chain {
				name = t.conv.ReturnTo
			}
			continue
		}
		for _, a := range st.Actions {
			if a.Do == "start" {
				then = a.Flow
				continue
			}
			if err := t.act(f, a); err != nil {
				return err
			}
		}
		for i := range st.Say {
			o, err := t.outbound(st, i)
			if err != nil {
				return err
			}
			if err := t.queue(o); err != nil {
				return err
			}
		}
		if st.Final {
			t.conv.Status = bot.ConvDone
			if err := t.event(bot.EventConvDone, map[string]string{"flow": f.ID, "state": name}); err != nil {
				return err
			}
			break
		}
		if st.Expect != flows.ExpectNone {
			break
		}
		name = st.Next
	}
	t.conv.Step++
	t.conv.Reminded = false
	if err := t.saveConversation(f); err != nil {
		return err
	}
	if then != "" && t.conv.Status == bot.ConvDone {
		return t.startFlow(then)
	}
	return nil
}

// reask says the current state's messages again and restarts its timers,
// without running its actions again (resume after a handoff, /start).
func (t *turn) reask(f *flows.Flow) error {
	st := f.States[t.conv.State]
	for i := range st.Say {
		o, err := t.outbound(st, i)
		if err != nil {
			return err
		}
		if err := t.queue(o); err != nil {
			return err
		}
	}
	t.conv.Step++
	t.conv.Reminded, t.conv.UpdatedAt = false, t.now
	return t.saveConversation(f)
}

// askAgain sends the question the conversation waits on, if any: the last
// of its state's messages (the one with the choices), not the welcome or
// the notes before it.
func (t *turn) askAgain() error {
	if !t.awaitsAnswer() {
		return nil
	}
	f, _ := t.e.cfg.Flows.Flow(t.conv.FlowID)
	return t.sayLast(f.States[t.conv.State])
}

// outbound renders say[i] of a state; the last one carries the choices.
func (t *turn) outbound(st *flows.State, i int) (*bot.Outbound, error) {
	d := t.data(nil)
	text, err := t.render(st.Say[i], d)
	if err != nil {
		return nil, err
	}
	o := &bot.Outbound{Text: text, Format: formatOf(st.Say[i])}
	if i == len(st.Say)-1 && st.Expect == flows.ExpectYesNo {
		// Buttons for Telegram; SMS keeps "Reply YES or NO" in the text.
		o.Quick = true
		for _, v := range []string{"yes", "no"} {
			label, err := t.render("choice."+v, d)
			if err != nil {
				return nil, err
			}
			o.Choices = append(o.Choices, bot.Choice{Value: v, Label: label})
		}
	}
	if i == len(st.Say)-1 {
		for _, opt := range st.Options {
			label, err := t.render(opt.Label, d)
			if err != nil {
				return nil, err
			}
			o.Choices = append(o.Choices, bot.Choice{Value: opt.Value, Label: label})
		}
	}
	if len(o.Choices) > 0 && t.conv != nil {
		o.Question = t.conv.FlowID + "/" + t.conv.State
	}
	return o, nil
}

func (t *turn) act(f *flows.Flow, a flows.Action) error {
	switch a.Do {
	case "referral":
		return t.createReferral()
	case "handoff":
		return t.needsHuman(bot.ReasonFlow, a.Reason, "handoff.asked")
	case "score":
		return t.score(f)
	case "follow_up":
		return t.scheduleFollowUp(f)
	case "signpost":
		return t.signpostAfterReferral()
	default:
		return fmt.Errorf("flow %s: unknown action %q", f.ID, a.Do)
	}
}

// saveConversation writes t.conv after a turn of flow f with its reminder
// and expiry due from now. Their timer rows move only when they must come
// earlier (Tx.ArmTimer): a person answering every few seconds would
// otherwise move two rows of the due index on every message. A row that
// fires before the due time kept here is armed again for it
// (conversationTimer).
func (t *turn) saveConversation(f *flows.Flow) error {
	remindID, expireID := bot.RemindTimerID(t.contact.ID), bot.ExpireTimerID(t.contact.ID)
	if t.conv.Status != bot.ConvActive {
		t.conv.RemindAt, t.conv.ExpireAt = time.Time{}, time.Time{}
		if err := t.tx.PutConversation(t.conv); err != nil {
			return err
		}
		t.timers = true
		if err := t.tx.DeleteTimer(remindID); err != nil {
			return err
		}
		return t.tx.DeleteTimer(expireID)
	}
	remind, expire := f.Durations()
	t.conv.RemindAt, t.conv.ExpireAt = t.now.Add(remind), t.now.Add(remind+expire)
	if err := t.tx.PutConversation(t.conv); err != nil {
		return err
	}
	for _, tm := range []*bot.Timer{
		{ID: remindID, Due: t.conv.RemindAt, Kind: bot.TimerRemind, ContactID: t.contact.ID, Step: t.conv.Step},
		{ID: expireID, Due: t.conv.ExpireAt, Kind: bot.TimerExpire, ContactID: t.contact.ID, Step: t.conv.Step},
	} {
		wrote, err := t.tx.ArmTimer(tm)
		if err != nil {
			return err
		}
		t.timers = t.timers || wrote
	}
	return nil
}

// fire runs a due timer through step, the handler its kind registered in
// Engine.TimerKinds.
func (t *turn) fire(tm bot.Timer, step func(*turn, bot.Timer) error) error {
	t.scheduled = true
	// Take the timer only if it is still the one that fell due: a person
	// who answered since has a new timer under the same id, which a stale
	// or duplicate fire must leave alone.
	taken, err := t.tx.TakeTimer(tm.ID, tm.Due)
	if err != nil || !taken {
		return err
	}
	t.timerKind = tm.Kind
	c, err := t.tx.Contact(tm.ContactID)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	t.contact = c
	if err := t.loadConversation(); err != nil {
		return err
	}
	return step(t, tm)
}

// conversationTimer runs step, a reminder or an expiry, only if the
// conversation it was set for is still where it was and the bot holds it.
func conversationTimer(step func(*turn, bot.Timer) error) func(*turn, bot.Timer) error {
	return func(t *turn, tm bot.Timer) error {
		if t.conv == nil || t.conv.Status != bot.ConvActive {
			return nil // stale: the conversation ended
		}
		due := t.conv.RemindAt
		if tm.Kind == bot.TimerExpire {
			due = t.conv.ExpireAt
		}
		switch {
		case due.IsZero() && t.conv.Step != tm.Step:
			return nil // stale: set by a step the conversation has left
		case due.After(t.now):
			// The person answered since the row was armed: it is really
			// due later. Arm it for then, and do nothing now.
			tm.Due, tm.Step = due, t.conv.Step
			t.timers = true
			return t.tx.PutTimer(&tm)
		}
		if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
			// A link worker holds the conversation: no bot reminders, and it
			// does not expire under them. Resolve sets fresh timers.
			return nil
		} else if !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		if t.conv.Answers[answerReferral] != "" {
			return t.quietAfterReferral(tm)
		}
		return step(t, tm)
	}
}

// remind sends the conversation's one reminder, unless quiet hours hold it,
// and the question it waits on again: a day later the question is far up
// the thread, or gone from a phone that keeps few texts (session 42's
// trials answered a reminder with "what was the question?").
func (t *turn) remind(tm bot.Timer) error {
	if t.conv.Reminded || t.contact.OptedOut {
		return nil
	}
	if held, err := t.holdForQuiet(tm); err != nil || held {
		return err
	}
	t.conv.Reminded = true
	if err := t.tx.PutConversation(t.conv); err != nil {
		return err
	}
	if err := t.say("core.reminder", nil); err != nil {
		return err
	}
	if t.contact.ConfirmHuman {
		// "Do you want to talk to someone from the team?" is the question
		// waiting, not the flow's (a review).
		return t.say("person.confirm", nil)
	}
	return t.askAgain()
}

// lifeNews reports whether text tells news a link worker should hear, at
// a check-in or survey or just after one: a life_news phrase, not denied
// ("mum has not had a fall"), not told as years past ("since my wife died
// in 2019"), and not while a link worker holds the conversation or within
// a fortnight of news passed on before ("still visiting him in hospital"
// after the team handed the check-in back: a review).
func (t *turn) lifeNews(text string) (bool, error) {
	if t.conv == nil || t.conv.FlowID == t.e.cfg.StartFlow || t.conv.NeedsHuman || t.oldNews(text) {
		return false, nil
	}
	told := false
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(".!?;,", r) }) {
		// Clause by clause: "no. Mum died on Sunday" answers no, then
		// tells news; "mum has not had a fall" denies it.
		if t.e.cfg.Templates.Mentions(t.locale(), "life_news", part) && !t.e.cfg.Templates.MentionsDenied(t.locale(), "life_news", part) {
			told = true
			break
		}
	}
	if !told {
		return false, nil
	}
	recent := false
	err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		if e.Kind == bot.EventNeedsHuman && e.Data["reason"] == bot.ReasonNews && t.now.Sub(e.At) < newsQuiet {
			recent = true
			return false
		}
		return true
	})
	return !recent, err
}

// newsQuiet is how long after news was passed on that more news is read
// as an answer: the team already knows.
const newsQuiet = 14 * 24 * time.Hour

// oldNewsWords mark news told as long past: "years ago", "in 2019".
var oldNewsWords = regexp.MustCompile(`(?i)\byears? (ago|back)\b|\bin ((19|20)\d\d)\b`)

// oldNews reports whether text tells its news as years past: "years ago",
// or "in" a year before last ("died in 2019"; not "on 2 December 2026").
func (t *turn) oldNews(text string) bool {
	for _, m := range oldNewsWords.FindAllStringSubmatch(text, -1) {
		if m[2] == "" {
			return true
		}
		if y, err := strconv.Atoi(m[2]); err == nil && y < t.now.Year()-1 {
			return true
		}
	}
	return false
}

// lateAnswerWords is the most words a late answer may have.
const lateAnswerWords = 10

// lateAnswerWindow is how long after a check-in or survey expired an
// answer to the question it stopped at still carries it on.
const lateAnswerWindow = 48 * time.Hour

// lateAnswer carries on a check-in or survey that expired unanswered when
// the person's message, within lateAnswerWindow, answers the question it
// stopped at ("sorry only just seen this. not so good" days later): the
// answer is taken and the flow goes on, rather than "saved, reply RESTART"
// and the answer lost (session 42's trials). It reports whether it did.
func (t *turn) lateAnswer(text, choice string) (bool, error) {
	if t.now.Sub(t.conv.UpdatedAt) > lateAnswerWindow {
		return false, nil
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok || f.States[t.conv.State] == nil {
		return false, nil
	}
	st := f.States[t.conv.State]
	switch {
	case st.Expect == flows.ExpectNone || st.Expect == flows.ExpectText || st.Expect == flows.ExpectName:
		return false, nil
	case t.screening.Request || strings.ContainsAny(text, "?？") || t.e.cfg.Templates.Mentions(t.locale(), "human", text):
		return false, nil // a question or a request, kept for the team (a review)
	case st.Expect == flows.ExpectNumber && strings.IndexFunc(text, unicode.IsLetter) >= 0:
		// Only a bare number answers a 0-10 question this late: "its
		// been 5 days" is no score (a review).
		return false, nil
	case len(strings.Fields(text)) > lateAnswerWords:
		return false, nil
	}
	if _, err := t.parse(st, text, choice); err != nil {
		return false, nil
	}
	t.conv.Status, t.conv.UpdatedAt, t.conv.Invalid = bot.ConvActive, t.now, 0
	if err := t.tx.PutConversation(t.conv); err != nil {
		return false, err
	}
	return true, t.event(bot.EventConvResumed, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State})
}

// expire ends a conversation the person stopped answering.
func (t *turn) expire(bot.Timer) error {
	t.conv.Status, t.conv.UpdatedAt = bot.ConvExpired, t.now
	if err := t.tx.PutConversation(t.conv); err != nil {
		return err
	}
	if err := t.event(bot.EventConvExpired, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State}); err != nil {
		return err
	}
	return t.checkinExpired()
}

// holdForQuiet puts a reminder that falls in quiet hours back to when they
// end, and the conversation's expiry with it, so the expiry still follows
// the reminder by the flow's expire time. It holds every conversation's
// reminder, not only a check-in's: a reminder is the bot texting unasked,
// and a text at night can wake someone or show others in the home that
// they use the service. Quiet hours are in the zone of the contact's
// schedule for the conversation's flow, else the service's hours.
func (t *turn) holdForQuiet(tm bot.Timer) (bool, error) {
	loc, err := t.reminderZone()
	if err != nil {
		return false, err
	}
	end, quiet, err := t.e.quiet().Until(t.now, loc)
	if err != nil || !quiet {
		return false, err
	}
	tm.Due = end
	t.timers = true
	if err := t.tx.PutTimer(&tm); err != nil {
		return false, err
	}
	if !t.conv.RemindAt.IsZero() {
		t.conv.RemindAt = end
	}
	if f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID); ok {
		_, expire := f.Durations()
		exp := &bot.Timer{ID: bot.ExpireTimerID(t.contact.ID), Due: end.Add(expire), Kind: bot.TimerExpire, ContactID: t.contact.ID, Step: t.conv.Step}
		if err := t.tx.PutTimer(exp); err != nil {
			return false, err
		}
		if !t.conv.ExpireAt.IsZero() {
			t.conv.ExpireAt = exp.Due
		}
	}
	return true, t.tx.PutConversation(t.conv)
}

// reminderZone is the time zone of quiet hours for t's conversation.
func (t *turn) reminderZone() (*time.Location, error) {
	var sched *bot.Schedule
	err := t.tx.Schedules(t.contact.ID, func(s *bot.Schedule) bool {
		if s.Flow == t.conv.FlowID {
			sched = s
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if sched != nil {
		return sched.Location()
	}
	if h := t.e.Hours(); h != nil && h.Loc != nil {
		return h.Loc, nil
	}
	return time.LoadLocation(bot.DefaultZone)
}

// quietAfterReferral runs a conversation's timer once it has created its
// referral: an optional question after it gets no reminder, and silence ends
// the conversation as done rather than expired, so the person's next
// message is not taken for a new self-referral.
func (t *turn) quietAfterReferral(tm bot.Timer) error {
	if tm.Kind != bot.TimerExpire {
		return nil
	}
	t.conv.Status, t.conv.UpdatedAt = bot.ConvDone, t.now
	if err := t.tx.PutConversation(t.conv); err != nil {
		return err
	}
	return t.event(bot.EventConvDone, map[string]string{"flow": t.conv.FlowID, "state": t.conv.State, "reason": "no reply after referral"})
}

func isParseError(err error) bool {
	return errors.Is(err, flows.ErrUnreadable) || errors.Is(err, flows.ErrImpossibleDate) ||
		errors.Is(err, flows.ErrFutureDate) || errors.Is(err, flows.ErrOutOfRange) || errors.Is(err, flows.ErrQuestion)
}

// retryKey picks the re-ask for an answer that could not be read.
func retryKey(st *flows.State, perr error) (string, func(*templates.Data)) {
	if errors.Is(perr, flows.ErrQuestion) {
		return "retry.question", nil // whatever the state would say of a bad answer
	}
	if st.Retry != "" {
		return st.Retry, nil
	}
	switch {
	case errors.Is(perr, flows.ErrImpossibleDate):
		return "retry.date_impossible", nil
	case errors.Is(perr, flows.ErrFutureDate):
		return "retry.date_future", nil
	case st.Expect == flows.ExpectNumber:
		return "retry.number", func(d *templates.Data) { d.Min, d.Max = *st.Min, *st.Max }
	}
	return "retry." + strings.ToLower(st.Expect), nil
}

// knownPhone reports whether the person has written from a phone number
// (SMS or WhatsApp).
func (t *turn) knownPhone() bool {
	return t.contact.PhoneNumber() != ""
}

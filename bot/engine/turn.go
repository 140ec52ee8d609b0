package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// urgentHeadStart is how far ahead of ordinary rows urgent rows are put in
// the outbox.
const urgentHeadStart = 24 * time.Hour

// recentKept is how many earlier inbound messages the risk screen sees.
const recentKept = 3

// turn is the work of one transaction: one inbound message or one timer.
// It is rebuilt if the store runs the transaction again, so it holds no
// state that outlives a failed attempt.
type turn struct {
	e   *Engine
	tx  bot.Tx
	ctx context.Context
	now time.Time

	contact *bot.Contact
	conv    *bot.Conversation

	// pre is the risk screen's result, made before the transaction;
	// screening is the one this turn acts on.
	pre       *screening
	screening bot.Screening
	// msgID and text are the inbound message this turn handles.
	msgID uint64
	text  string
	// author of the messages this turn queues; "" is the bot.
	author string
	// timerKind is the kind of the timer this turn fires, if any.
	timerKind bot.TimerKind
	// risk is set when the message showed risk.
	risk bool
	// opened is set when this turn opened a handoff.
	opened bool
	// scheduled is set while a timer fires: what it queues is sent unasked.
	scheduled bool

	queued int
	timers bool
	alerts []bot.Alert

	// flood is the flood limit's verdict on the message; wasLimited is set
	// when it was handled as over the limit.
	flood      floodVerdict
	wasLimited bool
	// duplicate is set when the message was handled before (a provider's
	// retry): it is dropped, and gives back its share of the flood limit.
	duplicate bool
	// outsideCountries is set when the message came from a number the
	// service does not answer (Config.CountryCodes): stored, not answered.
	outsideCountries bool
	// contactChanged is set when t.contact has changes process has yet to
	// save (the flood bucket's).
	contactChanged bool
	// noCallsSaid is set when the turn told the person their wish not to
	// be phoned is noted.
	noCallsSaid bool
}

// noCallsWords is the most words a message that is only a wish not to be
// phoned may have; a longer one is read as any message is, and the wish
// noted after.
const noCallsWords = 12

// seen records in's provider id for t.contact and reports whether it was
// handled before.
func (t *turn) seen(in *bot.Inbound) (bool, error) {
	if in.ProviderID == "" {
		return false, nil
	}
	return t.tx.MarkSeen(t.contact.ID, string(in.Address.Channel)+":"+in.ProviderID, t.now)
}

func (t *turn) inbound(in *bot.Inbound) error {
	if dup, err := t.findContact(in); dup || err != nil {
		t.duplicate = dup
		return err
	}
	if err := t.takeFlood(in.Address); err != nil {
		return err
	}
	if err := t.process(in); err != nil {
		return err
	}
	if err := t.noCalls(in); err != nil {
		return err
	}
	return t.settleFlood(in.Address)
}

// noCalls records a wish not to be phoned ("please dont ring, he will
// hear": the persona trials found it lost in the transcript, and the team
// might ring someone whose partner checks their phone). Recorded once, after
// whatever else the message needed (the crisis text first), and the person
// is told, unless they opted out or it is a provider's retry.
func (t *turn) noCalls(in *bot.Inbound) error {
	if t.duplicate || t.outsideCountries || in.Edited || !t.asksNoCalls(in.Text) {
		return nil
	}
	return t.recordNoCalls(true)
}

// recordNoCalls records the wish not to be phoned, once, and says it is
// noted if say.
func (t *turn) recordNoCalls(say bool) error {
	told := false
	if err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		told = e.Kind == bot.EventNoCalls
		return !told
	}); err != nil {
		return err
	}
	if told {
		return nil
	}
	if err := t.event(bot.EventNoCalls, map[string]string{"message": strconv.FormatUint(t.msgID, 10)}); err != nil {
		return err
	}
	if !say || t.contact.OptedOut || t.wasLimited {
		return nil
	}
	t.noCallsSaid = true
	return t.say("core.no_calls", nil)
}

// asksNoCalls reports whether text asks not to be phoned: a no_calls
// phrase, or a negated ring, call or phone that ends the message or a
// clause or is followed by words about it ("he checks my phone, dont call",
// "please just text, dont ring"), not "I don't call my mum any more" (the
// third persona trial).
func (t *turn) asksNoCalls(text string) bool {
	if t.e.cfg.Templates.Mentions(t.locale(), "no_calls", text) {
		return true
	}
	l := strings.ToLower(strings.NewReplacer("’", "", "'", "").Replace(text))
	for _, part := range strings.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune(".,;:!?()-\n", r) }) {
		ws := strings.Fields(part)
		if textOnlyClause(ws) {
			return true
		}
		for i := 1; i < len(ws); i++ {
			if ws[i] != "ring" && ws[i] != "call" && ws[i] != "phone" || ws[i-1] != "dont" && ws[i-1] != "not" && ws[i-1] != "never" {
				continue
			}
			if i+1 == len(ws) || noCallFollows[ws[i+1]] {
				return true
			}
		}
	}
	return false
}

// textOnlyClause reports whether a clause asks for texts only: it ends
// "text only" ("im deaf so text only", "text only pls") or opens "only
// text" ("only text please", "please only text"), fillers aside; not "I
// only text my kids now" (a review: "only text" anywhere had recorded "Do
// not phone" for it).
func textOnlyClause(ws []string) bool {
	ws = slices.DeleteFunc(slices.Clone(ws), func(w string) bool {
		return w == "please" || w == "pls" || w == "plz" || w == "thanks" || w == "ta" || w == "x" || w == "xx"
	})
	if n := len(ws); n >= 2 && ws[n-1] == "only" && (ws[n-2] == "text" || ws[n-2] == "texts" || ws[n-2] == "message" || ws[n-2] == "messages") {
		return true
	}
	return len(ws) >= 2 && len(ws) <= 3 && ws[0] == "only" && (ws[1] == "text" || ws[1] == "texts" || ws[1] == "message")
}

// noCallFollows may come after "dont call" in a wish not to be phoned.
var noCallFollows = map[string]bool{"me": true, "please": true, "pls": true, "text": true, "just": true, "only": true,
	"he": true, "she": true, "they": true, "as": true, "cos": true, "because": true, "but": true, "ok": true,
	"thanks": true, "x": true, "i": true, "im": true, "its": true, "ever": true, "at": true, "us": true}

// process runs a new message from t.contact.
func (t *turn) process(in *bot.Inbound) error {
	msg := &bot.Message{
		ContactID: t.contact.ID, Direction: bot.In, Author: bot.AuthorPerson, Address: in.Address,
		Text: in.Text, Media: in.Media, At: in.ReceivedAt, ProviderID: in.ProviderID,
		Limited: t.overLimit(in), Edited: in.Edited,
	}
	if err := t.tx.AppendMessage(msg); err != nil {
		return err
	}
	if !t.e.countryAllowed(in.Address) {
		t.outsideCountries = true
		if t.contactChanged {
			return t.tx.PutContact(t.contact)
		}
		return nil
	}
	text := strings.TrimSpace(in.Text)
	recent := t.contact.Recent
	t.contact.LastInboundAt = t.now
	reachable(t.contact, in.Address.Channel)
	if name := profileName(in); name != "" {
		t.contact.WhatsAppName = name
	}
	if text != "" {
		t.contact.Recent = append(append([]string(nil), recent...), text)
		if len(t.contact.Recent) > recentKept {
			t.contact.Recent = t.contact.Recent[len(t.contact.Recent)-recentKept:]
		}
	}
	if err := t.tx.PutContact(t.contact); err != nil {
		return err
	}

	// Safety first: before keywords, opt-out, handoff or flow.
	var res bot.Screening
	if t.pre != nil && slices.Equal(t.pre.recent, recent) {
		res = t.pre.result
	} else {
		res = t.e.cfg.Screen.Screen(text, recent)
	}
	t.screening, t.msgID, t.text = res, msg.ID, text
	if r := res.Risk; r.Tier == bot.RiskConcern && !t.contact.SafetyAsked.IsZero() {
		if deniesOnly(text, safetyWordsOf(text)) {
			// "I'm not suicidal if that's what you mean" to "Are you
			// safe?": a denial, the whole message, is the answer, not a
			// second concern (which is urgent); any concern in it is the
			// denial's own words. Kept on the record.
			r.Tier, r.Rule = bot.RiskNoted, r.Rule+" (an answer to the safety question)"
			res.Risk, res.Noted = bot.Risk{}, r
			t.screening = res
		}
	}
	if r := res.Risk; r.Found() {
		// Possible risk is asked about, except where asking cannot work or
		// has already been tried: over the flood limit, after STOP, a
		// second concern before the first was answered, or while an urgent
		// handoff is open. Then it is urgent.
		urgentOpen := false
		if r.Tier == bot.RiskConcern {
			// After the crisis text, with an urgent handoff still open,
			// "Are you safe?" reads as if the person's no was not heard
			// (session 46's persona trial): more risk is urgent again.
			switch h, err := t.tx.ActiveHandoff(t.contact.ID); {
			case err == nil:
				urgentOpen = h.Urgent
			case !errors.Is(err, bot.ErrNotFound):
				return err
			}
		}
		if r.Tier == bot.RiskConcern && (msg.Limited || t.contact.OptedOut || !t.contact.SafetyAsked.IsZero() || t.saysStop(text) || urgentOpen) {
			r.Tier = bot.RiskUrgent
			if !t.contact.SafetyAsked.IsZero() {
				if err := t.clearSafety("another concern"); err != nil {
					return err
				}
			}
		}
		if r.Tier == bot.RiskUrgent && !t.contact.SafetyAsked.IsZero() {
			// Urgent now: the question asked earlier needs no answer.
			if err := t.clearSafety("overtaken by urgent risk"); err != nil {
				return err
			}
		}
		switch {
		case r.Tier == bot.RiskConcern:
			return t.onConcern(r, msg.ID, text)
		case msg.Limited:
			return t.riskLimited(r, msg.ID, text)
		default:
			return t.onRisk(r, msg.ID, text)
		}
	}
	if r := res.Noted; r.Found() {
		if err := t.loadConversation(); err != nil {
			return err
		}
		ask := t.awaitsAnswer() && t.contact.SafetyAsked.IsZero() && !t.contact.OptedOut && !t.saysStopWord(text) && !msg.Limited && !in.Edited
		if ask {
			// A link worker holding the conversation reads it themselves.
			switch _, err := t.tx.ActiveHandoff(t.contact.ID); {
			case err == nil:
				ask = false
			case !errors.Is(err, bot.ErrNotFound):
				return err
			}
		}
		if ask {
			// At a question the words could be taken for the answer
			// ("Twenty years ago I tried to take my life..." at the name
			// question): asked about, as a concern. (Not after STOP or
			// with it: nothing is asked of a person who opted out.)
			r.Tier = bot.RiskConcern
			if rule, _, ok := strings.Cut(r.Rule, " (set aside: model"); ok {
				r.Rule = rule + " (at a question)"
			}
			return t.onConcern(r, msg.ID, text)
		}
		// Otherwise kept on the record only: nothing is sent, no one is
		// alerted.
		if err := t.riskEvent(r, msg.ID, text, nil); err != nil {
			return err
		}
		if t.saysStopWord(text) && t.awaitsAnswer() {
			// "STOP" and more words: not an opt-out (see H7), and not an
			// answer to the question either.
			return nil
		}
	}
	if msg.Limited {
		return t.limited()
	}
	if in.Edited {
		return nil // screened and kept; an edit does not answer again
	}
	if !t.contact.SafetyAsked.IsZero() {
		if done, err := t.safetyAnswer(text, msg.ID); done || err != nil {
			return err
		}
	}

	kind := t.e.cfg.Templates.Keyword(t.locale(), text)
	if in.Keyword != "" {
		kind = in.Keyword // the provider's opt-out service read it
	}
	if (kind == "who_is_this" || kind == "" && len(strings.Fields(text)) <= whoIsThisWords && t.e.cfg.Templates.Mentions(t.locale(), "who_is_this", text)) &&
		t.onlyAsksWho(text, res) {
		// "who is this?" at a survey sent out of the blue: what the
		// service is, and the question again, as HELP gets (session 42's
		// trials: it was taken for a request and the survey ended).
		kind = "help"
	}
	if (kind == "about_link_worker" || kind == "" && len(strings.Fields(text)) <= whoIsThisWords && t.e.cfg.Templates.Mentions(t.locale(), "about_link_worker", text)) &&
		t.onlyAsksAboutLinkWorker(text, res) {
		// "what is a link worker?" at the consent question: what one is,
		// and the question again (the persona trials: it was taken for a
		// request for one, and the referral was never made).
		kind = "link_worker"
	}
	if kind == "pause_wish" || kind == "life_news" || kind == "stop_flow" || kind == "later_wish" || kind == "back_now" || kind == "who_is_this" || kind == "what_meant" || kind == "about_link_worker" || kind == "no_calls" {
		// Phrases only ever looked for inside a message: sent alone ("no
		// more check ins") they are read as any message is, not dropped as
		// an unknown keyword.
		kind = ""
	}
	switch {
	case kind == "stop":
		if t.contact.OptedOut {
			return nil
		}
		if err := bot.OptOut(t.tx, t.contact.ID, t.now, "person"); err != nil {
			return err
		}
		t.contact.OptedOut = true
		return t.sayFinal("core.stopped")
	case kind == "start" && t.contact.OptedOut:
		t.contact.OptedOut, t.contact.OptedOutAt = false, time.Time{}
		if err := t.tx.PutContact(t.contact); err != nil {
			return err
		}
		if err := t.event(bot.EventOptIn, nil); err != nil {
			return err
		}
		if err := t.say("core.started", nil); err != nil {
			return err
		}
		// A question left waiting when they opted out is asked again, so
		// the next reply is not taken for an answer to a question they
		// have not seen since (session 42's trials).
		if err := t.loadConversation(); err != nil {
			return err
		}
		if _, st := t.activeState(); st != nil && t.awaitsAnswer() {
			if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
				return nil // a link worker holds the conversation (a review)
			} else if !errors.Is(err, bot.ErrNotFound) {
				return err
			}
			return t.sayLast(st)
		}
		return nil
	case t.contact.OptedOut:
		return nil // kept in the transcript; nothing is sent
	}
	if err := t.loadConversation(); err != nil {
		return err
	}
	if kind == "" && t.awaitsAnswer() && len(strings.Fields(text)) <= noCallsWords && t.asksNoCalls(text) && !t.answersChoice(text, in.Choice) {
		// "please dont call me", "he checks my phone, dont call" at a
		// question: not a name, not a no to "Do you look after anyone?",
		// not a request for a person (the third persona trial saved each
		// so). Noted, and the question waiting asked again; an answer
		// beside it ("text only please" at "How would you like to be
		// contacted?") is an answer, and noted after.
		held, err := t.handoffActive(kind)
		if err != nil {
			return err
		}
		if err := t.recordNoCalls(true); err != nil || held {
			return err
		}
		return t.askAgain()
	}
	mentions := t.e.cfg.Templates.Mentions(t.locale(), "human", text)
	asked := kind == "" && (res.Request || mentions)
	if mentions && t.e.cfg.Templates.MentionsDenied(t.locale(), "human", text) {
		// "Yes send it, no need to speak to someone": a person is named
		// only to say no (a review found it handed over at the summary).
		mentions, asked = false, false
	}
	// explicit: a request in so many words that the screen, which reads
	// negation, also takes for one ("no need to speak to someone" is not).
	explicit := mentions && res.Request
	if asked && (!explicit || !t.asksBeyondChoice(text)) && t.answersChoice(text, in.Choice) {
		// "call me please" where the bot asked how to contact them is
		// the answer, not a request for a person (session 40's trials: it
		// opened a handoff and the referral was never made); so is
		// "Please telephone me, I am not very good with the texting",
		// whose request is all in the option's own words (session 42's).
		// A request in so many words beyond them ("text is fine but can I
		// talk to someone today") stays a request.
		asked = false
	}
	if asked && !explicit {
		if _, st := t.activeState(); st != nil {
			if _, ok := t.conditionalYes(st, text, in.Choice); ok {
				// "yes, but only the link worker" at consent: a yes with
				// a condition, kept for the team (the persona trials).
				asked = false
			}
		}
	}
	if asked && !explicit && t.atFlowStart(text) && t.e.cfg.Templates.Mentions(t.locale(), "referral", text) {
		// A first message asking to be referred to a link worker, or what
		// one is: the self-referral is how they reach one, and its first
		// message says what a link worker does (the trials' "I would like
		// to be referred to a link worker please" was handed over with no
		// referral made). So too right after "hi", at the first question
		// (session 41's trials: "hi" then "can i get referred to a link
		// worker" opened a handoff and the referral could not be made
		// out of hours).
		asked = false
	}
	if asked && t.asksChoice() {
		// "can I talk to someone please" where the bot asked a question
		// with set answers, or before any question.
		kind = "human"
	}
	if held, err := t.handoffActive(kind); held || err != nil {
		return err
	}
	if t.contact.ConfirmHuman && (kind == "" || kind == "start") && t.conv != nil {
		// ("YES" is also the opt-in keyword, which means nothing here.)
		// Asked again: the screen's request finding, which reads "I don't
		// want to talk to someone" as no request (a mention does not).
		if done, err := t.humanConfirmed(text, res.Request); done || err != nil {
			return err
		}
	} else if t.contact.ConfirmHuman {
		t.contact.ConfirmHuman = false
		if err := t.tx.PutContact(t.contact); err != nil {
			return err
		}
	} else if asked && kind == "" && t.conv != nil && t.conv.Status == bot.ConvActive {
		// Words of the person's own that look like a request for a person
		// ("I need to talk to someone" at the name question) are confirmed,
		// never saved as the answer.
		return t.confirmHuman()
	}
	if kind == "" && (t.referralNotMade() && forSomeoneElse(text) || t.referralForOther(text)) {
		// "I'm texting for my mum": not the texter's own referral, and not
		// theirs to consent to. The team talks it through, and the reply
		// gives the Samaritans number whenever it is sent. Distress in it
		// ("she's 82 and lonely", "asking for my husband, I'm at breaking
		// point") is for the team to read: asking the texter "Are you
		// safe?" made an urgent handoff of "so what happens now?" (the
		// persona trials), and after a yes the referral went on as the
		// texter's own (a second review).
		return t.needsHuman(bot.ReasonAsked, "a referral for someone else", "handoff.for_someone_else")
	}
	if kind == "" && len(strings.Fields(text)) <= pauseWishWords && t.e.cfg.Templates.Mentions(t.locale(), "pause_wish", text) &&
		!t.e.cfg.Templates.MentionsDenied(t.locale(), "pause_wish", text) {
		switch scheduled, err := t.hasCheckins(); {
		case err != nil:
			return err
		case scheduled:
			// "Can we pause these until the new year? Mum's going into
			// respite": a link worker pauses them (session 40's trials:
			// it was "saved" and the check-ins went on).
			return t.needsHuman(bot.ReasonAsked, "asked to pause check-ins", "handoff.pause")
		}
	}
	if kind == "" && t.wishesNoMessages(text) {
		kind = "stop_wish"
	}
	if kind == "" && len(strings.Fields(text)) > stopWishWords && t.e.cfg.Templates.Mentions(t.locale(), "stop_wish", text) && aboutMessages(text) && !someoneElseTexts(text) {
		switch scheduled, err := t.hasCheckins(); {
		case err != nil:
			return err
		case scheduled:
			// "can you stop sending these please, my husband went into a
			// care home last month": a change a link worker should hear
			// of, who can stop the check-ins (session 41's trials: it was
			// "didn't catch that" and the menu again).
			return t.needsHuman(bot.ReasonAsked, "asked to stop check-ins", "handoff.pause")
		}
	}
	switch kind {
	case "stop_wish":
		// "please stop texting me", "Stop please": asked to reply STOP,
		// and not taken as the answer to a question.
		return t.say("core.stop_check", nil)
	case "help":
		if err := t.say("core.help", nil); err != nil {
			return err
		}
		return t.askAgain() // so the person knows what is waiting for them
	case "link_worker":
		if err := t.say("core.link_worker", nil); err != nil {
			return err
		}
		return t.askAgain()
	case "restart":
		id := t.e.cfg.StartFlow
		if t.conv != nil {
			if _, ok := t.e.cfg.Flows.Flow(t.conv.FlowID); ok {
				id = t.conv.FlowID
			}
		}
		if err := t.event(bot.EventConvRestarted, map[string]string{"flow": id}); err != nil {
			return err
		}
		if err := t.say("core.restarting", nil); err != nil {
			return err
		}
		return t.startFlow(id)
	case "human":
		return t.needsHuman(bot.ReasonAsked, "", "handoff.asked")
	case "more", "local":
		if done, err := t.signpostKeyword(kind); done || err != nil {
			return err
		}
	}
	if kind == "begin" && t.conv != nil && t.conv.Status == bot.ConvActive {
		// Telegram's /start mid-conversation: ask the question again.
		if f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID); ok && f.States[t.conv.State] != nil {
			return t.reask(f)
		}
	}
	if len(in.Media) > 0 {
		if err := t.sayMedia(in); err != nil {
			return err
		}
		if text == "" {
			return nil
		}
	}
	switch {
	case text == "":
		return t.say("core.empty", nil)
	case utf8.RuneCountInString(text) > t.e.cfg.MaxText:
		return t.say("core.too_long", nil)
	}
	if stale, err := t.staleButton(in); stale || err != nil {
		return err
	}
	return t.answer(text, in.Choice)
}

// pauseWishWords is the most words a message read as a wish to pause
// check-ins may have.
const pauseWishWords = 25

// hasCheckins reports whether the contact has check-ins or surveys that
// will run again.
func (t *turn) hasCheckins() (bool, error) {
	found := false
	err := t.tx.Schedules(t.contact.ID, func(s *bot.Schedule) bool {
		found = !s.Paused && !s.Next.IsZero()
		return !found
	})
	return found, err
}

// wishesNoMessages reports whether a short message asks in the person's own
// words for no more messages: STOP and other words, or a stop_wish phrase
// ("please stop texting me"). A longer message is read as what it says
// ("my ex won't stop texting me and I want help with that").
func (t *turn) wishesNoMessages(text string) bool {
	n := len(strings.Fields(text))
	if n > stopWishWords {
		return false
	}
	if t.stopAndFiller(text) {
		return true
	}
	// Beyond a few words the wish must name the messages: "I want to
	// stop smoking" and "please stop me feeling so alone" answer the
	// question (a review).
	return t.e.cfg.Templates.Mentions(t.locale(), "stop_wish", text) && (n <= 3 || aboutMessages(text)) && !someoneElseTexts(text)
}

// aboutMessages reports whether text names the service's messages ("stop
// sending these", "no more texts", "take me off the list"): in a longer
// message a wish to stop ("I want to stop caring for dad full time") is
// about anything else.
func aboutMessages(text string) bool {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	for _, w := range ws {
		switch w {
		case "text", "texts", "txt", "txts", "texting", "message", "messages", "msgs", "messaging", "these",
			"contacting", "unsubscribe", "check-ins", "checkins", "surveys", "survey":
			return true
		}
	}
	// Lone words such as "out", "off" or "contact" are about anything
	// ("stop my daughter taking my bank card out", "stop contact with my
	// ex": a second review); these phrases are not.
	l := " " + strings.Join(ws, " ") + " "
	for _, p := range []string{" contact me ", " your list ", " the list ", " this list ", " mailing list ", " opt out ", " opt me out ",
		" wrong number ", " this number ", " check ins ", " take me off ", " remove me "} {
		if strings.Contains(l, p) {
			return true
		}
	}
	return false
}

// someoneElseTexts reports whether a stop wish's words are about someone
// else's messages ("my ex won't stop texting me"), not the service's.
func someoneElseTexts(text string) bool {
	l := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	for _, w := range []string{"won't stop", "wont stop", "will not stop", "doesn't stop", "doesnt stop", "keeps texting", "keeps messaging", "keep texting", "keep messaging"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// stopAndFiller reports whether text is an opt-out keyword followed only by
// words that say nothing else ("Stop please", "Unsubscribe please", "STOP
// STOP"): "Stop feeling so alone" or "Quit smoking and get out more"
// answer a question.
func (t *turn) stopAndFiller(text string) bool {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(ws) < 2 || t.e.cfg.Templates.Keyword(t.locale(), ws[0]) != "stop" {
		return false
	}
	for _, w := range ws[1:] {
		if !stopFiller[w] && t.e.cfg.Templates.Keyword(t.locale(), w) != "stop" {
			return false
		}
	}
	return true
}

var stopFiller = map[string]bool{"please": true, "pls": true, "plz": true, "now": true, "thanks": true, "thank": true,
	"you": true, "ta": true, "it": true, "that": true, "this": true, "these": true, "them": true, "all": true,
	"texting": true, "text": true, "texts": true, "messaging": true, "message": true, "messages": true, "me": true,
	"sending": true, "contacting": true, "x": true, "just": true}

// atFlowStart reports whether the person has no conversation yet, or is
// at the self-referral's first question with words about being referred.
func (t *turn) atFlowStart(text string) bool {
	if t.conv == nil {
		return true
	}
	// Only the self-referral's first question, and only words about being
	// referred: "can my link worker get in touch" at a check-in, or at the
	// consent question, still asks for a person (a review).
	if t.conv.FlowID != t.e.cfg.StartFlow || !strings.Contains(strings.ToLower(text), "refer") {
		return false
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	return ok && t.conv.Status == bot.ConvActive && t.conv.State == f.Start
}

// stopWishWords is the most words a message read as a wish for no more
// messages may have.
const stopWishWords = 12

// saysStopWord reports whether text opens with the word STOP (or STOPALL,
// UNSUBSCRIBE, OPTOUT): unlike saysStop, not END, QUIT or CANCEL, which
// open ordinary answers too ("Quit drinking after I tried to take my life
// in 2015, now I want to get out more" was dropped unanswered, a review).
func (t *turn) saysStopWord(text string) bool {
	if !t.saysStop(text) {
		return false
	}
	first, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	switch strings.ToLower(strings.Trim(first, ".,!?;:")) {
	case "stop", "stopall", "unsubscribe", "optout":
		return true
	}
	return false
}

// saysStop reports whether text starts with an opt-out keyword ("STOP I
// can't do this anymore"): risk with a STOP is not asked about, because the
// person has asked for no more messages; it gets the crisis text.
func (t *turn) saysStop(text string) bool {
	first, _, _ := strings.Cut(text, " ")
	return t.e.cfg.Templates.Keyword(t.locale(), first) == "stop"
}

// awaitsAnswer reports whether the person's conversation is waiting for
// an answer to a question the bot asked (not while it waits for a link
// worker).
func (t *turn) awaitsAnswer() bool {
	if t.conv == nil || t.conv.Status != bot.ConvActive || t.conv.NeedsHuman {
		return false
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok {
		return false
	}
	st := f.States[t.conv.State]
	return st != nil && st.Expect != flows.ExpectNone
}

// asksChoice reports whether the conversation is waiting for an answer
// from a set (choice, several choices, yes/no, a number) rather than words
// of the person's own. A contact with no conversation yet counts as asked.
func (t *turn) asksChoice() bool {
	if t.conv == nil {
		return true
	}
	_, st := t.activeState()
	if st == nil {
		return false
	}
	switch st.Expect {
	case flows.ExpectChoice, flows.ExpectChoices, flows.ExpectYesNo, flows.ExpectNumber:
		return true
	}
	return false
}

// answersChoice reports whether text is a readable answer to the question
// with set choices the conversation is waiting on.
func (t *turn) answersChoice(text, choice string) bool {
	_, st := t.activeState()
	if st == nil || st.Expect != flows.ExpectChoice && st.Expect != flows.ExpectChoices {
		return false
	}
	_, err := t.parse(st, text, choice)
	return err == nil
}

// onlyAsksWho reports whether a "who is this?" says nothing more that
// must be heard: no distress, no request for a person, no news, no wish
// to be referred, and a conversation waiting on a question (a first
// message starts the self-referral, whose first words say who it is) (a
// review).
func (t *turn) onlyAsksWho(text string, res bot.Screening) bool {
	exact := t.e.cfg.Templates.Keyword(t.locale(), text) == "who_is_this" // "is this a bot?" alone
	if res.Distress || res.Request && !exact {
		return false
	}
	for _, kind := range []string{"human", "life_news", "referral"} {
		if t.e.cfg.Templates.Mentions(t.locale(), kind, text) {
			return false
		}
	}
	if err := t.loadConversation(); err != nil {
		return false
	}
	return t.awaitsAnswer()
}

// onlyAsksAboutLinkWorker reports whether a message that asks what a link
// worker is asks nothing more that must be heard, at a question waiting for
// an answer: no distress, no request for a person beyond the question
// itself ("what is a link worker? can I speak to one" is a request), no
// news.
func (t *turn) onlyAsksAboutLinkWorker(text string, res bot.Screening) bool {
	exact := t.e.cfg.Templates.Keyword(t.locale(), text) == "about_link_worker"
	if res.Distress || res.Request && !exact {
		return false
	}
	for _, kind := range []string{"human", "life_news"} {
		if t.e.cfg.Templates.Mentions(t.locale(), kind, text) {
			return false
		}
	}
	if err := t.loadConversation(); err != nil {
		return false
	}
	return t.awaitsAnswer()
}

// asksWhatMeant reports whether the whole message asks what the question
// means ("what do you mean?", "sorry, eh?", "I don't understand"): a
// what_meant keyword once fillers ("sorry", "um", "please") are taken off
// either end.
func (t *turn) asksWhatMeant(text string) bool {
	if q := strings.TrimSpace(text); q != "" && strings.Trim(q, "?？¿ ") == "" {
		return true // "?" or "??" alone (the persona trials: "didn't catch that")
	}
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	for len(ws) > 1 && meantFillers[ws[0]] {
		ws = ws[1:]
	}
	for len(ws) > 1 && meantFillers[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1]
	}
	return len(ws) > 0 && t.e.cfg.Templates.Keyword(t.locale(), strings.Join(ws, " ")) == "what_meant"
}

// asksWhatQuestionMeant is asksWhatMeant for a flow's question, where the
// person may name what they ask about ("what do you mean what matters",
// "what does that mean by GP"): a what_meant phrase of two words or more
// and at most three words after it (the persona trials saved the first as
// the answer).
func (t *turn) asksWhatQuestionMeant(text string) bool {
	if t.asksWhatMeant(text) {
		return true
	}
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	for len(ws) > 1 && meantFillers[ws[0]] {
		ws = ws[1:]
	}
	asks := len(ws) > 0 && (ws[0] == "what" || ws[0] == "whats" || ws[0] == "wdym" || ws[0] == "wym")
	for k := len(ws) - 1; k >= 2 && len(ws)-k <= 4; k-- {
		// Only a question ("what do you mean what matters") or words about
		// the question ("i dont understand the question about what
		// matters"): "I dont understand my benefits" is an answer (a
		// second and a third review).
		if p := strings.Join(ws[:k], " "); (asks || strings.HasSuffix(p, " question")) &&
			t.e.cfg.Templates.Keyword(t.locale(), p) == "what_meant" {
			return !strings.ContainsFunc(strings.Join(ws[k:], ""), unicode.IsDigit)
		}
	}
	return false
}

// meantFillers may come before or after a what_meant phrase.
var meantFillers = map[string]bool{"sorry": true, "soz": true, "um": true, "umm": true, "erm": true, "er": true, "hmm": true, "uh": true,
	"ok": true, "okay": true, "please": true, "pls": true, "but": true, "then": true, "mate": true, "love": true, "x": true, "lol": true}

// whoIsThisWords is the most words "who is this?" may come with and still
// be read as asking what the service is.
const whoIsThisWords = 12

// asksBeyondChoice reports whether text still asks for a person once the
// words that name an option of the question waiting for an answer are
// taken out ("telephone" where "Phone call" is an option).
func (t *turn) asksBeyondChoice(text string) bool {
	_, st := t.activeState()
	if st == nil || len(st.Options) == 0 {
		return true
	}
	cands, err := t.candidates(st)
	if err != nil {
		return true
	}
	rest := flows.WithoutChoices(text, cands)
	return t.e.cfg.Templates.Mentions(t.locale(), "human", rest) || t.e.cfg.Screen.Screen(rest, nil).Request
}

// activeState is the flow and state of the active conversation, or nils
// when there is none or its flow no longer has the state.
func (t *turn) activeState() (*flows.Flow, *flows.State) {
	if t.conv == nil || t.conv.Status != bot.ConvActive {
		return nil, nil
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok || f.States[t.conv.State] == nil {
		return nil, nil
	}
	return f, f.States[t.conv.State]
}

// findContact finds the contact at in's address, or makes one, and
// records in's provider id for them. It reports whether the message was
// handled before (a provider's retry): that is known before anything is
// written, because a retry's contact already exists (its first delivery
// made it), so a retry changes nothing and takes nothing from the flood
// limit.
func (t *turn) findContact(in *bot.Inbound) (dup bool, err error) {
	a := in.Address
	c, err := bot.LockContactAt(t.tx, a)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		c = &bot.Contact{Addresses: []bot.Address{a}, Locale: t.e.cfg.Locale, CreatedAt: t.now}
		if err := t.tx.PutContact(c); err != nil {
			return false, err
		}
		if err := bot.LockPerson(t.tx, c.ID); err != nil {
			return false, err
		}
		if err := recordOptIn(t.tx, c, a, t.now); err != nil {
			return false, err
		}
		t.contact = c
		// Nothing was recorded for a contact made just now: no repeat.
		_, err = t.seen(in)
		return false, err
	case err != nil:
		return false, err
	}
	t.contact = c
	if dup, err := t.seen(in); dup || err != nil {
		return dup, err
	}
	if c.Primary() != a {
		// Replies go to where the person last wrote from.
		addrs := []bot.Address{a}
		for _, x := range c.Addresses {
			if x != a {
				addrs = append(addrs, x)
			}
		}
		c.Addresses = addrs
		if err := t.tx.PutContact(c); err != nil {
			return false, err
		}
	}
	return false, nil
}

func (t *turn) locale() string {
	if t.contact != nil && t.contact.Locale != "" {
		return t.contact.Locale
	}
	return t.e.cfg.Locale
}

func (t *turn) event(kind bot.EventKind, data map[string]string) error {
	return t.tx.AddEvent(&bot.Event{At: t.now, Kind: kind, ContactID: t.contact.ID, Data: data})
}

// onRisk sends the fixed crisis text (also to an opted-out person: once per
// message that shows risk), records the risk and alerts link workers. The
// conversation is neither ended nor reset.
func (t *turn) onRisk(r bot.Risk, msgID uint64, text string) error {
	t.risk = true
	if err := t.queue(&bot.Outbound{Text: t.e.cfg.CrisisText, Urgent: true}); err != nil {
		return err
	}
	if err := t.riskEvent(r, msgID, text, nil); err != nil {
		return err
	}
	_, err := t.openHandoff(bot.ReasonRisk, r.Rule, true)
	return err
}

// needsHuman opens a handoff and tells the person what to expect.
func (t *turn) needsHuman(reason, detail, key string) error {
	if t.conv != nil && !t.conv.NeedsHuman {
		t.conv.NeedsHuman = true
		if err := t.tx.PutConversation(t.conv); err != nil {
			return err
		}
	}
	if err := t.event(bot.EventNeedsHuman, map[string]string{"reason": reason}); err != nil {
		return err
	}
	if _, err := t.openHandoff(reason, detail, false); err != nil {
		return err
	}
	return t.say(key, nil)
}

// data is what templates are rendered with for this contact.
func (t *turn) data(extra func(*templates.Data)) templates.Data {
	d := templates.Data{Contact: templates.Person{Name: t.contact.Name}, Service: t.e.Service(), Team: t.team()}
	if t.conv != nil {
		d.Answers = t.conv.Answers
	}
	if extra != nil {
		extra(&d)
	}
	return d
}

func (t *turn) render(key string, d templates.Data) (string, error) {
	s, err := t.e.cfg.Templates.Render(t.locale(), key, d)
	if err != nil {
		return "", fmt.Errorf("render %s: %w", key, err)
	}
	return s, nil
}

// say queues one message rendered from a template.
func (t *turn) say(key string, extra func(*templates.Data)) error {
	text, err := t.render(key, t.data(extra))
	if err != nil {
		return err
	}
	return t.queue(&bot.Outbound{Text: text, Format: formatOf(key)})
}

// formatOf is the Outbound format a template key asks for.
func formatOf(key string) string {
	if templates.IsHTML(key) {
		return bot.FormatHTML
	}
	return ""
}

// sayFinal queues the opt-out confirmation, the one message sent to a
// contact who has opted out.
func (t *turn) sayFinal(key string) error {
	text, err := t.render(key, t.data(nil))
	if err != nil {
		return err
	}
	return t.queue(&bot.Outbound{Text: text, Final: true, Format: formatOf(key)})
}

// queue writes a reply to the outbox and the transcript.
func (t *turn) queue(o *bot.Outbound) error {
	o.ContactID, o.To, o.CreatedAt, o.UpdatedAt = t.contact.ID, t.contact.Primary(), t.now, t.now
	o.Status, o.NextAttempt, o.Priority = bot.StatusPending, t.now, t.priority(o)
	o.LastInbound = t.contact.LastInboundAt
	if o.Kind == "" {
		o.Kind = t.outKind()
	}
	if o.Urgent {
		// The outbox sends due rows oldest NextAttempt first: an urgent row
		// (the crisis reply) goes ahead of everything queued in the last day.
		o.NextAttempt = t.now.Add(-urgentHeadStart)
	}
	if err := t.tx.Enqueue(o); err != nil {
		return err
	}
	t.queued++
	return t.tx.AppendMessage(&bot.Message{
		ContactID: t.contact.ID, Direction: bot.Out, Author: firstOf(t.author, bot.AuthorBot), Address: o.To,
		Text: o.PlainText(), At: t.now, OutboxID: o.ID,
	})
}

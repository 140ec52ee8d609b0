package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/risk"
)

// "eh?" or "what do you mean" in reply to "Are you safe?" asks what was
// meant: the question is asked again, once, saying why, and a yes then
// carries on (the persona trials: it made an urgent handoff). A second
// such reply is unclear, and urgent, as before.
func TestWhatMeantAtTheSafetyQuestion(t *testing.T) {
	for _, q := range []string{"eh?", "what do you mean", "sorry what?", "I don't understand", "Huh", "why?", "why are you asking me that"} {
		w := atName(t)
		w.send(person, concernText)
		got := w.send(person, q)
		if len(got) != 1 || !hasAll(got[0], "We asked because", "Are you safe", "116 123", "999") || slices.Contains(got, risk.CrisisText) {
			t.Fatalf("%q at the safety question got %q, want it explained and asked again", q, got)
		}
		if h := w.handoff(person); h != nil {
			t.Fatalf("%q at the safety question opened handoff %+v", q, h)
		}
		if c := w.contact(person); c.SafetyAsked.IsZero() {
			t.Fatalf("%q at the safety question cleared it", q)
		}
		if got := w.send(person, "yes I'm safe"); slices.Contains(got, risk.CrisisText) || !contains(got, "What is your name?") {
			t.Fatalf("yes after %q got %q, want thanks and the name question", q, got)
		}
	}
	w := atName(t)
	w.send(person, concernText)
	w.send(person, "what?")
	if got := w.send(person, "what?"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a second 'what?' got %q, want the crisis text", got)
	}
	if h := w.handoff(person); h == nil || !h.Urgent {
		t.Fatalf("handoff after a second 'what?' = %+v, want an urgent one", h)
	}
	// "I'm confused" is unclear, and urgent: confusion can be a sign of
	// harm (a review).
	w = atName(t)
	w.send(person, concernText)
	if got := w.send(person, "I'm confused"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("'I'm confused' at the safety question got %q, want the crisis text", got)
	}
	// Words beyond the question are read as before: unclear, and urgent.
	w = atName(t)
	w.send(person, concernText)
	if got := w.send(person, "what do you mean, I just feel empty"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a question with more words got %q, want the crisis text", got)
	}
}

// A question about a question is not saved as the answer, and is counted
// as one not understood.
func TestWhatMeantIsNotAnAnswer(t *testing.T) {
	w := atName(t)
	got := w.send(person, "what do you mean")
	if len(got) != 2 || !strings.Contains(got[0], "what to call you") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("'what do you mean' at the name question got %q, want the explanation and the question", got)
	}
	if c := w.contact(person); c.Name != "" {
		t.Fatalf("name saved as %q", c.Name)
	}
	if n := w.conversation(person).Invalid; n != 1 {
		t.Fatalf("invalid = %d, want 1", n)
	}
}

// "what is a link worker?" at a question is answered and the question
// asked again; with a request for one beside it, it is a request.
func TestWhatIsALinkWorker(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	got := w.send(person, "whats a link worker??")
	if len(got) != 2 || !strings.Contains(got[0], "not a doctor") || !strings.Contains(got[1], "Is that OK?") {
		t.Fatalf("replies = %q, want what a link worker is and the consent question", got)
	}
	if h := w.handoff(person); h != nil {
		t.Fatalf("handoff %+v opened", h)
	}
	if got := w.send(person, "yes"); !contains(got, "What is your name?") {
		t.Fatalf("yes after the answer got %q", got)
	}
	w = newWorld(t)
	w.send(person, "hi")
	w.send(person, "what is a link worker? can I talk to one today")
	if h := w.handoff(person); h == nil {
		t.Fatal("a request beside the question opened no handoff")
	}
}

// A self-referral left partway says why it starts again when the person
// comes back; one never begun starts as it always did.
func TestExpiredReferralSaysWhy(t *testing.T) {
	a, _ := bot.ParseAddress(person)
	expire := func(w *world) { // the reminder, then the expiry
		w.clock.Advance(100 * time.Hour)
		for range 3 {
			if _, err := w.sched.FireDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(time.Hour)
		}
		w.replies(a)
	}
	w := atName(t)
	w.send(person, "Sam")
	expire(w)
	got := w.send(person, "hello again")
	if len(got) < 3 || !strings.Contains(got[0], "did not send your answers") || !strings.Contains(got[1], "Hello, this is") {
		t.Fatalf("replies after expiry = %q, want why, then the welcome", got)
	}
	w = newWorld(t)
	w.send(person, "hi")
	expire(w)
	if got := w.send(person, "hi"); contains(got, "did not send your answers") {
		t.Fatalf("a referral never begun got %q", got)
	}
}

// A denial said in answer to "Are you safe?" ("I'm not suicidal if that's
// what you mean") is the answer, not a second concern: the persona trials
// got the crisis text and an urgent handoff. A denial for now only is not.
func TestDenialAnswersTheSafetyQuestion(t *testing.T) {
	w := atName(t)
	w.send(person, concernText)
	got := w.send(person, "I'm not suicidal if that's what you mean")
	if slices.Contains(got, risk.CrisisText) || !contains(got, "What is your name?") {
		t.Fatalf("a denial got %q, want thanks and the name question", got)
	}
	if h := w.handoff(person); h != nil {
		t.Fatalf("a denial opened handoff %+v", h)
	}
	if c := w.contact(person); !c.SafetyAsked.IsZero() {
		t.Fatal("the safety question is still pending")
	}
	// A denial with more beside it is read as before: urgent (a review).
	for _, text := range []string{
		"not suicidal at the moment",
		"not suicidal, I just cut sometimes",
		"I'm not suicidal. Can't see the point in anything though",
		"no I'm not suicidal, I've just stopped taking my meds",
		"not going to kill myself, I'll just stop eating",
		"I'm not suicidal, I just want it to stop",
		"I won't hurt myself, I just want to disappear",
		// A second review: an emoji says more than the words; a fourth:
		// so does a sad face.
		"im not suicidal 🔪",
		"im not suicidal ):",
		"I won't hurt myself 🌉👋",
	} {
		w = atName(t)
		w.send(person, concernText)
		if got := w.send(person, text); !slices.Contains(got, risk.CrisisText) {
			t.Errorf("%q got %q, want the crisis text", text, got)
		}
	}
	w = atName(t)
	w.send(person, concernText)
	if got := w.send(person, "im not going to do anything stupid if thats what you mean"); slices.Contains(got, risk.CrisisText) {
		t.Errorf("'not going to do anything stupid' alone got %q, want it taken as safe", got)
	}
}

// A first message that says it is for someone else opens a handoff and
// makes no referral; the texter is told why.
func TestReferralForSomeoneElse(t *testing.T) {
	w := newWorld(t)
	got := w.send(person, "Hi I'm texting for my mum, she's 82 and would like some company")
	if !contains(got, "own agreement") {
		t.Fatalf("replies = %q, want why the team has it", got)
	}
	h := w.handoff(person)
	if h == nil || h.Urgent {
		t.Fatalf("handoff = %+v, want a non-urgent one", h)
	}
	if n := len(w.events(bot.EventReferralCreated)); n != 0 {
		t.Fatalf("%d referrals made", n)
	}
	// With distress it is passed on all the same, with the Samaritans
	// number: asking the texter "Are you safe?" went wrong both ways (a
	// second review, and the persona trials).
	w = newWorld(t)
	w.send(person, "hi")
	if got := w.send(person, "asking for my husband, I'm at breaking point and really struggling"); !contains(got, "116 123") || contains(got, "Are you safe?") {
		t.Fatalf("distress beside it got %q, want the team and the Samaritans number", got)
	}
	if h := w.handoff(person); h == nil {
		t.Fatal("no handoff")
	}
}

// atConsentNoted answers the consent question with answer and checks the
// words were noted as a condition and the referral went on to the name.
func atConsentNoted(t *testing.T, answer string) *world {
	t.Helper()
	w := newWorld(t)
	w.send(person, "hi")
	got := w.send(person, answer)
	if !contains(got, "noted what you said") || !contains(got, "What is your name?") {
		t.Fatalf("replies to %q = %q, want it noted and the name question", answer, got)
	}
	return w
}

// "yes but not my GP" at consent is a yes with the condition kept: the
// referral records the person's words and no consent to share.
func TestConditionalConsent(t *testing.T) {
	w := atConsentNoted(t, "yes, but only the link worker")
	if h := w.handoff(person); h != nil {
		t.Fatalf("handoff %+v opened", h)
	}
	for _, a := range []string{"Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "text", "1", "yes"} {
		w.send(person, a)
	}
	var refs []*bot.Referral
	if err := w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Referrals(func(r *bot.Referral) bool { refs = append(refs, r); return true })
	}); err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 {
		t.Fatalf("%d referrals, want 1", len(refs))
	}
	if r := refs[0]; !r.ConsentToRecord || r.ConsentToShare || r.ConsentNote != "yes, but only the link worker" {
		t.Fatalf("referral consent = record %v, share %v, note %q", r.ConsentToRecord, r.ConsentToShare, r.ConsentNote)
	}
	// Asked again and answered plainly, the condition is gone.
	w = newWorld(t)
	w.send(person, "hi")
	w.send(person, "yes but not my GP")
	w.send(person, "RESTART")
	w.send(person, "yes")
	if a := w.conversation(person).Answers; a["consent_note"] != "" {
		t.Fatalf("answers %v after a plain yes, want no consent note", a)
	}
}

// A conditional yes that shows distress is asked about, and one that is
// not a limit on sharing is not taken for consent (a review).
func TestConditionalConsentReadWithCare(t *testing.T) {
	w := newWorld(t)
	w.send(person, "hi")
	if got := w.send(person, "yes but I'm not coping at all"); !contains(got, "Are you safe?") {
		t.Fatalf("a yes with distress got %q, want the safety check", got)
	}
	for _, text := range []string{"yes but no thanks", "ok but I've changed my mind", "yes but what happens to my data?"} {
		w := newWorld(t)
		w.send(person, "hi")
		w.send(person, text)
		if a := w.conversation(person).Answers; a["consent"] != "" {
			t.Errorf("%q saved consent %q", text, a["consent"])
		}
	}
	w = newWorld(t)
	w.send(person, "hi")
	w.send(person, "ok but can someone ring me instead")
	if h := w.handoff(person); h == nil {
		t.Error("a request after a yes opened no handoff")
	}
}

// After "Do you want to talk to someone from the team?" a yes in other words
// hands over, and more words are joined to the held answer only at a
// question about the person's life (a second review).
func TestPersonQuestionReplies(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"hi", "yes", "Sam", "3/7/1944", "WS10 8QT"} {
		w.send(person, a)
	}
	if got := w.send(person, "not sure who my gp is, can I talk to someone about it at some point"); !contains(got, "talk to someone from the team") {
		t.Fatalf("replies = %q, want the person question", got)
	}
	w.send(person, "Overdale Medical Practice")
	if gp := w.conversation(person).Answers["gp"]; gp != "Overdale Medical Practice" {
		t.Fatalf("gp = %q, want the practice alone", gp)
	}
	w = newWorld(t)
	for _, a := range []string{"hi", "yes", "Frank", "3/7/1944", "WS10 8QT", "Dr Patels", "no"} {
		w.send(person, a)
	}
	w.send(person, "since my wife died I dont see anyone. I would like someone to talk to")
	w.send(person, "i'd like that")
	if h := w.handoff(person); h == nil {
		t.Fatal("'i'd like that' opened no handoff")
	}
}

// "please dont ring, he will hear" is recorded for the team and the person
// told, once; after the crisis text when the message also shows risk (the
// persona trials: it was lost in the transcript).
func TestNoCallsRecorded(t *testing.T) {
	w := atName(t)
	got := w.send(person, "please dont ring me, he will hear")
	if !contains(got, "do not want phone calls") {
		t.Fatalf("replies = %q, want it noted", got)
	}
	if n := len(w.events(bot.EventNoCalls)); n != 1 {
		t.Fatalf("%d no-calls events, want 1", n)
	}
	if got := w.send(person, "just text me please"); contains(got, "do not want phone calls") || len(w.events(bot.EventNoCalls)) != 1 {
		t.Fatalf("a second asking got %q and %d events, want it noted once", got, len(w.events(bot.EventNoCalls)))
	}
	w = atName(t)
	got = w.send(person, "he hit me again, please dont call me he will hear")
	if len(got) < 2 || got[0] != risk.CrisisText || !strings.Contains(got[len(got)-1], "do not want phone calls") {
		t.Fatalf("replies = %q, want the crisis text first and the note last", got)
	}
	w = atName(t)
	if got := w.send(person, "I don't call my mum any more"); contains(got, "phone calls") {
		t.Fatalf("an ordinary line got %q", got)
	}
	w = atName(t)
	if got := w.send(person, "I only text my kids now, they never visit"); contains(got, "phone calls") {
		t.Fatalf("'only text' in a sentence got %q", got)
	}
}

// A message that is only a wish not to be phoned, at a question, is noted
// and the question asked again: not saved as a name, not a no to a yes/no
// question, not a request for a person (the third persona trial).
func TestNoCallsAtAQuestion(t *testing.T) {
	for _, text := range []string{"please dont call me", "dont ring me", "please just text, dont ring", "text only pls",
		"im deaf so text only", "only text please", "texts only x"} {
		w := atName(t)
		got := w.send(person, text)
		if !contains(got, "do not want phone calls") || !contains(got, "What is your name?") {
			t.Errorf("%q at the name question got %q, want it noted and the question again", text, got)
		}
		if c := w.contact(person); c.Name != "" {
			t.Errorf("%q saved as the name", text)
		}
		if h := w.handoff(person); h != nil && !h.Urgent {
			t.Errorf("%q opened handoff %+v", text, h)
		}
	}
	// With risk it is the crisis text first, and noted (the trial found
	// it not noted at all).
	w := atName(t)
	if got := w.send(person, "he checks my phone, dont call"); len(got) != 2 || got[0] != risk.CrisisText || !strings.Contains(got[1], "do not want phone calls") {
		t.Errorf("coercive control with no calls got %q, want the crisis text and the note", got)
	}
	w = atName(t)
	for _, a := range []string{"Sam", "12/03/1958", "sw1a 1aa", "Riverside"} {
		w.send(person, a)
	}
	w.send(person, "dont ring me")
	if a := w.conversation(person).Answers; a["carer"] != "" {
		t.Fatalf("'dont ring me' at the carer question saved carer = %q", a["carer"])
	}
	// "please" alone after "Do you want to talk to someone?" is a yes.
	w = atName(t)
	if got := w.send(person, "sorry can i just speak to an actual person"); !contains(got, "talk to someone from the team") {
		t.Fatalf("replies = %q, want the person question", got)
	}
	w.send(person, "please")
	if h := w.handoff(person); h == nil {
		t.Fatal("'please' opened no handoff")
	}
	// The GP suggested it: a first message that starts the referral.
	w = newWorld(t)
	if got := w.send(person, "Hello, Dr Shah suggested I get in touch"); !contains(got, "Is that OK?") {
		t.Fatalf("replies = %q, want the referral's consent question", got)
	}
}

// "no im fine" to "Are you safe?" is asked about once more, plainly: a
// common British reply that may deny the danger (the third persona trial:
// the crisis text). A second is a no; "no" alone and "no im not fine" are
// as before.
func TestNoImFineAskedOnceMore(t *testing.T) {
	for _, text := range []string{"no im fine", "nah im ok x", "no I'm alright thanks :)", "no im fine thanks for asking",
		"na dwi'n iawn", "Na, dwi'n iawn diolch", "nah im good", "no no im fine honestly"} {
		w := atName(t)
		w.send(person, concernText)
		got := w.send(person, text)
		if slices.Contains(got, risk.CrisisText) || len(got) != 1 || !hasAll(got[0], "want to be sure", "116 123", "999") {
			t.Fatalf("%q got %q, want the question once more", text, got)
		}
		if got := w.send(person, "yes"); slices.Contains(got, risk.CrisisText) || !contains(got, "What is your name?") {
			t.Fatalf("yes after %q got %q", text, got)
		}
	}
	w := atName(t)
	w.send(person, concernText)
	w.send(person, "no im fine")
	if got := w.send(person, "no im fine"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a second 'no im fine' got %q, want the crisis text", got)
	}
	for _, text := range []string{"no", "no im not fine", "no im fine till he gets back", "no im fine ):", "no im fine :(",
		"na", "nac ydw", "na dwi ddim yn iawn", "nac ydw, dwi'n iawn", "no im not, im fine"} {
		w := atName(t)
		w.send(person, concernText)
		if got := w.send(person, text); !slices.Contains(got, risk.CrisisText) {
			t.Errorf("%q got %q, want the crisis text", text, got)
		}
	}
}

// A no in more words at consent ends the referral as a plain no does;
// "I don't want to share it with my GP" is asked again, not taken for a
// no.
func TestConsentDeclinedInWords(t *testing.T) {
	for _, text := range []string{"no thanks ive changed my mind", "actually no, i dont want to", "Sorry, I've changed my mind"} {
		w := newWorld(t)
		w.send(person, "hi")
		if got := w.send(person, text); !contains(got, "won't ask anything more") {
			t.Errorf("%q got %q, want the referral ended", text, got)
		}
	}
	for _, text := range []string{"I don't want to share it with my GP", "no thanks, whats the point", "not now, he's in the room",
		"what if I change my mind later", "I haven't changed my mind, I want the referral"} {
		w := newWorld(t)
		w.send(person, "hi")
		if got := w.send(person, text); contains(got, "won't ask anything more") {
			t.Errorf("%q got %q, want it not taken for a no", text, got)
		}
	}
}

// "no not my GP" at consent is a no to the GP, not to the referral: kept
// as a condition, as "yes but not my GP" is (session 45's persona trial:
// the referral ended and the person was told to speak to their GP).
func TestConsentNoToTheGPAlone(t *testing.T) {
	w := atConsentNoted(t, "no not my GP")
	if a := w.conversation(person).Answers; a["consent_note"] != "no not my GP" {
		t.Fatalf("answers %v, want the words kept as the consent note", a)
	}
}

// "its for my dad actually not me" after the name is given is a referral
// for someone else (session 45's persona trial: the postcode was asked
// again); "it's for my mum, I'm worn out caring" stays the carer's own.
func TestReferralForSomeoneElseLater(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"Hi there", "yes", "Karen Lee", "1/1/1970"} {
		w.send(person, a)
	}
	if got := w.send(person, "sorry its for my dad not me"); !contains(got, "116 123") || contains(got, "Are you safe?") {
		t.Fatalf("replies = %q, want it passed to the team with the Samaritans number", got)
	}
	if h := w.handoff(person); h == nil {
		t.Fatal("no handoff")
	}
	w = newWorld(t)
	for _, a := range []string{"Hi there", "yes", "Karen Lee", "1/1/1970", "sw1a 1aa", "Riverside", "yes"} {
		w.send(person, a)
	}
	w.send(person, "honestly its for my mum, I'm worn out caring")
	if h := w.handoff(person); h != nil && h.Reason == "a referral for someone else" {
		t.Fatalf("a carer's own answer opened %+v", h)
	}
}

// A question at consent about who sees the answers is answered with the
// explanation, and the question asked again (session 45's persona trial:
// "Sorry, I can't answer questions here").
func TestConsentQuestionsExplained(t *testing.T) {
	for _, q := range []string{"who sees it exactly?", "will my GP see what I write?", "what happens if i say no?"} {
		w := newWorld(t)
		w.send(person, "hi")
		got := w.send(person, q)
		if !contains(got, "no one else") || !contains(got, "Is that OK?") || contains(got, "can't answer questions") {
			t.Errorf("%q at consent got %q, want the explanation and the question", q, got)
		}
	}
}

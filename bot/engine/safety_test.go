package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/bottest"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/store/bolt"
)

// atName starts a self-referral and answers consent, so the bot is waiting
// for the person's name (a free-text answer).
func atName(t *testing.T, opts ...option) *world {
	t.Helper()
	w := newWorld(t, opts...)
	w.send(person, "hi")
	w.send(person, "yes")
	if st := w.conversation(person).State; st != "name" {
		t.Fatalf("state = %q, want name", st)
	}
	return w
}

func hasAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

const concernText = "I don't see a future for me"

func TestConcernAsksAreYouSafe(t *testing.T) {
	al := &alerts{}
	w := atName(t, withNotifier(al))
	got := w.send(person, concernText)
	if len(got) != 1 || !hasAll(got[0], "Are you safe?", "999", "116 123") || got[0] == risk.CrisisText {
		t.Fatalf("replies = %q, want the safety check with the crisis numbers", got)
	}
	ev := w.events(bot.EventRisk)
	if len(ev) != 1 || ev[0].Data["tier"] != "concern" || ev[0].Data["rule"] == "" || ev[0].Data["words"] == "" {
		t.Fatalf("risk events = %+v, want one concern naming its rule and words", ev)
	}
	if a := al.list(); len(a) != 1 || a[0].Kind != bot.AlertConcern || a[0].Urgent {
		t.Errorf("alerts = %+v, want one concern alert", a)
	}
	if c := w.contact(person); c.SafetyAsked.IsZero() {
		t.Error("contact does not record the pending safety check")
	}
	if w.conversation(person).State != "name" {
		t.Error("conversation moved on a concern")
	}

	// "Yes": noted, and the conversation carries on where it was.
	got = w.send(person, "yes I'm ok")
	if len(got) != 2 || !strings.Contains(got[0], "Thank you for telling us") || !strings.Contains(strings.ToLower(got[1]), "name") {
		t.Fatalf("replies to yes = %q, want thanks and the name question again", got)
	}
	if ans := w.events(bot.EventSafetyAnswered); len(ans) != 1 || ans[0].Data["answer"] != "yes" {
		t.Errorf("safety answers = %+v", ans)
	}
	if c := w.contact(person); !c.SafetyAsked.IsZero() {
		t.Error("safety check still pending after yes")
	}
	w.send(person, "Margaret Jones")
	if got := w.conversation(person).Answers["name"]; got != "Margaret Jones" {
		t.Errorf("name = %q after the check, want the next answer saved", got)
	}
	// The timer does not fire later.
	w.clock.Advance(time.Hour)
	w.sched.FireDue(context.Background())
	if got := w.replies(w.contact(person).Primary()); len(got) != 0 {
		t.Errorf("after a yes, the safety timer sent %q", got)
	}
}

// A yes in the person's own words is a yes: read together with the message
// that raised the concern, the second signal must not raise it again (it
// did: "yes I'm safe, my mum is with me" turned the check urgent).
func TestYesInOwnWordsAfterConcern(t *testing.T) {
	for _, tt := range []struct{ concern, answer string }{
		{concernText, "yes I'm safe, my mum is with me"},
		{concernText, "yes safe, the kids keep me going"},
		{"what's the point of anything anymore", "yes, I've got my husband here"},
		{"tired of everything, no point", "yes I'm safe now"},
		{"I've picked the songs for my funeral", "yes. I wouldn't do anything, I've got my dog"},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			w := atName(t)
			w.send(person, tt.concern)
			if c := w.contact(person); c.SafetyAsked.IsZero() {
				t.Fatalf("%q did not ask the safety question", tt.concern)
			}
			got := w.send(person, tt.answer)
			if len(got) == 0 || !strings.Contains(got[0], "Thank you for telling us") {
				t.Fatalf("replies to %q = %q, want the thanks for a yes", tt.answer, got)
			}
			if ans := w.events(bot.EventSafetyAnswered); len(ans) != 1 || ans[0].Data["answer"] != "yes" {
				t.Errorf("safety answers = %+v, want one yes", ans)
			}
			for _, ev := range w.events(bot.EventRisk) {
				if ev.Data["tier"] == "urgent" {
					t.Errorf("an urgent finding after a yes: %+v", ev.Data)
				}
			}
		})
	}
}

func TestConcernEscalates(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer string // "" waits for the timer
		rule   string
	}{
		{"no", "no", "no"},
		{"unclear", "LL57 2DG", "unclear"},
		{"silence", "", "none"},
		{"another concern", "there's no point anymore", "another concern"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := atName(t)
			w.send(person, concernText)
			var got []string
			if tt.answer == "" {
				w.clock.Advance(14 * time.Minute)
				w.sched.FireDue(context.Background())
				if got := w.replies(w.contact(person).Primary()); len(got) != 0 {
					t.Fatalf("before 15 minutes: %q", got)
				}
				w.clock.Advance(time.Minute)
				w.sched.FireDue(context.Background())
				got = w.replies(w.contact(person).Primary())
			} else {
				got = w.send(person, tt.answer)
			}
			if len(got) == 0 || got[0] != risk.CrisisText {
				t.Fatalf("replies = %q, want the crisis text first", got)
			}
			if len(got) != 1 {
				// No notifier here: nobody was alerted, so nothing more may
				// say the team has the messages (nor the note for people
				// writing to an unclaimed handoff, in the turn that opened it).
				t.Fatalf("replies = %q, want the crisis text alone", got)
			}
			if h := w.handoff(person); !h.Urgent {
				t.Errorf("handoff = %+v, want urgent", h)
			}
			ev := w.events(bot.EventRisk)
			if last := ev[len(ev)-1]; last.Data["tier"] != "urgent" {
				t.Errorf("last risk event = %+v, want urgent", last)
			}
			if c := w.contact(person); !c.SafetyAsked.IsZero() {
				t.Error("safety check still pending after escalation")
			}
			if tt.rule != "another concern" && !strings.Contains(ev[len(ev)-1].Data["rule"], tt.rule) {
				t.Errorf("rule = %q, want it to say %q", ev[len(ev)-1].Data["rule"], tt.rule)
			}
		})
	}
}

// A concern after the safety question was answered no, with the urgent
// handoff still open, is urgent again: asking "Are you safe?" once more
// reads as if the no was not heard (session 46's persona trial).
func TestConcernWithUrgentHandoffOpenIsUrgent(t *testing.T) {
	w := atName(t)
	w.send(person, concernText)
	if got := w.send(person, "no not really"); len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("replies to no = %q, want the crisis text", got)
	}
	got := w.send(person, "i dont know what im doing anymore, theres no point")
	if len(got) == 0 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want the crisis text again, not the safety question", got)
	}
	for _, r := range got {
		if strings.Contains(r, "Are you safe?") {
			t.Errorf("asked again: %q", r)
		}
	}
	if c := w.contact(person); !c.SafetyAsked.IsZero() {
		t.Error("a safety check is pending with the urgent handoff open")
	}
	if ev := w.events(bot.EventRisk); ev[len(ev)-1].Data["tier"] != "urgent" {
		t.Errorf("last risk event = %+v, want urgent", ev[len(ev)-1])
	}
}

func TestConcernAfterStopIsUrgent(t *testing.T) {
	al := &alerts{}
	w := atName(t, withNotifier(al))
	w.send(person, "STOP")
	got := w.send(person, concernText)
	if len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want the crisis text (an opted-out person is not asked)", got)
	}
	if a := al.list(); len(a) == 0 || !a[len(a)-1].Urgent {
		t.Errorf("alerts = %+v, want link workers alerted urgently after STOP", a)
	}
}

// After STOP, risk still reaches the link workers, also when an urgent
// handoff is already open.
func TestRiskAfterStopAlertsLinkWorkers(t *testing.T) {
	al := &alerts{}
	w := atName(t, withNotifier(al))
	w.send(person, "i want to kill myself")
	n := len(al.list())
	w.send(person, "STOP")
	if got := w.send(person, "i want to kill myself"); len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q", got)
	}
	if a := al.list(); len(a) <= n || !a[len(a)-1].Urgent {
		t.Errorf("alerts after STOP = %+v (had %d), want a new urgent alert", a, n)
	}
}

func TestRequestInOwnWordsIsConfirmed(t *testing.T) {
	for _, tt := range []struct {
		text, answer string
		handoff      bool
		state        string
	}{
		{"can I talk to someone please", "yes", true, "name"},
		{"I need to talk to someone", "yes please", true, "name"},
		{"speak to a person please", "no", false, "name"},
		{"human please", "Margaret Jones", false, "dob"},
		// found by the request model, not the request rules
		{"is there anyone i could speak to about the forms this week", "yes", true, "name"},
		{"rather deal with somebody real if thats ok", "no", false, "name"},
		// asking again in other words is a yes, not the name (session 39:
		// "just get me someone ffs" was saved as the GP practice)
		{"stop being a robot", "just get me someone ffs", true, "name"},
		{"can I talk to someone please", "a person please", true, "name"},
		// a no that mentions a person is still a no (a review found it
		// opened a handoff)
		{"I need to talk to someone", "I dont want to talk to someone, just the form", false, "name"},
		{"I need to talk to someone", "no thanks, dont need to speak to someone", false, "name"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			w := atName(t)
			got := w.send(person, tt.text)
			if len(got) != 1 || !strings.Contains(got[0], "talk to someone from the team") {
				t.Fatalf("replies = %q, want the confirmation question", got)
			}
			if name := w.conversation(person).Answers["name"]; name != "" {
				t.Fatalf("request saved as the name %q", name)
			}
			got = w.send(person, tt.answer)
			if tt.handoff {
				if h := w.handoff(person); h.Reason != bot.ReasonAsked {
					t.Errorf("handoff = %+v, want asked", h)
				}
				return
			}
			if st := w.conversation(person).State; st != tt.state {
				t.Errorf("state = %q after %q, want %q (replies %q)", st, tt.answer, tt.state, got)
			}
			if tt.state == "dob" && w.conversation(person).Answers["name"] != tt.answer {
				t.Errorf("name = %q, want %q", w.conversation(person).Answers["name"], tt.answer)
			}
		})
	}
}

func TestDistressNotUnderstoodIsAsked(t *testing.T) {
	w := atName(t)
	w.send(person, "Margaret")
	if st := w.conversation(person).State; st != "dob" {
		t.Fatalf("state = %q, want dob", st)
	}
	got := w.send(person, "i'm really struggling and i can't cope")
	if len(got) != 1 || !hasAll(got[0], "Are you safe?", "116 123") {
		t.Fatalf("replies = %q, want the safety check, not \"Sorry, I didn't catch that\"", got)
	}
	// A question that shows distress where the bot wanted words is asked
	// about too, not told "I can't answer questions here".
	w = atName(t)
	got = w.send(person, "why am i really struggling and why can't i cope?")
	if len(got) != 1 || !hasAll(got[0], "Are you safe?", "116 123") {
		t.Fatalf("a question showing distress at the name question got %q, want the safety check", got)
	}
}

func TestNewEngineRefusesUnsafeConfig(t *testing.T) {
	store, err := bolt.Open(context.Background(), t.TempDir()+"/l.db", bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for name, change := range map[string]func(*engine.Config){
		"no screen":      func(c *engine.Config) { c.Screen = nil },
		"no crisis text": func(c *engine.Config) { c.CrisisText = " " },
	} {
		cfg := bottest.Config(t, store)
		change(&cfg)
		if _, err := engine.NewEngine(cfg); err == nil {
			t.Errorf("%s: NewEngine accepted it", name)
		}
	}
}

// Over the flood limit the bot cannot hold a conversation, so possible
// risk is not asked about: it is urgent.
func TestConcernOverFloodLimitIsUrgent(t *testing.T) {
	w := newWorld(t, withFlood(2, time.Minute))
	w.send(person, "help")
	w.send(person, "help")
	got := w.send(person, concernText)
	if len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want the crisis text", got)
	}
	if h := w.handoff(person); !h.Urgent {
		t.Errorf("handoff = %+v, want urgent", h)
	}
}

// Urgent risk while "Are you safe?" waits for an answer: the crisis text,
// and the pending question is closed, so a later "yes" is an ordinary
// message.
func TestUrgentWhileSafetyCheckPending(t *testing.T) {
	w := atName(t)
	w.send(person, concernText)
	if got := w.send(person, "i want to kill myself"); len(got) != 1 || got[0] != risk.CrisisText {
		t.Fatalf("replies = %q, want the crisis text", got)
	}
	if c := w.contact(person); !c.SafetyAsked.IsZero() {
		t.Error("safety check still pending after urgent risk")
	}
	w.clock.Advance(time.Hour)
	w.sched.FireDue(context.Background())
	ev := w.events(bot.EventRisk)
	if len(ev) != 2 {
		t.Errorf("risk events = %d, want 2 (the timer must not add a third)", len(ev))
	}
}

// A past attempt told as over, or a denial, that the screen reads as
// ordinary is kept on the person's record as noted: no question, no alert.
// At a question it could be taken for the answer, so there it is asked
// about as a concern and not saved.
func TestNotedRisk(t *testing.T) {
	const past = "Twenty years ago I tried to take my life. I'm a grandad now and I'd like to volunteer on a helpline."
	screen, err := risk.Default()
	if err != nil {
		t.Fatal(err)
	}
	if s := screen.Screen(past, nil); s.Risk.Found() || s.Noted.Tier != bot.RiskNoted {
		t.Fatalf("the screen gives %+v for %q, want it noted only (the test checks nothing)", s, past)
	}
	t.Run("no question waiting", func(t *testing.T) {
		al := &alerts{}
		w := newWorld(t, withNotifier(al))
		w.send(person, "hi")
		w.send(person, "no") // declines: the conversation ends
		if st := w.conversation(person).Status; st == bot.ConvActive {
			t.Fatalf("conversation %q after declining, want it over (the test checks nothing)", st)
		}
		got := w.send(person, past)
		for _, r := range got {
			if strings.Contains(r, "Are you safe?") || r == risk.CrisisText {
				t.Errorf("replies = %q, want no safety question or crisis text for a noted finding", got)
			}
		}
		ev := w.events(bot.EventRisk)
		if len(ev) != 1 || ev[0].Data["tier"] != string(bot.RiskNoted) || !strings.Contains(ev[0].Data["rule"], "set aside: model") {
			t.Fatalf("risk events = %+v, want one noted finding with the model's score", ev)
		}
		if a := al.list(); len(a) != 0 {
			t.Errorf("alerts = %+v, want none for a noted finding", a)
		}
		if c := w.contact(person); !c.SafetyAsked.IsZero() {
			t.Error("a noted finding left a safety check pending")
		}
	})
	// Nothing is asked of a person who opted out, or with their STOP, or
	// while a link worker holds the conversation: noted only.
	for _, tt := range []struct {
		name   string
		before []string
		text   string
	}{
		{"after STOP", []string{"STOP"}, past},
		{"with STOP", nil, "STOP " + past},
		{"handoff open", []string{"HUMAN"}, past},
		{"urgent handoff open", []string{"i want to kill myself", "thank you"}, past},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if s := screen.Screen(tt.text, nil); s.Noted.Tier != bot.RiskNoted {
				t.Fatalf("the screen gives %+v for %q, want it noted (the case checks nothing)", s, tt.text)
			}
			w := atName(t)
			for _, b := range tt.before {
				w.send(person, b)
			}
			got := w.send(person, tt.text)
			for _, r := range got {
				if strings.Contains(r, "Are you safe?") {
					t.Errorf("replies = %q, want no safety question", got)
				}
			}
			var tiers []string
			for _, e := range w.events(bot.EventRisk) {
				tiers = append(tiers, e.Data["tier"])
			}
			// (An urgent handoff's own finding comes first.)
			if n := len(tiers); n == 0 || tiers[n-1] != string(bot.RiskNoted) || slices.Contains(tiers, string(bot.RiskConcern)) || n > 1 && tiers[0] != string(bot.RiskUrgent) || n > 2 {
				t.Errorf("risk event tiers = %q, want one noted finding (after the urgent one that opened a handoff)", tiers)
			}
			if name, ok := w.conversation(person).Answers["name"]; ok {
				t.Errorf("name = %q, want nothing saved", name)
			}
		})
	}
	t.Run("at the name question", func(t *testing.T) {
		al := &alerts{}
		w := atName(t, withNotifier(al))
		got := w.send(person, past)
		if len(got) != 1 || !hasAll(got[0], "Are you safe?", "116 123") {
			t.Fatalf("replies = %q, want the safety check", got)
		}
		if name, ok := w.conversation(person).Answers["name"]; ok {
			t.Errorf("name = %q, want nothing saved", name)
		}
		if ev := w.events(bot.EventRisk); len(ev) != 1 || ev[0].Data["tier"] != string(bot.RiskConcern) || !strings.HasSuffix(ev[0].Data["rule"], " (at a question)") {
			t.Errorf("risk events = %+v, want one concern", ev)
		}
		if a := al.list(); len(a) != 1 || a[0].Kind != bot.AlertConcern {
			t.Errorf("alerts = %+v, want one concern alert", a)
		}
	})
}

// TestWishForNoMessagesInOwnWords: "Stop please" at the name question was
// saved as the name (session 39's trials). A short wish for no more
// messages in the person's own words is answered with how to stop, never
// saved as an answer and never an opt-out on a guess; STOP alone still
// opts out, and a longer message is read as what it says.
func TestWishForNoMessagesInOwnWords(t *testing.T) {
	for _, tt := range []struct {
		text  string
		check bool
	}{
		{"Stop please", true},
		{"stop it", true},
		{"no more messages thanks", true},
		{"can you stop texting me", true},
		{"I don't want any more texts", true},
		{"take me off your list", true},
		{"opt out", true},
		{"please stop", true},
		{"Margaret Stopford", false},
		// STOP and more words that say something else (a review)
		{"Stop feeling so alone", false},
		{"Quit smoking and get out more", false},
		{"my ex won't stop texting me and I want some help with that", false},
		// Session 41's trials.
		{"i didnt ask for this please stop texting me", true},
		{"wrong number", true},
		{"my ex won't stop texting me, can you help", false},
		// A review: a wish to stop something else answers the question.
		{"i want to stop smoking and get more active please", false},
		{"please stop me feeling so alone, i have nobody since mum died", false},
		{"I want to stop smoking", false},
		// A second review.
		{"please stop my daughter taking my bank card out", false},
		{"i want to stop contact with my ex", false},
		{"i want to stop feeling so left out", false},
		{"i want to stop worrying about the gas being cut off", false},
		// A third review.
		{"please remove me from your list", true},
		{"can you take me off please", true},
		{"opt me out please", true},
		{"please take me off your mailing list", true},
		{"remove me from this number please", true},
	} {
		t.Run(tt.text, func(t *testing.T) {
			w := atName(t)
			got := w.send(person, tt.text)
			checked := len(got) == 1 && strings.Contains(got[0], "If so, reply STOP")
			if checked != tt.check {
				t.Fatalf("replies = %q; asked to reply STOP: %v, want %v", got, checked, tt.check)
			}
			c := w.contact(person)
			if c.OptedOut {
				t.Fatal("opted out on own words")
			}
			name := w.conversation(person).Answers["name"]
			if tt.check && name != "" {
				t.Fatalf("saved as the name: %q", name)
			}
			if tt.check {
				if got := w.send(person, "STOP"); !contains(got, "won't get any more messages") || !w.contact(person).OptedOut {
					t.Fatalf("STOP after the check got %q", got)
				}
			}
		})
	}
}

// TestConcernAnswerKeptAfterYes: the message that raised a concern at a
// question with a form is taken as the answer once the person says they
// are safe (session 40's trials: a postcode given with a hard sentence was
// asked for again, and a check-in answer was lost); a question answered in
// free words is asked again.
func TestConcernAnswerKeptAfterYes(t *testing.T) {
	w := atName(t)
	w.send(person, "Margaret Jones")
	w.send(person, "12/03/1958")
	if st := w.conversation(person).State; st != "postcode" {
		t.Fatalf("state = %q, want postcode", st)
	}
	w.send(person, "TR1 1AA. "+concernText)
	if w.contact(person).SafetyAsked.IsZero() {
		t.Fatal("no safety check")
	}
	got := w.send(person, "yes I'm safe")
	if c := w.conversation(person); c.Answers["postcode"] != "TR1 1AA" || c.State != "gp" {
		t.Fatalf("after yes: postcode %q, state %q (replies %q); want the postcode kept and the GP question", c.Answers["postcode"], c.State, got)
	}
	if !contains(got, "Which GP practice") {
		t.Fatalf("replies = %q, want the GP question", got)
	}
	// A free-text answer is asked for again, with the question alone.
	w.send(person, "Riverside, "+concernText)
	got = w.send(person, "yes")
	if c := w.conversation(person); c.State != "gp" || c.Answers["gp"] != "" {
		t.Fatalf("after yes at a free-text question: state %q, gp %q", c.State, c.Answers["gp"])
	}
	if len(got) != 2 || !strings.Contains(got[1], "Which GP practice") {
		t.Fatalf("replies = %q, want the thanks and the GP question", got)
	}
	// At a question about the person's life in their own words it is kept
	// (the persona trials asked her to repeat something painful).
	w.send(person, "Riverside")
	w.send(person, "no")
	said := "since Alan went I just want to be with him again"
	w.send(person, said)
	if w.contact(person).SafetyAsked.IsZero() {
		t.Fatal("no safety check at what matters")
	}
	got = w.send(person, "yes im safe")
	if c := w.conversation(person); c.Answers["what_matters"] != said || c.State != "needs" {
		t.Fatalf("after yes at what matters: state %q, answer %q (replies %q)", c.State, c.Answers["what_matters"], got)
	}
}

// TestDistressAfterConversationIsAsked: distress in a message after the
// conversation ended is asked about, not only saved (session 40's trials:
// "it's been awful and I'm not coping" after a check-in got "it has been
// saved"); an ordinary message still gets the saved note.
func TestDistressAfterConversationIsAsked(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"hi", "yes", "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "1", "1", "1", "no"} {
		w.send(person, a)
	}
	if c := w.conversation(person); c.Status != bot.ConvDone {
		t.Fatalf("conversation %q, want done", c.Status)
	}
	if got := w.send(person, "thanks again"); !contains(got, "it has been saved") {
		t.Fatalf("an ordinary message after the end got %q", got)
	}
	got := w.send(person, "I forgot to say, I've been in hospital with Jim all week, it's been awful and I'm not coping")
	if len(got) != 1 || !strings.Contains(got[0], "Are you safe?") || w.contact(person).SafetyAsked.IsZero() {
		t.Fatalf("distress after the end got %q, want the safety check", got)
	}
}

// TestConcernAsFirstMessageThenIntroduction: when the first message raises
// a concern, the yes is followed by the introduction (session 40's trials:
// nothing came until the person wrote again, and that message, their
// name, was taken as the opening).
func TestConcernAsFirstMessageThenIntroduction(t *testing.T) {
	w := newWorld(t)
	if got := w.send(person, concernText); len(got) != 1 || !strings.Contains(got[0], "Are you safe?") {
		t.Fatalf("first message got %q, want the safety check", got)
	}
	got := w.send(person, "yes im ok, just sad")
	if !contains(got, "Thank you for telling us") || !contains(got, "put you in touch with a link worker") {
		t.Fatalf("after yes: %q, want the thanks and the introduction", got)
	}
	if c := w.conversation(person); c == nil || c.State != "consent" {
		t.Fatalf("conversation = %+v, want the consent question waiting", c)
	}
}

// TestSecondReviewCases: what a second review of this session's mends
// found.
func TestSecondReviewCases(t *testing.T) {
	upTo := func(t *testing.T, answers ...string) *world {
		w := newWorld(t)
		for _, a := range append([]string{"hi", "yes"}, answers...) {
			w.send(person, a)
		}
		return w
	}
	t.Run("a no to a person, with a choice", func(t *testing.T) {
		w := upTo(t, "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1")
		got := w.send(person, "text is fine, I don't need to talk to someone")
		if c := w.conversation(person); c.Answers["contact_method"] != "text" {
			t.Fatalf("contact_method %q (replies %q), want text", c.Answers["contact_method"], got)
		}
		if contains(got, "now with the link worker team") {
			t.Fatalf("handed over: %q", got)
		}
	})
	t.Run("an opt-out keyword and please", func(t *testing.T) {
		w := upTo(t)
		if got := w.send(person, "Unsubscribe please"); !contains(got, "If so, reply STOP") {
			t.Fatalf("replies = %q", got)
		}
		if name := w.conversation(person).Answers["name"]; name != "" {
			t.Fatalf("saved as the name: %q", name)
		}
	})
	t.Run("quit as the first word of an answer with a past attempt", func(t *testing.T) {
		w := upTo(t, "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no")
		got := w.send(person, "Quit drinking after I tried to take my life in 2015, now I want to get out more")
		if len(got) == 0 {
			t.Fatal("the message was dropped with no reply")
		}
	})
}

// atSurvey starts the ONS4 survey for a person who has no referral, so the
// bot waits for a number from 0 to 10.
func atSurvey(t *testing.T, opts ...option) *world {
	t.Helper()
	w := newWorld(t, opts...)
	w.send(person, "hi")
	w.send(person, "no")
	if ok, err := w.engine.StartFlow(context.Background(), w.contact(person).ID, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	a, _ := bot.ParseAddress(person)
	w.replies(a)
	return w
}

// A survey answer sent in reply to "Are you safe?" is the person answering
// what they were asked before: the check is asked once more, not taken as
// unclear (which made an urgent handoff and dropped the survey).
func TestSafetyAskedAgainAfterAFlowAnswer(t *testing.T) {
	w := atSurvey(t)
	w.send(person, concernText)
	got := w.send(person, "3")
	if len(got) != 1 || !hasAll(got[0], "are you safe?", "999", "116 123") || got[0] == risk.CrisisText {
		t.Fatalf("a survey answer to the check got %q, want the check once more", got)
	}
	if c := w.contact(person); c.SafetyAsked.IsZero() {
		t.Fatal("the check is no longer pending")
	}
	if ev := w.events(bot.EventSafetyAnswered); len(ev) != 1 || ev[0].Data["answer"] != bot.SafetyAnsweredInstead {
		t.Fatalf("safety answers %+v, want the second asking recorded", ev)
	}
	if h := w.handoff(person); h != nil {
		t.Fatalf("handoff %+v opened for a survey answer", h)
	}
	if conv := w.conversation(person); conv.State != "satisfied" || conv.Answers["satisfied"] != "" {
		t.Fatalf("conversation %s %v; the answer to the check was saved", conv.State, conv.Answers)
	}
	got = w.send(person, "yes")
	if len(got) != 2 || !strings.Contains(got[0], "Thank you for telling us") || !strings.Contains(got[1], "satisfied") {
		t.Fatalf("replies to yes = %q, want thanks and the question again", got)
	}
	w.send(person, "3")
	if conv := w.conversation(person); conv.Answers["satisfied"] != "3" || conv.State != "worthwhile" {
		t.Fatalf("conversation %s %v after the check, want the answer saved", conv.State, conv.Answers)
	}

	// Only once: a second survey answer is unclear, and so urgent.
	w = atSurvey(t)
	w.send(person, concernText)
	w.send(person, "3")
	got = w.send(person, "4")
	if !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a second survey answer got %q, want the crisis text", got)
	}
	if h := w.handoff(person); h == nil || !h.Urgent {
		t.Fatalf("handoff = %+v, want an urgent one", h)
	}

	// Free words are never taken for an answer: unclear, as before.
	w = atName(t)
	w.send(person, concernText)
	if got := w.send(person, "Margaret"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a name in reply to the check got %q, want the crisis text", got)
	}
	// Nor is a word that answers the question: "not at all" is 0 at the
	// survey question, and a no to "Are you safe?" (a review).
	w = atSurvey(t)
	w.send(person, concernText)
	if got := w.send(person, "not at all"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("'not at all' in reply to the check got %q, want the crisis text", got)
	}
	// Nor anything at a yes/no question ("yes for now" at consent).
	w = newWorld(t)
	w.send(person, "hi")
	w.send(person, concernText)
	if got := w.send(person, "yes for now"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("'yes for now' at consent got %q, want the crisis text", got)
	}
	// Nor for a person who opted out meanwhile (the provider's opt-out).
	w = atSurvey(t)
	w.send(person, concernText)
	if err := w.store.Update(context.Background(), func(tx bot.Tx) error {
		return bot.OptOut(tx, w.contact(person).ID, w.clock.Now(), "provider")
	}); err != nil {
		t.Fatal(err)
	}
	if got := w.send(person, "3"); !slices.Contains(got, risk.CrisisText) {
		t.Fatalf("a survey answer after an opt-out got %q, want the crisis text", got)
	}
	// Nor while a link worker holds the conversation: the message is theirs
	// to read, and the team is alerted again.
	al := &alerts{}
	w = atSurvey(t, withNotifier(al))
	w.send(person, "I want to kill myself")
	w.send(person, concernText)
	n := len(al.list())
	if got := w.send(person, "3"); contains(got, "Before we go on") || len(al.list()) == n {
		t.Fatalf("a survey answer in a handoff got %q and %d alerts, want no second asking and an alert", got, len(al.list())-n)
	}
}

// A distress word that names an option of the question ("lonely" where
// "Feeling lonely or isolated" is one) is the person answering: asked
// again like anyone else, not asked whether they are safe. Distress in
// the other words still is.
func TestDistressInAnOptionIsAnAnswer(t *testing.T) {
	atNeeds := func() *world {
		w := atName(t)
		for _, m := range []string{"Margaret Jones", "12/03/1958", "M14 5RF", "Overdale Surgery", "no", "getting out more"} {
			w.send(person, m)
		}
		if st := w.conversation(person).State; st != "needs" {
			t.Fatalf("state = %q, want needs", st)
		}
		return w
	}
	w := atNeeds()
	got := w.send(person, "money and lonely really, plus my knees")
	if len(got) == 0 || strings.Contains(got[0], "Are you safe?") || !strings.Contains(got[0], "didn't catch") {
		t.Fatalf("an answer naming lonely got %q, want it asked again", got)
	}
	if c := w.contact(person); !c.SafetyAsked.IsZero() {
		t.Fatal("a safety check is pending after an answer")
	}
	w = atNeeds()
	if got := w.send(person, "lonely and everything is awful, plus my knees"); len(got) != 1 || !hasAll(got[0], "Are you safe?", "116 123") {
		t.Fatalf("distress beside an option got %q, want the safety check", got)
	}
}

// A survey number corrected in the next message ("sorry I meant 4")
// changes that answer, not the next question's; "sorry, 5" alone answers
// the question now asked.
func TestSurveyNumberCorrected(t *testing.T) {
	w := atSurvey(t)
	w.send(person, "9")
	w.send(person, "sorry I meant 4")
	if a := w.conversation(person).Answers; a["satisfied"] != "4" || a["worthwhile"] != "" {
		t.Fatalf("answers %v, want satisfied corrected to 4 and worthwhile still to ask", a)
	}
	w.send(person, "3")
	w.send(person, "sorry, 5")
	if a := w.conversation(person).Answers; a["worthwhile"] != "3" || a["happy"] != "5" {
		t.Fatalf("answers %v, want worthwhile 3 and happy 5", a)
	}
}

// "who is this?" at a survey sent out of the blue is told what the
// service is and asked the question again, as HELP is.
// "am I talking to a real person?" is told it is a computer (the persona
// trials: it was asked "Do you want to talk to someone?" and never told).
func TestRealPersonIsToldItIsAComputer(t *testing.T) {
	w := atName(t)
	got := w.send(person, "am i talking to a real person")
	if len(got) != 2 || !strings.Contains(got[0], "sent by a computer") || !strings.Contains(got[1], "What is your name?") {
		t.Fatalf("replies = %q, want what the service is and the question again", got)
	}
}

func TestWhoIsThisAtASurvey(t *testing.T) {
	w := atSurvey(t)
	got := w.send(person, "who is this?")
	if len(got) != 2 || !strings.Contains(got[0], "This is") || !strings.Contains(got[1], "satisfied") {
		t.Fatalf("replies = %q, want what the service is and the question again", got)
	}
	if h := w.handoff(person); h != nil {
		t.Fatalf("handoff %+v opened", h)
	}
	// With distress it is asked about, as before (a review).
	w = atSurvey(t)
	if got := w.send(person, "who is this? im struggling"); len(got) != 1 || !strings.Contains(got[0], "Are you safe?") {
		t.Fatalf("who is this with distress got %q, want the safety check", got)
	}
	// With a request for a person it is a request (a third review).
	w = atSurvey(t)
	if got := w.send(person, "who is this? can I speak to someone today please"); contains(got, "This is") {
		t.Fatalf("who is this with a request got %q, want the request heard", got)
	}
	if h := w.handoff(person); h == nil {
		t.Fatal("who is this with a request opened no handoff")
	}
}

// A choice answer corrected at the next question changes its label too,
// which the summary shows (a third review).
func TestChoiceCorrectedWithItsLabel(t *testing.T) {
	w := newWorld(t)
	for _, a := range []string{"hi", "yes", "Sam Jones", "12/03/1958", "sw1a 1aa", "Riverside", "no", "walks", "1", "text", "1"} {
		w.send(person, a)
	}
	got := w.send(person, "oops meant 2")
	a := w.conversation(person).Answers
	if a["contact_time"] != "afternoon" || !strings.Contains(strings.ToLower(a["contact_time_label"]), "afternoon") {
		t.Fatalf("answers %v after the correction, want afternoon and its label", a)
	}
	if !contains(got, "Afternoon") {
		t.Fatalf("the summary after the correction = %q, want it to say Afternoon", got)
	}
}

package engine

import (
	"errors"
	"testing"

	"github.com/linkline/linkline/flows"
)

func TestReadSafetyAnswer(t *testing.T) {
	for _, tt := range []struct {
		text string
		yes  bool
		ok   bool
	}{
		{"yes", true, true},
		{"no", false, true},
		// Session 41's trials: plain British ways of saying safe.
		{"im alright", true, true},
		{"I'm alright thanks", true, true},
		{"safe yes", true, true},
		{"no im not in danger", true, true},
		{"no, not in danger but I want it all to stop", false, false},
		{"im not alright", false, false},
		{"no I'm not going to hurt myself, just tired", true, true},
		{"no?", false, false},
		// The persona trials: a denial that names what was asked about.
		{"I'm not suicidal if that's what you mean", true, true},
		{"no im not suicidal", true, true},
		{"honestly I won't kill myself", true, true},
		{"im not going to do anything stupid if thats what you mean", true, true},
		// With more beside it, a denial is read as any other words are (a
		// review): these were the crisis text before, and are again.
		{"I won't kill myself, I just needed to say it", false, false},
		{"not suicidal, I just cut sometimes", false, false},
		{"no I'm not suicidal, I've just stopped taking my meds", false, false},
		{"not going to kill myself, I'll just stop eating", false, false},
		{"I'm not suicidal, I just want it to stop", false, false},
		{"I'm not going to kill myself tonight", false, false},
		{"not suicidal at the moment", false, false},
		{"not suicidal but I've been cutting again", false, false},
		{"not safe", false, true},
		{"safe for now", false, false},
		// A review: conditional, time-limited, or only from others.
		{"not in danger yet", false, false},
		{"im not in danger right now", false, false},
		{"no im not in danger till he comes back", false, false},
		{"not in danger now he has gone out, he will be back at 6", false, false},
		{"not going to do anything until the kids are at school", false, false},
		{"safe till tomorrow", false, false},
		{"safe for a bit", false, false},
		{"safe as long as he stays away", false, false},
		{"safe enough", false, false},
		{"im alright till the morning", false, false},
		{"im alright at the moment", false, false},
		{"im alright now he's gone out", false, false},
		{"not in danger from anyone else. just me", false, false},
		{"not at risk from him, i am the risk", false, false},
		{"i wish i could say im not in danger", false, false},
		{"im good at hiding it", false, false},
		{"im good for nothing", false, false},
		{"im good thanks", true, true},
		// A second review.
		{"yes safe, not from myself", false, false},
		{"not in danger from other people, just from me", false, false},
		{"im safe except from myself", false, false},
		{"yes im safe, just scared of myself", false, false},
		{"im safe from others", false, false},
		{"no im not going to do anything, im past caring", false, false},
		{"im safe when hes not here", false, false},
		{"not in danger unless he comes back", false, false},
		{"yes im safe, for a few hours", false, false},
		{"im safe atm", false, false},
		{"im ok rn", false, false},
		{"no im not in danger at the min", false, false},
		{"im alright tonight", false, false},
		{"i wont do anything today i promise", false, false},
		{"safe while he is out", false, false},
		{"no I'm not going to hurt myself, just tired", true, true},
		// A third review: plain reassurance with a reason is a yes, and
		// qualifiers close after the safe word are not.
		{"yes I'm safe, my sister's here this week", true, true},
		{"yes im safe, my son takes care of me", true, true},
		{"yes im safe, i'll call 999 if i need to", true, true},
		{"yes i'm safe, my mum is staying with me while i get better", true, true},
		{"yes im safe, my daughter lives 5 mins from me", true, true},
		{"yes im safe, I get lots of help from other people at church", true, true},
		{"yes safe, my carer comes in for 2 hours every morning", true, true},
		{"im ok whilst hes away", false, false},
		{"yes safe 4 2nite", false, false},
		{"im safe 4 now", false, false},
		{"im fine today", false, false},
		{"im ok for the next hour", false, false},
		{"im safe for the minute", false, false},
		{"im safe from everyone else", false, false},
		{"im safe providing he doesnt come back", false, false},
		{"im safe so long as he stays away", false, false},
		// The question asked back, then the answer (session 46's persona
		// trial: "Am I safe? Yeah course I am, just skint" was unclear).
		{"Am I safe? Yeah course I am, just skint", true, true},
		{"Safe? Yes.", true, true},
		{"am i safe? yes", true, true},
		{"Safe? No.", false, true},
		{"am i safe? not really", false, true},
		{"am i safe? yes for now", false, false},
		{"Safe?", false, false},
		{"is anyone safe? yes", false, false},
		// Sarcasm or a limit after the question asked back (session 46's
		// second review).
		{"Safe? yeah right", false, false},
		{"Am I safe? Yeah right, as if", false, false},
		{"Safe? yes unfortunately", false, false},
		{"Safe? Yes. Not for long.", false, false},
		{"Diogel? Ydw am rŵan", false, false},
		{"Diogel? Ydw, tan iddo fo ddod adre", false, false},
		{"Diogel? Ydw. Dim am hir.", false, false},
		{"Safe? Me? Never", false, false}, // unclear: escalated as a no is
		// The third review: those words further on are not a limit.
		{"yes im safe, i wont be doing anything silly", true, true},
		{"yes im safe, he wont be back, the police took him", true, true},
		{"yes im fine, sadly my dog died last week", true, true},
		{"Ydw dwi'n saff, mae fy chwaer yma tan ddydd Sul", true, true},
		{"yes im safe, Nes from next door is here", true, true},
		// hedged or limited in time: not a yes (session 40's trials)
		{"yes for now", false, false},
		{"yes. cant promise for tomorrow tho", false, false},
		{"yes, tired of everything though", false, false},
		{"yes im safe. i have pills saved though", false, false},
		// A review: more hedges and limits after a bare yes, and words that
		// agree to something else.
		{"yes. cant guarantee tomorrow", false, false},
		{"yes however i still have the tablets", false, false},
		{"yes safe. doesnt mean i wont", false, false},
		{"yes. who knows about tomorrow", false, false},
		{"yeah. for the next hour", false, false},
		{"yes, not that it matters", false, false},
		{"yes until he gets back", false, false},
		{"yeah till the morning", false, false},
		{"yes as long as he stays away", false, false},
		{"yes for a bit", false, false},
		{"yes, tonight anyway", false, false},
		{"yes im safe. later i might not be", false, false},
		// A third review: who is with them and when they will be in touch
		// again are a yes.
		{"yes I'm safe, my sister is staying with me till Sunday", true, true},
		{"yes im safe, my mum is here until tomorrow", true, true},
		{"yes, seeing my GP tomorrow", true, true},
		{"yes im safe, still have my sister here", true, true},
		{"why not", false, false},
		{"sure why not", false, false},
		{"i dont mind", false, false},
		{"please do", false, false},
		{"I'm safe tonight", false, false},
		{"yeah I guess", false, false},
		{"yes I think so", false, false},
		{"im ok for the moment", false, false},
		{"yeah probably", false, false},
		{"ydw am nawr", false, false},
		{"yes safe, my husband is home tonight", true, true},
		{"yes I'm safe, my mum is with me", true, true},
		{"yeah safe, just needed to vent", true, true},
		{"Yes. I wouldn't do anything, I've got my dog", true, true},
		{"I'm safe, my sister is here", true, true},
		{"ydw, dwi'n saff", true, true},
		{"yes but I don't know for how long", false, false},
		{"yes I'm not safe", false, false},
		{"I'm safe?", false, false},
		{"not sure", false, false},
		{"my sister is here", false, false},
		{"maybe, I'm ok for now", false, false},
		{"I don't think I'm safe", false, false},
		{"I'm not at all safe now", false, false},
		{"I do not think I am safe", false, false},
		{"yes safe, not going to do anything daft", true, true},
		{"ydw, dwi'n saff, mae 'na rywun efo fi", true, true},
		{"ydw", true, true},
		{"Ydw diolch", true, true},
		{"ie", true, true},
		{"dwi'n iawn", true, true},
		{"na", false, true},
		{"nac ydw", false, true},
		{"nag ydw", false, true},       // a common spelling of nac ydw
		{"ddim yn iawn", false, false}, // not fine: never a yes
		// A yes word among others is read for what the words say (a
		// review of session 39's Welsh yes/no found each read as safe).
		{"trist iawn", false, false},       // very sad
		{"unig iawn", false, false},        // very lonely
		{"ofnus iawn", false, false},       // very frightened
		{"dwi'n drist iawn", false, false}, // I'm very sad
		{"wedi blino iawn", false, false},  // very tired
		{"nid yw'n iawn", false, false},    // it is not ok
		{"nid ydw", false, false},          // not I am: unclear, which is a no too
		{"gwnaf e heno", false, false},     // I'll do it tonight
		{"gwnaf", false, false},            // I will: says nothing of safety
		{"oes tabledi", false, false},      // there are tablets
		{"oes", false, false},              // there is
		{"ydw ond ofn", false, false},      // yes but afraid
		{"i will tonight", false, false},   // English, the same gap
		{"i will", false, false},
		{"yes but scared", false, false},
	} {
		yes, err := readSafetyAnswer(tt.text)
		if ok := err == nil; ok != tt.ok || yes != tt.yes {
			t.Errorf("readSafetyAnswer(%q) = %v, %v; want yes=%v readable=%v", tt.text, yes, err, tt.yes, tt.ok)
		}
		if err != nil && !errors.Is(err, flows.ErrUnreadable) {
			t.Errorf("readSafetyAnswer(%q) error = %v, want flows.ErrUnreadable", tt.text, err)
		}
	}
}

package engine_test

import (
	"fmt"
	"testing"
)

func TestZZRVCheckinStart(t *testing.T) {
	for _, s := range []string{
		"I would like a person from the link worker team to get in touch please",
		"can my link worker get in touch with me",
		"I need my link worker to contact me about mum",
		"please put me through to my link worker",
		"i need help from a link worker, mum has had a fall",
		"can you get my link worker",
		"i want a person, not a bot, my link worker please",
	} {
		w, c, _ := checkinWorld(t, "10:00")
		w.until(ldn(2026, 11, 30, 10, 0), c)
		got := w.send(c.Primary().String(), s)
		h := w.handoff(c.Primary().String())
		fmt.Printf("CHECKIN %q -> %q handoff=%v\n", s, got, h != nil)
	}
}

func TestZZRVStopWish(t *testing.T) {
	for _, s := range []string{
		"I want to stop drinking so much and get out of the house more",
		"i want to stop smoking and get more active please",
		"please stop him coming round, he frightens me and the kids",
		"i want to stop feeling so lonely all the time since my wife died",
		"help me get my life back on track, i want to stop gambling",
		"i need to talk to the right person about my benefits, wrong person before",
		"Take me off the waiting list for the mental health team, I'd rather you",
	} {
		w := newWorld(t)
		for _, m := range []string{"hi", "yes", "Sam Jones", "01/02/1970", "SW1A 1AA", "Riverside surgery", "no"} {
			w.send(person, m)
		}
		st := w.conversation(person).State
		got := w.send(person, s)
		fmt.Printf("STOP [%s] %q -> %q state now %s\n", st, s, got, w.conversation(person).State)
	}
}

func TestZZRVName(t *testing.T) {
	for _, s := range []string{"Na", "Hope", "Ta", "Joy", "Ok", "Sunny", "Why", "Ta Minh", "Kay", "I", "Thanks Pat", "Cheers, it's Dave", "Thank you", "No thanks", "Tanya", "Hi its me Sue", "sorry", "X", "Yes its Will", "Will"} {
		w := atName(t)
		got := w.send(person, s)
		fmt.Printf("NAME %q -> %q\n", s, got)
	}
}

package engine

import (
	"fmt"
	"testing"
)

func TestZZRVSafety(t *testing.T) {
	for _, s := range []string{
		"not in danger yet",
		"im not in danger right now",
		"not going to do anything tonight",
		"i wont hurt myself today",
		"wont do anything yet",
		"no danger from him, only from myself",
		"not in danger from anyone else. just me",
		"i cant say i wont do anything",
		"cant promise i wont hurt myself",
		"i wish i could say im not in danger",
		"not at risk from him, i am the risk",
		"i will not do anything stupid tonight",
		"no danger of that getting better",
		"not all good",
		"im good at hiding it",
		"im good at pretending",
		"safe from him not from myself",
		"safe enough",
		"im good for nothing",
		"nobody would care if i said im not in danger",
		"i'm not going to do anything, not tonight anyway",
		"not going to do anything until the kids are at school",
		"not in danger until he gets home",
		"no im not in danger till he comes back",
		"not in danger now he has gone out, he will be back at 6",
		"im alright now he's gone out",
		"im good until he gets home",
		"not in danger, just scared of what i might do",
		"not gonna hurt myself. i just want to not wake up",
		"all good. see you on the other side",
		"no. not in danger. not safe either",
		"im not sure",
		"not going to hurt myself, going to hurt him",
		"i am not going to do anything stupid, i am going to do something clever",
	} {
		ok, err := readSafetyAnswer(s)
		fmt.Printf("%-70q safe=%v err=%v\n", s, ok, err)
	}
}

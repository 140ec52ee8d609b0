package flows

import "fmt"

// checkStarts validates f's "start" actions against the other flows of the
// set: each names a flow that exists, other than f, in a final state, and
// the flow it starts asks something before it could start another one (so
// flows cannot start each other forever).
func (s *Set) checkStarts(f *Flow) []Problem {
	var out []Problem
	for _, name := range sortedStates(f) {
		st := f.States[name]
		add := func(format string, args ...any) {
			out = append(out, Problem{File: f.File, Flow: f.ID, State: name, Msg: fmt.Sprintf(format, args...)})
		}
		starts := 0
		for _, a := range st.Actions {
			if a.Do != "start" {
				if a.Flow != "" {
					add("flow: is only for do: start, not do: %s", a.Do)
				}
				continue
			}
			starts++
			if !st.Final {
				add("do: start ends this flow, so it belongs in a final state")
			}
			target, ok := s.flows[a.Flow]
			switch {
			case a.Flow == "":
				add("do: start needs flow: the flow to start")
			case a.Flow == f.ID:
				add("do: start cannot start its own flow %q", a.Flow)
			case !ok:
				add("do: start names flow %q, which is not loaded", a.Flow)
			case startsBeforeAsking(target):
				add("flow %q starts another flow before asking anything", a.Flow)
			}
		}
		if starts > 1 {
			add("has %d start actions; a state can start one flow", starts)
		}
	}
	return out
}

// startsBeforeAsking reports whether f, from its start state, reaches a
// start action through states that ask nothing.
func startsBeforeAsking(f *Flow) bool {
	name := f.Start
	for hops := 0; hops <= len(f.States); hops++ {
		st, ok := f.States[name]
		if !ok {
			return false
		}
		for _, a := range st.Actions {
			if a.Do == "start" {
				return true
			}
		}
		if st.Final || st.Expect != ExpectNone {
			return false
		}
		name = st.Next
	}
	return false
}

package flows

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/looplab/fsm"
)

// compiled is a flow's transitions as looplab/fsm events. An event is named
// "<state>/<answer>" for an On entry and "<state>/" for Next.
type compiled struct {
	events fsm.Events
}

func compile(f *Flow) *compiled {
	c := &compiled{}
	names := make([]string, 0, len(f.States))
	for name := range f.States {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		st := f.States[name]
		for answer, dst := range st.On {
			c.events = append(c.events, fsm.EventDesc{Name: name + "/" + answer, Src: []string{name}, Dst: dst})
		}
		if st.Next != "" {
			c.events = append(c.events, fsm.EventDesc{Name: name + "/", Src: []string{name}, Dst: st.Next})
		}
	}
	return c
}

// Via says how a transition was chosen.
type Via int

// Ways a transition is chosen.
const (
	ViaNone Via = iota // no transition: the state is final or a dead end
	ViaOn              // the answer's own entry in On
	ViaNext            // the state's Next
)

// Step runs the flow's machine from state on answer (an option value,
// "yes"/"no", or "" for any answer) and returns the state it lands in. The
// machine is rebuilt from the flow on every call: a conversation stores only
// the flow id, version, state and answers.
func (s *Set) Step(ctx context.Context, flowID, state, answer string) (string, Via, error) {
	c, ok := s.fsms[flowID]
	if !ok {
		return "", ViaNone, fmt.Errorf("flow %q: not loaded", flowID)
	}
	m := fsm.NewFSM(state, c.events, nil)
	event, via := state+"/"+answer, ViaOn
	if answer == "" || !m.Can(event) {
		event, via = state+"/", ViaNext
		if !m.Can(event) {
			return state, ViaNone, nil
		}
	}
	if err := m.Event(ctx, event); err != nil {
		var same fsm.NoTransitionError
		if !errors.As(err, &same) {
			return "", ViaNone, fmt.Errorf("flow %q state %q: %w", flowID, state, err)
		}
	}
	return m.Current(), via, nil
}

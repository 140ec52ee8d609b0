package flows

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/looplab/fsm"
)

// compiled is a flow's transitions as looplab/fsm events. An event is named
// "<state>/<answer>" for an On entry and "<state>/" for Next.
type compiled struct {
	events fsm.Events
	// machines keeps built machines for reuse: building one makes maps of
	// every transition, which on every message was a tenth of the write
	// transaction's time. A machine is set to the conversation's state
	// before each use, so none carries anything from its last.
	machines sync.Pool
}

// machine returns a machine of c's flow in state; put it back with done.
func (c *compiled) machine(state string) *fsm.FSM {
	m, ok := c.machines.Get().(*fsm.FSM)
	if !ok {
		return fsm.NewFSM(state, c.events, nil)
	}
	m.SetState(state)
	return m
}

func (c *compiled) done(m *fsm.FSM) { c.machines.Put(m) }

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
// "yes"/"no", or "" for any answer) and returns the state it lands in. A
// conversation stores only the flow id, version, state and answers; the
// machine is set to the state on every call (a reused one, or built from the
// flow).
func (s *Set) Step(ctx context.Context, flowID, state, answer string) (string, Via, error) {
	c, ok := s.fsms[flowID]
	if !ok {
		return "", ViaNone, fmt.Errorf("flow %q: not loaded", flowID)
	}
	m := c.machine(state)
	event, via := state+"/"+answer, ViaOn
	if answer == "" || !m.Can(event) {
		event, via = state+"/", ViaNext
		if !m.Can(event) {
			c.done(m)
			return state, ViaNone, nil
		}
	}
	if err := m.Event(ctx, event); err != nil {
		var same fsm.NoTransitionError
		if !errors.As(err, &same) {
			// Not put back: a machine that failed is not reused.
			return "", ViaNone, fmt.Errorf("flow %q state %q: %w", flowID, state, err)
		}
	}
	next := m.Current()
	c.done(m)
	return next, via, nil
}

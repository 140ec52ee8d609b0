package flows_test

import (
	"context"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/linkline/linkline/flows"
)

func TestStep(t *testing.T) {
	set, err := flows.Load(fstest.MapFS{"t.yaml": {Data: []byte(good + "  loop: {say: [referral.ask_name], expect: text, next: loop}\n")}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		state, answer, want string
		via                 flows.Via
	}{
		{"ask", "text", "done", flows.ViaOn},
		{"ask", "phone", "done", flows.ViaOn},
		{"ask", "pigeon", "ask", flows.ViaNone},
		{"done", "", "done", flows.ViaNone},
		{"loop", "anything", "loop", flows.ViaNext},
	}
	for _, c := range cases {
		got, via, err := set.Step(context.Background(), "t", c.state, c.answer)
		if err != nil || got != c.want || via != c.via {
			t.Errorf("Step(%s, %q) = %s, %v, %v; want %s, %v", c.state, c.answer, got, via, err, c.want, c.via)
		}
	}
	if _, _, err := set.Step(context.Background(), "nope", "ask", ""); err == nil {
		t.Error("Step on an unknown flow succeeded")
	}
	// Machines are reused: steps from every state at once, over and over,
	// each land where a fresh machine would (and share nothing, under -race).
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range 200 {
				c := cases[i%len(cases)]
				if got, via, err := set.Step(context.Background(), "t", c.state, c.answer); err != nil || got != c.want || via != c.via {
					t.Errorf("reused: Step(%s, %q) = %s, %v, %v; want %s, %v", c.state, c.answer, got, via, err, c.want, c.via)
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzParseFlow(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("id: x\nstates: {a: {on: {b: c}}}"))
	f.Add([]byte("states: [1, 2]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := flows.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		for _, st := range fl.States {
			st.Targets()
		}
		fl.Durations()
	})
}

package risk

import (
	"fmt"
	"os"
	"testing"
)

func TestDbgScratch(t *testing.T) {
	msg := os.Getenv("DBG")
	if msg == "" {
		return
	}
	s, _ := New("en")
	rs := s.sets[0]
	p := rs.prepare(msg)
	for i, tk := range p.toks {
		var cs []string
		for _, m := range p.marks[i] {
			cs = append(cs, fmt.Sprintf("%s:%d", rs.lex.names[m.concept], m.end))
		}
		fmt.Println(i, tk.w, tk.alts, tk.brk, cs)
	}
	fmt.Printf("%+v\n", s.Check(msg, nil))
}

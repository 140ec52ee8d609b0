package directory

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed needs.yaml
var defaultNeeds []byte

// Needs maps each need a person can name to the taxonomy terms and words
// that make a service match it.
type Needs struct {
	names []string // in a fixed order: bit i of a need mask is names[i]
	rules map[string]needRule
}

type needRule struct {
	Terms []string `yaml:"terms"`
	Words []string `yaml:"words"`
}

// DefaultNeeds is the shipped mapping for the needs in the self-referral flow.
func DefaultNeeds() *Needs {
	n, err := ParseNeeds(defaultNeeds)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return n
}

// LoadNeeds reads a needs file (the shape of directory/needs.yaml).
func LoadNeeds(path string) (*Needs, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("needs file: %w", err)
	}
	n, err := ParseNeeds(b)
	if err != nil {
		return nil, fmt.Errorf("needs file %s: %w", path, err)
	}
	return n, nil
}

// ParseNeeds reads a needs mapping. Unknown keys, a need with no terms and
// no words, and more than 32 needs are errors.
func ParseNeeds(b []byte) (*Needs, error) {
	var f struct {
		Needs map[string]needRule `yaml:"needs"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if len(f.Needs) == 0 || len(f.Needs) > 32 {
		return nil, fmt.Errorf("want 1 to 32 needs, have %d", len(f.Needs))
	}
	n := &Needs{rules: map[string]needRule{}}
	for name, r := range f.Needs {
		if len(r.Terms) == 0 && len(r.Words) == 0 {
			return nil, fmt.Errorf("need %q has no terms and no words", name)
		}
		for i := range r.Terms {
			r.Terms[i] = strings.ToLower(strings.TrimSpace(r.Terms[i]))
		}
		for i := range r.Words {
			r.Words[i] = strings.ToLower(strings.TrimSpace(r.Words[i]))
		}
		n.rules[name] = r
		n.names = append(n.names, name)
	}
	slices.Sort(n.names)
	return n, nil
}

// Names lists the needs the mapping knows, sorted.
func (n *Needs) Names() []string { return slices.Clone(n.names) }

// mask is the bit set of needs names.
func (n *Needs) mask(needs []string) uint32 {
	var m uint32
	for _, want := range needs {
		if i, ok := slices.BinarySearch(n.names, strings.TrimSpace(want)); ok {
			m |= 1 << i
		}
	}
	return m
}

// match returns the needs a service meets: terms are its taxonomy terms'
// names and ids (lower case); text its name and description (lower case).
func (n *Needs) match(terms []string, text string) uint32 {
	var m uint32
	for i, name := range n.names {
		r := n.rules[name]
		if slices.ContainsFunc(r.Terms, func(t string) bool { return slices.Contains(terms, t) }) ||
			slices.ContainsFunc(r.Words, func(w string) bool { return containsWord(text, w) }) {
			m |= 1 << i
		}
	}
	return m
}

// containsWord reports whether w appears in s starting at a word boundary
// ("walk" matches "walking" and "walk", not "sidewalk").
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !isWordByte(s[at-1]) {
			return true
		}
		i = at + 1
	}
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '\'' }

package risk

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed rules/*.yaml
var embedded embed.FS

// ErrUnknownLocale is returned by New when no rules are built in for a locale.
var ErrUnknownLocale = errors.New("risk: no rules for locale")

// New returns the screen built from the embedded rules for locale ("en";
// a regional tag such as "en-GB" falls back to its language). It returns an
// error wrapping ErrUnknownLocale when there are none.
func New(locale string) (*Screen, error) {
	name := strings.ToLower(strings.TrimSpace(locale))
	lang, _, _ := strings.Cut(strings.ReplaceAll(name, "_", "-"), "-")
	for _, try := range []string{name, lang} {
		if try == "" || strings.ContainsAny(try, "/\\.") {
			continue
		}
		f, err := embedded.Open("rules/" + try + ".yaml")
		if err != nil {
			continue
		}
		defer f.Close()
		s, err := Load(f)
		if err != nil {
			return nil, fmt.Errorf("risk: built-in rules %s: %w", try, err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownLocale, locale)
}

// phrase is a phrase with the line it was written on.
type phrase struct {
	Text string
	Line int
}

// UnmarshalYAML keeps the line number of each phrase.
func (p *phrase) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a phrase must be text", n.Line)
	}
	p.Text, p.Line = n.Value, n.Line
	return nil
}

// file is the rules file format; see rules/en.yaml for the documentation a
// reviewer reads.
type file struct {
	Locale    string              `yaml:"locale"`
	Normalise map[string]string   `yaml:"normalise"`
	Slots     map[string][]string `yaml:"slots"`
	Idioms    []phrase            `yaml:"idioms"`
	NotAfter  []phrase            `yaml:"idioms_not_after"`
	Rules     []struct {
		ID      string   `yaml:"id"`
		Phrases []phrase `yaml:"phrases"`
	} `yaml:"rules"`
	Context []struct {
		ID      string   `yaml:"id"`
		Earlier []phrase `yaml:"earlier"`
		Now     []phrase `yaml:"now"`
	} `yaml:"context"`
}

// Load builds a screen from a rules file in the format of rules/en.yaml,
// e.g. one a service supplies. Every phrase is checked: an unknown field,
// slot or category, a duplicate rule id, or a malformed phrase is an error
// naming the line.
func Load(r io.Reader) (*Screen, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("risk: reading rules: %w", err)
	}
	if f.Locale == "" {
		return nil, errors.New("risk: rules file has no locale")
	}
	if len(f.Rules) == 0 {
		return nil, errors.New("risk: rules file has no rules")
	}
	s := &Screen{locale: f.Locale, norm: &normaliser{byFirst: map[string][]replacement{}}, idioms: newMatcher(), notAfter: newMatcher(), risk: newMatcher()}
	keys := make([]string, 0, len(f.Normalise))
	for k := range f.Normalise {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(strings.Fields(k)) == 0 {
			return nil, errors.New("risk: normalise: empty key")
		}
		s.norm.add(k, f.Normalise[k])
	}
	c := &compiler{norm: s.norm, slots: map[string][][]string{}}
	for name, values := range f.Slots {
		if name == "count" || strings.ContainsAny(name, "{} ") {
			return nil, fmt.Errorf("risk: slot name %q not allowed", name)
		}
		for _, v := range values {
			if strings.ContainsAny(v, "{}") || v == "..." {
				return nil, fmt.Errorf("risk: slot %s: value %q must be plain words", name, v)
			}
			if ws := c.text(v); len(ws) > 0 {
				c.slots[name] = append(c.slots[name], ws)
			}
		}
		if len(c.slots[name]) == 0 {
			return nil, fmt.Errorf("risk: slot %s has no words", name)
		}
	}
	for _, ph := range f.Idioms {
		p, err := c.compile(ph.Text, ph.Line, -1)
		if err != nil {
			return nil, fmt.Errorf("risk: idioms: %w", err)
		}
		s.idioms.add(p)
	}
	for _, ph := range f.NotAfter {
		p, err := c.compile(ph.Text, ph.Line, -1)
		if err != nil {
			return nil, fmt.Errorf("risk: idioms_not_after: %w", err)
		}
		s.notAfter.add(p)
	}
	ids := map[string]bool{}
	for i, r := range f.Rules {
		cat, err := checkID(r.ID, ids)
		if err != nil {
			return nil, err
		}
		if len(r.Phrases) == 0 {
			return nil, fmt.Errorf("risk: rule %s has no phrases", r.ID)
		}
		s.rules = append(s.rules, rule{id: r.ID, category: cat})
		for _, ph := range r.Phrases {
			p, err := c.compile(ph.Text, ph.Line, i)
			if err != nil {
				return nil, fmt.Errorf("risk: rule %s: %w", r.ID, err)
			}
			s.risk.add(p)
		}
	}
	for _, cr := range f.Context {
		cat, err := checkID(cr.ID, ids)
		if err != nil {
			return nil, err
		}
		if len(cr.Earlier) == 0 || len(cr.Now) == 0 {
			return nil, fmt.Errorf("risk: context rule %s needs both earlier and now phrases", cr.ID)
		}
		ctx := contextRule{rule: rule{id: cr.ID, category: cat}, earlier: newMatcher(), now: newMatcher()}
		for _, set := range []struct {
			m  *matcher
			ps []phrase
		}{{ctx.earlier, cr.Earlier}, {ctx.now, cr.Now}} {
			for _, ph := range set.ps {
				p, err := c.compile(ph.Text, ph.Line, -1)
				if err != nil {
					return nil, fmt.Errorf("risk: context rule %s: %w", cr.ID, err)
				}
				if ctx.first == nil && set.m == ctx.now {
					ctx.first = p
				}
				set.m.add(p)
			}
		}
		s.context = append(s.context, ctx)
	}
	return s, nil
}

// checkID validates a rule id "category/name" and returns its category.
func checkID(id string, seen map[string]bool) (string, error) {
	cat, name, ok := strings.Cut(id, "/")
	if !ok || name == "" || !slices.Contains(Categories(), cat) {
		return "", fmt.Errorf("risk: rule id %q must be category/name with category one of %s", id, strings.Join(Categories(), ", "))
	}
	if seen[id] {
		return "", fmt.Errorf("risk: rule id %q used twice", id)
	}
	seen[id] = true
	return cat, nil
}

package flows

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed builtin/*.yaml builtin/tests/*.yaml
var builtin embed.FS

// Builtin returns the embedded built-in flows and their scripted tests
// (under tests/).
func Builtin() fs.FS {
	sub, err := fs.Sub(builtin, "builtin")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// Default timings for a flow that sets none.
const (
	DefaultRemind = 24 * time.Hour
	DefaultExpire = 72 * time.Hour
)

// Set is the flows a service runs: the built-ins, with any from a service's
// folder added or overriding them by id.
type Set struct {
	flows map[string]*Flow
	fsms  map[string]*compiled
}

// Load reads the built-in flows and then every flow in dir (nil for none).
// In a folder, every *.yaml file at the top level is a flow except
// templates.<locale>.yaml (message overrides, read by the templates package);
// scripted tests live under tests/. A flow in dir replaces a built-in flow
// with the same id.
//
// Load fails on the first file that does not parse, has unknown keys, or
// repeats an id within one folder; Check finds everything else.
func Load(dir fs.FS) (*Set, error) {
	s := &Set{flows: map[string]*Flow{}, fsms: map[string]*compiled{}}
	if err := s.loadDir(Builtin(), "builtin:"); err != nil {
		return nil, err
	}
	if dir != nil {
		if err := s.loadDir(dir, ""); err != nil {
			return nil, err
		}
	}
	for id, f := range s.flows {
		s.fsms[id] = compile(f)
	}
	return s, nil
}

func (s *Set) loadDir(dir fs.FS, prefix string) error {
	names, err := fs.Glob(dir, "*.yaml")
	if err != nil {
		return fmt.Errorf("list flows: %w", err)
	}
	seen := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(name, "templates.") {
			continue
		}
		data, err := fs.ReadFile(dir, name)
		if err != nil {
			return fmt.Errorf("read flow %s: %w", name, err)
		}
		f, err := Parse(prefix+name, data)
		if err != nil {
			return err
		}
		if other, dup := seen[f.ID]; dup {
			return fmt.Errorf("%s: flow id %q is already defined in %s", f.File, f.ID, other)
		}
		seen[f.ID] = f.File
		s.flows[f.ID] = f
	}
	return nil
}

// Parse reads one flow file. file names it in error messages.
func Parse(file string, data []byte) (*Flow, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f Flow
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty flow file", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	f.File = file
	if f.ID == "" {
		f.ID = strings.TrimSuffix(path.Base(file), ".yaml")
	}
	if f.Version == 0 {
		f.Version = 1
	}
	for name, st := range f.States {
		if st == nil {
			f.States[name] = &State{}
		}
	}
	return &f, nil
}

// Flow returns the flow with the given id.
func (s *Set) Flow(id string) (*Flow, bool) {
	f, ok := s.flows[id]
	return f, ok
}

// IDs returns the ids of every flow, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.flows))
	for id := range s.flows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Durations returns the flow's reminder and expiry delays, with defaults for
// those it does not set. Check reports durations that do not parse.
func (f *Flow) Durations() (remind, expire time.Duration) {
	remind, expire = DefaultRemind, DefaultExpire
	if d, err := time.ParseDuration(f.Remind); err == nil && d > 0 {
		remind = d
	}
	if d, err := time.ParseDuration(f.Expire); err == nil && d > 0 {
		expire = d
	}
	return remind, expire
}

// Targets returns every state st can lead to, each once, in a stable order.
func (st *State) Targets() []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	keys := make([]string, 0, len(st.On))
	for k := range st.On {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(st.On[k])
	}
	add(st.Next)
	add(st.Return)
	return out
}

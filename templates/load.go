package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

//go:embed locales
var embedded embed.FS

// file is the shape of one locale file. Both sections are optional.
type file struct {
	// Keywords maps a kind ("stop", "help", ...) to the messages that mean it.
	Keywords map[string][]string `yaml:"keywords"`
	// Messages maps a key to its text/template source.
	Messages map[string]string `yaml:"messages"`
}

// Load parses the embedded locales (locales/<locale>/*.yaml, all files of a
// locale merged) and then, when extra is not nil, every
// templates.<locale>.yaml at the root of extra. An extra file replaces the
// messages it names and adds messages and keyword phrases to its locale (a
// locale that is not embedded is created).
//
// Load fails, naming the file, on YAML that does not parse, unknown
// top-level keys, an empty message, a template that does not parse, a
// message key defined in two embedded files of one locale (both are named),
// or a keyword phrase given two kinds in one locale.
func Load(extra fs.FS) (*Catalogue, error) {
	return load(embedded, extra)
}

// load reads base's locales/<locale>/*.yaml, then extra's overrides.
func load(base, extra fs.FS) (*Catalogue, error) {
	c := &Catalogue{locales: map[string]*locale{}}
	dirs, err := fs.ReadDir(base, "locales")
	if err != nil {
		return nil, fmt.Errorf("read locales: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		names, err := fs.Glob(base, path.Join("locales", d.Name(), "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("list locale %s: %w", d.Name(), err)
		}
		for _, name := range names {
			if err := c.add(base, name, d.Name(), false); err != nil {
				return nil, err
			}
		}
	}
	if extra != nil {
		names, err := fs.Glob(extra, "templates.*.yaml")
		if err != nil {
			return nil, fmt.Errorf("list template overrides: %w", err)
		}
		for _, name := range names {
			loc := strings.TrimSuffix(strings.TrimPrefix(name, "templates."), ".yaml")
			if !validLocale(loc) {
				return nil, fmt.Errorf("%s: %q is not a locale name (letters, digits, - and _)", name, loc)
			}
			if err := c.add(extra, name, loc, true); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

func validLocale(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// add merges one file into its locale. override lets the file replace
// messages that are already defined.
func (c *Catalogue) add(fsys fs.FS, name, loc string, override bool) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	f, err := parseFile(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	l := c.locales[loc]
	if l == nil {
		l = newLocale()
		c.locales[loc] = l
	}
	for key, src := range f.Messages {
		if strings.TrimSpace(src) == "" {
			return fmt.Errorf("%s: message %q is empty", name, key)
		}
		if other, dup := l.from[key]; dup && !override {
			return fmt.Errorf("%s: message %q is already defined in %s", name, key, other)
		}
		var t executor
		var err error
		if IsHTML(key) {
			t, err = htmltemplate.New(key).Option("missingkey=error").Parse(src)
		} else {
			t, err = template.New(key).Option("missingkey=error").Parse(src)
		}
		if err != nil {
			return fmt.Errorf("%s: message %q: %w", name, key, err)
		}
		l.messages[key], l.from[key] = t, name
	}
	for kind, phrases := range f.Keywords {
		if kind == "" {
			return fmt.Errorf("%s: keyword kind is empty", name)
		}
		for _, p := range phrases {
			n := normalise(p)
			if n == "" {
				return fmt.Errorf("%s: keyword %q of kind %q has no letters or digits", name, p, kind)
			}
			if had, ok := l.keywords[n]; ok && had != kind {
				return fmt.Errorf("%s: keyword %q is kind %q here but %q in %s", name, p, kind, had, l.kwFrom[n])
			}
			l.keywords[n], l.kwFrom[n] = kind, name
		}
	}
	return nil
}

// parseFile decodes one YAML document strictly. An empty file is valid.
func parseFile(data []byte) (file, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return file{}, nil
		}
		return file{}, fmt.Errorf("parse: %w", err)
	}
	var more any
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return file{}, errors.New("parse: only one YAML document is allowed")
	}
	return f, nil
}

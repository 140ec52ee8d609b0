// Package templates holds the messages Linkline sends, per locale, and the
// keywords people text (STOP, HELP, HUMAN, ...). Locales are embedded from
// locales/<locale>/*.yaml; a service can reword or add messages without
// rebuilding through templates.<locale>.yaml files in its flows folder.
//
// It also counts SMS segments (GSM 03.38), so flow checks can keep
// messages short and in the GSM-7 alphabet.
package templates

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// DefaultLocale is the locale Render falls back to when a locale lacks a key.
const DefaultLocale = "en"

// ErrUnknownKey is wrapped by Render when no locale, not even the default,
// defines the key.
var ErrUnknownKey = errors.New("unknown message key")

// Catalogue is every message and keyword list, parsed once at Load.
// It is immutable after Load and safe for concurrent use.
type Catalogue struct {
	locales map[string]*locale
}

// locale is one locale's merged files.
type locale struct {
	messages map[string]executor
	from     map[string]string // message key -> file it came from
	keywords map[string]string // normalised phrase -> kind
	kwFrom   map[string]string // normalised phrase -> file it came from
}

func newLocale() *locale {
	return &locale{
		messages: map[string]executor{},
		from:     map[string]string{},
		keywords: map[string]string{},
		kwFrom:   map[string]string{},
	}
}

// Render executes the message key of locale with data. When locale does not
// define key, the DefaultLocale's message is used. A key no locale defines
// gives an error wrapping ErrUnknownKey; a template that refers to a missing
// field or map entry gives an error rather than "<no value>".
func (c *Catalogue) Render(loc, key string, data any) (string, error) {
	t := c.lookup(loc, key)
	if t == nil {
		return "", fmt.Errorf("render %q in locale %q: %w", key, loc, ErrUnknownKey)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render %q in locale %q: %w", key, loc, err)
	}
	return b.String(), nil
}

// executor is a parsed message: a text/template, or an html/template for
// HTML messages.
type executor interface {
	Execute(w io.Writer, data any) error
}

// HTMLSuffix marks a message written in Telegram's HTML subset (<b>, <i>,
// <a href>, ...): "enrol.welcome.html". Such a message is parsed with
// html/template, so every value put into it (a person's name, say) is
// escaped and can never break the formatting. Channels without formatting
// show it with the tags removed (see Plain).
const HTMLSuffix = ".html"

// IsHTML reports whether key names an HTML message.
func IsHTML(key string) bool { return strings.HasSuffix(key, HTMLSuffix) }

func (c *Catalogue) lookup(loc, key string) executor {
	if l := c.locales[loc]; l != nil {
		if t := l.messages[key]; t != nil {
			return t
		}
	}
	if l := c.locales[DefaultLocale]; l != nil {
		return l.messages[key]
	}
	return nil
}

// Has reports whether locale itself defines key, without falling back to
// the DefaultLocale, so checks can find missing translations.
func (c *Catalogue) Has(loc, key string) bool {
	l := c.locales[loc]
	return l != nil && l.messages[key] != nil
}

// Keys returns the message keys locale itself defines, sorted; nil for a
// locale the catalogue does not have.
func (c *Catalogue) Keys(loc string) []string {
	l := c.locales[loc]
	if l == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.messages))
}

// Locales returns the locales the catalogue has, sorted.
func (c *Catalogue) Locales() []string {
	return slices.Sorted(maps.Keys(c.locales))
}

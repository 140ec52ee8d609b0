// Package bottest builds the real engine's parts for tests in any package:
// the built-in flows and templates, the English risk screen and the fixed
// crisis text. Tests add their own store, clock and channels.
package bottest

import (
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/templates"
)

// Config returns an engine configuration over store with the built-in
// content and sample service details. It fails the test if any of the
// built-in content does not load.
func Config(t testing.TB, store bot.Store) engine.Config {
	t.Helper()
	cat, err := templates.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := flows.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	screen, err := risk.Default()
	if err != nil {
		t.Fatal(err)
	}
	return engine.Config{Store: store, Flows: set, Templates: cat, Screen: screen,
		CrisisText: risk.CrisisText, Service: templates.SampleData().Service}
}

// London is s ("2006-01-02 15:04") in London time; it fails the test if s
// does not parse.
func London(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

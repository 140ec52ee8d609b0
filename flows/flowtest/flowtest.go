// Package flowtest runs scripted conversations — lists of "person says /
// bot says" steps written in YAML — against the real engine with a
// temporary store. `linkline flows test` and the built-in flows' Go tests
// use it.
//
// A script file holds a list of scripts:
//
//   - name: says no to the privacy notice
//     steps:
//   - person: hello          # the person sends a message
//   - bot: Is that OK?       # the next bot message contains this (any case); "" matches any message
//   - person: no
//   - bot: we won't ask anything more
//   - nothing: true          # the bot has said nothing more
//   - wait: 25h              # time passes; due timers fire
//   - start: carer-checkin   # the service starts a flow, as a schedule does
//
// A script's contact: names the person (as a link worker enrolled them)
// before the first step.
package flowtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/bot/timer"
	"github.com/linkline/linkline/channels/sim"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/templates"
)

// Script is one scripted conversation.
type Script struct {
	Name string `yaml:"name"`
	// As is the address the person writes from. Default sim:script.
	As string `yaml:"as"`
	// Contact is the person's name, known before the first step (as when
	// a link worker enrolled them). Default: none.
	Contact string `yaml:"contact"`
	Steps   []Step `yaml:"steps"`
	File    string `yaml:"-"`
}

// Step is one line of a script; exactly one field is set.
type Step struct {
	Person  *string `yaml:"person"`
	Bot     *string `yaml:"bot"`
	Wait    string  `yaml:"wait"`
	Nothing bool    `yaml:"nothing"`
	// Start starts the named flow for the person, as a scheduled check-in
	// or survey does.
	Start string `yaml:"start"`
}

// Failure is a step that did not go as the script said.
type Failure struct {
	File   string
	Script string
	Step   int // 1-based
	Msg    string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %q step %d: %s", f.File, f.Script, f.Step, f.Msg)
}

// Parse reads a script file. file names it in errors.
func Parse(file string, data []byte) ([]Script, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var scripts []Script
	if err := dec.Decode(&scripts); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for i := range scripts {
		s := &scripts[i]
		s.File = file
		if s.Name == "" {
			s.Name = fmt.Sprintf("script %d", i+1)
		}
		for j, st := range s.Steps {
			n := 0
			for _, set := range []bool{st.Person != nil, st.Bot != nil, st.Wait != "", st.Nothing, st.Start != ""} {
				if set {
					n++
				}
			}
			if n != 1 {
				return nil, fmt.Errorf("%s: %q step %d: set exactly one of person, bot, wait, nothing, start", file, s.Name, j+1)
			}
			if st.Wait != "" {
				if _, err := time.ParseDuration(st.Wait); err != nil {
					return nil, fmt.Errorf("%s: %q step %d: wait: %w", file, s.Name, j+1, err)
				}
			}
		}
	}
	return scripts, nil
}

// Env is what scripts run against.
type Env struct {
	Flows      *flows.Set
	Templates  *templates.Catalogue
	Screen     bot.Screener
	CrisisText string
	Service    templates.Service
	// Dir is where each script's temporary database is made.
	Dir string
}

// Run plays one script against a fresh engine and store and returns every
// step that failed. err is for a script that could not run at all.
func Run(ctx context.Context, env Env, s Script) (fails []Failure, err error) {
	dir := env.Dir
	path := filepath.Join(dir, fmt.Sprintf("script-%d.db", time.Now().UnixNano()))
	store, err := bolt.Open(ctx, path, bolt.Options{})
	if err != nil {
		return nil, err
	}
	defer store.Close()

	// Scripts start at 10:00 UTC today, in the day, so that quiet hours
	// (which hold reminders overnight) do not depend on when they run.
	clk := bot.NewManualClock(time.Now().UTC().Truncate(24 * time.Hour).Add(10 * time.Hour))
	var inbox sim.Inbox
	eng, err := engine.NewEngine(engine.Config{
		Store: store, Flows: env.Flows, Templates: env.Templates, Screen: env.Screen,
		CrisisText: env.CrisisText, Clock: clk, Service: env.Service,
	})
	if err != nil {
		return nil, err
	}
	disp := outbox.NewDispatcher(store, map[bot.Channel]bot.Sender{bot.Sim: sim.NewSender(inbox.Deliver)}, outbox.DispatchOptions{Clock: clk})
	sched := timer.NewScheduler(store, eng.TimerKinds(), clk, nil)

	addr := bot.Address{Channel: bot.Sim, ID: "script"}
	if s.As != "" {
		if addr, err = bot.ParseAddress(s.As); err != nil {
			return nil, err
		}
	}
	var said []string
	collect := func() error {
		if err := disp.Drain(ctx); err != nil {
			return err
		}
		said = append(said, inbox.Take(addr)...)
		return nil
	}
	fail := func(i int, format string, args ...any) {
		fails = append(fails, Failure{File: s.File, Script: s.Name, Step: i + 1, Msg: fmt.Sprintf(format, args...)})
	}
	if s.Contact != "" {
		if _, err := contactFor(ctx, store, addr, s.Contact, clk.Now()); err != nil {
			return nil, err
		}
	}
	for i, st := range s.Steps {
		switch {
		case st.Start != "":
			id, err := contactFor(ctx, store, addr, "", clk.Now())
			if err != nil {
				return fails, err
			}
			if started, err := eng.StartFlow(ctx, id, st.Start); err != nil {
				return fails, fmt.Errorf("step %d: %w", i+1, err)
			} else if !started {
				fail(i, "flow %s did not start (see the contact's events)", st.Start)
			}
			if err := collect(); err != nil {
				return fails, err
			}
		case st.Person != nil:
			in := bot.Inbound{Address: addr, Text: *st.Person, ProviderID: fmt.Sprintf("step-%d", i), ReceivedAt: clk.Now()}
			if err := eng.Handle(ctx, in); err != nil {
				return fails, fmt.Errorf("step %d: %w", i+1, err)
			}
			if err := collect(); err != nil {
				return fails, err
			}
		case st.Wait != "":
			d, _ := time.ParseDuration(st.Wait)
			clk.Advance(d)
			if _, err := sched.FireDue(ctx); err != nil {
				return fails, err
			}
			if err := collect(); err != nil {
				return fails, err
			}
		case st.Nothing:
			if len(said) > 0 {
				fail(i, "expected the bot to say nothing more, but it said %q", said)
				said = nil
			}
		case st.Bot != nil:
			if len(said) == 0 {
				fail(i, "expected the bot to say %q, but it said nothing more", *st.Bot)
				continue
			}
			got := said[0]
			said = said[1:]
			if !strings.Contains(strings.ToLower(got), strings.ToLower(*st.Bot)) {
				fail(i, "expected the bot to say %q, but it said %q", *st.Bot, got)
			}
		}
	}
	return fails, nil
}

// contactFor returns the id of the contact at addr, creating one (named
// name) if there is none.
func contactFor(ctx context.Context, store bot.Store, addr bot.Address, name string, now time.Time) (string, error) {
	var id string
	err := store.Update(ctx, func(tx bot.Tx) error {
		c, err := tx.ContactByAddress(addr)
		if errors.Is(err, bot.ErrNotFound) {
			c = &bot.Contact{Addresses: []bot.Address{addr}, Name: name, Locale: "en", CreatedAt: now}
			err = tx.PutContact(c)
		}
		if err != nil {
			return err
		}
		id = c.ID
		return nil
	})
	return id, err
}

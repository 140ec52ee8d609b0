package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/store/bolt"
)

// mountConsole serves the link worker console at /console/ and, while
// there is no user yet, says how to create the first admin. The "try the
// bot" sandbox lives in a temporary database removed when ctx ends.
func mountConsole(ctx context.Context, mux *http.ServeMux, a *app, c *config, chans *channelSet, log *slog.Logger) (*console.Console, error) {
	proxies, err := trustedProxies(c.TrustedProxies)
	if err != nil {
		return nil, err
	}
	mfa, err := mfaMode(c.MFA)
	if err != nil {
		return nil, err
	}
	if mfa == console.MFAOff {
		log.Warn("console: the second sign-in step is off (LINKLINE_MFA=off): use this only for a trial with made-up people")
	}
	cfg := console.Config{MFA: mfa, Engine: a.engine, Store: a.store, Log: log, PublicURL: c.PublicURL, TrustedProxies: proxies, Directory: a.matcher,
		Refusals: chans.refusals, OnSettings: a.settingsChanged}
	if chans.telegram != nil {
		cfg.TelegramBot = chans.telegram.Username()
	}
	cfg.Notices = chans.notices
	cfg.Media = map[bot.Channel]console.MediaFetcher{}
	for ch, s := range chans.senders {
		if f, ok := s.(console.MediaFetcher); ok {
			cfg.Media[ch] = f
		}
	}
	sb, err := c.sandbox(ctx)
	if err != nil {
		return nil, err
	}
	cfg.Sandbox = sb
	if cfg.Flows, _, err = c.content(); err != nil {
		return nil, err
	}
	con := console.New(cfg)
	mux.Handle("/console/", con)
	// Without an (enabled) admin nobody can add users or set hours: say
	// how to make one.
	admin := false
	err = a.store.View(ctx, func(tx bot.Tx) error {
		return tx.Users(func(u *bot.User) bool { admin = u.Admin && !u.Disabled; return !admin })
	})
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		log.Error("console: read users", "err", err)
	case !admin:
		log.Warn("console: no admin yet; create one with: linkline user add EMAIL --admin --db " + dbLabel(c.DB) + "  (it reads the password from standard input)")
	}
	return con, nil
}

// mfaMode reads LINKLINE_MFA: "required" or "" (the default), or "off".
func mfaMode(s string) (console.MFAMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "required":
		return console.MFARequired, nil
	case "off":
		return console.MFAOff, nil
	}
	return "", fmt.Errorf("LINKLINE_MFA %q: want required or off", s)
}

// trustedProxies parses LINKLINE_TRUSTED_PROXIES: comma-separated CIDRs
// (a bare address means that one address). Empty means none.
func trustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, fmt.Errorf("LINKLINE_TRUSTED_PROXIES (--trusted-proxies): %q is not a CIDR such as 10.0.0.0/8 or an IP address: %w", part, err)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// sandbox builds the engine the console's simulator talks to: the same
// flows, templates and risk screen, on a throwaway database, with no
// notifier and no dispatcher, so nothing reaches a person or the team.
func (c *config) sandbox(ctx context.Context) (*console.Sandbox, error) {
	set, cat, err := c.content()
	if err != nil {
		return nil, err
	}
	screen, err := risk.Default()
	if err != nil {
		return nil, fmt.Errorf("load risk screen: %w", err)
	}
	dir, err := os.MkdirTemp("", "linkline-sandbox-")
	if err != nil {
		return nil, fmt.Errorf("console sandbox: %w", err)
	}
	store, err := bolt.Open(ctx, filepath.Join(dir, "sandbox.db"), bolt.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("console sandbox: %w", err)
	}
	context.AfterFunc(ctx, func() {
		store.Close()
		os.RemoveAll(dir)
	})
	eng, err := engine.NewEngine(engine.Config{Store: store, Flows: set, Templates: cat, Screen: screen,
		Service: c.service(), CrisisText: risk.CrisisText})
	if err != nil {
		return nil, fmt.Errorf("console sandbox: %w", err)
	}
	return &console.Sandbox{Engine: eng, Store: store, Flows: sandboxFlows(set, defaultStartFlow)}, nil
}

// defaultStartFlow is the flow the engine starts for a new number (its
// default: the server does not set another).
const defaultStartFlow = "self-referral"

// sandboxFlows lists set's flows for the sandbox's picker, start first,
// then by id.
func sandboxFlows(set *flows.Set, start string) []console.SandboxFlow {
	var out []console.SandboxFlow
	for _, id := range set.IDs() {
		f, _ := set.Flow(id)
		sf := console.SandboxFlow{ID: id, Title: f.Title}
		if id == start {
			out = append([]console.SandboxFlow{sf}, out...)
		} else {
			out = append(out, sf)
		}
	}
	return out
}

package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
)

// mountConsole serves the link worker console at /console/ and, while
// there is no user yet, says how to create the first admin.
func mountConsole(ctx context.Context, mux *http.ServeMux, a *app, c *config, chans *channelSet, log *slog.Logger) *console.Console {
	cfg := console.Config{Engine: a.engine, Store: a.store, Log: log, PublicURL: c.PublicURL}
	if chans.telegram != nil {
		cfg.TelegramBot = chans.telegram.Username()
	}
	con := console.New(cfg)
	mux.Handle("/console/", con)
	none := true
	err := a.store.View(ctx, func(tx bot.Tx) error {
		return tx.Users(func(*bot.User) bool { none = false; return false })
	})
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		log.Error("console: read users", "err", err)
	case none:
		log.Warn("console: no users yet; create the first admin with: linkline user add EMAIL --admin --db " + c.DB + "  (it reads the password from standard input)")
	}
	return con
}

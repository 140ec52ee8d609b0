package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/channels/telegram"
)

// runEnrol creates a contact and a single-use Telegram deep link that ties
// the first chat to press it to that contact.
func runEnrol(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	c.register(fs)
	c.channels.register(fs)
	name := fs.String("name", "", "the person's name, as the bot will greet them")
	username := fs.String("bot", env("TELEGRAM_BOT_USERNAME", ""), "the bot's username; asked of Telegram when not set (TELEGRAM_BOT_USERNAME)")
	ttl := fs.Duration("expires", engine.DefaultEnrolmentTTL, "how long the link works")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: linkline enrol --name NAME [--bot USERNAME] [--expires 336h]")
		return errUsage
	}
	if *username == "" {
		if c.channels.TelegramToken == "" {
			return fmt.Errorf("set TELEGRAM_BOT_TOKEN (or --bot USERNAME) so the link can name the bot")
		}
		b, err := telegram.New(ctx, telegram.Config{Token: c.channels.TelegramToken, APIURL: c.channels.TelegramAPI})
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
		*username = b.Username()
	}
	a, err := c.openOffline(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	en, contact, err := a.engine.CreateEnrolment(ctx, *name, "cli", *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "https://t.me/%s?start=%s\n", strings.TrimPrefix(*username, "@"), en.Token)
	fmt.Fprintf(stderr, "contact %s; the link works once, until %s\n", contact.ID, en.Expires.Format(time.DateTime))
	return nil
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

const userUsage = "usage: linkline user add EMAIL [--admin] [--name NAME]   (the password is read from standard input)"

// runUser manages console users. "user add" creates one, reading the
// password from the first line of stdin so that it never appears in the
// shell's history or the process list.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	var c config
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	c.register(fs)
	admin := fs.Bool("admin", false, "the user may also manage users and settings")
	name := fs.String("name", "", "the user's name as the console shows it")
	public := fs.String("public-url", env("LINKLINE_PUBLIC_URL", "http://localhost:8080"), "the URL the console is reached on, for the enrolment link (LINKLINE_PUBLIC_URL)")
	// Flags may come before or after EMAIL.
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	email := rest[0]
	if err := parseFlags(fs, rest[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	email = bot.NormalizeEmail(email)
	if !bot.ValidEmail(email) {
		return fmt.Errorf("%q is not an email address", email)
	}
	fmt.Fprintf(stderr, "password for %s (at least %d characters): ", email, auth.MinPasswordLength)
	line, err := readPassword(stdin)
	fmt.Fprintln(stderr)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// Say that the email is taken before spending time on the hash.
	err = store.View(ctx, func(tx bot.Tx) error {
		if _, err := tx.UserByEmail(email); err == nil {
			return bot.Errorf(bot.EConflict, "another user has the email %s", email)
		} else if !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	u := &bot.User{Email: email, Name: strings.TrimSpace(*name), Admin: *admin}
	if err := auth.SetPassword(u, strings.TrimRight(line, "\r\n")); err != nil {
		return err
	}
	err = store.Update(ctx, func(tx bot.Tx) error {
		u.CreatedAt = bot.SystemClock{}.Now()
		if err := tx.PutUser(u); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: u.CreatedAt, UserID: "cli", Action: bot.AuditUserAdded, Detail: u.ID})
	})
	if err != nil {
		return err
	}
	role := "link worker"
	if u.Admin {
		role = "admin"
	}
	fmt.Fprintf(stdout, "added %s %s (%s)\n", role, u.Email, u.ID)
	fmt.Fprintf(stdout, "enrolment link: %s/console/mfa/setup\n", strings.TrimRight(*public, "/"))
	fmt.Fprintln(stdout, "send it to them: they sign in with the password and set up the second step with an authenticator app")
	return nil
}

// readPassword reads one line: from a terminal without echoing it, else as
// piped (e.g. from a password manager).
func readPassword(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		return string(b), err
	}
	return bufio.NewReader(stdin).ReadString('\n')
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/linkline/linkline/bot"
)

const exportUsage = "usage: linkline export --contact ID|ADDRESS [--out FILE] [--by EMAIL]"

// runExport answers a subject access request: everything held about one
// person, as JSON (docs/privacy.md describes the fields). The export is
// recorded in the audit log. Like every command that opens the database
// itself, it cannot run while linkline serve holds the file.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	req := newPersonRequest(fs, "answering")
	out := fs.String("out", "", "write the JSON to this file (readable by its owner only) instead of standard output")
	a, who, err := req.open(ctx, fs, args, exportUsage, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	x, err := a.privacy.Export(ctx, req.contact, who)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if *out == "" {
		_, err = stdout.Write(data)
		return err
	}
	if err := writePrivate(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote the export of contact %s to %s\n", x.Contact.ID, *out)
	return nil
}

// personRequest is what the data protection commands share: the person
// (--contact), who is handling the request (--by) and the database flags.
type personRequest struct {
	c           config
	contact, by string
}

func newPersonRequest(fs *flag.FlagSet, doing string) *personRequest {
	r := &personRequest{}
	r.c.register(fs)
	fs.StringVar(&r.contact, "contact", "", "the person: a contact id (c12) or an address (sms:+447700900123, telegram:12345)")
	fs.StringVar(&r.by, "by", "", "email of the console user "+doing+" the request, for the audit log (default: cli)")
	return r
}

// open parses args, checks a person was named, opens the database (which
// serve must not hold) and returns it with the audit log's name for the
// requester. The caller closes the store.
func (r *personRequest) open(ctx context.Context, fs *flag.FlagSet, args []string, usage string, stderr io.Writer) (*app, string, error) {
	if err := parseFlags(fs, args, stderr); err != nil {
		return nil, "", err
	}
	if strings.TrimSpace(r.contact) == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return nil, "", errUsage
	}
	a, err := r.c.openOffline(ctx, stderr)
	if err != nil {
		return nil, "", err
	}
	who, err := requester(ctx, a.store, r.by)
	if err != nil {
		a.store.Close()
		return nil, "", err
	}
	return a, who, nil
}

// requester is the audit log's name for whoever runs a data protection
// command: the console user with email, or "cli".
func requester(ctx context.Context, store bot.Store, email string) (string, error) {
	if strings.TrimSpace(email) == "" {
		return "cli", nil
	}
	var id string
	err := store.View(ctx, func(tx bot.Tx) error {
		u, err := tx.UserByEmail(email)
		if errors.Is(err, bot.ErrNotFound) {
			return bot.Errorf(bot.ENotFound, "--by %s: no console user has that email", email)
		} else if err != nil {
			return err
		}
		id = u.ID
		return nil
	})
	return id, err
}

// writePrivate writes data to path, readable by its owner only, replacing
// path only once the whole file is on disk.
func writePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".linkline-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

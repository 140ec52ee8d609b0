package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/linkline/linkline/store/transfer"
)

const migrateUsage = "usage: linkline migrate --from linkline.db|postgres://... --to postgres://...|FILE"

// runMigrate copies every record from one database to another, keeping
// ids (store/transfer), into a new, empty destination, and checks the copy
// record by record before saying it is done. Between bbolt and
// PostgreSQL, either way; the bbolt side must not be in use by serve.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "", "database to copy from: a bbolt file or a postgres:// URL")
	to := fs.String("to", "", "new, empty database to copy into: a postgres:// URL or a bbolt file")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 || *from == *to {
		fmt.Fprintln(stderr, migrateUsage)
		return errUsage
	}
	src, err := openStore(ctx, *from)
	if err != nil {
		return fmt.Errorf("open %s: %w", dbLabel(*from), err)
	}
	defer src.Close()
	dst, err := openStore(ctx, *to)
	if err != nil {
		return fmt.Errorf("open %s: %w", dbLabel(*to), err)
	}
	defer dst.Close()
	s, ok := src.(transfer.Source)
	d, ok2 := dst.(transfer.Dest)
	if !ok || !ok2 {
		return fmt.Errorf("cannot copy from %s to %s", dbLabel(*from), dbLabel(*to))
	}
	rep, err := transfer.Copy(ctx, s, d)
	if err != nil {
		return fmt.Errorf("migrate %s to %s: %w", dbLabel(*from), dbLabel(*to), err)
	}
	fmt.Fprintf(stdout, "copied %s to %s and checked every record: %s\n", dbLabel(*from), dbLabel(*to), rep.Counts)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/linkline/linkline/store/bolt"
)

// runCompact rewrites the database file with only its live records (see
// bolt.Compact): after an erasure, this is what removes the erased bytes
// from the file's free pages. Like every command that opens the database
// itself, it cannot run while linkline serve holds the file.
func runCompact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	c.register(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: linkline compact [--db linkline.db]")
		return errUsage
	}
	if err := boltOnly(c.DB, "compact", "PostgreSQL reclaims deleted rows itself (autovacuum); VACUUM FULL rewrites a table"); err != nil {
		return err
	}
	before, after, err := bolt.Compact(ctx, c.DB)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compacted %s: %d bytes -> %d bytes, checked; deleted records are gone from the file\n", c.DB, before, after)
	return nil
}

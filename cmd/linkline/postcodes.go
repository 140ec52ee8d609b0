package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/linkline/linkline/directory"
)

// runPostcodes loads the ONS Postcode Directory (ONSPD) or the National
// Statistics Postcode Lookup (NSPL) CSV into the database's postcode lookup.
func runPostcodes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: linkline postcodes import FILE [--northern-ireland] [--db linkline.db]\n"
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprint(stderr, use)
		return errUsage
	}
	var c config
	var ni bool
	fs := flag.NewFlagSet("postcodes import", flag.ContinueOnError)
	c.register(fs)
	fs.BoolVar(&ni, "northern-ireland", false, "also load BT postcodes (only if your licence for Northern Ireland data allows)")
	pos, err := parseWithArgs(fs, args[1:], stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, use)
		return errUsage
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	if err := c.existingDB(); err != nil {
		return err
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	started := time.Now()
	last := started
	res, err := directory.ImportPostcodes(ctx, store, f, directory.PostcodeOptions{NorthernIreland: ni,
		Progress: func(p directory.PostcodeProgress) {
			if time.Since(last) >= 2*time.Second {
				last = time.Now()
				fmt.Fprintf(stderr, "%d rows read, %d postcodes stored\n", p.Rows, p.Stored)
			}
		}})
	if res != nil {
		fmt.Fprintf(stdout, "%d rows read: %d postcodes stored, %d outward codes, %d without a location, %d Northern Ireland (BT) left out, %d unreadable; %s\n",
			res.Rows, res.Stored, res.Outward, res.NoLocation, res.NorthernIreland, res.Unreadable, time.Since(started).Round(time.Millisecond))
		fmt.Fprintln(stdout, "Show the attribution for this data where distances are shown (see docs/signposting.md).")
	}
	return err
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/store/bolt"
)

const directoryUsage = `usage:
  linkline directory import FILE [--feed NAME]   store the services of an ORUK JSON dump
  linkline directory sync URL [--feed NAME]      page through an ORUK v1 or v3 feed and store its services
`

// runDirectory imports or syncs a service directory into the database.
// Progress goes to stderr, the summary to stdout.
func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "sync") {
		fmt.Fprint(stderr, directoryUsage)
		return errUsage
	}
	verb := args[0]
	var c config
	var feed string
	var perPage int
	fs := flag.NewFlagSet("directory "+verb, flag.ContinueOnError)
	c.register(fs)
	fs.StringVar(&feed, "feed", "", "name the services are kept under (default: the file's name or the URL's host)")
	fs.IntVar(&perPage, "per-page", 100, "services asked for per page (sync)")
	pos, err := parseWithArgs(fs, args[1:], stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, directoryUsage)
		return errUsage
	}
	src := pos[0]
	if feed == "" {
		feed = directory.FeedName(src)
	}
	store, err := bolt.Open(ctx, c.DB, bolt.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	started := time.Now()
	im := &directory.Importer{Store: store, Progress: func(p directory.Progress) {
		of := ""
		if p.Pages > 0 {
			of = fmt.Sprintf("/%d", p.Pages)
		}
		total := ""
		if p.Total > 0 {
			total = fmt.Sprintf(" of %d", p.Total)
		}
		fmt.Fprintf(stderr, "page %d%s: %d services read%s, %d kept, %d skipped\n", p.Page, of, p.Read, total, p.Stored, p.Skipped)
	}}
	var res *directory.Result
	if verb == "import" {
		res, err = im.ImportFile(ctx, src, feed)
	} else {
		res, err = im.Sync(ctx, &directory.Client{PerPage: perPage, Details: true}, src, feed)
	}
	if res != nil {
		printDirectorySummary(stdout, res, time.Since(started))
	}
	return err
}

func printDirectorySummary(w io.Writer, res *directory.Result, took time.Duration) {
	fmt.Fprintf(w, "feed %s (ORUK v%s): %d services read in %d pages, %d kept, %d skipped, %d removed (no longer in the feed), %d taxonomy terms; %s\n",
		res.Feed, res.Version, res.Read, res.Pages, res.Stored, len(res.Skipped), res.Removed, res.Terms, took.Round(time.Millisecond))
	for _, c := range res.SkipCounts() {
		fmt.Fprintf(w, "  skipped %d: %s\n", c.N, c.Reason)
	}
	for i, s := range res.Skipped {
		if i == 20 {
			fmt.Fprintf(w, "  ... and %d more\n", len(res.Skipped)-20)
			break
		}
		fmt.Fprintf(w, "  - id %q %q: %s\n", s.ID, s.Name, s.Reason)
	}
}

// parseWithArgs parses flags that may come before or after the positional
// arguments ("import FILE --db x") and returns the positional ones.
func parseWithArgs(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, stderr); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

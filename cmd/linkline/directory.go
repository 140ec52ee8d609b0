package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/directory"
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
	if err := c.existingDB(); err != nil {
		return err
	}
	store, err := openStore(ctx, c.DB)
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

// signposter builds the matcher over the stored directory and returns the
// engine's signposter, or nil when there is no directory (no services
// stored and no LINKLINE_DIRECTORY_URL): then nothing is offered and MORE
// and LOCAL are ordinary words.
func (c *config) signposter(ctx context.Context, a *app, hours *bot.Hours) (bot.Signposter, error) {
	needs := directory.DefaultNeeds()
	if c.DirectoryNeeds != "" {
		var err error
		if needs, err = directory.LoadNeeds(c.DirectoryNeeds); err != nil {
			return nil, err
		}
	}
	var zone *time.Location
	if hours != nil {
		zone = hours.Loc
	}
	m := directory.NewMatcher(needs, zone)
	if err := m.Load(ctx, a.store); err != nil {
		return nil, fmt.Errorf("load the service directory: %w", err)
	}
	if m.Len() == 0 && c.DirectoryURL == "" {
		return nil, nil
	}
	a.matcher = m
	a.log.Info("signposting on", "services", m.Len())
	return &directory.Signposter{Matcher: m}, nil
}

// directoryEvery is how often serve syncs LINKLINE_DIRECTORY_URL.
const directoryEvery = 24 * time.Hour

// syncDirectory syncs the feed at url with c now and then every
// directoryEvery until ctx ends, loading the matcher again after each sync.
// A failed sync is logged and changes nothing.
func syncDirectory(ctx context.Context, a *app, c *directory.Client, url string, every time.Duration) {
	if url == "" || a.matcher == nil {
		return
	}
	feed := directory.FeedName(url)
	for {
		res, err := (&directory.Importer{Store: a.store}).Sync(ctx, c, url, feed)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			a.log.Error("directory sync failed; the services already stored are kept", "feed", feed, "err", err)
		default:
			a.log.Info("directory synced", "feed", feed, "read", res.Read, "kept", res.Stored,
				"skipped", len(res.Skipped), "removed", res.Removed)
			if err := a.matcher.Load(ctx, a.store); err != nil {
				a.log.Error("load the service directory", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

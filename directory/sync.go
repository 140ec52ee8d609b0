package directory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/linkline/linkline/bot"
)

// Result is what an import or sync did.
type Result struct {
	Feed    string
	Version string
	Pages   int
	// Read counts the records the feed listed; Stored those kept.
	Read, Stored int
	// Terms counts the distinct taxonomy terms the feed's services use.
	Terms int
	// Removed counts services the feed no longer lists, taken out of the
	// store.
	Removed int
	Skipped []Skip
}

// SkipCount is how many records were skipped for one reason.
type SkipCount struct {
	Reason string
	N      int
}

// SkipCounts groups Skipped by reason (without its detail after a colon),
// most common first.
func (r *Result) SkipCounts() []SkipCount {
	counts := map[string]int{}
	for _, s := range r.Skipped {
		reason, _, _ := strings.Cut(s.Reason, ":")
		counts[reason]++
	}
	out := make([]SkipCount, 0, len(counts))
	for k, v := range counts {
		out = append(out, SkipCount{k, v})
	}
	slices.SortFunc(out, func(a, b SkipCount) int { return cmp.Or(b.N-a.N, strings.Compare(a.Reason, b.Reason)) })
	return out
}

// Progress is reported after each page (or batch of a file) is stored.
type Progress struct {
	Page, Pages     int
	Read, Total     int
	Stored, Skipped int
}

// Importer stores feeds' services. Store is required.
type Importer struct {
	Store bot.Store
	Clock bot.Clock
	// Progress, if set, is called after each page or batch is stored.
	Progress func(Progress)
}

// ErrEmptyFeed is returned when a feed gives no usable service at all:
// nothing is removed, because an empty answer is more likely a broken feed
// than a directory with nothing in it.
var ErrEmptyFeed = errors.New("the feed gave no usable service; nothing was changed")

// run is one import or sync: records are validated and stored page by
// page; at the end, services of the feed that were not seen are removed.
type run struct {
	im    *Importer
	res   *Result
	seen  map[string]bool
	terms map[string]bool
}

func (im *Importer) start(feed string) (*run, error) {
	if im.Store == nil {
		return nil, errors.New("directory: importer needs a store")
	}
	if im.Clock == nil {
		im.Clock = bot.SystemClock{}
	}
	if feed == "" || strings.ContainsAny(feed, ":\x00") || len(feed) > 50 {
		return nil, bot.Errorf(bot.EInvalid, "feed name %q: want 1 to 50 characters, no colon", feed)
	}
	return &run{im: im, res: &Result{Feed: feed}, seen: map[string]bool{}, terms: map[string]bool{}}, nil
}

// page validates and stores one page of records in one transaction.
func (r *run) page(ctx context.Context, p *Page, n, total int) error {
	now := r.im.Clock.Now()
	if r.res.Version == "" {
		r.res.Version = p.Version
	}
	var svcs []*bot.DirService
	terms := map[string]bot.DirTerm{}
	for _, raw := range p.Items {
		r.res.Read++
		s, ts, skip := parseService(raw, r.res.Feed, p.Version, now)
		if skip == nil && r.seen[s.ID] {
			skip = &Skip{ID: s.SourceID, Name: s.Name, Reason: ReasonDuplicate}
		}
		if skip != nil {
			r.res.Skipped = append(r.res.Skipped, *skip)
			continue
		}
		r.seen[s.ID] = true
		svcs = append(svcs, s)
		for _, t := range ts {
			terms[t.ID] = t
		}
	}
	err := r.im.Store.Update(ctx, func(tx bot.Tx) error {
		for _, s := range svcs {
			if err := tx.PutDirService(s); err != nil {
				return fmt.Errorf("store service %s: %w", s.ID, err)
			}
		}
		for _, t := range terms {
			if err := tx.PutDirTerm(&t); err != nil {
				return fmt.Errorf("store taxonomy term %s: %w", t.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.res.Pages++
	r.res.Stored += len(svcs)
	for id := range terms {
		r.terms[id] = true
	}
	r.res.Terms = len(r.terms)
	if r.im.Progress != nil {
		r.im.Progress(Progress{Page: n, Pages: p.TotalPages, Read: r.res.Read, Total: total,
			Stored: r.res.Stored, Skipped: len(r.res.Skipped)})
	}
	return nil
}

// finish removes the feed's services that were not seen.
func (r *run) finish(ctx context.Context) (*Result, error) {
	if r.res.Stored == 0 {
		return r.res, ErrEmptyFeed
	}
	var gone []string
	err := r.im.Store.View(ctx, func(tx bot.Tx) error {
		return tx.DirServices(r.res.Feed, func(s *bot.DirService) bool {
			if !r.seen[s.ID] {
				gone = append(gone, s.ID)
			}
			return true
		})
	})
	if err != nil {
		return r.res, err
	}
	for chunk := range slices.Chunk(gone, 500) {
		err := r.im.Store.Update(ctx, func(tx bot.Tx) error {
			for _, id := range chunk {
				if err := tx.DeleteDirService(id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return r.res, fmt.Errorf("remove services the feed no longer lists: %w", err)
		}
		r.res.Removed += len(chunk)
	}
	return r.res, nil
}

// FeedName is the feed name a file or URL gets by default: a file's base
// name without extension, a URL's host.
func FeedName(fileOrURL string) string {
	if b, err := BaseURL(fileOrURL); err == nil && strings.Contains(fileOrURL, "://") {
		h := strings.TrimPrefix(strings.TrimPrefix(b, "https://"), "http://")
		h, _, _ = strings.Cut(h, "/")
		h, _, _ = strings.Cut(h, ":")
		return h
	}
	base := filepath.Base(fileOrURL)
	return strings.ReplaceAll(strings.TrimSuffix(base, filepath.Ext(base)), ":", "-")
}

// ImportFile stores the services of a JSON dump (a bare array, or one v1
// or v3 page) as feed, and removes the feed's services it does not list.
func (im *Importer) ImportFile(ctx context.Context, path, feed string) (*Result, error) {
	r, err := im.start(feed)
	if err != nil {
		return nil, err
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	p, err := ParsePage(body)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	all := p.Items
	batches := (len(all) + 199) / 200
	for i := 0; i < len(all); i += 200 {
		bp := &Page{Version: p.Version, Items: all[i:min(i+200, len(all))], TotalPages: batches}
		if err := r.page(ctx, bp, i/200+1, len(all)); err != nil {
			return r.res, fmt.Errorf("import %s: %w", path, err)
		}
	}
	res, err := r.finish(ctx)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", path, err)
	}
	return res, nil
}

// Sync pages through the feed at rawURL with c and stores its services as
// feed; once every page has been read, it removes the feed's services the
// feed no longer lists. A sync that fails part way removes nothing.
func (im *Importer) Sync(ctx context.Context, c *Client, rawURL, feed string) (*Result, error) {
	base, err := BaseURL(rawURL)
	if err != nil {
		return nil, err
	}
	r, err := im.start(feed)
	if err != nil {
		return nil, err
	}
	err = c.Pages(ctx, base, func(p *Page, n int) error { return r.page(ctx, p, n, p.Total) })
	if err != nil {
		return r.res, fmt.Errorf("sync %s: %w (nothing was removed)", feed, err)
	}
	res, err := r.finish(ctx)
	if err != nil {
		return res, fmt.Errorf("sync %s: %w", feed, err)
	}
	return res, nil
}

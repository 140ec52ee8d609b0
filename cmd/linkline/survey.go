package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

const surveyUsage = `usage:
  linkline survey list                     the surveys this service runs, with their attribution
  linkline survey report [--survey ons4]   per contact: baseline, latest and change per item (CSV)`

// runSurvey lists the surveys and reports outcomes.
func runSurvey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "report") {
		fmt.Fprintln(stderr, surveyUsage)
		return errUsage
	}
	var c config
	fs := flag.NewFlagSet("survey "+args[0], flag.ContinueOnError)
	c.register(fs)
	only := fs.String("survey", "", "report only this instrument (e.g. ons4, ons-loneliness)")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, surveyUsage)
		return errUsage
	}
	set, _, err := c.content()
	if err != nil {
		return err
	}
	if args[0] == "list" {
		for _, id := range set.IDs() {
			f, _ := set.Flow(id)
			if f.Scoring == nil {
				continue
			}
			fmt.Fprintf(stdout, "%s (flow %s, instrument %s)\n", f.Title, f.ID, f.Instrument())
			if f.Attribution != "" {
				fmt.Fprintf(stdout, "  %s\n", f.Attribution)
			}
		}
		return nil
	}
	a, err := c.openOffline(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	return surveyReport(ctx, a.store, set, *only, stdout)
}

// surveyReport writes one CSV row per contact, survey and item: the
// baseline (first result), the latest and the change. It streams the
// results contact by contact, holding one contact's at a time.
func surveyReport(ctx context.Context, store bot.Store, set *flows.Set, only string, stdout io.Writer) error {
	w := bot.NewCSVWriter(stdout)
	if err := w.Write("contact", "survey", "item", "baseline_at", "baseline", "baseline_band",
		"latest_at", "latest", "latest_band", "change"); err != nil {
		return err
	}
	order := map[string][]string{} // instrument → item keys in the flow's order
	for _, id := range set.IDs() {
		if f, _ := set.Flow(id); f.Scoring != nil {
			for _, it := range f.Scoring.Items {
				order[f.Instrument()] = append(order[f.Instrument()], it.Key)
			}
		}
	}
	type pair struct{ first, last *bot.SurveyResult }
	var contact string
	var surveys []string
	byS := map[string]*pair{}
	flush := func() error {
		for _, sv := range surveys {
			p := byS[sv]
			if p.last == p.first {
				p.last = nil
			}
			for _, row := range reportRows(p.first, p.last, order[sv]) {
				if err := w.Write(append([]string{contact, sv}, row...)...); err != nil {
					return err
				}
			}
		}
		surveys, byS = surveys[:0], map[string]*pair{}
		return nil
	}
	var werr error
	err := store.View(ctx, func(tx bot.Tx) error {
		return tx.SurveyResults("", func(r *bot.SurveyResult) bool {
			if only != "" && r.Survey != only || !r.Answered() {
				return true // (every item skipped: no result to compare)
			}
			if r.ContactID != contact {
				if werr = flush(); werr != nil {
					return false
				}
				contact = r.ContactID
			}
			if p, ok := byS[r.Survey]; ok {
				p.last = r
			} else {
				byS[r.Survey] = &pair{first: r, last: r}
				surveys = append(surveys, r.Survey)
			}
			return true
		})
	})
	if err == nil {
		err = werr
	}
	if err == nil {
		err = flush()
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// reportRows is item, baseline_at, baseline, baseline_band, latest_at,
// latest, latest_band, change for each item, then the total and metric.
// A skipped item is an empty cell, and then so is its change.
func reportRows(first, last *bot.SurveyResult, keys []string) [][]string {
	num := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	at := func(r *bot.SurveyResult) string {
		if r == nil {
			return ""
		}
		return r.At.UTC().Format(time.RFC3339)
	}
	var rows [][]string
	row := func(item, b, bb, l, lb, change string) {
		rows = append(rows, []string{item, at(first), b, bb, at(last), l, lb, change})
	}
	seen := map[string]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	var extra []string
	for k := range first.Items {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	keys = append(keys[:len(keys):len(keys)], extra...)
	for _, k := range keys {
		if cat, ok := first.Categories[k]; ok {
			l, lb := "", ""
			if last != nil {
				l, lb = last.Categories[k], last.Bands[k]
			}
			row(k, cat, first.Bands[k], l, lb, "")
			continue
		}
		if _, ok := first.Items[k]; !ok {
			continue
		}
		b, l, lb, change := first.Items[k], (*int)(nil), "", ""
		if last != nil {
			l, lb = last.Items[k], last.Bands[k]
			if b != nil && l != nil {
				change = strconv.Itoa(*l - *b)
			}
		}
		row(k, num(b), first.Bands[k], num(l), lb, change)
	}
	if first.Score != nil || (last != nil && last.Score != nil) {
		var l *int
		lb, change := "", ""
		if last != nil {
			l, lb = last.Score, last.Bands[bot.BandTotal]
			if first.Score != nil && l != nil {
				change = strconv.Itoa(*l - *first.Score)
			}
		}
		row("total", num(first.Score), first.Bands[bot.BandTotal], num(l), lb, change)
	}
	if first.Metric != nil || (last != nil && last.Metric != nil) {
		f := func(p *float64) string {
			if p == nil {
				return ""
			}
			return strconv.FormatFloat(*p, 'f', -1, 64)
		}
		var l *float64
		change := ""
		if last != nil {
			l = last.Metric
			if first.Metric != nil && l != nil {
				change = strconv.FormatFloat(*l-*first.Metric, 'f', 2, 64)
			}
		}
		row("metric", f(first.Metric), "", f(l), "", change)
	}
	return rows
}

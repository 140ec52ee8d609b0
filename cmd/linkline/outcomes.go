package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/linkline/linkline/bot"
)

// runReport prints service-level reports; today, outcomes.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: linkline report outcomes [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]"
	if len(args) == 0 || args[0] != "outcomes" {
		fmt.Fprintln(stderr, use)
		return errUsage
	}
	var c config
	fs := flag.NewFlagSet("report outcomes", flag.ContinueOnError)
	c.register(fs)
	fromS := fs.String("from", "", "first day of results counted, YYYY-MM-DD (default: all)")
	toS := fs.String("to", "", "last day of results counted, YYYY-MM-DD (default: all)")
	asCSV := fs.Bool("csv", false, "print CSV: one row per item with its means, then one per band")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, use)
		return errUsage
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	var from, to time.Time
	if *fromS != "" {
		if from, err = time.ParseInLocation(time.DateOnly, *fromS, loc); err != nil {
			return fmt.Errorf("--from %q: want YYYY-MM-DD", *fromS)
		}
	}
	if *toS != "" {
		if to, err = time.ParseInLocation(time.DateOnly, *toS, loc); err != nil {
			return fmt.Errorf("--to %q: want YYYY-MM-DD", *toS)
		}
		to = to.AddDate(0, 0, 1) // the whole of the last day
	}
	a, err := c.openOffline(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	set, _, err := c.content()
	if err != nil {
		return err
	}
	var out []bot.Outcome
	if err := a.store.View(ctx, func(tx bot.Tx) error {
		out, err = bot.Outcomes(tx, set, from, to)
		return err
	}); err != nil {
		return err
	}
	if *asCSV {
		return bot.WriteOutcomesCSV(stdout, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(stdout, "no survey results")
		return err
	}
	for _, o := range out {
		fmt.Fprintf(stdout, "%s: %d with a baseline, %d with a follow-up\n", o.Survey, o.Baseline, o.FollowUp)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ITEM\tPAIRS\tBASELINE\tFOLLOW-UP\tCHANGE\tBEFORE\tAFTER")
		for _, it := range o.Items {
			b, f, ch := "-", "-", "-"
			if it.Numeric && it.Pairs > 0 {
				b, f, ch = fmt.Sprintf("%.2f", it.MeanBaseline), fmt.Sprintf("%.2f", it.MeanFollowUp), fmt.Sprintf("%+.2f", it.MeanChange)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\n", it.Item, it.Pairs, b, f, ch, bandList(it.Before), bandList(it.After))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func bandList(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + strconv.Itoa(m[k])
	}
	return strings.Join(parts, ", ")
}

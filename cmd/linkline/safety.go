package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/linkline/linkline/bot/risk"
)

// runSafety measures the risk screen: `linkline safety eval FILE` reads
// tab-separated "label<TAB>text" lines (labels risk/ok) and prints
// precision, recall and every miss and false alarm.
func runSafety(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: linkline safety eval [--rules FILE] FILE")
		return errUsage
	}
	fs := flag.NewFlagSet("safety eval", flag.ContinueOnError)
	rules := fs.String("rules", "", "a rules file to use instead of the built-in English rules")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: linkline safety eval [--rules FILE] FILE")
		return errUsage
	}
	screen, err := risk.Default()
	if *rules != "" {
		var f *os.File
		if f, err = os.Open(*rules); err != nil {
			return err
		}
		defer f.Close()
		screen, err = risk.Load(f)
	}
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	report, err := risk.Evaluate(screen, f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprint(stdout, report.String())
	return nil
}

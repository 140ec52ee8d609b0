package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/linkline/linkline/bot/risk"
)

// runSafety measures the risk screen: `linkline safety eval FILE...` reads
// tab-separated "label[:class]<TAB>text" lines (labels risk/ok, or
// human/answer for requests for a person) and prints, per file, recall,
// false alarms and precision for both tiers and the urgent tier alone, the
// figures per class, every miss with the rule that nearly fired, and every
// false alarm with the rule and words that fired.
func runSafety(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "train" {
		return runSafetyTrain(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "eval" {
		fmt.Fprintln(stderr, "usage: linkline safety eval [--rules FILE] [--conversation] FILE...\n       linkline safety train --out FILE [--requests-out FILE] FILE...")
		return errUsage
	}
	fs := flag.NewFlagSet("safety eval", flag.ContinueOnError)
	rules := fs.String("rules", "", "a rules file to use instead of the built-in rules (English, and Welsh for Welsh messages)")
	conversation := fs.Bool("conversation", false, "read every one-message line after an ordinary message from the same file, as in a conversation")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: linkline safety eval [--rules FILE] [--conversation] FILE...")
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
	for i, name := range fs.Args() {
		if fs.NArg() > 1 {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "== %s\n", name)
		}
		if err := evalFile(screen, name, *conversation, stdout); err != nil {
			return err
		}
	}
	return nil
}

func evalFile(screen *risk.Screen, name string, conversation bool, stdout io.Writer) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	evaluate := risk.Evaluate
	if conversation {
		evaluate = risk.EvaluateInConversation
	}
	report, err := evaluate(screen, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprint(stdout, report.String())
	return nil
}

// runSafetyTrain trains the risk screen's second signal (a small model),
// and with --requests-out the request model, on evaluation files:
// `linkline safety train --out bot/risk/rules/en-model.txt --requests-out
// bot/risk/rules/en-request-model.txt bot/risk/testdata/dev*/*.tsv`. The
// same files always give the same models.
func runSafetyTrain(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("safety train", flag.ContinueOnError)
	out := fs.String("out", "", "where to write the model (bot/risk/rules/en-model.txt)")
	requests := fs.String("requests-out", "", "where to write the request model (bot/risk/rules/en-request-model.txt); none if empty")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: linkline safety train --out FILE [--requests-out FILE] FILE...")
		return errUsage
	}
	var data [][]byte
	for _, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		data = append(data, b)
	}
	// readers gives the files again for each model.
	readers := func() []io.Reader {
		rs := make([]io.Reader, len(data))
		for i, b := range data {
			rs[i] = bytes.NewReader(b)
		}
		return rs
	}
	var buf bytes.Buffer
	sum, err := risk.TrainModel(readers(), &buf)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d risk and %d ok lines: %d weights, written to %s\n", sum.Risk, sum.OK, sum.Features, *out)
	if *requests == "" {
		return nil
	}
	buf.Reset()
	if sum, err = risk.TrainRequestModel(readers(), &buf); err != nil {
		return err
	}
	if err := os.WriteFile(*requests, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "request model: trained on %d requests and %d other lines: %d weights, written to %s\n", sum.Risk, sum.OK, sum.Features, *requests)
	return nil
}

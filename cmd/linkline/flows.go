package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"

	"github.com/linkline/linkline/bot/risk"
	"github.com/linkline/linkline/flows"
	"github.com/linkline/linkline/flows/flowtest"
	"github.com/linkline/linkline/templates"
)

func runFlows(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: linkline flows check [DIR] | linkline flows test [FILE...]")
		return errUsage
	}
	switch args[0] {
	case "check":
		return runFlowsCheck(args[1:], stdout, stderr)
	case "test":
		return runFlowsTest(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "linkline flows: unknown command %q (want check or test)\n", args[0])
	return errUsage
}

// runFlowsCheck validates the built-in flows plus those in DIR (or
// LINKLINE_FLOWS) and prints one line per problem.
func runFlowsCheck(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("flows check", flag.ContinueOnError)
	c.register(fs)
	maxSeg := fs.Int("max-segments", 3, "the most SMS segments one message may take")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "usage: linkline flows check [DIR]")
		return errUsage
	}
	if fs.NArg() == 1 {
		c.FlowsDir = fs.Arg(0)
	}
	cat, err := templates.Load(c.flowsFS())
	if err != nil {
		return err
	}
	set, err := flows.Load(c.flowsFS())
	if err != nil {
		return err
	}
	problems := set.Check(cat, flows.CheckOptions{MaxSegments: *maxSeg, Warnings: true})
	failed := 0
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
		if !p.Warning {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "%d problem(s) in %d flow(s)\n", failed, len(set.IDs()))
		return errFailed
	}
	fmt.Fprintf(stdout, "ok: %d flows\n", len(set.IDs()))
	return nil
}

// runFlowsTest runs scripted conversations: the files named, or the
// built-in scripts and any under tests/ in the flows folder.
func runFlowsTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fset := flag.NewFlagSet("flows test", flag.ContinueOnError)
	c.register(fset)
	if err := parseFlags(fset, args, stderr); err != nil {
		return err
	}
	set, cat, err := c.content()
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	if fset.NArg() > 0 {
		for _, name := range fset.Args() {
			data, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			files[name] = data
		}
	} else {
		for _, src := range []struct {
			fsys   fs.FS
			prefix string
		}{{flows.Builtin(), "builtin:"}, {c.flowsFS(), c.FlowsDir + "/"}} {
			if src.fsys == nil {
				continue
			}
			names, _ := fs.Glob(src.fsys, "tests/*.yaml")
			for _, name := range names {
				data, err := fs.ReadFile(src.fsys, name)
				if err != nil {
					return err
				}
				files[src.prefix+path.Clean(name)] = data
			}
		}
	}
	dir, err := os.MkdirTemp("", "linkline-flows-test-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	screen, err := risk.Default()
	if err != nil {
		return err
	}
	env := flowtest.Env{Flows: set, Templates: cat, Screen: screen, CrisisText: risk.CrisisText, Service: c.service(), Dir: dir}

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var runs, failed int
	for _, name := range names {
		scripts, err := flowtest.Parse(name, files[name])
		if err != nil {
			return err
		}
		for _, s := range scripts {
			runs++
			fails, err := flowtest.Run(ctx, env, s)
			if err != nil {
				return fmt.Errorf("%s: %q: %w", name, s.Name, err)
			}
			if len(fails) > 0 {
				failed++
				fmt.Fprintf(stdout, "FAIL %s: %s\n", name, s.Name)
				for _, f := range fails {
					fmt.Fprintf(stdout, "    step %d: %s\n", f.Step, f.Msg)
				}
				continue
			}
			fmt.Fprintf(stdout, "ok   %s: %s\n", name, s.Name)
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "%d of %d scripts failed\n", failed, runs)
		return errFailed
	}
	fmt.Fprintf(stdout, "%d scripts passed\n", runs)
	return nil
}

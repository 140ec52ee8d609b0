package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/linkline/linkline/bot/privacy"
)

const eraseUsage = "usage: linkline erase --contact ID|ADDRESS [--yes] [--by EMAIL]"

// runErase erases the personal data held about one person that is not
// part of their care record (docs/privacy.md says what goes and what
// stays, and why). It shows what it will do and asks for "yes" unless
// --yes is given, then prints what it removed. Like every command that
// opens the database itself, it cannot run while linkline serve holds the
// file.
func runErase(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("erase", flag.ContinueOnError)
	req := newPersonRequest(fs, "handling")
	yes := fs.Bool("yes", false, "erase without asking")
	a, who, err := req.open(ctx, fs, args, eraseUsage, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	if !*yes {
		plan, err := a.privacy.Erase(ctx, req.contact, who, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "contact %s: erasing will\n", plan.ContactID)
		printErasure(stdout, plan)
		fmt.Fprint(stderr, "This cannot be undone. Type yes to erase: ")
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if strings.TrimSpace(strings.ToLower(line)) != "yes" {
			fmt.Fprintln(stderr, "nothing erased")
			return errFailed
		}
	}
	er, err := a.privacy.Erase(ctx, req.contact, who, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "contact %s erased (recorded in the audit log as by %s)\n", er.ContactID, er.By)
	printErasure(stdout, er)
	fmt.Fprintln(stdout, "The erased bytes can stay in the file's free pages until reused: run linkline compact (server stopped) to remove them.")
	return nil
}

// printErasure lists what an erasure removes and keeps, one category a line.
func printErasure(w io.Writer, er *privacy.Erasure) {
	list := func(title string, m map[string]int) {
		var keys []string
		for k, n := range m {
			if n > 0 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		fmt.Fprintln(w, title)
		if len(keys) == 0 {
			fmt.Fprintln(w, "  nothing")
		}
		for _, k := range keys {
			fmt.Fprintf(w, "  %-18s %d\n", k, m[k])
		}
	}
	list("remove:", er.Removed)
	list("keep (care record):", er.Kept)
	if er.ContactDeleted {
		fmt.Fprintln(w, "  The person has no care record: the contact itself goes too.")
	}
}

// Command linkline runs Linkline: the messaging assistant for social
// prescribing services. See the README for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `linkline — a messaging assistant for social prescribing services

Usage:
  linkline serve                 run the server (HTTP, outbox, timers)
  linkline chat [--as ADDRESS]   talk to the bot in this terminal
  linkline flows check [DIR]     validate the built-in flows and those in DIR
  linkline flows test [FILE...]  run scripted conversations (default: the built-in ones)
  linkline safety eval FILE      measure the risk screen on a labelled file
  linkline enrol --name NAME     create a contact and a one-use Telegram link for them
  linkline backup FILE           write a checked copy of the database, also while serve runs
  linkline export --contact ID   everything held about a person, as JSON (subject access)
  linkline erase --contact ID    erase a person's data that is not their care record
  linkline compact               rewrite the database with only live records (after erase; server stopped)
  linkline migrate --from A --to B  copy everything, keeping ids, between bbolt and PostgreSQL (B new and empty)
  linkline checkin add|list|pause|resume|remove   schedule check-ins and surveys for a contact
  linkline survey list|report    the surveys, with attribution; baseline vs latest per contact (CSV)
  linkline report outcomes [--from D] [--to D] [--csv]   people with baseline and follow-up, mean change, bands
  linkline loadgen [--serve]     fire signed Twilio SMS webhooks at a server; see docs/benchmarks.md
  linkline directory import FILE | sync URL   store local services from an Open Referral UK feed
  linkline postcodes import FILE  load the ONSPD or NSPL postcode file (for distances)
  linkline user add EMAIL [--admin] [--name NAME]
                                 add a console user; the password is read from stdin

Run "linkline COMMAND -h" for a command's flags. Every flag can also be set
by the environment variable named in its help.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = runServe(ctx, rest, stderr)
	case "chat":
		err = runChat(ctx, rest, stdin, stdout, stderr)
	case "flows":
		err = runFlows(ctx, rest, stdout, stderr)
	case "safety":
		err = runSafety(ctx, rest, stdout, stderr)
	case "enrol":
		err = runEnrol(ctx, rest, stdout, stderr)
	case "backup":
		err = runBackup(ctx, rest, stdout, stderr)
	case "export":
		err = runExport(ctx, rest, stdout, stderr)
	case "erase":
		err = runErase(ctx, rest, stdin, stdout, stderr)
	case "compact":
		err = runCompact(ctx, rest, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, rest, stdout, stderr)
	case "checkin":
		err = runCheckin(ctx, rest, stdout, stderr)
	case "survey":
		err = runSurvey(ctx, rest, stdout, stderr)
	case "report":
		err = runReport(ctx, rest, stdout, stderr)
	case "loadgen":
		err = runLoadgen(ctx, rest, stdout, stderr)
	case "user":
		err = runUser(ctx, rest, stdin, stdout, stderr)
	case "directory":
		err = runDirectory(ctx, rest, stdout, stderr)
	case "postcodes":
		err = runPostcodes(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "linkline: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errFailed):
		return 1
	}
	fmt.Fprintf(stderr, "linkline: %v\n", err)
	return 1
}

var (
	// errUsage: the command line was wrong; the message has been printed.
	errUsage = errors.New("usage")
	// errFailed: the command ran and found problems it has printed.
	errFailed = errors.New("failed")
)

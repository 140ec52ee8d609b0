package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/channels/sim"
)

// runChat talks to the bot in the terminal as a person texting the service
// would: one message per line in, each reply printed. The conversation is
// kept in the database, so quitting and starting again carries on.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	c.register(fs)
	as := fs.String("as", "sim:local", "who is talking, as channel:id (e.g. sms:+447700900123)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	addr, err := bot.ParseAddress(*as)
	if err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	var inbox sim.Inbox
	sender := sim.NewSender(inbox.Deliver)
	// Every channel's replies print here: chat speaks as any address.
	a, err := c.open(ctx, log, map[bot.Channel]bot.Sender{bot.Sim: sender, bot.SMS: sender, bot.Telegram: sender}, logNotifier{log})
	if err != nil {
		return err
	}
	defer a.store.Close()

	interactive := isTerminal(stdin)
	if interactive {
		fmt.Fprintf(stdout, "Talking to Linkline as %s (database %s). Type a message; Ctrl-D to quit.\n", addr, dbLabel(c.DB))
	}
	// Timers that fell due while chat was closed (reminders) fire first.
	if _, err := a.sched.FireDue(ctx); err != nil {
		return err
	}
	print := func() error {
		if err := a.disp.Drain(ctx); err != nil {
			return err
		}
		for _, text := range inbox.Take(addr) {
			fmt.Fprintf(stdout, "%s\n\n", text)
		}
		return nil
	}
	if err := print(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if interactive {
			fmt.Fprint(stdout, "> ")
		}
		if !sc.Scan() {
			break
		}
		if err := a.engine.Handle(ctx, bot.Inbound{Address: addr, Text: strings.TrimRight(sc.Text(), "\r")}); err != nil {
			return err
		}
		if err := print(); err != nil {
			return err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

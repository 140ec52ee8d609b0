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
		fmt.Fprintf(stdout, "Talking to Linkline as %s (database %s). Type a message; Ctrl-C or Ctrl-D to quit.\n", addr, dbLabel(c.DB))
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
	// Lines are read apart from the conversation, so that Ctrl-C (which
	// cancels ctx) quits at once, even while waiting for a line, instead
	// of failing the next message with "context canceled".
	lines, readErr := readLines(ctx, stdin)
	for {
		if interactive {
			fmt.Fprint(stdout, "> ")
		}
		var text string
		select {
		case <-ctx.Done():
			if interactive {
				fmt.Fprintln(stdout)
			}
			return nil
		case l, ok := <-lines:
			if !ok {
				if err := <-readErr; err != nil {
					return fmt.Errorf("read input: %w", err)
				}
				return nil
			}
			text = l
		}
		if ctx.Err() != nil {
			return nil // Ctrl-C came with the line: it is not sent
		}
		if err := a.engine.Handle(ctx, bot.Inbound{Address: addr, Text: text}); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := print(); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// readLines sends r's lines (without line ends) on the first channel,
// which is closed at the end of input; the second then gives the read
// error, or nil. The reader goroutine ends with the input, or at the
// next line after ctx is done.
func readLines(ctx context.Context, r io.Reader) (<-chan string, <-chan error) {
	lines, done := make(chan string), make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- strings.TrimRight(sc.Text(), "\r"):
			case <-ctx.Done():
				done <- nil
				return
			}
		}
		done <- sc.Err()
	}()
	return lines, done
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

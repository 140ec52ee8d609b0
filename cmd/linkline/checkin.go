package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/linkline/linkline/bot"
)

const checkinUsage = `usage:
  linkline checkin add --contact ID|ADDRESS --every weekly|fortnightly|monthly|once --day mon --at 10:00
                       [--flow carer-checkin] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--zone Europe/London]
  linkline checkin list [--contact ID|ADDRESS]
  linkline checkin pause ID | resume ID | remove ID`

// runCheckin manages check-in schedules: a flow (the carer check-in, or a
// survey) sent to a contact on a regular day and time.
func runCheckin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, checkinUsage)
		return errUsage
	}
	var c config
	fs := flag.NewFlagSet("checkin "+args[0], flag.ContinueOnError)
	c.register(fs)
	contact := fs.String("contact", "", "the contact's id, or an address such as sms:+447700900123")
	every := fs.String("every", "weekly", "weekly, fortnightly, monthly (the first such weekday of each month) or once (on --start)")
	day := fs.String("day", "", "day of the week, e.g. mon")
	at := fs.String("at", "", "local time, HH:MM")
	flowID := fs.String("flow", "carer-checkin", "the flow to run: the carer check-in or a survey")
	start := fs.String("start", "", "first date, YYYY-MM-DD (default today)")
	end := fs.String("end", "", "last date, YYYY-MM-DD (default none)")
	zone := fs.String("zone", bot.DefaultZone, "time zone of --day and --at")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	sub := args[0]
	switch {
	case sub == "add" && (*contact == "" || (*day == "" && *every != "once") || *at == "" || fs.NArg() > 0),
		sub == "list" && fs.NArg() > 0,
		(sub == "pause" || sub == "resume" || sub == "remove") && fs.NArg() != 1:
		fmt.Fprintln(stderr, checkinUsage)
		return errUsage
	case sub != "add" && sub != "list" && sub != "pause" && sub != "resume" && sub != "remove":
		fmt.Fprintf(stderr, "linkline checkin: unknown command %q\n%s\n", sub, checkinUsage)
		return errUsage
	}
	a, err := c.openOffline(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.store.Close()
	switch sub {
	case "add":
		s := &bot.Schedule{Flow: *flowID, LocalTime: *at, Zone: *zone}
		c, err := findContact(ctx, a.store, *contact)
		if err != nil {
			return err
		}
		s.ContactID = c.ID
		if s.Every, err = bot.ParseEvery(*every); err != nil {
			return err
		}
		if *day != "" {
			if s.Weekday, err = bot.ParseWeekday(*day); err != nil {
				return err
			}
		}
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return fmt.Errorf("--zone: %w", err)
		}
		for _, d := range []struct {
			flag, v string
			to      *time.Time
		}{{"--start", *start, &s.Start}, {"--end", *end, &s.End}} {
			if d.v == "" {
				continue
			}
			if *d.to, err = time.ParseInLocation(time.DateOnly, d.v, loc); err != nil {
				return fmt.Errorf("%s %q: want YYYY-MM-DD", d.flag, d.v)
			}
		}
		if err := a.engine.AddSchedule(ctx, s); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "schedule %s: %s %s %s at %s; first run %s\n", s.ID, s.Flow, s.Every,
			s.Weekday, s.LocalTime, formatRun(s, loc))
		if len(c.Addresses) == 0 {
			fmt.Fprintf(stdout, "note: %s has not opened their enrolment link yet; until they do, runs are skipped and recorded (a once-only run is tried again each day)\n", c.ID)
		}
		return nil
	case "list":
		id := ""
		if *contact != "" {
			c, err := findContact(ctx, a.store, *contact)
			if err != nil {
				return err
			}
			id = c.ID
		}
		return listSchedules(ctx, a.store, id, stdout)
	case "pause", "resume":
		if err := a.engine.PauseSchedule(ctx, fs.Arg(0), sub == "pause"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "schedule %s %sd\n", fs.Arg(0), sub)
		return nil
	default:
		if err := a.engine.RemoveSchedule(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "schedule %s removed\n", fs.Arg(0))
		return nil
	}
}

// findContact reads a contact id, or an address ("sms:+44...") whose
// contact it finds.
func findContact(ctx context.Context, store bot.Store, s string) (*bot.Contact, error) {
	var c *bot.Contact
	err := store.View(ctx, func(tx bot.Tx) error {
		var err error
		c, err = bot.FindContact(tx, s)
		return err
	})
	return c, err
}

func formatRun(s *bot.Schedule, loc *time.Location) string {
	switch {
	case s.Paused:
		return "paused"
	case s.Next.IsZero():
		return "ended"
	}
	return s.Next.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

func listSchedules(ctx context.Context, store bot.Store, contactID string, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCONTACT\tFLOW\tEVERY\tDAY\tTIME\tNEXT\tMISSED")
	n := 0
	err := store.View(ctx, func(tx bot.Tx) error {
		return tx.Schedules(contactID, func(s *bot.Schedule) bool {
			loc, err := time.LoadLocation(s.Zone)
			if err != nil {
				loc = time.UTC
			}
			n++
			day := s.Weekday.String()[:3]
			if s.Every == bot.Once {
				day = s.Start.In(loc).Format(time.DateOnly)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", s.ID, s.ContactID, s.Flow, s.Every,
				day, s.LocalTime, formatRun(s, loc), s.Missed)
			return true
		})
	})
	if err != nil {
		return err
	}
	if n == 0 {
		_, err := fmt.Fprintln(stdout, "no schedules")
		return err
	}
	return errors.Join(tw.Flush())
}

package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// checkinFlags are the scheduled check-in and survey settings as given on
// the command line or in the environment.
type checkinFlags struct {
	Quiet, Window, Spread, FollowUp string
}

// checkinSettings are checkinFlags parsed and checked.
type checkinSettings struct {
	quiet                    bot.QuietHours
	window, spread, followUp time.Duration
}

func (f *checkinFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Quiet, "quiet-hours", env("LINKLINE_QUIET_HOURS", "21:00-08:00"), "local times when no scheduled check-in or survey is sent, HH:MM-HH:MM, or none (LINKLINE_QUIET_HOURS)")
	fs.StringVar(&f.Window, "checkin-window", env("LINKLINE_CHECKIN_WINDOW", "6h"), "how late a check-in missed while the server was down may still go out, e.g. 6h (LINKLINE_CHECKIN_WINDOW)")
	fs.StringVar(&f.Spread, "checkin-spread", env("LINKLINE_CHECKIN_SPREAD", "0"), "spread check-ins due at the same time over this long, e.g. 30m; 0 for none (LINKLINE_CHECKIN_SPREAD)")
	fs.StringVar(&f.FollowUp, "follow-up-after", env("LINKLINE_FOLLOW_UP_AFTER", "12w"), "how long after a baseline survey its follow-up is sent, e.g. 12w, 84d or 2016h (LINKLINE_FOLLOW_UP_AFTER)")
}

// parse checks every setting and names the one that is wrong.
func (f *checkinFlags) parse() (checkinSettings, error) {
	var s checkinSettings
	var err error
	if s.quiet, err = parseQuiet(f.Quiet); err != nil {
		return s, fmt.Errorf("quiet hours (LINKLINE_QUIET_HOURS) %q: %w", f.Quiet, err)
	}
	if s.window, err = parseSpan(f.Window); err != nil || s.window <= 0 {
		return s, fmt.Errorf("check-in window (LINKLINE_CHECKIN_WINDOW) %q: want a length of time above 0, e.g. 6h", f.Window)
	}
	if s.spread, err = parseSpan(f.Spread); err != nil || s.spread < 0 {
		return s, fmt.Errorf("check-in spread (LINKLINE_CHECKIN_SPREAD) %q: want a length of time, e.g. 30m, or 0", f.Spread)
	}
	if s.spread >= 24*time.Hour {
		return s, fmt.Errorf("check-in spread (LINKLINE_CHECKIN_SPREAD) %q: want less than a day, so a weekly check-in stays on its day", f.Spread)
	}
	if s.followUp, err = parseSpan(f.FollowUp); err != nil || s.followUp < 24*time.Hour {
		return s, fmt.Errorf("follow-up interval (LINKLINE_FOLLOW_UP_AFTER) %q: want at least a day, e.g. 12w, 84d or 2016h", f.FollowUp)
	}
	return s, nil
}

// parseQuiet reads "21:00-08:00" (a span past midnight is fine) or "none".
func parseQuiet(v string) (bot.QuietHours, error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "none") || strings.EqualFold(v, "off") {
		return bot.QuietHours{From: "00:00", To: "00:00"}, nil
	}
	from, to, ok := strings.Cut(v, "-")
	q := bot.QuietHours{From: strings.TrimSpace(from), To: strings.TrimSpace(to)}
	if !ok || !isClock(q.From) || !isClock(q.To) {
		return q, fmt.Errorf("want HH:MM-HH:MM in 24-hour time, e.g. 21:00-08:00, or none")
	}
	return q, nil
}

func isClock(s string) bool {
	t, err := time.Parse("15:04", s)
	return err == nil && t.Format("15:04") == s
}

// parseSpan reads a Go duration ("6h", "90m") or whole days or weeks
// ("84d", "12w").
func parseSpan(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(v, suffix); ok {
			i, err := strconv.Atoi(n)
			if err != nil || i < 0 || i > 520 {
				return 0, fmt.Errorf("%q: want whole %s", v, map[string]string{"d": "days", "w": "weeks"}[suffix])
			}
			return time.Duration(i) * unit, nil
		}
	}
	return time.ParseDuration(v)
}

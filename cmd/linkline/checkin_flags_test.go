package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// Each check-in setting parses in the forms the help gives, and a bad value
// fails naming the setting and what it wants.
func TestCheckinFlags(t *testing.T) {
	ok := checkinFlags{Quiet: "21:00-08:00", Window: "6h", Spread: "0", FollowUp: "12w"}
	cases := []struct {
		name string
		edit func(*checkinFlags)
		want checkinSettings
		err  string
	}{
		{"defaults", func(*checkinFlags) {}, checkinSettings{quiet: bot.DefaultQuiet, window: 6 * time.Hour, followUp: 2016 * time.Hour}, ""},
		{"days and a spread", func(f *checkinFlags) { f.Quiet, f.Spread, f.FollowUp = " 22:30 - 07:00 ", "30m", "84d" },
			checkinSettings{quiet: bot.QuietHours{From: "22:30", To: "07:00"}, window: 6 * time.Hour, spread: 30 * time.Minute, followUp: 2016 * time.Hour}, ""},
		{"no quiet hours", func(f *checkinFlags) { f.Quiet, f.FollowUp = "none", "2016h" },
			checkinSettings{quiet: bot.QuietHours{From: "00:00", To: "00:00"}, window: 6 * time.Hour, followUp: 2016 * time.Hour}, ""},
		{"quiet in words", func(f *checkinFlags) { f.Quiet = "9pm-8am" }, checkinSettings{}, `quiet hours (LINKLINE_QUIET_HOURS) "9pm-8am": want HH:MM-HH:MM`},
		{"quiet one time", func(f *checkinFlags) { f.Quiet = "21:00" }, checkinSettings{}, `LINKLINE_QUIET_HOURS`},
		{"quiet impossible time", func(f *checkinFlags) { f.Quiet = "25:00-08:00" }, checkinSettings{}, `LINKLINE_QUIET_HOURS`},
		{"window zero", func(f *checkinFlags) { f.Window = "0" }, checkinSettings{}, `check-in window (LINKLINE_CHECKIN_WINDOW) "0": want a length of time above 0`},
		{"window words", func(f *checkinFlags) { f.Window = "six hours" }, checkinSettings{}, `LINKLINE_CHECKIN_WINDOW`},
		{"spread negative", func(f *checkinFlags) { f.Spread = "-5m" }, checkinSettings{}, `check-in spread (LINKLINE_CHECKIN_SPREAD) "-5m"`},
		{"spread a day", func(f *checkinFlags) { f.Spread = "1d" }, checkinSettings{}, `want less than a day`},
		{"follow-up weeks with a fraction", func(f *checkinFlags) { f.FollowUp = "1.5w" }, checkinSettings{}, `follow-up interval (LINKLINE_FOLLOW_UP_AFTER) "1.5w": want at least a day`},
		{"follow-up too soon", func(f *checkinFlags) { f.FollowUp = "2h" }, checkinSettings{}, `LINKLINE_FOLLOW_UP_AFTER`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.edit(&f)
			got, err := f.parse()
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("parse() error = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("parse() = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// A bad setting in the environment stops a command before it opens the
// database, saying which setting.
func TestBadCheckinSettingFails(t *testing.T) {
	defaultConfig(t)
	t.Setenv("LINKLINE_QUIET_HOURS", "late")
	code, _, errs := runCmd(t, "", "checkin", "list", "--db", t.TempDir()+"/q.db")
	if code == 0 || !strings.Contains(errs, "LINKLINE_QUIET_HOURS") {
		t.Fatalf("code %d, stderr %s", code, errs)
	}
}

// The follow-up interval reaches the engine: a baseline ONS4 taken after
// `open` schedules its follow-up that long after.
func TestFollowUpAfterReachesEngine(t *testing.T) {
	ctx := context.Background()
	c := defaultConfig(t)
	c.DB = t.TempDir() + "/f.db"
	c.checkins.FollowUp = "3w"
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a, err := c.open(ctx, log, map[bot.Channel]bot.Sender{}, logNotifier{log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()
	addr := bot.Address{Channel: bot.SMS, ID: "+447700900555"}
	var id string
	if err := a.store.Update(ctx, func(tx bot.Tx) error {
		ct := &bot.Contact{Addresses: []bot.Address{addr}, Locale: "en", CreatedAt: time.Now()}
		err := tx.PutContact(ct)
		id = ct.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.engine.StartFlow(ctx, id, "ons4"); err != nil || !ok {
		t.Fatalf("StartFlow = %v, %v", ok, err)
	}
	before := time.Now()
	for i, text := range []string{"5", "5", "5", "5"} {
		if err := a.engine.Handle(ctx, bot.Inbound{Address: addr, Text: text, ProviderID: "f" + string(rune('a'+i)), ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	var starts []time.Time
	if err := a.store.View(ctx, func(tx bot.Tx) error {
		return tx.Schedules(id, func(s *bot.Schedule) bool { starts = append(starts, s.Start); return true })
	}); err != nil {
		t.Fatal(err)
	}
	want := before.Add(21 * 24 * time.Hour)
	if len(starts) != 1 || starts[0].Before(want.Add(-time.Minute)) || starts[0].After(want.Add(time.Minute)) {
		t.Fatalf("follow-up schedules start %v, want one at about %v", starts, want)
	}
}

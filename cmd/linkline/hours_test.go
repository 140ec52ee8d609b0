package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
)

// Service hours an admin saved in the console override the configuration
// when the server starts again, and the log says which applied.
func TestOpenUsesSavedServiceHours(t *testing.T) {
	ctx := context.Background()
	c := defaultConfig(t)
	c.DB = t.TempDir() + "/h.db"
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	a, err := c.open(ctx, log, map[bot.Channel]bot.Sender{}, logNotifier{log})
	if err != nil {
		t.Fatal(err)
	}
	if h := a.engine.Hours(); h.Spec != c.HoursSpec || !strings.Contains(logs.String(), "service hours from configuration") {
		t.Fatalf("before saving: hours %q, log %s", h.Spec, logs.String())
	}
	saved := bot.HoursSetting{Spec: "Tue-Thu 10:00-14:00", Zone: "Europe/Dublin", Closed: []string{"2026-12-25"}, Text: "Tuesday to Thursday, 10am to 2pm"}
	if err := a.store.Update(ctx, func(tx bot.Tx) error { return bot.PutHoursSetting(tx, saved) }); err != nil {
		t.Fatal(err)
	}
	a.store.Close()

	logs.Reset()
	a, err = c.open(ctx, log, map[bot.Channel]bot.Sender{}, logNotifier{log})
	if err != nil {
		t.Fatal(err)
	}
	defer a.store.Close()
	h := a.engine.Hours()
	if h.Spec != saved.Spec || h.Loc.String() != "Europe/Dublin" || !h.Closed["2026-12-25"] || a.engine.Service().Hours != saved.Text {
		t.Fatalf("after restart: hours %+v, text %q", h, a.engine.Service().Hours)
	}
	if !strings.Contains(logs.String(), "service hours from the console") {
		t.Errorf("the log does not say the saved hours applied: %s", logs.String())
	}
}

package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/console"
)

func hoursForm(spec, zone, closed, text string) url.Values {
	return url.Values{"spec": {spec}, "zone": {zone}, "closed": {closed}, "text": {text}}
}

func TestServiceHoursAdmin(t *testing.T) {
	// told counts the console telling other instances that settings were
	// saved (serve sends a wake-up on PostgreSQL).
	var told atomic.Int32
	w := newWorld(t, func(_ *world, _ *engine.Config, con *console.Config) { con.OnSettings = func() { told.Add(1) } })
	w.addUser("ann@example.org", "Ann", false)
	boss := w.addUser("boss@example.org", "Boss", true)
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")

	good := hoursForm("Sat 09:00-13:00", "Europe/London", "2026-12-25\n2026-12-26, 2027-01-01", "Saturday mornings")
	if res := worker.get("/console/admin/hours"); res.status != http.StatusForbidden {
		t.Errorf("link worker views service hours: %d, want 403", res.status)
	}
	if res := worker.post("/console/admin/hours", good); res.status != http.StatusForbidden {
		t.Errorf("link worker saves service hours: %d, want 403", res.status)
	}
	if got := w.engine.Hours().Spec; got != "Mon-Fri 09:00-17:00" {
		t.Fatalf("a refused change took effect: hours %q", got)
	}
	res := admin.get("/console/admin/hours")
	if res.status != http.StatusOK || !strings.Contains(res.body, `value="Mon-Fri 09:00-17:00"`) || !strings.Contains(res.body, `value="Europe/London"`) {
		t.Fatalf("hours page does not show the hours in force: %d\n%s", res.status, res.body)
	}

	bad := []struct {
		name string
		form url.Values
		want string
	}{
		{"times without minutes", hoursForm("Mon-Fri 9-5", "Europe/London", "", "weekdays"), "want e.g. Mon-Fri 09:00-17:00"},
		{"unknown day", hoursForm("Mon-Fry 09:00-17:00", "Europe/London", "", "weekdays"), "want e.g. Mon-Fri 09:00-17:00"},
		{"unknown zone", hoursForm("Mon-Fri 09:00-17:00", "Mars/Olympus", "", "weekdays"), "Time zone &#34;Mars/Olympus&#34;"},
		{"bad closed date", hoursForm("Mon-Fri 09:00-17:00", "Europe/London", "25/12/2026", "weekdays"), "Closed date &#34;25/12/2026&#34;: want YYYY-MM-DD"},
		{"no text for people", hoursForm("Mon-Fri 09:00-17:00", "Europe/London", "", " "), "as people are told it"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			res := admin.post("/console/admin/hours", b.form)
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, b.want) {
				t.Fatalf("%d, want 400 saying %q:\n%s", res.status, b.want, res.body)
			}
			// The form comes back with what the admin typed.
			if !strings.Contains(res.body, `<form method="post" action="/console/admin/hours">`) ||
				!strings.Contains(res.body, `value="`+strings.ReplaceAll(b.form.Get("spec"), `"`, "&#34;")+`"`) {
				t.Fatalf("the form is not shown again with the input:\n%s", res.body)
			}
			if got := w.engine.Hours().Spec; got != "Mon-Fri 09:00-17:00" {
				t.Fatalf("rejected hours took effect: %q", got)
			}
		})
	}
	for _, a := range w.audit() {
		if a.Action == "hours.saved" {
			t.Fatalf("a refused change was audited as saved: %+v", a)
		}
	}
	if n := told.Load(); n != 0 {
		t.Fatalf("other instances were told of %d refused changes", n)
	}

	if res := admin.post("/console/admin/hours", good); res.status != http.StatusSeeOther || res.location != "/console/admin/hours" {
		t.Fatalf("save hours: %d %q\n%s", res.status, res.location, res.body)
	}
	if h := w.engine.Hours(); h.Spec != "Sat 09:00-13:00" || !h.Closed["2026-12-26"] || !h.Closed["2027-01-01"] {
		t.Fatalf("engine hours after save = %+v", h)
	}
	if got := w.engine.Service().Hours; got != "Saturday mornings" {
		t.Fatalf("engine hours text after save = %q", got)
	}
	if n := told.Load(); n != 1 {
		t.Fatalf("other instances were told %d times of the saved hours, want once", n)
	}
	var saved bot.HoursSetting
	w.view(func(tx bot.Tx) error {
		var ok bool
		var err error
		saved, ok, err = bot.ReadHoursSetting(tx)
		if err == nil && !ok {
			t.Error("no service hours in the store after saving")
		}
		return err
	})
	if saved.Spec != "Sat 09:00-13:00" || saved.Zone != "Europe/London" || strings.Join(saved.Closed, ",") != "2026-12-25,2026-12-26,2027-01-01" || saved.Text != "Saturday mornings" {
		t.Errorf("stored setting = %+v", saved)
	}
	var audited *bot.AuditEntry
	for _, a := range w.audit() {
		if a.Action == "hours.saved" {
			audited = a
		}
	}
	if audited == nil || audited.UserID != boss.ID || !strings.Contains(audited.Detail, "Sat 09:00-13:00") {
		t.Fatalf("audit entry = %+v", audited)
	}
	if res := admin.get("/console/admin/hours"); !strings.Contains(res.body, "2026-12-25\n2026-12-26\n2027-01-01</textarea>") ||
		!strings.Contains(res.body, `value="Saturday mornings"`) {
		t.Errorf("hours page does not show the saved closed dates and text:\n%s", res.body)
	}

	// A person asking for a human on Friday morning is now told the team
	// is next in tomorrow: the change applied without a restart.
	w.send("sim:sam", "hi")
	w.drain("sim:sam")
	w.send("sim:sam", "HUMAN")
	got := strings.Join(w.drain("sim:sam"), "\n")
	if !strings.Contains(got, "next in tomorrow at 9am") {
		t.Errorf("handoff wording after the change: %q", got)
	}
}

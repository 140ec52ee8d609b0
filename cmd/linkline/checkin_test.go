package main

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/teststore"
)

// seedDB makes a database with one contact and returns its path and the
// contact's id.
func seedDB(t *testing.T, results ...*bot.SurveyResult) (string, string) {
	t.Helper()
	defaultConfig(t)
	path := teststore.DB(t, filepath.Join(t.TempDir(), "linkline.db"))
	db := teststore.Open(t, path)
	c := &bot.Contact{Addresses: []bot.Address{{Channel: bot.SMS, ID: "+447700900123"}}, Name: "Pat", CreatedAt: time.Now()}
	err := db.Update(context.Background(), func(tx bot.Tx) error {
		if err := tx.PutContact(c); err != nil {
			return err
		}
		for _, r := range results {
			if r.ContactID == "" {
				r.ContactID = c.ID
			}
			if err := tx.PutSurveyResult(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path, c.ID
}

func TestCheckinCommands(t *testing.T) {
	db, contact := seedDB(t)
	code, out, errs := runCmd(t, "", "checkin", "add", "--db", db, "--contact", "sms:+447700900123",
		"--every", "fortnightly", "--day", "thursday", "--at", "10:30", "--start", "2030-03-25")
	if code != 0 || !strings.Contains(out, "first run Thu 28 Mar 2030 10:30 GMT") {
		t.Fatalf("add: code %d\n%s%s", code, out, errs)
	}
	id := strings.TrimSuffix(strings.Fields(out)[1], ":")
	code, out, _ = runCmd(t, "", "checkin", "list", "--db", db, "--contact", contact)
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "carer-checkin") || !strings.Contains(out, "fortnightly") || !strings.Contains(out, "Thu") {
		t.Fatalf("list: code %d\n%s", code, out)
	}
	if code, out, _ = runCmd(t, "", "checkin", "pause", "--db", db, id); code != 0 {
		t.Fatalf("pause: code %d %s", code, out)
	}
	if _, out, _ = runCmd(t, "", "checkin", "list", "--db", db); !strings.Contains(out, "paused") {
		t.Fatalf("list after pause:\n%s", out)
	}
	if code, _, _ = runCmd(t, "", "checkin", "resume", "--db", db, id); code != 0 {
		t.Fatalf("resume: code %d", code)
	}
	if _, out, _ = runCmd(t, "", "checkin", "list", "--db", db); strings.Contains(out, "paused") {
		t.Fatalf("list after resume:\n%s", out)
	}
	if code, _, _ = runCmd(t, "", "checkin", "remove", "--db", db, id); code != 0 {
		t.Fatalf("remove: code %d", code)
	}
	if _, out, _ = runCmd(t, "", "checkin", "list", "--db", db); !strings.Contains(out, "no schedules") {
		t.Fatalf("list after remove:\n%s", out)
	}
	for _, args := range [][]string{
		{"checkin"},
		{"checkin", "add", "--db", db, "--contact", contact},
		{"checkin", "pause", "--db", db},
		{"checkin", "frobnicate", "--db", db},
	} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
	for _, args := range [][]string{
		{"checkin", "add", "--db", db, "--contact", contact, "--day", "someday", "--at", "10:00"},
		{"checkin", "add", "--db", db, "--contact", contact, "--day", "mon", "--at", "25:00"},
		{"checkin", "add", "--db", db, "--contact", "nobody", "--day", "mon", "--at", "10:00"},
		{"checkin", "remove", "--db", db, "k999"},
	} {
		if code, _, errs := runCmd(t, "", args...); code != 1 || errs == "" {
			t.Errorf("%v: code %d, want 1 with a message", args, code)
		}
	}
}

func TestSurveyList(t *testing.T) {
	defaultConfig(t)
	code, out, errs := runCmd(t, "", "survey", "list")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	for _, want := range []string{"ONS4 personal wellbeing", "ONS loneliness measures", "Carer identification (Census 2021)",
		"Source: Office for National Statistics licensed under the Open Government Licence v3.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("survey list lacks %q:\n%s", want, out)
		}
	}
}

func TestSurveyReport(t *testing.T) {
	ip := func(n int) *int { return &n }
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	db, contact := seedDB(t,
		&bot.SurveyResult{Survey: "ons4", At: t0,
			Items: map[string]*int{"satisfied": ip(4), "worthwhile": ip(5), "happy": nil, "anxious": ip(7)},
			Bands: map[string]string{"satisfied": "low", "worthwhile": "medium", "anxious": "high"}},
		&bot.SurveyResult{Survey: "ons-loneliness", At: t0, Items: map[string]*int{"companionship": ip(3), "left_out": ip(2), "isolated": ip(3)},
			Score: ip(8), Categories: map[string]string{"lonely": "often_always"}, Bands: map[string]string{"lonely": "chronic loneliness"}},
		&bot.SurveyResult{Survey: "ons4", At: t0.AddDate(0, 0, 42),
			Items: map[string]*int{"satisfied": ip(5), "worthwhile": ip(5), "happy": ip(6), "anxious": ip(6)}},
		&bot.SurveyResult{Survey: "ons4", At: t0.AddDate(0, 0, 84),
			Items: map[string]*int{"satisfied": ip(7), "worthwhile": ip(6), "happy": ip(6), "anxious": ip(3)},
			Bands: map[string]string{"satisfied": "high", "worthwhile": "medium", "happy": "medium", "anxious": "low"}},
	)
	code, out, errs := runCmd(t, "", "survey", "report", "--db", db, "--survey", "ons4")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b, l := "2026-09-01T10:00:00Z", "2026-11-24T10:00:00Z"
	want := [][]string{
		{"contact", "survey", "item", "baseline_at", "baseline", "baseline_band", "latest_at", "latest", "latest_band", "change"},
		{contact, "ons4", "satisfied", b, "4", "low", l, "7", "high", "3"},
		{contact, "ons4", "worthwhile", b, "5", "medium", l, "6", "medium", "1"},
		{contact, "ons4", "happy", b, "", "", l, "6", "medium", ""},
		{contact, "ons4", "anxious", b, "7", "high", l, "3", "low", "-4"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("report:\n%q\nwant\n%q", rows, want)
	}
	_, out, _ = runCmd(t, "", "survey", "report", "--db", db)
	if !strings.Contains(out, contact+",ons-loneliness,total,"+b+",8,,,,,") ||
		!strings.Contains(out, contact+",ons-loneliness,lonely,"+b+",often_always,chronic loneliness,,,,") {
		t.Errorf("loneliness baseline only:\n%s", out)
	}
}

// The command's CSV defuses spreadsheet formulas as the console's does:
// both write through one writer. (The command wrote names as they were.)
func TestReportOutcomesCSVDefusesFormulas(t *testing.T) {
	ip := func(n int) *int { return &n }
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	db, _ := seedDB(t,
		&bot.SurveyResult{Survey: "=SUM(1)", At: t0, Items: map[string]*int{"@x": ip(3)}, Bands: map[string]string{"@x": "+bad"}},
		&bot.SurveyResult{Survey: "=SUM(1)", At: t0.AddDate(0, 0, 84), Items: map[string]*int{"@x": ip(2)}, Bands: map[string]string{"@x": "ok"}},
	)
	code, out, errs := runCmd(t, "", "report", "outcomes", "--db", db, "--csv")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	for _, want := range []string{
		"'=SUM(1),'@x,1,1,1,3.00,2.00,-1.00,,,",
		"'=SUM(1),'@x,1,1,1,,,,'+bad,1,0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
}

func TestReportOutcomes(t *testing.T) {
	ip := func(n int) *int { return &n }
	t0 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	db, _ := seedDB(t,
		&bot.SurveyResult{Survey: "ons4", At: t0, Items: map[string]*int{"satisfied": ip(4)}, Bands: map[string]string{"satisfied": "low"}},
		&bot.SurveyResult{Survey: "ons4", At: t0.AddDate(0, 0, 84), Items: map[string]*int{"satisfied": ip(7)}, Bands: map[string]string{"satisfied": "high"}},
	)
	code, out, errs := runCmd(t, "", "report", "outcomes", "--db", db, "--csv")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	for _, want := range []string{
		"ons4,satisfied,1,1,1,4.00,7.00,3.00,,,",
		"ons4,satisfied,1,1,1,,,,high,0,1",
		"ons4,satisfied,1,1,1,,,,low,1,0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
	// Only the baseline falls before --to.
	_, out, _ = runCmd(t, "", "report", "outcomes", "--db", db, "--to", "2026-08-01")
	if !strings.Contains(out, "ons4: 1 with a baseline, 0 with a follow-up") {
		t.Errorf("text report up to August:\n%s", out)
	}
	if code, _, _ := runCmd(t, "", "report", "outcomes", "--db", db, "--from", "June"); code != 1 {
		t.Errorf("bad --from: code %d, want 1", code)
	}
}

func TestCheckinOnce(t *testing.T) {
	db, contact := seedDB(t)
	code, out, errs := runCmd(t, "", "checkin", "add", "--db", db, "--contact", contact, "--flow", "ons4",
		"--every", "once", "--at", "11:00", "--start", "2030-07-02")
	if code != 0 || !strings.Contains(out, "first run Tue 2 Jul 2030 11:00 BST") {
		t.Fatalf("add once: code %d\n%s%s", code, out, errs)
	}
	if _, out, _ = runCmd(t, "", "checkin", "list", "--db", db); !strings.Contains(out, "2030-07-02") || !strings.Contains(out, "once") {
		t.Errorf("list:\n%s", out)
	}
}

// A schedule for a person who has not opened their enrolment link says so.
func TestCheckinAddBeforeEnrolment(t *testing.T) {
	defaultConfig(t)
	path := teststore.DB(t, filepath.Join(t.TempDir(), "linkline.db"))
	db := teststore.Open(t, path)
	c := &bot.Contact{Name: "Sam", CreatedAt: time.Now()}
	if err := db.Update(context.Background(), func(tx bot.Tx) error { return tx.PutContact(c) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "checkin", "add", "--db", path, "--contact", c.ID, "--every", "weekly", "--day", "mon", "--at", "10:00")
	if code != 0 || !strings.Contains(out, "has not opened their enrolment link") {
		t.Fatalf("add: code %d\n%s%s", code, out, errs)
	}
}

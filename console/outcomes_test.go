package console_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
)

// seedOutcomes stores ONS4 results for three people: two with a baseline
// in June and a follow-up in August, one with a baseline only; and a
// service's own survey whose names look like spreadsheet formulas.
func seedOutcomes(w *world) {
	w.t.Helper()
	ip := func(n int) *int { return &n }
	june := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	aug := time.Date(2026, 8, 24, 12, 0, 0, 0, time.UTC)
	people := []struct {
		addr         string
		b, f         int
		bBand, fBand string
	}{
		{"sms:+447700900011", 4, 7, "low", "high"},
		{"sms:+447700900012", 6, 8, "medium", "high"},
		{"sms:+447700900013", 5, 0, "medium", ""},
	}
	for i, p := range people {
		ct := w.send(p.addr, "hello")
		results := []*bot.SurveyResult{{ContactID: ct.ID, Survey: "ons4", FlowID: "ons4", At: june.AddDate(0, 0, i),
			Items: map[string]*int{"satisfied": ip(p.b)}, Bands: map[string]string{"satisfied": p.bBand}}}
		if p.fBand != "" {
			results = append(results, &bot.SurveyResult{ContactID: ct.ID, Survey: "ons4", FlowID: "ons4", At: aug.AddDate(0, 0, i),
				Items: map[string]*int{"satisfied": ip(p.f)}, Bands: map[string]string{"satisfied": p.fBand}})
		}
		if i == 0 {
			results = append(results,
				&bot.SurveyResult{ContactID: ct.ID, Survey: "=SUM(1)", At: june, Items: map[string]*int{"@x": ip(3)}, Bands: map[string]string{"@x": "+bad"}},
				&bot.SurveyResult{ContactID: ct.ID, Survey: "=SUM(1)", At: aug, Items: map[string]*int{"@x": ip(2)}, Bands: map[string]string{"@x": "ok"}})
		}
		w.update(func(tx bot.Tx) error {
			for _, r := range results {
				if err := tx.PutSurveyResult(r); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

func TestOutcomesPage(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	seedOutcomes(w)
	c := w.client()
	c.login("ann@example.org")
	tests := []struct {
		query     string
		status    int
		want, not []string
	}{
		{"", http.StatusOK, []string{"3 with a baseline, 2 with a follow-up", `<td data-label="Item">Life satisfaction</td><td data-label="Pairs">2</td><td data-label="Baseline mean">5.00</td><td data-label="Follow-up mean">7.50</td><td data-label="Change">&#43;2.50</td>`,
			"low 1, medium 1", `<td data-label="Bands after">high 2</td>`, `href="/console/reports/outcomes"`, `action="/console/reports/outcomes.csv"`}, nil},
		{"?to=2026-07-31", http.StatusOK, []string{"3 with a baseline, 0 with a follow-up", "No one has a follow-up yet."}, []string{"7.50"}},
		{"?from=2026-08-01", http.StatusOK, []string{"2 with a baseline, 0 with a follow-up", `name="from" value="2026-08-01"`}, []string{"5.00"}},
		{"?from=2027-01-01", http.StatusOK, []string{"No survey results in these dates."}, []string{"ons4"}},
		{"?from=June", http.StatusBadRequest, []string{"The dates must be like 2026-11-27."}, []string{"with a baseline"}},
		{"?from=2026-09-01&to=2026-08-01", http.StatusBadRequest, []string{"must not be after"}, []string{"with a baseline"}},
	}
	for _, tt := range tests {
		res := c.get("/console/reports/outcomes" + tt.query)
		if res.status != tt.status {
			t.Fatalf("%q: status %d, want %d\n%s", tt.query, res.status, tt.status, res.body)
		}
		for _, s := range tt.want {
			if !strings.Contains(res.body, s) {
				t.Errorf("%q: page lacks %q", tt.query, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(res.body, s) {
				t.Errorf("%q: page has %q", tt.query, s)
			}
		}
	}
	var reports []*bot.AuditEntry
	for _, a := range w.audit() {
		if a.Action == console.AuditReport {
			reports = append(reports, a)
		}
	}
	// Four pages were shown; the two refused ones were not.
	if len(reports) != 4 {
		t.Fatalf("report audit entries: %d, want 4", len(reports))
	}
	for _, a := range reports {
		if a.ContactID != "" || !strings.Contains(a.Detail, "outcomes page") {
			t.Errorf("audit entry %+v: want no contact, an outcomes page detail", a)
		}
	}
}

func TestOutcomesCSV(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	seedOutcomes(w)
	c := w.client()
	c.login("ann@example.org")
	res := c.post("/console/reports/outcomes.csv", url.Values{"from": {"2026-05-01"}})
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s\n%s", res.status, res.header.Get("Content-Type"), res.body)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="outcomes-2026-11-27.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, ","))
	}
	for _, want := range []string{
		"survey,item,people_baseline,people_follow_up,pairs,mean_baseline,mean_follow_up,mean_change,band,before,after",
		"ons4,satisfied,3,2,2,5.00,7.50,2.50,,,",
		"ons4,satisfied,3,2,2,,,,high,0,2",
		"ons4,satisfied,3,2,2,,,,low,1,0",
		"ons4,satisfied,3,2,2,,,,medium,1,0",
		// Names are defused; a negative change is a number, not a formula.
		"'=SUM(1),'@x,1,1,1,3.00,2.00,-1.00,,,",
		"'=SUM(1),'@x,1,1,1,,,,'+bad,1,0",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("CSV lacks row %q:\n%s", want, res.body)
		}
	}
	var found bool
	for _, a := range w.audit() {
		if a.Action == console.AuditReport && a.ContactID == "" && strings.Contains(a.Detail, `outcomes csv from "2026-05-01"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no report audit entry for the CSV: %+v", w.audit())
	}

	if res := c.post("/console/reports/outcomes.csv", url.Values{"to": {"soon"}}); res.status != http.StatusBadRequest {
		t.Errorf("bad date: %d, want 400", res.status)
	}
	// Another site cannot make a signed-in browser download it.
	if res := c.do("POST", "/console/reports/outcomes.csv", url.Values{}, "Sec-Fetch-Site", "cross-site"); res.status != http.StatusForbidden {
		t.Errorf("cross-site export: %d, want 403", res.status)
	}
	// If the audit entry cannot be written, nothing is sent.
	w.consoleStore.failWrites.Store(true)
	res = c.post("/console/reports/outcomes.csv", url.Values{})
	w.consoleStore.failWrites.Store(false)
	if res.status != http.StatusInternalServerError || strings.Contains(res.body, "ons4") {
		t.Errorf("export with the audit failing: %d\n%s", res.status, res.body)
	}
}

func TestOutcomesNeedSignIn(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	if res := c.get("/console/reports/outcomes"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/login") {
		t.Errorf("signed out: %d %q", res.status, res.location)
	}
}

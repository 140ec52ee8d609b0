package console_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/console"
)

// TestReports: the Reports page counts referrals by week, source and
// need, times first contact from the referral and claims from the
// handoff, and each table downloads as the same CSV; viewing and
// downloading are audited as reports naming no one.
func TestReports(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	refs := seedReferrals(w) // Fri 27, Sat 28 and Sun 29 Nov 2026: one week
	c := w.client()
	c.login("ann@example.org")
	// The first is contacted 3 hours after it was made.
	w.clock.Set(refs[0].CreatedAt.Add(3 * time.Hour))
	if res := c.post("/console/referrals/"+refs[0].ID+"/status", url.Values{"status": {"contacted"}}); res.status != http.StatusSeeOther {
		t.Fatalf("status: %d", res.status)
	}
	// A person asks for someone and waits 10 minutes to be claimed.
	pat := w.send("sim:pat", "HUMAN")
	w.clock.Advance(10 * time.Minute)
	heldBy(t, w, pat.ID, w.addUser("bob@example.org", "Bob", false))

	res := c.get("/console/reports")
	if res.status != http.StatusOK {
		t.Fatalf("reports: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{
		`<th scope="row">2026-11-23</th><td>3</td>`,              // the week starting Monday 23 November
		`<th scope="row">Self referral</th><td>3</td>`,           // source
		`<th scope="row">Money, debt or benefits</th><td>2</td>`, // need in words, most first
		`<th scope="row">Within a day</th><td>1</td>`,
		`<th scope="row">Not contacted yet</th><td>2</td>`,
		`<th scope="row">Asked</th><td>1</td><td>1</td><td>10m</td>`, // reason in words; claimed after 10 minutes
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the reports page lacks %s", want)
		}
	}
	csvRes := c.post("/console/reports.csv", url.Values{"table": {"needs"}})
	rows, err := csv.NewReader(strings.NewReader(csvRes.body)).ReadAll()
	if csvRes.status != http.StatusOK || err != nil || len(rows) != 4 || rows[0][0] != "Need" || rows[1][0] != "Money, debt or benefits" || rows[1][1] != "2" {
		t.Errorf("needs CSV: %d %v %v", csvRes.status, rows, err)
	}
	if res := c.post("/console/reports.csv", url.Values{"table": {"nope"}}); res.status != http.StatusBadRequest {
		t.Errorf("unknown table: %d", res.status)
	}
	if res := c.get("/console/reports?from=2026-12-01"); !strings.Contains(res.body, "None in these dates") {
		t.Error("a range after every referral still shows referrals")
	}
	if res := c.get("/console/reports?from=soon"); res.status != http.StatusBadRequest {
		t.Errorf("bad date: %d", res.status)
	}
	var reports []string
	for _, a := range w.audit() {
		if a.Action == console.AuditReport {
			if a.ContactID != "" {
				t.Errorf("a report audit entry names a contact: %+v", a)
			}
			reports = append(reports, a.Detail)
		}
	}
	if len(reports) != 3 || !strings.Contains(strings.Join(reports, "|"), "reports needs csv") {
		t.Errorf("report audit entries = %q", reports)
	}
}

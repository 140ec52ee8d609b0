package console_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/console"
)

// seedReferrals gives three people a referral each, a day apart.
func seedReferrals(w *world) []*bot.Referral {
	w.t.Helper()
	var refs []*bot.Referral
	for i, r := range []struct {
		addr, name string
		status     bot.ReferralStatus
		needs      []string
	}{
		{"sms:+447700900001", "Alice Adams", bot.ReferralNew, []string{"loneliness"}},
		{"sms:+447700900002", "=HYPERLINK(\"http://evil\")", bot.ReferralContacted, []string{"money"}},
		{"telegram:4242", "Carol Carter", bot.ReferralNew, []string{"money", "housing"}},
	} {
		ct := w.send(r.addr, "hello")
		ref := &bot.Referral{ContactID: ct.ID, Status: r.status, Method: bot.ReferralMethodSelf, Name: r.name, Needs: r.needs,
			CreatedAt: w.clock.Now().Add(time.Duration(i) * 24 * time.Hour), ConsentToRecord: true}
		w.update(func(tx bot.Tx) error { return tx.PutReferral(ref) })
		refs = append(refs, ref)
	}
	return refs
}

func TestReferralsList(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	seedReferrals(w)
	c := w.client()
	c.login("ann@example.org")
	tests := []struct {
		query     string
		want, not []string
	}{
		{"", []string{"Alice Adams", "Carol Carter", "HYPERLINK"}, nil},
		{"?status=new", []string{"Alice Adams", "Carol Carter"}, []string{"HYPERLINK"}},
		{"?status=contacted", []string{"HYPERLINK"}, []string{"Alice Adams", "Carol Carter"}},
		{"?need=money", []string{"HYPERLINK", "Carol Carter", `<option value="money" selected>Money, debt or benefits</option>`}, []string{"Alice Adams"}},
		// A need the built-in flow does not offer still shows as the filter.
		{"?need=loneliness", []string{"Alice Adams", `<option value="loneliness" selected>Loneliness</option>`}, []string{"Carol Carter"}},
		{"?status=new&need=money", []string{"Carol Carter"}, []string{"Alice Adams", "HYPERLINK"}},
		{"?since=2026-11-28", []string{"HYPERLINK", "Carol Carter"}, []string{"Alice Adams"}},
		{"?since=yesterday", []string{"The date must be like"}, nil},
		{"?status=bogus", []string{"Alice Adams", "Carol Carter"}, nil},
	}
	for _, tt := range tests {
		res := c.get("/console/referrals" + tt.query)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", tt.query, res.status)
		}
		for _, s := range tt.want {
			if !strings.Contains(res.body, s) {
				t.Errorf("%s: list lacks %q", tt.query, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(res.body, s) {
				t.Errorf("%s: list shows %q, which the filter excludes", tt.query, s)
			}
		}
	}
	// Newest first.
	res := c.get("/console/referrals")
	if strings.Index(res.body, "Carol Carter") > strings.Index(res.body, "Alice Adams") {
		t.Error("referrals are not newest first")
	}
}

func TestReferralStatusChange(t *testing.T) {
	w := newWorld(t)
	ann := w.addUser("ann@example.org", "Ann Worker", false)
	refs := seedReferrals(w)
	c := w.client()
	c.login("ann@example.org")
	path := "/console/referrals/" + refs[0].ID + "/status"
	tests := []struct {
		form   url.Values
		status int
	}{
		{url.Values{"status": {"contacted"}, "note": {"Rang, left voicemail"}}, http.StatusSeeOther},
		{url.Values{"status": {"made-up"}}, http.StatusBadRequest},
		{url.Values{"status": {"accepted"}, "note": {strings.Repeat("x", 2001)}}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		if res := c.post(path, tt.form); res.status != tt.status {
			t.Errorf("status change %v: %d, want %d", tt.form.Get("status"), res.status, tt.status)
		}
	}
	if res := c.post("/console/referrals/nope/status", url.Values{"status": {"closed"}}); res.status != http.StatusNotFound {
		t.Errorf("unknown referral: %d, want 404", res.status)
	}
	w.view(func(tx bot.Tx) error {
		ref, err := tx.Referral(refs[0].ID)
		if err != nil || ref.Status != bot.ReferralContacted {
			t.Errorf("referral after change = %+v, %v", ref, err)
		}
		return nil
	})
	page := c.get("/console/contacts/" + refs[0].ContactID)
	if !strings.Contains(page.body, "Ann Worker: new → contacted") || !strings.Contains(page.body, "Rang, left voicemail") {
		t.Errorf("the person's page does not show the status change and note")
	}
	found := false
	for _, a := range w.audit() {
		found = found || (a.Action == "referral.status" && a.UserID == ann.ID && a.ContactID == refs[0].ContactID)
	}
	if !found {
		t.Error("status change not audited")
	}
}

func TestReferralsExport(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	w.addUser("boss@example.org", "Boss", true)
	refs := seedReferrals(w)
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")

	if res := worker.post("/console/referrals.csv", url.Values{}); res.status != http.StatusBadRequest {
		t.Errorf("link worker export without a reason: %d, want 400", res.status)
	}
	res := worker.post("/console/referrals.csv", url.Values{"status": {"new"}, "reason": {"monthly return"}})
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export with reason: %d %s", res.status, res.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "id" {
		t.Fatalf("csv = %v, %v; want a header and the 2 new referrals", rows, err)
	}
	res = admin.post("/console/referrals.csv", url.Values{})
	rows, _ = csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if res.status != http.StatusOK || len(rows) != 4 {
		t.Fatalf("admin export: %d, %d rows", res.status, len(rows))
	}
	for _, row := range rows {
		for _, cell := range row {
			if strings.HasPrefix(cell, "=") {
				t.Errorf("cell %q would run as a spreadsheet formula", cell)
			}
		}
	}
	// How to reach each person: their number, or their Telegram chat.
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	reach := map[string]string{}
	for _, row := range rows[1:] {
		if _, ok := col["phone"]; !ok {
			t.Fatalf("the CSV has no phone column: %v", rows[0])
		}
		reach[row[col["name"]]] = row[col["phone"]] + "|" + row[col["telegram"]]
	}
	// A number starts with ', as any cell starting with + does, so a
	// spreadsheet shows it as written rather than as a sum.
	if reach["Alice Adams"] != "'+447700900001|" || reach["Carol Carter"] != "|4242" {
		t.Errorf("phone|telegram by name = %v", reach)
	}
	// Each person exported has an entry of their own; the link worker's
	// carry the reason.
	exported := map[string][]string{}
	for _, a := range w.audit() {
		if a.Action == console.AuditExport {
			exported[a.ContactID] = append(exported[a.ContactID], a.Detail)
		}
	}
	for _, ref := range refs {
		got := exported[ref.ContactID]
		want := 1 // the admin's export of all
		if ref.Status == bot.ReferralNew {
			want = 2
		}
		if len(got) != want || !strings.Contains(strings.Join(got, " "), ref.ID) {
			t.Errorf("exports audited for %s = %q, want %d naming %s", ref.ContactID, got, want, ref.ID)
		}
		if want == 2 && !strings.Contains(got[1], `reason "monthly return"`) {
			t.Errorf("the link worker's export of %s is audited without the reason: %q", ref.ContactID, got[1])
		}
	}
}

// TestExportRefusesCrossSite: another site cannot make a signed-in
// browser export referrals (and record a reason it chose): a GET link
// exports nothing, and a cross-site POST is refused.
func TestExportRefusesCrossSite(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	seedReferrals(w)
	c := w.client()
	c.login("ann@example.org")
	form := url.Values{"reason": {"forged"}}
	for _, path := range []string{"/console/referrals.csv", "/console/referrals.json"} {
		if res := c.get(path + "?" + form.Encode()); res.status == http.StatusOK {
			t.Errorf("GET %s exported: %d %s", path, res.status, res.header.Get("Content-Type"))
		}
		if res := c.do("POST", path, form, "Sec-Fetch-Site", "cross-site"); res.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", path, res.status)
		}
	}
	for _, a := range w.audit() {
		if a.Action == console.AuditExport {
			t.Errorf("an export was recorded: %+v", a)
		}
	}
}

func TestContactsSearch(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	refs := seedReferrals(w)
	c := w.client()
	c.login("ann@example.org")
	tests := []struct{ q, want string }{
		{"alice", refs[0].ContactID},
		{"07700 900001", refs[0].ContactID},
		{"+44 7700 900002", refs[1].ContactID},
		{"4242", refs[2].ContactID},
		{refs[2].ContactID, refs[2].ContactID},
	}
	for _, tt := range tests {
		res := c.get("/console/contacts?q=" + url.QueryEscape(tt.q))
		if !strings.Contains(res.body, `href="/console/contacts/`+tt.want+`"`) {
			t.Errorf("search %q does not find %s", tt.q, tt.want)
		}
	}
	if res := c.get("/console/contacts?q=zebra"); !strings.Contains(res.body, "No one found") {
		t.Error("search for no one found someone")
	}
}

func TestEnrol(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	c := w.client()
	c.login("ann@example.org")
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no name", url.Values{"name": {" "}, "consent": {"yes"}}, "a name is needed"},
		{"no consent", url.Values{"name": {"Chris Carer"}}, "agreed to be contacted on Telegram"},
		{"consent not given", url.Values{"name": {"Chris Carer"}, "consent": {"no"}}, "agreed to be contacted on Telegram"},
	} {
		if res := c.post("/console/enrol", tt.form); res.status != http.StatusBadRequest || !strings.Contains(res.body, tt.want) {
			t.Errorf("enrol with %s: %d, want 400 saying %q\n%s", tt.name, res.status, tt.want, res.body)
		}
	}
	w.view(func(tx bot.Tx) error {
		return tx.Events(func(e *bot.Event) bool {
			t.Errorf("a refused enrolment recorded %s", e.Kind)
			return true
		})
	})
	// POST, redirect, GET: reloading the page that shows the link (twice
	// here) enrols no one again.
	res := c.post("/console/enrol", url.Values{"name": {"Chris Carer"}, "consent": {"yes"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/console/enrol/") {
		t.Fatalf("enrol: %d %q, want a redirect to the link's page", res.status, res.location)
	}
	link := res.location
	for range 2 {
		res = c.get(link)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Chris Carer is now") {
			t.Fatalf("the link's page: %d\n%s", res.status, res.body)
		}
	}
	other := w.client()
	w.addUser("bob@example.org", "Bob", false)
	other.login("bob@example.org")
	if got := other.get(link); got.status != http.StatusNotFound {
		t.Errorf("another link worker sees the enrolment link: %d, want 404", got.status)
	}
	enrolled, consents := 0, 0
	w.view(func(tx bot.Tx) error {
		return tx.Events(func(e *bot.Event) bool {
			if e.Kind == console.EventContactCreated {
				consents++
				if e.Data["consent"] != "telegram" || e.Data["by"] == "" {
					t.Errorf("consent event data = %v, want consent telegram and who recorded it", e.Data)
				}
			}
			if e.Kind == bot.EventEnrolCreated {
				enrolled++
				if ct, err := tx.Contact(e.ContactID); err != nil || ct.Name != "Chris Carer" {
					t.Errorf("enrolled contact = %+v, %v", ct, err)
				}
			}
			return true
		})
	})
	if enrolled != 1 || consents != 1 {
		t.Errorf("%d enrolments and %d consents recorded, want 1 and 1", enrolled, consents)
	}
	if !strings.Contains(res.body, "?start=") {
		t.Error("the page does not give the start code")
	}
}

func TestAuditPageAdminsOnly(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	w.addUser("boss@example.org", "Boss", true)
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")
	if res := worker.get("/console/audit"); res.status != http.StatusForbidden {
		t.Errorf("link worker reads the audit log: %d, want 403", res.status)
	}
	res := admin.get("/console/audit?action=login")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Ann Worker") || strings.Count(res.body, `<td data-label="Action">Signed in</td>`) != 2 {
		t.Errorf("admin audit filtered to logins: %d\n%s", res.status, res.body)
	}
}

func TestReferralsExportPRSB(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	w.addUser("boss@example.org", "Boss", true)
	refs := seedReferrals(w)
	w.send("sms:+447700900001", "i want to kill myself") // Alice: a risk entry
	// Carol: a past attempt told as over, only noted, is not a risk to
	// carry into another service's record.
	w.update(func(tx bot.Tx) error {
		return tx.AddEvent(&bot.Event{At: time.Now(), Kind: bot.EventRisk, ContactID: refs[2].ContactID,
			Data: map[string]string{"tier": string(bot.RiskNoted), "category": "suicide", "rule": "suicide/own-past-attempt (set aside: model 0.00)"}})
	})
	w.update(func(tx bot.Tx) error {
		refs[1].Status = bot.ReferralDeclined
		if err := tx.PutReferral(refs[1]); err != nil {
			return err
		}
		refs[2].ConsentNote = "yes but not my GP" // agreed with a condition
		if err := tx.PutReferral(refs[2]); err != nil {
			return err
		}
		if err := tx.AddEvent(&bot.Event{At: time.Now(), Kind: bot.EventNoCalls, ContactID: refs[2].ContactID,
			Data: map[string]string{"message": "1"}}); err != nil {
			return err
		}
		return tx.AddEvent(&bot.Event{At: time.Now(), Kind: bot.EventReferralCreated, ContactID: refs[2].ContactID,
			Data: map[string]string{"referral": refs[2].ID}})
	})
	worker, admin := w.client(), w.client()
	worker.login("ann@example.org")
	admin.login("boss@example.org")
	if res := worker.post("/console/referrals.json", url.Values{}); res.status != http.StatusBadRequest {
		t.Errorf("link worker JSON export without a reason: %d, want 400", res.status)
	}
	res := admin.post("/console/referrals.json", url.Values{})
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("export: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var doc struct {
		Standard  string
		Referrals []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil || len(doc.Referrals) != 3 {
		t.Fatalf("export = %v (%d referrals), want 3", err, len(doc.Referrals))
	}
	byID := map[string]map[string]json.RawMessage{}
	for _, r := range doc.Referrals {
		for _, section := range []string{"Person demographics", "GP practice", "About me", "Consent", "Referral details", "Risks"} {
			if _, ok := r[section]; !ok {
				t.Errorf("a referral lacks the PRSB section %q", section)
			}
		}
		var id string
		json.Unmarshal(r["Linkline referral id"], &id)
		byID[id] = r
	}
	alice, declined := byID[refs[0].ID], byID[refs[1].ID]
	if !strings.Contains(string(alice["Referral details"]), `"871731000000106"`) || strings.Contains(string(alice["Referral details"]), "871711000000103") {
		t.Errorf("Alice's referral codes: %s", alice["Referral details"])
	}
	if c := string(byID[refs[2].ID]["Consent"]); !strings.Contains(c, "Not obtained") || !strings.Contains(c, "yes but not my GP") {
		t.Errorf("consent given with a condition: %s", c)
	}
	page := admin.get("/console/contacts/" + refs[2].ContactID)
	if !strings.Contains(page.body, "yes but not my GP") {
		t.Error("the person's page does not show the condition they gave with their consent")
	}
	if !strings.Contains(page.body, "Do not phone") {
		t.Error("the person's page does not show that they asked not to be phoned")
	}
	if !strings.Contains(string(declined["Referral details"]), `"871711000000103"`) {
		t.Errorf("a declined referral lacks the declined code: %s", declined["Referral details"])
	}
	if !strings.Contains(string(alice["Risks"]), "suicide") || string(byID[refs[2].ID]["Risks"]) != "[]" {
		t.Errorf("risks: Alice %s, Carol %s", alice["Risks"], byID[refs[2].ID]["Risks"])
	}
	var demographics map[string]map[string]any
	json.Unmarshal(alice["Person demographics"], &demographics)
	if demographics["Person's contact details"]["Person's telephone number"] != "+447700900001" {
		t.Errorf("Alice's demographics lack her number: %s", alice["Person demographics"])
	}
}

// TestReferralsExportPRSBFirstReferral: only a person's first referral
// carries the code for a referral to social prescribing (DOMAIN.md), even
// when the export is filtered so that first referral is not in it; a
// declined later referral still carries the declined code.
func TestReferralsExportPRSBFirstReferral(t *testing.T) {
	w := newWorld(t)
	w.addUser("boss@example.org", "Boss", true)
	refs := seedReferrals(w) // Alice on the 27th, Carol on the 29th
	again := &bot.Referral{ContactID: refs[0].ContactID, Status: bot.ReferralDeclined, Method: bot.ReferralMethodSelf,
		Name: "Alice Adams", Needs: []string{"money"}, CreatedAt: w.clock.Now().Add(72 * time.Hour)}
	w.update(func(tx bot.Tx) error { return tx.PutReferral(again) })
	admin := w.client()
	admin.login("boss@example.org")
	tests := []struct {
		name         string
		form         url.Values
		referred     []string // referrals carrying 871731000000106
		notReferred  []string
		declinedCode []string // referrals carrying 871711000000103
		count        int
	}{
		{"all", url.Values{}, []string{refs[0].ID, refs[2].ID}, []string{again.ID}, []string{again.ID}, 4},
		{"since the 29th", url.Values{"since": {"2026-11-29"}}, []string{refs[2].ID}, []string{again.ID}, []string{again.ID}, 2},
	}
	for _, tt := range tests {
		res := admin.post("/console/referrals.json", tt.form)
		var doc struct {
			Referrals []map[string]json.RawMessage
		}
		if err := json.Unmarshal([]byte(res.body), &doc); res.status != http.StatusOK || err != nil || len(doc.Referrals) != tt.count {
			t.Fatalf("%s: export %d %v, %d referrals, want %d", tt.name, res.status, err, len(doc.Referrals), tt.count)
		}
		details := map[string]string{}
		for _, r := range doc.Referrals {
			var id string
			json.Unmarshal(r["Linkline referral id"], &id)
			details[id] = string(r["Referral details"])
		}
		for _, id := range tt.referred {
			if !strings.Contains(details[id], `"871731000000106"`) {
				t.Errorf("%s: first referral %s lacks the referral code: %s", tt.name, id, details[id])
			}
		}
		for _, id := range tt.notReferred {
			if d, ok := details[id]; !ok || strings.Contains(d, "871731000000106") {
				t.Errorf("%s: later referral %s (exported %v) carries the referral code: %s", tt.name, id, ok, d)
			}
		}
		for _, id := range tt.declinedCode {
			if !strings.Contains(details[id], `"871711000000103"`) {
				t.Errorf("%s: declined referral %s lacks the declined code: %s", tt.name, id, details[id])
			}
		}
	}
}

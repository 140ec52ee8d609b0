package console_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkline/linkline/bot"
)

// reflowCheck is what TestTablesReflow finds wrong with the tables on
// the open page at 320 px.
const reflowCheck = `(() => {
	const out = [], root = document.documentElement;
	if (root.scrollWidth > root.clientWidth) out.push('the page scrolls sideways: ' + root.scrollWidth + 'px');
	const tables = [...document.querySelectorAll('table.list')].filter(t => t.offsetParent !== null);
	if (tables.length === 0) out.push('no table shown');
	for (const t of tables) {
		const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
		for (const tr of t.querySelectorAll('tbody tr')) {
			[...tr.children].forEach((td, i) => {
				if (td.colSpan > 1) return; // "nothing here" row
				const label = td.dataset.label || '', shown = getComputedStyle(td, '::before').content;
				if (label !== heads[i]) out.push('cell ' + i + ' labelled ' + JSON.stringify(label) + ', column ' + JSON.stringify(heads[i]));
				else if (!shown.includes(label)) out.push('cell ' + i + ' shows no label when stacked: ' + shown);
				if (td.getBoundingClientRect().right > root.clientWidth + 1) out.push('cell ' + i + ' wider than the screen');
			});
		}
		// A word (letters) whose parts sit on two lines was broken.
		const walk = document.createTreeWalker(t.tBodies[0] || t, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			for (const m of n.textContent.matchAll(/[A-Za-z]{2,}/g)) {
				const r = document.createRange();
				r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
				const tops = new Set([...r.getClientRects()].map(q => Math.round(q.top)));
				if (tops.size > 1) out.push('the word ' + JSON.stringify(m[0]) + ' is broken across lines');
			}
		}
	}
	return out;
})()`

// codes are internal names staff must not be shown.
var codes = regexp.MustCompile(`mental_wellbeing|long_term_condition|\bons4\b|ons-loneliness|\bContact c?\d+\b|user\.added|login\.failed|\blogin\b`)

// TestTablesReflow opens every console table (referrals, audit, users,
// outcomes, a person's chart values) at 320 px as a phone shows them:
// no sideways scrolling, no word broken mid-word, every cell labelled by
// its column when the rows are stacked; at 1280 px they are tables again.
// No page shows staff an internal code where words are meant.
func TestTablesReflow(t *testing.T) {
	w := newWorld(t)
	w.addUser("ada@example.org", "Ada Admin", true)
	w.addUser("alexandra.smith-johnson@riverside-medical-centre.nhs.uk", "Alexandra Smith-Johnson", false)
	seedOutcomes(w)
	refs := seedReferrals(w)
	refs[0].Needs = []string{"mental_wellbeing", "long_term_condition"}
	w.update(func(tx bot.Tx) error { return tx.PutReferral(refs[0]) })
	// Someone who gave no name: never "Contact c7".
	unnamed := w.send("sms:+447700900999", "HUMAN")
	// An export, for a long detail in the audit log.
	c := w.client()
	c.login("ada@example.org")
	c.post("/console/referrals.csv", url.Values{"need": {"mental_wellbeing"}, "reason": {"monthly return to the commissioning group"}})
	// The person with outcome results has charts.
	var charted string
	w.view(func(tx bot.Tx) error {
		ct, err := tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: "+447700900011"})
		if err == nil {
			charted = ct.ID
		}
		return err
	})
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "ada@example.org"),
		chromedp.SendKeys(css(`#password`), testPassword),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`#inbox`)),
	)
	pages := []struct {
		name, path string
		before     []chromedp.Action[chromedp.Void]
	}{
		{"referrals", "/console/referrals", nil},
		{"audit", "/console/audit", nil},
		{"users", "/console/admin/users", nil},
		{"outcomes", "/console/reports/outcomes?from=2026-01-01", nil},
		{"chart values", "/console/contacts/" + charted, []chromedp.Action[chromedp.Void]{
			chromedp.Click(css(`details.chart-values summary`)), chromedp.WaitVisible(css(`details.chart-values table`))}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			run(t, ctx, "phone", chromedp.EmulateViewport(320, 720))
			run(t, ctx, "open", append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(base + p.path), chromedp.WaitVisible(css(`h1`))}, p.before...)...)
			for _, problem := range get(t, ctx, "check at 320 px", chromedp.Evaluate[[]string](reflowCheck)) {
				t.Errorf("%s at 320 px: %s", p.name, problem)
			}
			// The audit log's detail column is kept as it was recorded
			// (evidence, verbatim); everything else is in words.
			text := get(t, ctx, "text", chromedp.Evaluate[string](`(() => { const m = document.querySelector('main').cloneNode(true);
				m.querySelectorAll('td[data-label="Detail"]').forEach(d => d.remove()); return m.innerText; })()`))
			if m := codes.FindAllString(text, -1); len(m) > 0 {
				t.Errorf("%s shows internal codes %q", p.name, m)
			}
			run(t, ctx, "wide", chromedp.EmulateViewport(1280, 900))
			if d := get(t, ctx, "display", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('table.list td')).display`)); d != "table-cell" {
				t.Errorf("%s at 1280 px: cells are %q, want a table", p.name, d)
			}
		})
	}
	t.Run("people without a name", func(t *testing.T) {
		for _, path := range []string{"/console/", "/console/contacts/" + unnamed.ID, "/console/contacts?q=0999"} {
			run(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(css(`h1`)))
			text := get(t, ctx, "text", chromedp.Text(css(`main`)))
			if m := codes.FindAllString(text, -1); len(m) > 0 {
				t.Errorf("%s shows internal codes %q", path, m)
			}
			if !strings.Contains(text, "Unnamed (SMS ending 0999)") {
				t.Errorf("%s does not call the person by how they reach us:\n%s", path, text)
			}
		}
	})
}

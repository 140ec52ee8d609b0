package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkline/linkline/bot"
)

// contrastCheck lists what on the open page does not contrast enough,
// beyond axe-core's text checks: form fields' edges (WCAG 1.4.11, 3:1),
// the labels of stacked table cells (generated content, 4.5:1) and the
// chart's text and points (4.5:1 and 3:1).
const contrastCheck = `(() => {
	const rgb = s => { const m = s.match(/[\d.]+/g); return m ? m.map(Number) : null; };
	const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
		return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
	const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && (c.length < 4 || c[3] > 0)) return c; } return [255, 255, 255]; };
	const out = [];
	const visible = e => e.getClientRects().length > 0;
	for (const f of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')) {
		if (!visible(f)) continue;
		const r = ratio(rgb(getComputedStyle(f).borderTopColor), bg(f.parentElement));
		if (r < 3) out.push((f.id || f.name) + ' edge ' + r.toFixed(2) + ':1');
	}
	for (const td of document.querySelectorAll('td[data-label]')) {
		const s = getComputedStyle(td, '::before');
		if (s.content === 'none' || !visible(td)) continue;
		const r = ratio(rgb(s.color), bg(td));
		if (r < 4.5) out.push('label of ' + td.dataset.label + ' ' + r.toFixed(2) + ':1');
	}
	for (const t of document.querySelectorAll('.chart text')) {
		const r = ratio(rgb(getComputedStyle(t).fill), bg(t.closest('figure')));
		if (r < 4.5) out.push('chart text ' + t.textContent + ' ' + r.toFixed(2) + ':1');
	}
	for (const p of document.querySelectorAll('.chart circle, .chart polyline')) {
		const c = getComputedStyle(p), r = ratio(rgb(p.tagName === 'circle' ? c.fill : c.stroke), bg(p.closest('figure')));
		if (r < 3) out.push('chart mark ' + r.toFixed(2) + ':1');
	}
	return out;
})()`

// coloured lists each element whose colour tells a status, with its
// words: a status told by colour alone has none.
const coloured = `[...document.querySelectorAll('.wait.red, .wait.amber, .badge.urgent, .badge.stop, .status.failed, .status.undelivered, .status.delivered, .claimed, .count.warn, .msg.failed .status')]
	.map(e => e.className + ': ' + e.textContent.trim())`

// TestStatusesAndCharts: every status shown in colour is also in words
// (the inbox's waiting clocks, urgent, a failed text), a chart's values
// can be read as a table by keyboard without a mouse, and contrast holds
// where axe-core does not look (field edges, table labels, charts).
func TestStatusesAndCharts(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	seedOutcomes(w)
	urgent := w.send("sms:+447700900111", "i want to kill myself")
	w.send("sms:+447700900222", "HUMAN")
	w.clock.Advance(3 * time.Hour) // the urgent one overdue, the other due soon or later
	var charted *bot.Contact
	w.view(func(tx bot.Tx) error {
		var err error
		charted, err = tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: "+447700900011"})
		return err
	})
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "ann@example.org"),
		chromedp.SendKeys(css(`#password`), testPassword),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`li.handoff.urgent`)),
	)

	t.Run("statuses in words", func(t *testing.T) {
		for _, path := range []string{"/console/", "/console/contacts/" + urgent.ID} {
			run(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(css(`h1`)))
			got := get(t, ctx, "coloured statuses", chromedp.Evaluate[[]string](coloured))
			if path == "/console/" && len(got) == 0 {
				t.Fatalf("the inbox shows no coloured status to check")
			}
			for _, s := range got {
				if _, words, _ := strings.Cut(s, ": "); len(words) < 3 {
					t.Errorf("%s: %q is told by colour alone", path, s)
				}
			}
		}
		run(t, ctx, "inbox", chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(css(`li.handoff.urgent`)))
		if s := get(t, ctx, "urgent wait", chromedp.Text(css(`li.handoff.urgent .wait`))); len(s) < 8 || s[:8] != "Overdue:" {
			t.Errorf("an overdue urgent handoff's clock says %q, want \"Overdue: …\"", s)
		}
	})

	t.Run("chart values as a table, by keyboard", func(t *testing.T) {
		run(t, ctx, "open", chromedp.Navigate(base+"/console/contacts/"+charted.ID), chromedp.WaitVisible(css(`figure.chart`)))
		points := get(t, ctx, "points", chromedp.Evaluate[int](`document.querySelector('figure.chart').querySelectorAll('circle').length`))
		// Focus the summary by keyboard: Tab until it is reached.
		for range 80 {
			run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
			if get(t, ctx, "focus", chromedp.Evaluate[bool](`document.activeElement.matches('figure.chart summary')`)) {
				break
			}
		}
		run(t, ctx, "open the values", chromedp.KeyEvent(kb.Enter))
		heads := get(t, ctx, "headers", chromedp.Evaluate[[]string](`[...document.querySelectorAll('figure.chart details[open] th')].map(th => th.textContent)`))
		rows := get(t, ctx, "rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll('figure.chart details[open] tbody tr')].map(tr => tr.innerText)`))
		if len(heads) != 3 || heads[0] != "Date" || heads[1] != "Score" || heads[2] != "Band" {
			t.Errorf("the chart's values table has headers %q, want Date, Score, Band", heads)
		}
		if len(rows) != points || points == 0 {
			t.Errorf("the chart has %d points and its table %d rows (%q): every point must be in the table", points, len(rows), rows)
		}
		for _, p := range get(t, ctx, "contrast", chromedp.Evaluate[[]string](contrastCheck)) {
			t.Errorf("person page: %s", p)
		}
	})

	t.Run("contrast beyond axe", func(t *testing.T) {
		for _, path := range []string{"/console/", "/console/referrals", "/console/reports/outcomes?from=2026-01-01", "/console/contacts?q=77", "/console/enrol"} {
			for _, width := range []int64{1280, 320} {
				run(t, ctx, "open "+path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path), chromedp.WaitVisible(css(`h1`)))
				for _, p := range get(t, ctx, "contrast", chromedp.Evaluate[[]string](contrastCheck)) {
					t.Errorf("%s at %d px: %s", path, width, p)
				}
			}
		}
		run(t, ctx, "wide", chromedp.EmulateViewport(1280, 900))
	})
}

package console_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// menuCheck lists the top menu's links that a person cannot see or
// reach on the open page: outside the screen, clipped, or covered.
const menuCheck = `(() => {
	const out = [], root = document.documentElement;
	if (root.scrollWidth > root.clientWidth) out.push('the page scrolls sideways: ' + root.scrollWidth + 'px in ' + root.clientWidth);
	for (const a of document.querySelectorAll('header.top a, header.top button')) {
		const r = a.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) { out.push(a.textContent + ' has no size'); continue; }
		if (r.left < 0 || r.right > root.clientWidth + 1) { out.push(a.textContent + ' is outside the screen (' + Math.round(r.left) + '-' + Math.round(r.right) + ')'); continue; }
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (!hit || !(hit === a || a.contains(hit))) out.push(a.textContent + ' is covered by ' + (hit ? hit.tagName : 'nothing'));
	}
	return out;
})()`

// TestZoomedMenu: at 200% zoom (a 1280 px window is 640 CSS px wide, at
// twice the scale) and at 320 px, every page of the top menu can be seen
// and pressed, for a link worker and for an admin (the longer menu), and
// nothing scrolls sideways (WCAG 1.4.4 and 1.4.10).
func TestZoomedMenu(t *testing.T) {
	w := newWorld(t)
	w.addUser("ada@example.org", "Ada Admin-Administrator", true)
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	base := w.srv.URL
	for _, email := range []string{"ann@example.org", "ada@example.org"} {
		run(t, ctx, "sign in as "+email,
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(base+"/console/login"),
			chromedp.WaitVisible(css(`#email`)),
			chromedp.SendKeys(css(`#email`), email),
			chromedp.SendKeys(css(`#password`), testPassword),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`#inbox`)),
		)
		for _, size := range []struct {
			name          string
			width, height int64
			scale         float64
		}{
			{"200% zoom of 1280 px", 640, 450, 2},
			{"400% zoom (320 px)", 320, 256, 4},
		} {
			run(t, ctx, size.name, chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateScale(size.scale)),
				chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(css(`#inbox`)))
			links := get(t, ctx, "menu links", chromedp.Evaluate[int](`document.querySelectorAll('header.top nav a').length`))
			if links < 7 {
				t.Fatalf("%s: the menu has %d links", email, links)
			}
			for _, p := range get(t, ctx, "menu", chromedp.Evaluate[[]string](menuCheck)) {
				t.Errorf("%s, %s: %s", email, size.name, p)
			}
		}
		run(t, ctx, "sign out", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(css(`#inbox`)),
			chromedp.Click(css(`form[action="/console/logout"] button`)), chromedp.WaitVisible(css(`#email`)))
	}
}

package console_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkline/linkline/templates"
)

// TestReplyCounter: the reply box to an SMS contact says how many
// characters and texts a reply takes, and the encoding, as the server will
// send it (the browser's count agrees with templates.Segments after
// templates.SMSPunctuation), warning above 3 texts and for Unicode.
func TestReplyCounter(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann Worker", false)
	person := w.send("sms:+447700900666", "HUMAN")
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in and open the person",
		chromedp.Navigate(base+"/console/login"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`#inbox`)),
		chromedp.Navigate(base+"/console/contacts/"+person.ID),
		chromedp.WaitVisible(css(`#reply-count`)),
	)
	for _, c := range []struct {
		name, text string
		warn       bool
	}{
		{"empty", "", false},
		{"short", "Hello, this is Ann.", false},
		{"curly apostrophe and dash stay one rate", strings.Repeat("We\u2019ll call \u2013 soon. ", 8), false},
		{"160 GSM-7 characters, one text", strings.Repeat("a", 160), false},
		{"161, two texts", strings.Repeat("a", 161), false},
		{"extension characters take two", strings.Repeat("[", 80) + "a", false},
		{"Welsh letters are Unicode", "Diolch \u0175", true},
		{"an emoji is Unicode", "Thank you \U0001F60A", true},
		{"over 3 texts warns", strings.Repeat("Please call the surgery. ", 20), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			js, _ := json.Marshal(c.text)
			run(t, ctx, "type", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const b = document.getElementById('reply-text');
				b.value = %s; b.dispatchEvent(new Event('input')); })()`, js)))
			got := get(t, ctx, "count", chromedp.Text(css(`#reply-count`)))
			sent := templates.SMSPunctuation(c.text)
			n, ucs2 := templates.Segments(sent)
			want := fmt.Sprintf("%d characters, %d text", len([]rune(sent)), n)
			if n != 1 {
				want += "s"
			}
			if ucs2 {
				want += ", Unicode (costs double)"
			}
			if !strings.HasPrefix(got, want) {
				t.Errorf("the reply box says %q, want %q first", got, want)
			}
			class := get(t, ctx, "class", chromedp.Evaluate[string](`document.getElementById('reply-count').className`))
			if (class == "count warn") != c.warn || strings.Contains(got, "Warning") != (n > 3) {
				t.Errorf("%q: class %q, warn %v; want warn %v", got, class, strings.Contains(got, "Warning"), c.warn)
			}
		})
	}
	checkA11y(t, ctx, "reply box with a warning")
}

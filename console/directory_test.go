package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/bot/outbox"
	"github.com/linkline/linkline/channels/telegram"
	"github.com/linkline/linkline/channels/telegram/telegramtest"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/console"
	"github.com/linkline/linkline/directory"
	"github.com/linkline/linkline/directory/oruktest"
)

// withDirectory loads the oruktest fixtures (synced from the fake feed)
// and the fixture postcodes, and gives the engine and console the matcher.
func withDirectory(t *testing.T) setup {
	return func(w *world, ecfg *engine.Config, ccfg *console.Config) {
		ctx := context.Background()
		feed := oruktest.New("1", oruktest.Services(150), oruktest.Options{ListOnly: true, Broken: true})
		defer feed.Close()
		if _, err := (&directory.Importer{Store: w.store}).Sync(ctx, &directory.Client{Details: true}, feed.URL, "fixtures"); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join("..", "directory", "testdata", "onspd-sample.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := directory.ImportPostcodes(ctx, w.store, f, directory.PostcodeOptions{}); err != nil {
			t.Fatal(err)
		}
		m := directory.NewMatcher(nil, time.UTC)
		if err := m.Load(ctx, w.store); err != nil {
			t.Fatal(err)
		}
		ecfg.Signpost = &directory.Signposter{Matcher: m, Clock: w.clock}
		ccfg.Directory = m
	}
}

// throughFakes sends SMS through the real Twilio channel to tw and
// Telegram through the real Telegram channel to tg, as the server does.
func (w *world) throughFakes(tw *twiliotest.Server, tg *telegramtest.Server) {
	w.t.Helper()
	sms, err := twilio.NewSender(twilio.Config{AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken,
		From: twiliotest.Number, APIURL: tw.URL(), PublicURL: w.srv.URL, Rate: 100})
	if err != nil {
		w.t.Fatal(err)
	}
	tgBot, err := telegram.New(context.Background(), telegram.Config{Token: telegramtest.Token, APIURL: tg.URL(),
		WebhookURL: "https://linkline.example.org" + telegram.WebhookPath, Secret: "s3cret_token-for-tests",
		Rate: 1000, ChatRate: 1000, Timeout: 5 * time.Second, Backoff: 10 * time.Millisecond, HTTPClient: &http.Client{}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.disp = outbox.NewDispatcher(w.store, map[bot.Channel]bot.Sender{bot.SMS: sms, bot.Telegram: tgBot}, outbox.DispatchOptions{Clock: w.clock})
}

// refer plays a self-referral from addr at postcode asking for help with
// need (its number in the list) and returns the contact.
func (w *world) refer(addr, postcode, need string) *bot.Contact {
	w.t.Helper()
	var c *bot.Contact
	for _, text := range []string{"hi", "yes", "Sam", "12/03/1958", postcode, "Riverside", "no", "walks", need, "1", "1", "1"} {
		c = w.send(addr, text)
	}
	return c
}

func TestDirectoryPagesAndSend(t *testing.T) {
	w := newWorld(t, withDirectory(t))
	pat := w.refer("sms:+447700900321", "LA9 4AA", "1")
	w.drain("sms:+447700900321")
	w.addUser("ann@example.org", "Ann Worker", false)
	cl := w.client()
	cl.login("ann@example.org")

	page := cl.get("/console/directory?contact=" + pat.ID)
	if page.status != http.StatusOK || !strings.Contains(page.body, "Local services for Sam") ||
		!strings.Contains(page.body, `value="LA9 4AA"`) || strings.Count(page.body, "Kendal") < 10 {
		t.Fatalf("directory for the person: %d\n%s", page.status, page.body)
	}
	if !strings.Contains(page.body, "Contains OS data © Crown copyright and database right 20") ||
		!strings.Contains(page.body, "Source: Office for National Statistics licensed under the Open Government Licence v.3.0") {
		t.Errorf("the directory page lacks the postcode data's attribution")
	}
	search := cl.get("/console/directory?q=debt&postcode=GL5+1AA&km=5")
	if !strings.Contains(search.body, "Stroud Debt Advice") || strings.Contains(search.body, "Kendal") {
		t.Errorf("search for debt near GL5 1AA:\n%s", search.body)
	}
	if p := cl.get("/console/directory?postcode=BT1+1AA"); !strings.Contains(p.body, "cannot place that postcode") {
		t.Errorf("a Northern Ireland postcode: %s", p.body)
	}
	svc := cl.get("/console/directory/services/fixtures:k005?contact=" + pat.ID)
	if !strings.Contains(svc.body, "from the <strong>fixtures</strong> directory") || !strings.Contains(svc.body, "Send to Sam") ||
		!strings.Contains(svc.body, "Call 01539") {
		t.Errorf("service page: %s", svc.body)
	}
	if p := cl.get("/console/directory/services/fixtures:nope"); p.status != http.StatusNotFound {
		t.Errorf("unknown service: %d", p.status)
	}
	sent := cl.post("/console/directory/services/fixtures:k005/send", url.Values{"contact": {pat.ID}})
	if sent.status != http.StatusSeeOther || !strings.HasPrefix(sent.location, "/console/contacts/"+pat.ID) {
		t.Errorf("after sending: %d to %q, want a redirect to the person's page", sent.status, sent.location)
	}
	if got := w.drain("sms:+447700900321"); len(got) != 1 || !strings.Contains(got[0], "Kendal Wellbeing Cafe") {
		t.Errorf("the person got %q", got)
	}
	var views, sends int
	for _, a := range w.audit() {
		switch {
		case a.Action == bot.AuditView && a.ContactID == pat.ID && strings.HasPrefix(a.Detail, "directory"):
			views++
		case a.Action == bot.AuditSignpost && a.ContactID == pat.ID && strings.Contains(a.Detail, "fixtures:k005"):
			sends++
		}
	}
	if views != 2 || sends != 1 {
		t.Errorf("audit: %d directory views and %d sends of the person's record, want 2 and 1", views, sends)
	}
	if p := cl.post("/console/directory/services/fixtures:k005/send", url.Values{}); p.status != http.StatusBadRequest {
		t.Errorf("send without a person: %d", p.status)
	}
	// The PRSB export carries what the person was given as signpost details.
	export := cl.post("/console/referrals.json", url.Values{"reason": {"checking signposts"}})
	var doc struct {
		Referrals []struct {
			Signposts []struct {
				Date string
				To   struct {
					Service struct {
						Text string `json:"Free text"`
					}
				} `json:"Signpost to"`
			} `json:"Signpost details"`
		}
	}
	if err := json.Unmarshal([]byte(export.body), &doc); err != nil || len(doc.Referrals) != 1 {
		t.Fatalf("PRSB export: %v, %d: %s", err, export.status, export.body)
	}
	if sp := doc.Referrals[0].Signposts; len(sp) != 4 || !strings.Contains(sp[3].To.Service.Text, "Kendal Wellbeing Cafe") {
		t.Errorf("signpost details = %+v; want the 3 offered by text and the one sent", sp)
	}
}

// TestBrowserDirectory: a link worker finds a service for a person from
// their record and sends it, over SMS and over Telegram, end to end through
// the real channels to the fake providers; every page passes axe-core.
func TestBrowserDirectory(t *testing.T) {
	w := newWorld(t, withDirectory(t))
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	tg := telegramtest.New()
	t.Cleanup(tg.Close)
	w.throughFakes(tw, tg)
	const number = "+447700900777"
	people := []struct {
		name, addr, postcode, town string
		got                        func() []string
	}{
		{"by SMS", "sms:" + number, "LA9 4AA", "Kendal", func() []string { return tw.MessagesTo(number) }},
		{"by Telegram", "telegram:4242", "GL5 1AA", "Stroud", func() []string {
			var out []string
			for _, m := range tg.Sent(4242) {
				out = append(out, m.Text)
			}
			return out
		}},
	}
	w.addUser("ann@example.org", "Ann Worker", false)
	ctx := browser(t)
	base := w.srv.URL
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(css(`input[name=email]`)),
		chromedp.SendKeys(css(`input[name=email]`), "ann@example.org"),
		chromedp.SendKeys(css(`input[name=password]`), testPassword),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitVisible(css(`#inbox`)),
	)
	for _, p := range people {
		t.Run(p.name, func(t *testing.T) {
			c := w.refer(p.addr, p.postcode, "1")
			if err := w.disp.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			before := p.got()
			if n := strings.Count(strings.Join(before, "\n"), p.town); n < 3 {
				t.Fatalf("after the referral the person got %q; want three %s services", before, p.town)
			}
			run(t, ctx, "the person's record",
				chromedp.Navigate(base+"/console/contacts/"+c.ID),
				chromedp.WaitVisible(css(`#referrals`)),
			)
			offered := get(t, ctx, "support offered", chromedp.Text(css(`#referrals .offered`)))
			if strings.Count(offered, "by text after referral") != 3 {
				t.Errorf("support offered on the record: %q", offered)
			}
			run(t, ctx, "find local services",
				chromedp.Click(css(`a[href^="/console/directory?contact="]`)),
				chromedp.WaitVisible(css(`ul.services`)),
			)
			first := get(t, ctx, "first result", chromedp.Text(css(`ul.services li a`)))
			if !strings.Contains(first, p.town) {
				t.Errorf("first result %q, want a %s service", first, p.town)
			}
			checkA11y(t, ctx, "directory")
			shot(t, ctx, "directory")
			run(t, ctx, "open the service",
				chromedp.Click(css(`ul.services li a`)),
				chromedp.WaitVisible(css(`#send button`)),
			)
			preview := get(t, ctx, "preview", chromedp.Text(css(`#send .preview`)))
			checkA11y(t, ctx, "directory service")
			shot(t, ctx, "directory-service")
			run(t, ctx, "send to this person",
				chromedp.Click(css(`#send button`)),
				chromedp.WaitVisible(css(`li.msg.worker`)),
			)
			if err := w.disp.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			after := p.got()
			if len(after) != len(before)+1 || after[len(after)-1] != preview {
				t.Errorf("the provider has %d messages for the person (was %d), last %q; want the preview %q", len(after), len(before), after[len(after)-1], preview)
			}
			checkA11y(t, ctx, "conversation after sending")
		})
	}
}

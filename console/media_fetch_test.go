package console_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
	"github.com/linkline/linkline/console"
)

// TestMediaFetchedThroughLinkline: a picture a person sent on WhatsApp has
// a "fetch" link on the transcript that goes through Linkline: the file is
// fetched from (fake) Twilio with the account's credentials by the real
// twilio-go sender's fetcher, following Twilio's redirect without taking
// the credentials to the file's host; it is sent as an attachment with a
// safe type, written to the audit log, and refused over the size limit.
// Neither a provider address nor a provider id is on the page.
func TestMediaFetchedThroughLinkline(t *testing.T) {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	wa, err := twilio.NewWhatsAppSender(twilio.Config{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
		WhatsAppFrom: fake.Number, APIURL: fake.URL(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, func(_ *world, _ *engine.Config, con *console.Config) {
		con.Media = map[bot.Channel]console.MediaFetcher{bot.WhatsApp: wa}
		con.MaxMedia = 1000
	})
	w.addUser("ann@example.org", "Ann Worker", false)
	photo := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{7}, 500)...)
	ref := func(url string) string {
		return strings.Replace(url[strings.Index(url, "/Messages/")+len("/Messages/"):], "/Media/", "/", 1)
	}
	page := ref(fake.AddMedia("text/html", []byte("<script>alert(1)</script>")))
	big := ref(fake.AddMedia("image/png", bytes.Repeat([]byte{1}, 2000)))
	a := bot.Address{Channel: bot.WhatsApp, ID: "+447700900125"}
	media := []string{"photo:" + ref(fake.AddMedia("image/jpeg", photo)), "document:" + page, "photo:" + big, "location"}
	if err := w.engine.Handle(context.Background(), bot.Inbound{Address: a, Media: media, ProviderID: "wa-media-1"}); err != nil {
		t.Fatal(err)
	}
	var ct *bot.Contact
	w.view(func(tx bot.Tx) error {
		var err error
		ct, err = tx.ContactByAddress(a)
		return err
	})
	c := w.client()
	c.login("ann@example.org")
	res := c.get("/console/contacts/" + ct.ID)
	if res.status != http.StatusOK {
		t.Fatalf("conversation: %d", res.status)
	}
	links := regexp.MustCompile(`href="(/console/contacts/[^"]+/media/\d+)" download>fetch`).FindAllStringSubmatch(res.body, -1)
	if len(links) != 3 {
		t.Fatalf("%d fetch links, want one per kept file (not the location): %q", len(links), links)
	}
	if strings.Contains(res.body, "twilio.com") || strings.Contains(res.body, "/Media/") ||
		regexp.MustCompile(`(MM|ME)[0-9a-f]{32}`).MatchString(res.body) {
		t.Fatal("the page holds a provider address or id")
	}

	got := c.get(links[0][1])
	if got.status != http.StatusOK || got.body != string(photo) {
		t.Fatalf("fetch the picture: %d, %d bytes", got.status, len(got.body))
	}
	for h, want := range map[string]string{"Content-Type": "image/jpeg", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if v := got.header.Get(h); v != want {
			t.Errorf("%s: %q, want %q", h, v, want)
		}
	}
	if d := got.header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment;") || !strings.Contains(d, ".jpg") {
		t.Errorf("Content-Disposition %q, want an attachment named .jpg", d)
	}
	if st := fake.MediaStats(); st.Fetched != 1 || st.Leaked != 0 {
		t.Fatalf("fake media %+v: want one fetch, and no credentials sent to the file's host", st)
	}

	got = c.get(links[1][1])
	if got.status != http.StatusOK || got.header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("an HTML file came back %d as %q, %q: want a download of application/octet-stream",
			got.status, got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
	}
	if got := c.get(links[2][1]); got.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 2000-byte file over a 1000-byte limit: %d", got.status)
	}
	if got := c.get(strings.TrimSuffix(links[0][1], "/0") + "/9"); got.status != http.StatusNotFound {
		t.Fatalf("a file the message does not have: %d", got.status)
	}
	if got := c.do("GET", links[0][1], nil, "Sec-Fetch-Site", "cross-site"); got.status != http.StatusForbidden {
		t.Fatalf("a fetch started by another site: %d, want 403", got.status)
	}
	fetches := 0
	for _, e := range w.audit() {
		if e.Action == bot.AuditMediaFetch && e.ContactID == ct.ID && strings.Contains(e.Detail, "photo") {
			fetches++
		}
	}
	if fetches != 2 { // the picture, and the one too large (recorded, then refused)
		t.Fatalf("%d media fetches of pictures audited, want 2", fetches)
	}
}

package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one template set per page: the layout, the shared partials
// and the page's own "content".
type pages map[string]*template.Template

var funcs = template.FuncMap{
	"ago":          ago,
	"clock":        func(t time.Time) string { return t.Format("Mon 2 Jan 15:04") },
	"iso":          func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"lines":        func(s string) []string { return strings.Split(s, "\n") },
	"join":         strings.Join,
	"contains":     strings.Contains,
	"notConnected": func() string { return notConnected },
	"mediaKind":    mediaKind,
	"invalid":      invalidAttrs,
	"need":         needLabel,
	"needs":        needLabels,
	"action":       actionLabel,
	"person":       contactLabel,
	"breakable":    breakable,
	"flowTitle":    flowTitle,
	"fieldError":   fieldErrorHTML,
	"safetyAnswer": func(a string) string {
		if s, ok := safetyAnswers[a]; ok {
			return s
		}
		return a
	},
}

// mediaKinds say what arrived, by the kind a channel names in a message's
// Media ("photo:<ref>", "location", ...).
var mediaKinds = map[string]string{
	"photo": "a picture", "voice": "a voice message", "audio": "a sound file", "video": "a video",
	"video_note": "a video message", "animation": "a GIF", "document": "a file", "sticker": "a sticker",
	"location": "a location (not kept)", "contact": "a contact card", "dice": "a dice roll", "poll": "a poll",
	"unsupported": "something Linkline cannot show (e.g. a story or a reaction)",
}

// mediaKind is what a Media entry was, in words.
func mediaKind(m string) string {
	kind, _, _ := strings.Cut(m, ":")
	if s, ok := mediaKinds[kind]; ok {
		return s
	}
	return "an attachment"
}

// partials are templates every page may use.
var partials = []string{"templates/layout.html", "templates/inbox_list.html"}

func mustParsePages() pages {
	p := pages{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		if n == partials[0] || n == partials[1] {
			continue
		}
		t := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, append([]string{n}, partials...)...))
		p[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return p
}

// render executes page with data into a buffer first, so that a template
// error becomes a clean 500 rather than half a page. Layout pages get the
// signed-in user as .User.
func (c *Console) render(w http.ResponseWriter, r *http.Request, page string, status int, data map[string]any) {
	c.renderTemplate(w, r, page, "layout", status, data)
}

func (c *Console) renderTemplate(w http.ResponseWriter, r *http.Request, page, tmpl string, status int, data map[string]any) {
	t, ok := c.pages[page]
	if !ok {
		panic(fmt.Sprintf("console: no page %q", page))
	}
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["User"]; !ok {
		data["User"] = userFrom(r.Context())
	}
	data["MFAOff"] = c.cfg.MFA == MFAOff
	if userFrom(r.Context()) != nil { // signed in
		data["Notices"] = c.cfg.Notices
		if tmpl == "layout" {
			data["Waiting"] = c.unclaimedCount(r)
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, tmpl, data); err != nil {
		c.cfg.Log.Error("render console page", "page", page, "err", err)
		if page != "error" { // the error page itself failing must not loop
			c.renderTemplate(w, r, "error", "layout", http.StatusInternalServerError, map[string]any{
				"Title": errorTitle(http.StatusInternalServerError), "Message": errorMessages[http.StatusInternalServerError]})
			return
		}
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	buf.WriteTo(w)
}

// static serves the embedded CSS and JavaScript.
func (c *Console) static(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(w, r, staticFS, "static/"+r.PathValue("file"))
}

// ago says how long ago t was, shortly: "45s", "12m", "3h 5m", "2d".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// unclaimedCount is how many people wait with nobody holding them, for
// the count beside Inbox on every page. A failure to read shows no count.
func (c *Console) unclaimedCount(r *http.Request) int {
	n := 0
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		return tx.ActiveHandoffs(func(h *bot.Handoff) bool {
			if h.Status == bot.HandoffOpen {
				n++
			}
			return true
		})
	})
	if err != nil {
		c.cfg.Log.Error("count unclaimed handoffs", "err", err)
		return 0
	}
	return n
}

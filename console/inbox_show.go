package console

import (
	"errors"
	"net/http"
	"time"

	"github.com/linkline/linkline/bot"
)

// inboxRow is one waiting person as the inbox shows them. It holds no
// message text beyond a short preview of the last message.
type inboxRow struct {
	Handoff   *bot.Handoff
	Name      string
	Channel   bot.Channel
	Last      string // the person's last message, shortened
	LastAt    time.Time
	Waiting   string
	Clock     string // "", "amber" or "red" against the SLA
	ClaimedBy string
	Mine      bool
	// Addresses are the person's, for the channel filter and search.
	Addresses []bot.Address
	// Unread: the person wrote since the signed-in worker last opened
	// their page.
	Unread bool
	// ResolvedBy names who resolved it (Resolved today).
	ResolvedBy string
}

// inboxView is one of the inbox's views of the active handoffs, with how
// many each holds.
type inboxView struct {
	Key, Label string
	Count      int
	Current    bool
}

// inboxViews are the views, by their ?view= key: "open" (the default)
// every active handoff, "unclaimed" those nobody holds, "mine" the
// signed-in worker's, "resolved" those resolved since midnight.
var inboxViews = []struct{ key, label string }{{"unclaimed", "Unclaimed"}, {"mine", "Mine"}, {"open", "All open"}, {"resolved", "Resolved today"}}

func viewOf(r *http.Request) string {
	v := r.URL.Query().Get("view")
	for _, iv := range inboxViews {
		if iv.key == v {
			return v
		}
	}
	return "open"
}

// inView reports whether an active handoff's row belongs in view.
func inView(row inboxRow, view string) bool {
	switch view {
	case "resolved":
		return false
	case "unclaimed":
		return row.Handoff.Status == bot.HandoffOpen
	case "mine":
		return row.Mine
	}
	return true
}

// filterRows keeps the rows of view that pass f and counts every view
// under f.
func filterRows(d inboxData, view string, f inboxFilter) ([]inboxRow, []inboxView) {
	var kept []inboxRow
	views := make([]inboxView, len(inboxViews))
	for i, iv := range inboxViews {
		views[i] = inboxView{Key: iv.key, Label: iv.label, Current: iv.key == view}
	}
	for _, row := range d.rows {
		if !f.match(row) {
			continue
		}
		for i := range views {
			if inView(row, views[i].Key) {
				views[i].Count++
			}
		}
		if inView(row, view) {
			kept = append(kept, row)
		}
	}
	for _, row := range d.resolved {
		if !f.match(row) {
			continue
		}
		views[len(views)-1].Count++
		if view == "resolved" {
			kept = append(kept, row)
		}
	}
	return kept, views
}

// inboxPage is what the inbox page and its live fragment show.
func (c *Console) inboxPage(r *http.Request) (map[string]any, error) {
	d, err := c.inbox(r)
	if err != nil {
		return nil, err
	}
	view, f := viewOf(r), filterOf(r)
	rows, views := filterRows(d, view, f)
	team, err := c.colleagues(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Rows": rows, "Views": views, "Colleagues": team, "Safety": d.safety, "View": view,
		"Filter": f, "Channels": inboxChannels, "Reasons": inboxReasons, "EventID": d.at}, nil
}

// inboxShow shows the active handoffs of the view asked for: urgent first,
// then those waiting longest.
func (c *Console) inboxShow(w http.ResponseWriter, r *http.Request) {
	data, err := c.inboxPage(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Title"], data["Page"] = "Inbox", "inbox"
	c.render(w, r, "inbox", http.StatusOK, data)
}

// inboxFragment is the inbox list alone, which the page's script swaps in
// when the live-update stream says something changed.
func (c *Console) inboxFragment(w http.ResponseWriter, r *http.Request) {
	data, err := c.inboxPage(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.renderTemplate(w, r, "inbox", "inbox_list", http.StatusOK, data)
}

// colleagues reads the users an open handoff may be given to.
func (c *Console) colleagues(r *http.Request) ([]colleague, error) {
	var team []colleague
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		team, err = colleagues(tx)
		return err
	})
	return team, err
}

// previewLen is how much of the last message the inbox shows.
const previewLen = 90

// inboxData is everything the inbox may show: the active handoffs, those
// resolved today, the people asked whether they are safe, and as text the
// id of the newest event they reflect (the page's live updates start
// after it).
type inboxData struct {
	rows, resolved []inboxRow
	safety         []safetyRow
	at             string
}

// inbox reads the inbox's data.
func (c *Console) inbox(r *http.Request) (inboxData, error) {
	me := userFrom(r.Context())
	now := c.cfg.Clock.Now()
	var d inboxData
	var rows []inboxRow
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		if d.at, err = renderedAt(tx); err != nil {
			return err
		}
		names := userNames(tx)
		if d.resolved, err = c.resolvedToday(tx, names); err != nil {
			return err
		}
		if d.safety, err = c.safetyPending(tx); err != nil {
			return err
		}
		var failed error
		err = tx.ActiveHandoffs(func(h *bot.Handoff) bool {
			row := inboxRow{Handoff: h, Waiting: ago(now, h.OpenedAt), Clock: c.slaClock(h, now)}
			ct, err := tx.Contact(h.ContactID)
			if err != nil {
				failed = err
				return false
			}
			row.Name, row.Channel, row.Addresses = displayName(ct), ct.Primary().Channel, ct.Addresses
			// The person's last words, not the bot's answer to them.
			if row.Last, row.LastAt, err = lastInbound(tx, ct.ID); err != nil {
				failed = err
				return false
			}
			row.Last = preview(row.Last, previewLen)
			seen, err := seenAt(tx, me.ID, ct.ID)
			if err != nil {
				failed = err
				return false
			}
			row.Unread = row.LastAt.After(seen)
			if h.Status == bot.HandoffClaimed {
				row.ClaimedBy, row.Mine = names(h.ClaimedBy), h.ClaimedBy == me.ID
			}
			rows = append(rows, row)
			return true
		})
		return errors.Join(err, failed)
	})
	d.rows = rows
	return d, err
}

// lastInbound returns the text and time of the newest message the contact
// sent; both are zero when they sent none.
func lastInbound(tx bot.Tx, contactID string) (string, time.Time, error) {
	m, err := tx.LastInbound(contactID)
	switch {
	case errors.Is(err, bot.ErrNotFound):
		return "", time.Time{}, nil
	case err != nil:
		return "", time.Time{}, err
	}
	return m.Text, m.At, nil
}

// renderedAt is the event cursor a page carries (body data-event) so its
// live-update stream starts where the page left off.
func renderedAt(tx bot.Tx) (string, error) {
	c, err := tx.EventsCursor()
	return string(c), err
}

// slaClock colours a handoff's waiting time: amber from half its SLA, red
// past it. An urgent handoff's SLA runs on the wall clock; an ordinary
// one's counts only the engine's working hours (the wall clock when the
// team has no hours at all). A claimed handoff is being dealt with and is
// not coloured.
func (c *Console) slaClock(h *bot.Handoff, now time.Time) string {
	if h.Status != bot.HandoffOpen {
		return ""
	}
	sla := c.cfg.SLA
	if h.Urgent {
		sla = c.cfg.UrgentSLA
	}
	amber, red := h.OpenedAt.Add(sla/2), h.OpenedAt.Add(sla)
	if hours := c.cfg.Engine.Hours(); !h.Urgent && hours != nil {
		if d := hours.AddWorking(h.OpenedAt, sla); !d.IsZero() {
			amber, red = hours.AddWorking(h.OpenedAt, sla/2), d
		}
	}
	switch {
	case !now.Before(red):
		return "red"
	case !now.Before(amber):
		return "amber"
	}
	return ""
}

// userNames returns a lookup from user id to the name to show, reading
// each user at most once.
func userNames(tx bot.Tx) func(id string) string {
	seen := map[string]string{}
	return func(id string) string {
		if n, ok := seen[id]; ok {
			return n
		}
		n := id
		if u, err := tx.User(id); err == nil {
			n = u.Name
			if n == "" {
				n = u.Email
			}
		}
		seen[id] = n
		return n
	}
}

// displayName is what the console calls a contact: the name they gave, or
// how they reach the service (contactLabel), never an internal id.
func displayName(ct *bot.Contact) string { return contactLabel(ct) }

func preview(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

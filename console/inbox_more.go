package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// inboxFilter narrows the inbox: by channel, by reason, to urgent ones,
// and by a search for a name, a number or a contact id. It comes from the
// query string, so the live updates (which fetch with the page's query)
// keep it.
type inboxFilter struct {
	Channel, Reason, Q string
	Urgent             bool
}

func filterOf(r *http.Request) inboxFilter {
	q := r.URL.Query()
	return inboxFilter{Channel: strings.TrimSpace(q.Get("channel")), Reason: strings.TrimSpace(q.Get("reason")),
		Q: strings.TrimSpace(q.Get("q")), Urgent: q.Get("urgent") != ""}
}

// Active reports whether any filter is set.
func (f inboxFilter) Active() bool { return f.Channel != "" || f.Reason != "" || f.Q != "" || f.Urgent }

// Query is the filter as a query string (without view), for links.
func (f inboxFilter) Query() string {
	v := url.Values{}
	for k, s := range map[string]string{"channel": f.Channel, "reason": f.Reason, "q": f.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Urgent {
		v.Set("urgent", "1")
	}
	if len(v) == 0 {
		return ""
	}
	return "&" + v.Encode()
}

// match reports whether row passes the filter.
func (f inboxFilter) match(row inboxRow) bool {
	switch {
	case f.Channel != "" && !slices.ContainsFunc(row.Addresses, func(a bot.Address) bool { return string(a.Channel) == f.Channel }):
		return false
	case f.Reason != "" && row.Handoff.Reason != f.Reason:
		return false
	case f.Urgent && !row.Handoff.Urgent:
		return false
	case f.Q == "":
		return true
	}
	if strings.Contains(strings.ToLower(row.Name), strings.ToLower(f.Q)) || row.Handoff.ContactID == f.Q {
		return true
	}
	for _, a := range addressesFor(f.Q) {
		if slices.Contains(row.Addresses, a) {
			return true
		}
	}
	return false
}

// inboxChannels and inboxReasons are the filter's choices, as the inbox
// names them.
var (
	inboxChannels = []struct{ Value, Label string }{{"sms", "SMS"}, {"whatsapp", "WhatsApp"}, {"telegram", "Telegram"}}
	inboxReasons  = []struct{ Value, Label string }{{bot.ReasonRisk, "Risk"}, {bot.ReasonAsked, "Asked for a person"},
		{bot.ReasonMisunderstood, "Bot did not understand"}, {bot.ReasonNews, "News at a check-in"}, {bot.ReasonFlow, "Handed over by a flow"},
		{bot.ReasonWorker, "Taken over by a link worker"}, {bot.ReasonFlood, "Too many messages"}}
)

// startOfDay is midnight of now's day in loc.
func startOfDay(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// resolvedToday returns the handoffs resolved since midnight (in the
// team's time zone), newest first, as inbox rows.
func (c *Console) resolvedToday(tx bot.Tx, names func(string) string) ([]inboxRow, error) {
	loc := time.UTC
	if h := c.cfg.Engine.Hours(); h != nil && h.Loc != nil {
		loc = h.Loc
	}
	// The store seeks to today's first resolution: the cost is today's
	// resolutions, not the log.
	var ids []string
	if err := tx.EventsOfKind(bot.EventHandoffResolved, startOfDay(c.cfg.Clock.Now(), loc), func(e *bot.Event) bool {
		if e.Data["handoff"] != "" {
			ids = append(ids, e.Data["handoff"])
		}
		return true
	}); err != nil {
		return nil, err
	}
	var rows []inboxRow
	for _, id := range slices.Backward(ids) {
		h, err := tx.Handoff(id)
		if errors.Is(err, bot.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("resolved handoff %s: %w", id, err)
		}
		ct, err := tx.Contact(h.ContactID)
		if errors.Is(err, bot.ErrNotFound) {
			continue // erased since
		} else if err != nil {
			return nil, err
		}
		row := inboxRow{Handoff: h, Name: displayName(ct), Channel: ct.Primary().Channel, Addresses: ct.Addresses,
			ResolvedBy: names(h.ResolvedBy)}
		rows = append(rows, row)
	}
	return rows, nil
}

// safetyRow is a person asked "Are you safe?" who has not answered yet:
// no handoff holds them until they answer no or the wait runs out, so the
// inbox lists them apart.
type safetyRow struct {
	ContactID, Name string
	Asked           time.Time
	Waiting         string
}

// safetyWindow bounds how far back the inbox looks for pending safety
// checks: far longer than any wait for an answer.
const safetyWindow = 24 * time.Hour

// safetyPending returns the people asked "Are you safe?" in the last
// safetyWindow who have not answered, oldest first.
func (c *Console) safetyPending(tx bot.Tx) ([]safetyRow, error) {
	now := c.cfg.Clock.Now()
	// Only the risk events of the window are read (the store seeks to
	// the first), not the log.
	var ids []string
	asked := map[string]bool{}
	if err := tx.EventsOfKind(bot.EventRisk, now.Add(-safetyWindow), func(e *bot.Event) bool {
		if e.Data["tier"] == string(bot.RiskConcern) && !asked[e.ContactID] {
			asked[e.ContactID] = true
			ids = append(ids, e.ContactID)
		}
		return true
	}); err != nil {
		return nil, err
	}
	var rows []safetyRow
	for _, id := range ids {
		ct, err := tx.Contact(id)
		if errors.Is(err, bot.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if ct.SafetyAsked.IsZero() {
			continue // answered, or overtaken
		}
		rows = append(rows, safetyRow{ContactID: ct.ID, Name: displayName(ct), Asked: ct.SafetyAsked, Waiting: ago(now, ct.SafetyAsked)})
	}
	slices.SortFunc(rows, func(a, b safetyRow) int { return a.Asked.Compare(b.Asked) })
	return rows, nil
}

// AuditUnassign records that a claimed handoff was put back for anyone;
// Detail names the handoff and who held it.
const AuditUnassign = "unassign"

// handoffUnassign puts a claimed handoff back in Unclaimed, whoever holds
// it; audited with who held it.
func (c *Console) handoffUnassign(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	h, err := c.handoff(r)
	var from string
	if err == nil {
		from, err = c.cfg.Engine.Unclaim(r.Context(), h.ID, u.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, AuditUnassign, h.ContactID, h.ID+" from "+from)
	http.Redirect(w, r, backLink(r), http.StatusSeeOther)
}

// seenKey is the setting that holds when user last opened contact's page,
// for the inbox's unread markers.
func seenKey(userID, contactID string) string { return "console.seen." + userID + "." + contactID }

// seenAt is when user last opened contact's page; zero if never.
func seenAt(tx bot.Tx, userID, contactID string) (time.Time, error) {
	v, err := tx.Setting(seenKey(userID, contactID))
	if errors.Is(err, bot.ErrNotFound) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, nil // unreadable: as never seen
	}
	return t, nil
}

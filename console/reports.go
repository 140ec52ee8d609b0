package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/linkline/linkline/bot"
)

// reportTable is one figure of the Reports page: a table (which is also
// the CSV behind it) with a bar for each row's count, so the chart and
// the numbers are the same thing.
type reportTable struct {
	Key, Title, About string
	Head              []string
	Rows              [][]string
	// Counts is each row's count, and Bars its bar's width in percent of
	// the largest.
	Counts, Bars []int
}

func (t *reportTable) add(count int, cells ...string) {
	t.Rows = append(t.Rows, cells)
	t.Counts = append(t.Counts, count)
}

// scale sets the bars from the counts.
func (t *reportTable) scale() {
	most := 0
	for _, n := range t.Counts {
		most = max(most, n)
	}
	t.Bars = make([]int, len(t.Counts))
	for i, n := range t.Counts {
		if most > 0 {
			// In steps of 5, for the stylesheet's widths (the page's
			// policy allows no inline styles); a non-zero count shows.
			t.Bars[i] = max((n*100/most+2)/5*5, min(n, 1)*5)
		}
	}
}

// durationWords is d shortly: "45s", "12m", "3h 5m", "2d".
func durationWords(d time.Duration) string {
	var zero time.Time
	return ago(zero.Add(d), zero)
}

// median is the middle of ds (sorted here); 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// serviceReport computes the Reports page's tables over rg: referrals by
// week, source and need; time from referral to first contact; handoffs
// by reason with time to claim. It names no one.
func (c *Console) serviceReport(ctx context.Context, rg outcomeRange) ([]*reportTable, error) {
	loc := c.location()
	in := func(t time.Time) bool {
		return (rg.From.IsZero() || !t.Before(rg.From)) && (rg.To.IsZero() || t.Before(rg.To))
	}
	weeks := &reportTable{Key: "weeks", Title: "Referrals by week", About: "Weeks start on Monday.", Head: []string{"Week starting", "Referrals"}}
	sources := &reportTable{Key: "sources", Title: "Referrals by source", Head: []string{"Source", "Referrals"}}
	needs := &reportTable{Key: "needs", Title: "Referrals by need", About: "A referral with several needs counts under each.", Head: []string{"Need", "Referrals"}}
	contact := &reportTable{Key: "contact", Title: "Time from referral to first contact",
		About: "First contact: the referral's status first changed, or a link worker first wrote to the person.", Head: []string{"First contact", "Referrals"}}
	handoffs := &reportTable{Key: "handoffs", Title: "Handoffs by reason, with time to claim",
		About: "The response clock starts when the bot hands the person over.", Head: []string{"Reason", "Handoffs", "Claimed", "Median time to claim", "Longest time to claim"}}
	err := c.cfg.Store.View(ctx, func(tx bot.Tx) error {
		byWeek, bySource, byNeed := map[string]int{}, map[string]int{}, map[string]int{}
		var refs []*bot.Referral
		if err := tx.Referrals(func(r *bot.Referral) bool {
			if in(r.CreatedAt) {
				refs = append(refs, r)
			}
			return true
		}); err != nil {
			return err
		}
		for _, r := range refs {
			day := r.CreatedAt.In(loc)
			monday := time.Date(day.Year(), day.Month(), day.Day()-(int(day.Weekday())+6)%7, 0, 0, 0, 0, loc)
			byWeek[monday.Format(time.DateOnly)]++
			src := r.Method
			if src == "" {
				src = "not recorded"
			}
			bySource[src]++
			for _, n := range r.Needs {
				byNeed[n]++
			}
		}
		for _, t := range []struct {
			tab *reportTable
			m   map[string]int
		}{{weeks, byWeek}, {sources, bySource}, {needs, byNeed}} {
			keys := make([]string, 0, len(t.m))
			for k := range t.m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if t.tab != weeks { // most first
				sort.SliceStable(keys, func(i, j int) bool { return t.m[keys[i]] > t.m[keys[j]] })
			}
			for _, k := range keys {
				label := k // a week
				switch t.tab {
				case needs:
					label = needLabel(k)
				case sources:
					label = humanize(k)
				}
				t.tab.add(t.m[k], label, strconv.Itoa(t.m[k]))
			}
		}

		// First contact per referral, and the handoffs opened: the
		// store reads only events of these kinds from the range's start
		// (an index by kind and time), not the whole log.
		since := rg.From
		refByID := map[string]*bot.Referral{}
		open := map[string][]*bot.Referral{} // contact: referrals not yet contacted
		for _, r := range refs {
			refByID[r.ID] = r
			open[r.ContactID] = append(open[r.ContactID], r)
		}
		first := map[string]time.Duration{}
		contacted := func(r *bot.Referral, at time.Time) {
			if d, done := first[r.ID]; !done || at.Sub(r.CreatedAt) < d {
				first[r.ID] = at.Sub(r.CreatedAt)
			}
		}
		if err := tx.EventsOfKind(EventReferralStatus, since, func(e *bot.Event) bool {
			if r := refByID[e.Data["referral"]]; r != nil {
				contacted(r, e.At)
			}
			return true
		}); err != nil {
			return err
		}
		if err := tx.EventsOfKind(bot.EventWorkerReply, since, func(e *bot.Event) bool {
			for _, r := range open[e.ContactID] {
				if !e.At.Before(r.CreatedAt) {
					contacted(r, e.At)
				}
			}
			return true
		}); err != nil {
			return err
		}
		var handoffIDs []string
		if err := tx.EventsOfKind(bot.EventHandoffOpened, since, func(e *bot.Event) bool {
			if !rg.To.IsZero() && !e.At.Before(rg.To) {
				return false // in time order: the rest are later still
			}
			if in(e.At) && e.Data["handoff"] != "" {
				handoffIDs = append(handoffIDs, e.Data["handoff"])
			}
			return true
		}); err != nil {
			return err
		}
		buckets := []struct {
			label string
			upTo  time.Duration
		}{{"Within a day", 24 * time.Hour}, {"1 to 2 days", 48 * time.Hour}, {"2 to 7 days", 7 * 24 * time.Hour}, {"Over 7 days", 1<<63 - 1}}
		counts := make([]int, len(buckets))
		var ds []time.Duration
		for _, r := range refs {
			d, ok := first[r.ID]
			if !ok {
				continue
			}
			ds = append(ds, d)
			for i, b := range buckets {
				if d <= b.upTo {
					counts[i]++
					break
				}
			}
		}
		for i, b := range buckets {
			contact.add(counts[i], b.label, strconv.Itoa(counts[i]))
		}
		notYet := len(refs) - len(ds)
		contact.add(notYet, "Not contacted yet", strconv.Itoa(notYet))
		if len(ds) > 0 {
			contact.About += " Median " + durationWords(median(ds)) + "."
		}

		type reasonStats struct {
			n, claimed int
			waits      []time.Duration
		}
		byReason := map[string]*reasonStats{}
		for _, id := range handoffIDs {
			h, err := tx.Handoff(id)
			if errors.Is(err, bot.ErrNotFound) {
				continue
			} else if err != nil {
				return fmt.Errorf("handoff %s: %w", id, err)
			}
			s := byReason[h.Reason]
			if s == nil {
				s = &reasonStats{}
				byReason[h.Reason] = s
			}
			s.n++
			if !h.ClaimedAt.IsZero() {
				s.claimed++
				s.waits = append(s.waits, h.ClaimedAt.Sub(h.OpenedAt))
			}
		}
		reasons := make([]string, 0, len(byReason))
		for k := range byReason {
			reasons = append(reasons, k)
		}
		sort.Strings(reasons)
		for _, k := range reasons {
			s := byReason[k]
			med, longest := "–", "–"
			if len(s.waits) > 0 {
				med = durationWords(median(s.waits))
				longest = durationWords(slices.Max(s.waits))
			}
			handoffs.add(s.n, humanize(k), strconv.Itoa(s.n), strconv.Itoa(s.claimed), med, longest)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tabs := []*reportTable{weeks, sources, needs, contact, handoffs}
	for _, t := range tabs {
		t.scale()
	}
	return tabs, nil
}

// reportsShow shows the service's counts to any signed-in user, for a
// date range; it names no one, and viewing it is audited as a report.
func (c *Console) reportsShow(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	rg := parseOutcomeRange(r.URL.Query(), c.location())
	data := map[string]any{"Title": "Reports", "Page": "reports", "Range": rg}
	if rg.Err != "" {
		c.render(w, r, "reports", http.StatusBadRequest, data)
		return
	}
	tabs, err := c.serviceReport(r.Context(), rg)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, AuditReport, "", "reports page "+rg.describe())
	data["Tables"] = tabs
	c.render(w, r, "reports", http.StatusOK, data)
}

// reportsExport downloads one of the Reports page's tables (form field
// "table") as CSV: a POST, audited before anything is sent, as the other
// exports are.
func (c *Console) reportsExport(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	rg, ok := c.exportRange(w, r)
	if !ok {
		return
	}
	tabs, err := c.serviceReport(r.Context(), rg)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	key := r.PostForm.Get("table")
	i := slices.IndexFunc(tabs, func(t *reportTable) bool { return t.Key == key })
	if i < 0 {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "there is no report table %q", key))
		return
	}
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: AuditReport,
			Detail: "reports " + key + " csv " + rg.describe()})
	})
	if err != nil {
		c.fail(w, r, fmt.Errorf("audit report: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, key, c.cfg.Clock.Now().Format("2006-01-02")))
	cw := bot.NewCSVWriter(w)
	cw.Write(tabs[i].Head...)
	for _, row := range tabs[i].Rows {
		cw.Write(row...)
	}
	if err := cw.Flush(); err != nil {
		c.cfg.Log.Error("write report csv", "table", key, "err", err)
	}
}

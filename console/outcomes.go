package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// AuditReport is the audit action of viewing or downloading a service
// report: aggregate figures, naming no one, so the entry names no contact.
const AuditReport bot.AuditAction = "report"

// outcomeRange is the outcome report's date filter: results taken on or
// after From and before To (the day after the last day asked for), in the
// service's time zone. Zero times are unbounded.
type outcomeRange struct {
	From, To   time.Time
	FromS, ToS string // as typed, for the form
	Err        string
	ErrField   string // the id of the date box Err is about
}

// parseOutcomeRange reads from and to (YYYY-MM-DD, both days included)
// in loc.
func parseOutcomeRange(q url.Values, loc *time.Location) outcomeRange {
	rg := outcomeRange{FromS: strings.TrimSpace(q.Get("from")), ToS: strings.TrimSpace(q.Get("to"))}
	var err error
	if rg.FromS != "" {
		if rg.From, err = time.ParseInLocation(time.DateOnly, rg.FromS, loc); err != nil {
			rg.Err, rg.ErrField = "The dates must be like 2026-11-27.", "out-from"
		}
	}
	if rg.ToS != "" {
		if rg.To, err = time.ParseInLocation(time.DateOnly, rg.ToS, loc); err != nil && rg.Err == "" {
			rg.Err, rg.ErrField = "The dates must be like 2026-11-27.", "out-to"
		} else if err == nil {
			rg.To = rg.To.AddDate(0, 0, 1) // the whole of the last day
		}
	}
	if rg.Err == "" && !rg.From.IsZero() && !rg.To.IsZero() && !rg.From.Before(rg.To) {
		rg.Err, rg.ErrField = "The first day must not be after the last.", "out-from"
	}
	return rg
}

// describe is the range for an audit entry.
func (rg outcomeRange) describe() string {
	return fmt.Sprintf("from %q to %q", rg.FromS, rg.ToS)
}

// location is the service's time zone: that of its opening hours, or UTC.
func (c *Console) location() *time.Location {
	if h := c.cfg.Engine.Hours(); h != nil && h.Loc != nil {
		return h.Loc
	}
	return time.UTC
}

// flowSet is the flows the service runs, for the instruments' item order;
// without Config.Flows, the built-in ones.
func (c *Console) flowSet() *flows.Set {
	if c.cfg.Flows != nil {
		return c.cfg.Flows
	}
	return builtinFlows()
}

// outcomes computes the report over rg.
func (c *Console) outcomes(ctx context.Context, rg outcomeRange) ([]bot.Outcome, error) {
	set := c.flowSet()
	if set == nil {
		return nil, fmt.Errorf("outcomes: no flows loaded")
	}
	var out []bot.Outcome
	err := c.cfg.Store.View(ctx, func(tx bot.Tx) error {
		var err error
		out, err = bot.Outcomes(tx, set, rg.From, rg.To)
		return err
	})
	return out, err
}

// outcomeRow is one item of the page's table, formatted.
type outcomeRow struct {
	Item                       string
	Pairs                      int
	Baseline, FollowUp, Change string
	Before, After              string
}

// outcomeTable is one instrument on the page.
type outcomeTable struct {
	Survey             string
	Baseline, FollowUp int
	Rows               []outcomeRow
}

// outcomeTables lays out the report, instruments and items in words
// (name says what an instrument is called).
func outcomeTables(out []bot.Outcome, name func(string) string) []outcomeTable {
	tabs := make([]outcomeTable, 0, len(out))
	for _, o := range out {
		t := outcomeTable{Survey: name(o.Survey), Baseline: o.Baseline, FollowUp: o.FollowUp}
		for _, it := range o.Items {
			row := outcomeRow{Item: itemLabel(o.Survey, it.Item), Pairs: it.Pairs, Baseline: "–", FollowUp: "–", Change: "–",
				Before: bandList(it.Before), After: bandList(it.After)}
			if it.Numeric && it.Pairs > 0 {
				row.Baseline, row.FollowUp = fmt.Sprintf("%.2f", it.MeanBaseline), fmt.Sprintf("%.2f", it.MeanFollowUp)
				row.Change = fmt.Sprintf("%+.2f", it.MeanChange)
			}
			t.Rows = append(t.Rows, row)
		}
		tabs = append(tabs, t)
	}
	return tabs
}

// bandList is a band distribution as "high 1, low 3", bands in order.
func bandList(m map[string]int) string {
	if len(m) == 0 {
		return "–"
	}
	keys := sortedKeys(m, nil)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + strconv.Itoa(m[k])
	}
	return strings.Join(parts, ", ")
}

// sortedKeys is the keys of a and b together, sorted.
func sortedKeys(a, b map[string]int) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]int{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// outcomesShow shows the service outcome report to any signed-in user
// (admins and link workers), for a date range given in the query. It
// names no one; viewing it is audited as a report.
func (c *Console) outcomesShow(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	rg := parseOutcomeRange(r.URL.Query(), c.location())
	data := map[string]any{"Title": "Outcomes", "Page": "outcomes", "Range": rg}
	if rg.Err != "" {
		data["Errors"] = formErrors{{Field: rg.ErrField, Message: rg.Err}}
		c.render(w, r, "outcomes", http.StatusBadRequest, data)
		return
	}
	out, err := c.outcomes(r.Context(), rg)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, AuditReport, "", "outcomes page "+rg.describe())
	data["Tables"] = outcomeTables(out, c.instrumentLabel)
	c.render(w, r, "outcomes", http.StatusOK, data)
}

// exportRange reads a report export's posted dates; on a bad form it
// answers the request and reports false.
func (c *Console) exportRange(w http.ResponseWriter, r *http.Request) (outcomeRange, bool) {
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "the export form could not be read"))
		return outcomeRange{}, false
	}
	rg := parseOutcomeRange(r.PostForm, c.location())
	if rg.Err != "" {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "%s", rg.Err))
		return outcomeRange{}, false
	}
	return rg, true
}

// outcomesExport downloads the outcome report as CSV: one row per item
// with its means, then one per band with the counts before and after. It
// is a POST, like the referral exports, so another site cannot make a
// signed-in browser download it; it is audited (before anything is sent)
// as a report, naming no one.
func (c *Console) outcomesExport(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	rg, ok := c.exportRange(w, r)
	if !ok {
		return
	}
	out, err := c.outcomes(r.Context(), rg)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: AuditReport,
			Detail: "outcomes csv " + rg.describe()})
	})
	if err != nil {
		c.fail(w, r, fmt.Errorf("audit report: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="outcomes-%s.csv"`, c.cfg.Clock.Now().Format("2006-01-02")))
	if err := bot.WriteOutcomesCSV(w, out); err != nil {
		c.cfg.Log.Error("write outcomes csv", "err", err)
	}
}

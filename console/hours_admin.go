package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// auditHoursSaved is the audit action for a change of service hours.
const auditHoursSaved = "hours.saved"

// hoursForm is the service hours page's form: what is in force, or what
// the admin typed when it did not parse.
type hoursForm struct {
	Spec, Zone, Closed, Text string
	Errors                   formErrors
}

// hoursShow shows an admin the service hours in force (opening times, time
// zone, closed dates and the hours as people are told them) in a form to
// change them.
func (c *Console) hoursShow(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	h := c.cfg.Engine.Hours()
	closed := make([]string, 0, len(h.Closed))
	for d := range h.Closed {
		closed = append(closed, d)
	}
	slices.Sort(closed)
	c.renderHours(w, r, http.StatusOK, hoursForm{Spec: h.Spec, Zone: h.Loc.String(),
		Closed: strings.Join(closed, "\n"), Text: c.cfg.Engine.Service().Hours})
}

// hoursSave checks the admin's service hours with bot.ParseHours, saves
// them in the store (where they override the configuration at the next
// start), puts them in force at once and records who did it. Hours that do
// not parse are shown again with the reason.
func (c *Console) hoursSave(w http.ResponseWriter, r *http.Request) {
	if !c.admin(w, r) {
		return
	}
	f := hoursForm{Spec: strings.TrimSpace(r.PostFormValue("spec")), Zone: strings.TrimSpace(r.PostFormValue("zone")),
		Closed: r.PostFormValue("closed"), Text: templates.SMSPunctuation(strings.TrimSpace(r.PostFormValue("text")))}
	s := bot.HoursSetting{Spec: f.Spec, Zone: f.Zone, Closed: bot.SplitDates(f.Closed), Text: f.Text}
	h, err := s.Parse()
	if err != nil && bot.ErrorCode(err) != bot.EInvalid {
		c.fail(w, r, err)
		return
	}
	if err != nil {
		// Which field is wrong: the times alone, then with the zone, else
		// the dates.
		field := "hours-closed"
		if _, e := bot.ParseHours(s.Spec, "UTC", nil); e != nil {
			field = "hours-spec"
		} else if _, e := bot.ParseHours(s.Spec, s.Zone, nil); e != nil {
			field = "hours-zone"
		}
		f.Errors.addErr(field, err)
	}
	if f.Text == "" {
		f.Errors.add("hours-text", "say when the team works, as people are told it")
	}
	if f.Errors != nil {
		c.renderHours(w, r, http.StatusBadRequest, f)
		return
	}
	u := userFrom(r.Context())
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := bot.PutHoursSetting(tx, s); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: auditHoursSaved,
			Detail: s.Spec + " " + s.Zone + "; closed " + strings.Join(s.Closed, ",")})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.cfg.Engine.SetHours(h)
	svc := c.cfg.Engine.Service()
	svc.Hours = s.Text
	c.cfg.Engine.SetService(svc)
	if c.cfg.OnSettings != nil {
		c.cfg.OnSettings()
	}
	c.cfg.Log.Info("service hours changed", "user", u.ID, "hours", h.Spec, "timezone", h.Loc.String())
	http.Redirect(w, r, "/console/admin/hours", http.StatusSeeOther)
}

func (c *Console) renderHours(w http.ResponseWriter, r *http.Request, status int, f hoursForm) {
	c.render(w, r, "hours", status, map[string]any{"Title": "Service hours", "Page": "hours", "Form": f, "Errors": f.Errors})
}

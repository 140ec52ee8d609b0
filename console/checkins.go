package console

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// checkinFlows are the flows a link worker may schedule, with their names.
var checkinFlows = []struct{ ID, Title string }{
	{"carer-checkin", "Carer check-in"},
	{"ons4", "ONS4 personal wellbeing"},
	{"loneliness", "ONS loneliness measures"},
	{"carer-question", "Carer identification (Census 2021)"},
}

// parseSchedule reads the check-in form into a schedule for contactID;
// on an error, field is the id of the form's box it is about.
func parseSchedule(r *http.Request, contactID string) (s *bot.Schedule, field string, err error) {
	flow := r.PostFormValue("flow")
	if !slices.ContainsFunc(checkinFlows, func(f struct{ ID, Title string }) bool { return f.ID == flow }) {
		return nil, "checkin-flow", bot.Errorf(bot.EInvalid, "choose what to send")
	}
	every, err := bot.ParseEvery(r.PostFormValue("every"))
	if err != nil {
		return nil, "checkin-every", err
	}
	day, err := bot.ParseWeekday(r.PostFormValue("day"))
	if err != nil {
		return nil, "checkin-day", err
	}
	s = &bot.Schedule{ContactID: contactID, Flow: flow, Every: every, Weekday: day, LocalTime: strings.TrimSpace(r.PostFormValue("at"))}
	if v := strings.TrimSpace(r.PostFormValue("start")); v != "" {
		if s.Start, err = time.Parse(time.DateOnly, v); err != nil {
			return nil, "checkin-flow", bot.Errorf(bot.EInvalid, "the start date must be like 2026-11-27")
		}
	}
	return s, "", nil
}

// checkinAdd schedules a check-in or survey for the person.
func (c *Console) checkinAdd(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	s, field, err := parseSchedule(r, id)
	if err == nil {
		// The time is the one box typed in: the engine checks it.
		field, err = "checkin-at", c.cfg.Engine.AddSchedule(r.Context(), s)
	}
	if bot.ErrorCode(err) == bot.EInvalid {
		var errs formErrors
		errs.addErr(field, err)
		c.renderConversation(w, r, id, http.StatusBadRequest, map[string]any{"Errors": errs,
			"CheckinAt": strings.TrimSpace(r.PostFormValue("at"))})
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, AuditCheckinAdded, id, s.ID+" "+s.Flow)
	http.Redirect(w, r, "/console/contacts/"+id+"#checkins", http.StatusSeeOther)
}

// Audit actions on check-in schedules.
const (
	AuditCheckinAdded  bot.AuditAction = "checkin.added"
	AuditCheckinPause  bot.AuditAction = "checkin.pause"
	AuditCheckinResume bot.AuditAction = "checkin.resume"
	AuditCheckinRemove bot.AuditAction = "checkin.remove"
)

// checkinChange pauses, resumes or removes one of the person's schedules.
func (c *Console) checkinChange(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	var s *bot.Schedule
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		s, err = tx.Schedule(r.PathValue("id"))
		return err
	})
	var action bot.AuditAction
	if err == nil {
		switch r.PostFormValue("action") {
		case "pause":
			action, err = AuditCheckinPause, c.cfg.Engine.PauseSchedule(r.Context(), s.ID, true)
		case "resume":
			action, err = AuditCheckinResume, c.cfg.Engine.PauseSchedule(r.Context(), s.ID, false)
		case "remove":
			action, err = AuditCheckinRemove, c.cfg.Engine.RemoveSchedule(r.Context(), s.ID)
		default:
			err = bot.Errorf(bot.EInvalid, "unknown action")
		}
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, action, s.ContactID, s.ID)
	http.Redirect(w, r, "/console/contacts/"+s.ContactID+"#checkins", http.StatusSeeOther)
}

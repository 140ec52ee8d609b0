package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// Form parsing and validation, apart from the handlers.

// referralStatuses are the statuses a link worker may set, in order.
var referralStatuses = []bot.ReferralStatus{bot.ReferralNew, bot.ReferralContacted, bot.ReferralAccepted,
	bot.ReferralDeclined, bot.ReferralActive, bot.ReferralClosed}

// referralFilter is the referral list's query: status, a need, and a day
// on or after which referrals were made. Zero fields match everything.
type referralFilter struct {
	Status bot.ReferralStatus
	Need   string
	Since  time.Time
	Err    string
}

func parseReferralFilter(q url.Values) referralFilter {
	var f referralFilter
	if s := bot.ReferralStatus(q.Get("status")); slices.Contains(referralStatuses, s) {
		f.Status = s
	}
	f.Need = strings.TrimSpace(q.Get("need"))
	if s := strings.TrimSpace(q.Get("since")); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			f.Err = "The date must be like 2026-11-27."
		} else {
			f.Since = d
		}
	}
	return f
}

func (f referralFilter) match(r *bot.Referral) bool {
	return (f.Status == "" || r.Status == f.Status) &&
		(f.Need == "" || slices.Contains(r.Needs, f.Need)) &&
		(f.Since.IsZero() || !r.CreatedAt.Before(f.Since))
}

// query is the filter as URL query parameters.
func (f referralFilter) query() url.Values {
	q := url.Values{}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	if f.Need != "" {
		q.Set("need", f.Need)
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.Format(time.DateOnly))
	}
	return q
}

// statusChange is the referral status form.
type statusChange struct {
	Status bot.ReferralStatus
	Note   string
}

// maxNote is the longest note, in bytes, the forms take.
const maxNote = 2000

func parseStatusChange(r *http.Request) (statusChange, error) {
	s := statusChange{Status: bot.ReferralStatus(r.PostFormValue("status")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	switch {
	case !slices.Contains(referralStatuses, s.Status):
		return s, bot.Errorf(bot.EInvalid, "choose a status")
	case len(s.Note) > maxNote:
		return s, bot.Errorf(bot.EInvalid, "the note is longer than %d characters", maxNote)
	}
	return s, nil
}

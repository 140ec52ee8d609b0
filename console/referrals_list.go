package console

import (
	"net/http"
	"slices"

	"github.com/linkline/linkline/bot"
)

// maxListed is how many referrals one page of the list shows.
const maxListed = 200

// referralsList shows referrals, newest first, filtered by status, need
// and date.
func (c *Console) referralsList(w http.ResponseWriter, r *http.Request) {
	c.renderReferrals(w, r, http.StatusOK, parseReferralFilter(r.URL.Query()), "", nil)
}

// renderReferrals shows the referrals that match f, with the export form
// holding reason and errs against the page's fields (the filter's own
// error, if any, too).
func (c *Console) renderReferrals(w http.ResponseWriter, r *http.Request, status int, f referralFilter, reason string, errs formErrors) {
	if f.Err != "" {
		errs = append(formErrors{{Field: "ref-since", Message: f.Err}}, errs...)
	}
	var refs []*bot.Referral
	more := false
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		refs, more, err = findReferrals(tx, f, maxListed)
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	// The needs people are offered, and the one filtered by if it is
	// another (a service's own flow), so the filter in force is shown.
	needs := knownNeeds()
	if f.Need != "" && !slices.Contains(needs, f.Need) {
		needs = append(needs, f.Need)
	}
	c.render(w, r, "referrals", status, map[string]any{"Title": "Referrals", "Page": "referrals",
		"Referrals": refs, "More": more, "Filter": f, "Statuses": referralStatuses, "Query": f.query().Encode(),
		"Reason": reason, "Errors": errs, "Needs": needs})
}

// findReferrals returns up to limit referrals that match f, newest first
// (limit 0: all), and whether there were more.
func findReferrals(tx bot.Tx, f referralFilter, limit int) ([]*bot.Referral, bool, error) {
	var out []*bot.Referral
	more := false
	fn := func(ref *bot.Referral) bool {
		if !f.Since.IsZero() && ref.CreatedAt.Before(f.Since) {
			return false // newest first: the rest are older still
		}
		if !f.match(ref) {
			return true
		}
		if limit > 0 && len(out) == limit {
			more = true
			return false
		}
		out = append(out, ref)
		return true
	}
	var err error
	if f.Need != "" {
		err = tx.ReferralsByNeed(f.Need, fn)
	} else if f.Status != "" {
		err = tx.ReferralsByStatus(f.Status, fn)
	} else {
		err = tx.Referrals(fn)
	}
	return out, more, err
}

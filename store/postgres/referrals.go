package postgres

import (
	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
)

// PutReferral creates (ID empty: one is assigned) or replaces a referral
// and keeps its search terms in step.
func (t *Tx) PutReferral(r *bot.Referral) error {
	if err := t.check(); err != nil {
		return err
	}
	if r.ID != "" {
		if err := checkID(r.ID, "referral"); err != nil {
			return err
		}
	}
	if err := text(string(r.Status), "referral status"); err != nil {
		return bot.Errorf(bot.EInvalid, "referral %s: %v", r.ID, err)
	}
	needs := make([]string, 0, len(r.Needs))
	for _, n := range r.Needs {
		if err := text(n, "need"); err != nil {
			return bot.Errorf(bot.EInvalid, "referral %s: a need holds a zero byte", r.ID)
		}
		if n != "" {
			needs = append(needs, n)
		}
	}
	if err := text(r.ContactID, "referral contact"); err != nil {
		return err
	}
	if r.ID == "" {
		n, err := t.nextID("referrals_seq")
		if err != nil {
			return err
		}
		r.ID = newID("r", n)
		t.onUndo(func() { r.ID = "" })
	} else if _, err := t.exec("DELETE FROM search_terms WHERE source_id = $1 AND contact_id = (SELECT contact_id FROM referrals WHERE id = $1)", r.ID); err != nil {
		return err
	}
	if err := t.putTerms(terms.Name(r.Name), r.ContactID, r.ID); err != nil {
		return err
	}
	data, err := encode(r)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO referrals (id, contact_id, status, needs, created_ns, data) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET contact_id = EXCLUDED.contact_id, status = EXCLUDED.status, needs = EXCLUDED.needs,
			created_ns = EXCLUDED.created_ns, data = EXCLUDED.data`,
		r.ID, r.ContactID, string(r.Status), needs, ns(r.CreatedAt), data)
	return err
}

// Referral returns the referral with the given id.
func (t *Tx) Referral(id string) (*bot.Referral, error) {
	r := new(bot.Referral)
	if err := t.get(r, "referral "+id, "SELECT data FROM referrals WHERE id = $1"+t.forUpdate(), id); err != nil {
		return nil, err
	}
	return r, nil
}

// referralsNewest pages referrals matching where ($1 its one argument, or
// unused) newest first: latest CreatedAt, then the last created.
func referralsNewest(where string, arg any) func(after []any) (string, []any) {
	const cols = "SELECT data, created_ns, length(id), id FROM referrals WHERE "
	const order = " ORDER BY created_ns DESC, length(id) DESC, id DESC LIMIT $2"
	return func(after []any) (string, []any) {
		if after == nil {
			return cols + where + order, []any{arg, pageSize}
		}
		return cols + where + " AND (created_ns, length(id), id) < ($3, $4, $5)" + order, []any{arg, pageSize, after[0], after[1], after[2]}
	}
}

// Referrals calls fn for every referral, newest first, until fn returns
// false.
func (t *Tx) Referrals(fn func(*bot.Referral) bool) error {
	return scan(t, "referral", 3, referralsNewest("$1::text IS NULL", nil), fn)
}

// ReferralsByStatus calls fn for the referrals with the given status,
// newest first, until fn returns false.
func (t *Tx) ReferralsByStatus(status bot.ReferralStatus, fn func(*bot.Referral) bool) error {
	return scan(t, "referral", 3, referralsNewest("status = $1", string(status)), fn)
}

// ReferralsByNeed calls fn for the referrals with need among their Needs,
// newest first, until fn returns false.
func (t *Tx) ReferralsByNeed(need string, fn func(*bot.Referral) bool) error {
	if need == "" || text(need, "need") != nil {
		return nil
	}
	return scan(t, "referral", 3, referralsNewest("needs @> ARRAY[$1::text]", need), fn)
}

package bolt

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
)

func refTimeKey(r *bot.Referral) []byte { return join(timeKey(r.CreatedAt), sortable(r.ID)) }

func refStatusPrefix(s bot.ReferralStatus) []byte { return append([]byte(s), 0) }

func refStatusKey(r *bot.Referral) []byte {
	return join(refStatusPrefix(r.Status), timeKey(r.CreatedAt), sortable(r.ID))
}

// PutReferral creates (ID empty: one is assigned) or replaces a referral
// and keeps the by-time, by-status, by-need and search indexes in step.
func (t *Tx) PutReferral(r *bot.Referral) error {
	if err := t.writable(); err != nil {
		return err
	}
	if r.ID == "" {
		n, err := t.nextID(bReferrals)
		if err != nil {
			return err
		}
		r.ID = newID("r", n)
		t.onUndo(func() { r.ID = "" })
	} else if err := checkID(r.ID, "referral"); err != nil {
		return err
	} else if data := t.b(bReferrals).Get([]byte(r.ID)); data != nil {
		var old bot.Referral
		if err := decodeRecord(data, &old); err != nil {
			return fmt.Errorf("store: decode referral %s: %w", r.ID, err)
		}
		if err := t.b(bRefTime).Delete(refTimeKey(&old)); err != nil {
			return err
		}
		if err := t.b(bRefStatus).Delete(refStatusKey(&old)); err != nil {
			return err
		}
		for _, k := range refNeedKeys(&old) {
			if err := t.b(bRefNeed).Delete(k); err != nil {
				return err
			}
		}
		if err := deleteTerms(t, terms.Name(old.Name), old.ContactID, old.ID); err != nil {
			return err
		}
	}
	if bytes.IndexByte([]byte(r.Status), 0) >= 0 {
		return bot.Errorf(bot.EInvalid, "referral %s: status holds a zero byte", r.ID)
	}
	for _, n := range r.Needs {
		if strings.IndexByte(n, 0) >= 0 {
			return bot.Errorf(bot.EInvalid, "referral %s: a need holds a zero byte", r.ID)
		}
	}
	for _, k := range refNeedKeys(r) {
		if err := t.b(bRefNeed).Put(k, nil); err != nil {
			return err
		}
	}
	if err := putTerms(t, terms.Name(r.Name), r.ContactID, r.ID); err != nil {
		return err
	}
	if err := t.b(bRefTime).Put(refTimeKey(r), nil); err != nil {
		return err
	}
	if err := t.b(bRefStatus).Put(refStatusKey(r), nil); err != nil {
		return err
	}
	return t.put(bReferrals, []byte(r.ID), r)
}

// Referral returns the referral with the given id.
func (t *Tx) Referral(id string) (*bot.Referral, error) {
	r := new(bot.Referral)
	if err := t.get(bReferrals, []byte(id), r, "referral "+id); err != nil {
		return nil, err
	}
	return r, nil
}

// Referrals calls fn for every referral, newest first (latest CreatedAt;
// among equal times, the last created), until fn returns false.
func (t *Tx) Referrals(fn func(*bot.Referral) bool) error {
	return t.scan(bRefTime, nil, true, func(k, _ []byte) (bool, error) {
		return t.callReferral(string(k[9:]), fn)
	})
}

// ReferralsByStatus calls fn for the referrals with the given status,
// newest first, until fn returns false. It reads only those referrals.
func (t *Tx) ReferralsByStatus(status bot.ReferralStatus, fn func(*bot.Referral) bool) error {
	prefix := refStatusPrefix(status)
	end := append([]byte(status), 1) // just past every key with prefix
	return t.scan(bRefStatus, end, true, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		return t.callReferral(string(k[len(prefix)+9:]), fn)
	})
}

func (t *Tx) callReferral(id string, fn func(*bot.Referral) bool) (bool, error) {
	r, err := t.Referral(id)
	if err != nil {
		return false, fmt.Errorf("store: referral index out of step: %w", err)
	}
	return fn(r), nil
}

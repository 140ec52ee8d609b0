package engine

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// createReferral makes a Referral (status new, method "Self referral") from
// the conversation's answers. It reads the answer keys the built-in
// self-referral flow saves: consent (and consent_note), name, dob, postcode, gp, carer,
// what_matters, needs, needs_other, contact_method, phone, contact_time. Free text
// is kept exactly as the person wrote it.
func (t *turn) createReferral() error {
	a := t.conv.Answers
	r := &bot.Referral{
		ContactID:       t.contact.ID,
		Status:          bot.ReferralNew,
		Method:          bot.ReferralMethodSelf,
		CreatedAt:       t.now,
		UpdatedAt:       t.now,
		Name:            a["name"],
		DateOfBirth:     isoDate(a["dob"]),
		Postcode:        a["postcode"],
		GPPractice:      a["gp"],
		Carer:           a["carer"],
		WhatMatters:     a["what_matters"],
		NeedsOther:      a["needs_other"],
		ContactMethod:   a["contact_method"],
		ContactTime:     a["contact_time"],
		Phone:           a["phone"],
		ConsentToRecord: a["consent"] == "yes",
		ConsentToShare:  a["consent"] == "yes" && a["consent_note"] == "",
		ConsentNote:     a["consent_note"],
		ReasonOwnWords:  a["what_matters"],
		Answers:         copyMap(a),
	}
	if a["needs"] != "" {
		r.Needs = strings.Split(a["needs"], ",")
	}
	if !slices.Contains(r.Needs, "other") {
		r.NeedsOther = "" // an answer from before the person changed their needs
	}
	// A person who starts again after sending their details (RESTART, or a
	// new conversation) and sends them again before a link worker has
	// looked corrects the referral they sent: the team gets one, not two.
	kind := bot.EventReferralCreated
	prev, err := t.unseenReferral(r)
	if err != nil {
		return err
	}
	if prev != nil {
		r.ID, r.CreatedAt, r.SupportOffered = prev.ID, prev.CreatedAt, prev.SupportOffered
		kind = bot.EventReferralUpdated
	}
	if err := t.tx.PutReferral(r); err != nil {
		return err
	}
	a[answerReferral] = r.ID
	return t.event(kind, map[string]string{"referral": r.ID})
}

// unseenReferral is the contact's newest self-referral that no link worker
// has moved on from new yet and that is the same person as r: the same
// name, or the same date of birth and first name (one of the rest
// corrected), or nil. Someone else referring themselves from the same phone
// (another name; a twin) makes a referral of their own (a review found
// Mary's details written over Jo's).
func (t *turn) unseenReferral(r *bot.Referral) (*bot.Referral, error) {
	var ids []string
	err := t.tx.ContactEvents(t.contact.ID, func(e *bot.Event) bool {
		if e.Kind == bot.EventReferralCreated && e.Data["referral"] != "" {
			ids = append(ids, e.Data["referral"])
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	for _, id := range slices.Backward(ids) {
		prev, err := t.tx.Referral(id)
		if errors.Is(err, bot.ErrNotFound) {
			continue // erased
		} else if err != nil {
			return nil, err
		}
		if prev.ContactID == t.contact.ID && prev.Status == bot.ReferralNew && prev.Method == bot.ReferralMethodSelf && samePerson(prev, r) {
			return prev, nil
		}
	}
	return nil, nil
}

// samePerson reports whether two referrals from one phone are one person's.
func samePerson(a, b *bot.Referral) bool {
	an, bn := strings.Fields(strings.ToLower(a.Name)), strings.Fields(strings.ToLower(b.Name))
	if slices.Equal(an, bn) && len(an) > 0 {
		return true
	}
	return a.DateOfBirth != "" && a.DateOfBirth == b.DateOfBirth && len(an) > 0 && len(bn) > 0 && an[0] == bn[0]
}

// answerReferral is the conversation answer that holds the id of the
// referral the conversation created. After it, the bot does not chase the
// person: what the flow asks next (the wellbeing baseline) is optional.
const answerReferral = "referral_id"

// isoDate turns the dd/mm/yyyy a date answer is saved as into yyyy-mm-dd.
func isoDate(s string) string {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		return s
	}
	return d.Format(time.DateOnly)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

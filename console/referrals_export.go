package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// AuditExport is the audit action of an export: one entry for each person
// whose records left the console, so that their audit trail shows it.
const AuditExport bot.AuditAction = "export"

// referralsExport downloads the filtered referrals as CSV. Admins may
// export; a link worker must give a reason, which the audit log keeps.
// It is a POST from the referrals page's form, so that another site cannot
// make a signed-in browser export (and record a reason it chose).
func (c *Console) referralsExport(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f, reason, ok := c.exportAllowed(w, r)
	if !ok {
		return
	}
	var refs []*bot.Referral
	reach := map[string][2]string{} // contact id: phone number, Telegram chat
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		if refs, _, err = findReferrals(tx, f, 0); err != nil {
			return err
		}
		for _, ref := range refs {
			if _, ok := reach[ref.ContactID]; ok {
				continue
			}
			ct, err := tx.Contact(ref.ContactID)
			if errors.Is(err, bot.ErrNotFound) {
				continue
			} else if err != nil {
				return fmt.Errorf("contact %s of referral %s: %w", ref.ContactID, ref.ID, err)
			}
			reach[ref.ContactID] = [2]string{ct.PhoneNumber(), telegramChat(ct)}
		}
		return nil
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.auditExport(r.Context(), u, "csv", refs, f, reason); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="referrals-%s.csv"`, c.cfg.Clock.Now().Format("2006-01-02")))
	cw := bot.NewCSVWriter(w)
	cw.Write("id", "contact_id", "status", "method", "created_at", "updated_at", "name", "date_of_birth", "postcode",
		"gp_practice", "carer", "what_matters", "needs", "needs_other", "contact_method", "contact_time",
		"consent_to_record", "consent_to_share", "phone", "telegram", "consent_note")
	for _, ref := range refs {
		// The number to call: the one they gave (from Telegram), else the
		// one they text from.
		phone, chat := ref.Phone, reach[ref.ContactID][1]
		if phone == "" {
			phone = reach[ref.ContactID][0]
		}
		cw.Write(ref.ID, ref.ContactID, string(ref.Status), ref.Method, ref.CreatedAt.UTC().Format(time.RFC3339),
			ref.UpdatedAt.UTC().Format(time.RFC3339), ref.Name, ref.DateOfBirth, ref.Postcode, ref.GPPractice, ref.Carer,
			ref.WhatMatters, strings.Join(ref.Needs, ";"), ref.NeedsOther, ref.ContactMethod, ref.ContactTime,
			fmt.Sprint(ref.ConsentToRecord), fmt.Sprint(ref.ConsentToShare), phone, chat, ref.ConsentNote)
	}
	if err := cw.Flush(); err != nil {
		c.cfg.Log.Error("write referrals csv", "err", err)
	}
}

// exportAllowed reads an export's filter and reason from the POSTed
// form. Admins may export; a link worker must give a reason, which the
// audit log keeps. On false the refusal has been written.
func (c *Console) exportAllowed(w http.ResponseWriter, r *http.Request) (referralFilter, string, bool) {
	u := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "the export form could not be read"))
		return referralFilter{}, "", false
	}
	f := parseReferralFilter(r.PostForm)
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	// A refusal goes back to the referrals page, the filter and the reason
	// kept, the problem at the reason box.
	var errs formErrors
	switch {
	case !u.Admin && reason == "":
		errs.add("export-reason", "say why you need the export: it is recorded")
	case len(reason) > maxNote:
		errs.add("export-reason", fmt.Sprintf("the reason is longer than %d characters", maxNote))
	}
	if errs != nil {
		c.renderReferrals(w, r, http.StatusBadRequest, f, reason, errs)
		return f, "", false
	}
	return f, reason, true
}

// auditExport records an export before anything is sent, one entry per
// person exported (with their referral ids), or one naming no one for an
// empty export. If it cannot be recorded the export must not happen.
func (c *Console) auditExport(ctx context.Context, u *bot.User, format string, refs []*bot.Referral, f referralFilter, reason string) error {
	var people []string
	ids := map[string][]string{}
	for _, ref := range refs {
		if _, ok := ids[ref.ContactID]; !ok {
			people = append(people, ref.ContactID)
		}
		ids[ref.ContactID] = append(ids[ref.ContactID], ref.ID)
	}
	summary := fmt.Sprintf("referrals %s, %d records of %d people; filter %q; reason %q", format, len(refs), len(people), f.query().Encode(), reason)
	now := c.cfg.Clock.Now()
	err := c.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if len(people) == 0 {
			return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditExport, Detail: summary})
		}
		for _, id := range people {
			if err := tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditExport, ContactID: id,
				Detail: "referral " + strings.Join(ids[id], " ") + " in " + summary}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	return nil
}

// telegramChat is the person's Telegram chat id, or "".
func telegramChat(ct *bot.Contact) string {
	for _, a := range ct.Addresses {
		if a.Channel == bot.Telegram {
			return a.ID
		}
	}
	return ""
}

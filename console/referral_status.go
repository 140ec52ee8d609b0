package console

import (
	"net/http"

	"github.com/linkline/linkline/bot"
)

// EventReferralStatus (bot.EventReferralStatus) is the event a status
// change records; its data has the old and new status, who changed it and
// their note.
const EventReferralStatus = bot.EventReferralStatus

// referralStatus moves a referral to another status with an optional
// note, recorded in the person's timeline and the audit log.
func (c *Console) referralStatus(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	change, err := parseStatusChange(r)
	if bot.ErrorCode(err) == bot.EInvalid {
		// Back to the person's page, the note kept, the problem at it.
		var ref *bot.Referral
		if verr := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
			var err error
			ref, err = tx.Referral(r.PathValue("id"))
			return err
		}); verr != nil {
			c.fail(w, r, verr)
			return
		}
		var errs formErrors
		errs.addErr("status-note-"+ref.ID, err)
		c.renderConversation(w, r, ref.ContactID, http.StatusBadRequest, map[string]any{"Errors": errs,
			"StatusNote": change.Note})
		return
	}
	var ref *bot.Referral
	err = c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		ref, err = tx.Referral(r.PathValue("id"))
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	contactID := ref.ContactID
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		// The person's lock first, then the referral read again under it.
		if err := bot.LockPerson(tx, contactID); err != nil {
			return err
		}
		var err error
		if ref, err = tx.Referral(r.PathValue("id")); err != nil {
			return err
		}
		now, old := c.cfg.Clock.Now(), ref.Status
		if old == change.Status && change.Note == "" {
			return nil
		}
		ref.Status, ref.UpdatedAt = change.Status, now
		if err := tx.PutReferral(ref); err != nil {
			return err
		}
		data := map[string]string{"referral": ref.ID, "from": string(old), "to": string(change.Status), "by": u.ID}
		if change.Note != "" {
			data["note"] = change.Note
		}
		if err := tx.AddEvent(&bot.Event{At: now, Kind: EventReferralStatus, ContactID: ref.ContactID, Data: data}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditReferralStatus, ContactID: ref.ContactID,
			Detail: ref.ID + " " + string(old) + "→" + string(change.Status)})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/contacts/"+ref.ContactID+"#referrals", http.StatusSeeOther)
}

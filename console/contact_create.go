package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// EventContactCreated records that a link worker added a person, with the
// consent they recorded.
const EventContactCreated bot.EventKind = "contact.created"

// newContact is the form that adds a person a link worker has met.
type newContact struct {
	Name, Phone, First string
	Consent            bool
}

func parseNewContact(r *http.Request) (newContact, error) {
	f := newContact{Name: strings.TrimSpace(r.PostFormValue("name")), First: strings.TrimSpace(r.PostFormValue("first")),
		Consent: r.PostFormValue("consent") == "yes"}
	phone, err := flows.ParsePhone(r.PostFormValue("phone"))
	switch {
	case f.Name == "" || len(f.Name) > 200:
		return f, bot.Errorf(bot.EInvalid, "give their name (up to 200 characters)")
	case err != nil:
		return f, bot.Errorf(bot.EInvalid, "that is not a phone number we can text")
	case !f.Consent:
		return f, bot.Errorf(bot.EInvalid, "record that they agreed to be contacted by text before adding them")
	case len(f.First) > maxReply:
		return f, bot.Errorf(bot.EInvalid, "the first message is longer than %d characters", maxReply)
	}
	f.Phone = phone
	return f, nil
}

// contactCreate adds a person with their mobile number and the consent
// the link worker recorded, and, if a first message is given, takes the
// conversation over and sends it by SMS.
func (c *Console) contactCreate(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f, err := parseNewContact(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	ct := &bot.Contact{Name: f.Name, Addresses: []bot.Address{{Channel: bot.SMS, ID: f.Phone}}}
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if other, err := tx.ContactByAddress(ct.Addresses[0]); err == nil {
			return bot.Errorf(bot.EConflict, "that number already belongs to %s (contact %s)", displayName(other), other.ID)
		} else if !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		now := c.cfg.Clock.Now()
		ct.CreatedAt = now
		if err := tx.PutContact(ct); err != nil {
			return err
		}
		if err := tx.AddEvent(&bot.Event{At: now, Kind: EventContactCreated, ContactID: ct.ID,
			Data: map[string]string{"by": u.ID, "consent": "sms"}}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: "contact.created", ContactID: ct.ID})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if f.First != "" {
		if _, err = c.cfg.Engine.TakeOver(r.Context(), ct.ID, u.ID); err == nil {
			err = c.cfg.Engine.Reply(r.Context(), ct.ID, u.ID, f.First)
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		c.audit(r.Context(), u, bot.AuditReply, ct.ID, "first message")
	}
	http.Redirect(w, r, "/console/contacts/"+ct.ID, http.StatusSeeOther)
}

package console

import (
	"errors"
	"fmt"
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

// parseNewContact reads the form, with a problem for each field that is
// wrong (Phone is as typed until it parses).
func parseNewContact(r *http.Request) (newContact, formErrors) {
	f := newContact{Name: strings.TrimSpace(r.PostFormValue("name")), First: strings.TrimSpace(r.PostFormValue("first")),
		Consent: r.PostFormValue("consent") == "yes", Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	var errs formErrors
	if f.Name == "" || len(f.Name) > 200 {
		errs.add("new-name", "give their name (up to 200 characters)")
	}
	if phone, err := flows.ParsePhone(f.Phone); err != nil {
		errs.add("new-phone", "enter a UK mobile number we can text, like 07700 900123")
	} else if errs == nil {
		f.Phone = phone
	}
	if !f.Consent {
		errs.add("new-consent", "record that they agreed to be contacted by text before adding them")
	}
	if len(f.First) > maxReply {
		errs.add("new-first", fmt.Sprintf("the first message is longer than %d characters: make it shorter", maxReply))
	}
	return f, errs
}

// againNewContact shows the contacts page with the form to add someone
// as it was sent, and its problems.
func (c *Console) againNewContact(w http.ResponseWriter, r *http.Request, status int, f newContact, errs formErrors) {
	c.render(w, r, "contacts", status, map[string]any{"Title": "Contacts", "Page": "contacts", "New": f, "Errors": errs})
}

// contactCreate adds a person with their mobile number and the consent
// the link worker recorded, and, if a first message is given, takes the
// conversation over and sends it by SMS.
func (c *Console) contactCreate(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f, errs := parseNewContact(r)
	if errs != nil {
		c.againNewContact(w, r, http.StatusBadRequest, f, errs)
		return
	}
	ct := &bot.Contact{Name: f.Name, Addresses: []bot.Address{{Channel: bot.SMS, ID: f.Phone}}}
	var taken *bot.Contact
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if other, err := tx.ContactByAddress(ct.Addresses[0]); err == nil {
			taken = other
			return bot.Errorf(bot.EConflict, "that number already belongs to %s", displayName(other))
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
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditContactCreated, ContactID: ct.ID})
	})
	if taken != nil {
		errs.addErr("new-phone", err)
		c.againNewContact(w, r, http.StatusConflict, f, errs)
		return
	}
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

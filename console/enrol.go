package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkline/linkline/bot"
)

// enrolShow shows the form that creates a contact for someone a link
// worker has met, with a one-use link that ties their first chat to them.
func (c *Console) enrolShow(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "enrol", http.StatusOK, map[string]any{"Title": "Enrol someone", "Page": "enrol"})
}

// enrolCreate creates the contact and the link, with the consent the link
// worker recorded, then redirects to the page that shows the link:
// reloading that page shows it again instead of enrolling the person twice.
// Without recorded consent nothing is created.
func (c *Console) enrolCreate(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	name := strings.TrimSpace(r.PostFormValue("name"))
	var errs formErrors
	if len(name) > 200 {
		errs.add("enrol-name", "the name is longer than 200 characters")
	}
	if r.PostFormValue("consent") != "yes" {
		errs.add("enrol-consent", "record that they agreed to be contacted on Telegram before enrolling them")
	}
	if errs != nil {
		c.render(w, r, "enrol", http.StatusBadRequest, map[string]any{"Title": "Enrol someone", "Page": "enrol",
			"Errors": errs, "Name": name})
		return
	}
	en, ct, err := c.cfg.Engine.CreateEnrolment(r.Context(), name, u.ID, 0)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	// The consent is recorded as adding a contact for SMS records it. It
	// cannot share CreateEnrolment's transaction; if it fails, the link is
	// never shown, so the enrolment cannot be used.
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		return tx.AddEvent(&bot.Event{At: c.cfg.Clock.Now(), Kind: EventContactCreated, ContactID: ct.ID,
			Data: map[string]string{"by": u.ID, "consent": "telegram"}})
	})
	if err != nil {
		c.fail(w, r, fmt.Errorf("record consent for contact %s: %w", ct.ID, err))
		return
	}
	c.audit(r.Context(), u, bot.AuditEnrolCreated, ct.ID, "")
	http.Redirect(w, r, "/console/enrol/"+url.PathEscape(en.Token), http.StatusSeeOther)
}

// enrolLink shows an enrolment's link to the link worker who made it.
// Anyone else is told there is no such record: the link is a key to the
// person's record until it is used.
func (c *Console) enrolLink(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	var en *bot.Enrolment
	var ct *bot.Contact
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		if en, err = tx.Enrolment(r.PathValue("token")); err != nil {
			return err
		}
		if en.CreatedBy != u.ID {
			return bot.Errorf(bot.ENotFound, "no such enrolment")
		}
		ct, err = tx.Contact(en.ContactID)
		return err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	link := ""
	if c.cfg.TelegramBot != "" {
		link = "https://t.me/" + url.PathEscape(strings.TrimPrefix(c.cfg.TelegramBot, "@")) + "?start=" + en.Token
	}
	c.render(w, r, "enrol", http.StatusOK, map[string]any{"Title": "Enrol someone", "Page": "enrol",
		"Enrolment": en, "Contact": ct, "Link": link})
}

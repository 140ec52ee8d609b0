package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
)

// EventNote (bot.EventNote) is a link worker's private note on a person's
// record; its data has the note and who wrote it. The person never sees it.
const EventNote = bot.EventNote

// noteAdd adds a private note to a person's record.
func (c *Console) noteAdd(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	note := strings.TrimSpace(r.PostFormValue("note"))
	var errs formErrors
	switch {
	case note == "":
		errs.add("note", "write the note")
	case len(note) > maxNote:
		errs.add("note", fmt.Sprintf("the note is longer than %d characters: make it shorter", maxNote))
	}
	if errs != nil {
		c.renderConversation(w, r, id, http.StatusBadRequest, map[string]any{"Errors": errs, "NoteText": note})
		return
	}
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		// Under the person's lock, an erasure cannot remove them between
		// the check and the note.
		if err := bot.LockPerson(tx, id); err != nil {
			return err
		}
		if _, err := tx.Contact(id); err != nil {
			return err
		}
		now := c.cfg.Clock.Now()
		if err := tx.AddEvent(&bot.Event{At: now, Kind: EventNote, ContactID: id, Data: map[string]string{"note": note, "by": u.ID}}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: bot.AuditNote, ContactID: id})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/contacts/"+id+"#notes", http.StatusSeeOther)
}

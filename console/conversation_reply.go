package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
)

// maxReply is the longest reply the form takes, in bytes.
const maxReply = 4000

// notConnected is what a link worker is told when they write to someone
// who has no address yet: enrolled, but they have not pressed their link.
const notConnected = "This person has not connected yet: nothing can be sent to them until they open the link they were given."

// conversationReply sends a link worker's reply over the person's own
// channel. If no handoff holds the conversation, the link worker takes it
// over first, so the bot stops answering.
func (c *Console) conversationReply(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" {
		// Without JavaScript, picking a canned reply and sending an empty
		// box sends the canned reply.
		if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
			var err error
			text, err = pickCanned(tx, r.PostFormValue("canned"))
			return err
		}); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	// A reply that cannot be sent comes back in the box with the reason,
	// refused before anything is taken over: a blank reply must not pause
	// the bot for the person.
	again := func(msg string) {
		var errs formErrors
		errs.add("reply-text", msg)
		c.renderConversation(w, r, id, http.StatusBadRequest, map[string]any{"Errors": errs, "ReplyText": text})
	}
	switch {
	case text == "":
		again("write a reply, or choose a canned reply")
		return
	case len(text) > maxReply:
		again(fmt.Sprintf("the reply is longer than %d characters: make it shorter", maxReply))
		return
	}
	err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		ct, err := tx.Contact(id)
		if err != nil {
			return err
		}
		if len(ct.Addresses) == 0 {
			return bot.Errorf(bot.EInvalid, "%s", notConnected)
		}
		_, err = tx.ActiveHandoff(id)
		return err
	})
	if errors.Is(err, bot.ErrNotFound) {
		if _, err = c.cfg.Engine.TakeOver(r.Context(), id, u.ID); err == nil {
			c.audit(r.Context(), u, bot.AuditTakeOver, id, "")
		}
	}
	if err == nil {
		err = c.cfg.Engine.Reply(r.Context(), id, u.ID, text)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r.Context(), u, bot.AuditReply, id, "")
	http.Redirect(w, r, "/console/contacts/"+id+"#reply", http.StatusSeeOther)
}

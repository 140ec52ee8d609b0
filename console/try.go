package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/engine"
)

// Sandbox is a second engine, on a store of its own, in which link workers
// try the bot: nothing said there reaches a person or alerts the team.
type Sandbox struct {
	Engine *engine.Engine
	Store  bot.Store
	// Flows are the flows a link worker may start from the page's picker,
	// the engine's start flow first: "Start again" with no flow chosen
	// starts the first.
	Flows []SandboxFlow
}

// SandboxFlow is one flow the sandbox's picker offers.
type SandboxFlow struct {
	ID, Title string
}

// tryAddress is the sandbox chat of user u.
func tryAddress(u *bot.User) bot.Address {
	return bot.Address{Channel: bot.Sim, ID: "try-" + u.ID}
}

// tryShow shows the signed-in user's sandbox chat with the bot, exactly
// the words a person would read on SMS.
func (c *Console) tryShow(w http.ResponseWriter, r *http.Request) {
	c.renderTry(w, r, http.StatusOK, "", nil)
}

// renderTry shows the sandbox chat, the message box holding text and
// errs against it.
func (c *Console) renderTry(w http.ResponseWriter, r *http.Request, status int, text string, errs formErrors) {
	data := map[string]any{"Title": "Try the bot", "Page": "try", "Text": text, "Errors": errs}
	if sb := c.cfg.Sandbox; sb != nil {
		var lines []*bot.Message
		err := sb.Store.View(r.Context(), func(tx bot.Tx) error {
			ct, err := tx.ContactByAddress(tryAddress(userFrom(r.Context())))
			if errors.Is(err, bot.ErrNotFound) {
				return nil
			} else if err != nil {
				return err
			}
			return tx.Messages(ct.ID, func(m *bot.Message) bool { lines = append(lines, m); return true })
		})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		data["Lines"], data["On"], data["Flows"] = lines, true, sb.Flows
	}
	c.render(w, r, "try", status, data)
}

// trySend sends the user's message to the sandbox bot. RESTART first ends
// a handoff the practice chat opened, which no one else would resolve.
func (c *Console) trySend(w http.ResponseWriter, r *http.Request) {
	sb := c.cfg.Sandbox
	if sb == nil {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "the simulator is not set up on this server"))
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" || len(text) > maxReply {
		c.renderTry(w, r, http.StatusBadRequest, text, formErrors{{Field: "try-text",
			Message: sentence(fmt.Sprintf("write a message of up to %d characters", maxReply))}})
		return
	}
	u := userFrom(r.Context())
	var err error
	if strings.EqualFold(text, restartWord) {
		err = c.tryRestart(r.Context(), sb, u)
	} else {
		err = sb.Engine.Handle(r.Context(), c.tryInbound(u, text))
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/try#end", http.StatusSeeOther)
}

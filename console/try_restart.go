package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/linkline/linkline/bot"
)

// restartWord is the keyword that starts a conversation again.
const restartWord = "RESTART"

// sandboxOutcome is the outcome recorded when the sandbox ends a practice
// handoff so that the chat can start again.
const sandboxOutcome = "Practice chat started again"

// tryInbound is a message from user u in the sandbox chat.
func (c *Console) tryInbound(u *bot.User, text string) bot.Inbound {
	return bot.Inbound{Address: tryAddress(u), Text: text, ReceivedAt: c.cfg.Clock.Now(),
		ProviderID: "try-" + strconv.FormatUint(c.trySeq.Add(1), 10) + "-" + c.cfg.Clock.Now().Format("20060102T150405.000000000")}
}

// sandboxState is what the sandbox holds for one user's practice chat.
type sandboxState struct {
	contact *bot.Contact // nil before the first message
	conv    *bot.Conversation
	handoff *bot.Handoff // the active one, if any
}

func sandboxRead(ctx context.Context, sb *Sandbox, u *bot.User) (sandboxState, error) {
	var st sandboxState
	err := sb.Store.View(ctx, func(tx bot.Tx) error {
		ct, err := tx.ContactByAddress(tryAddress(u))
		if errors.Is(err, bot.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		st.contact = ct
		if st.conv, err = tx.Conversation(ct.ID); err != nil && !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		if st.handoff, err = tx.ActiveHandoff(ct.ID); err != nil && !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		return nil
	})
	return st, err
}

// endPractice ends the practice chat's handoff and conversation, as a link
// worker resolving it would: in the sandbox nobody else ever will, and
// until then the bot answers nothing.
func endPractice(ctx context.Context, sb *Sandbox, u *bot.User, contactID string) error {
	h, err := sb.Engine.TakeOver(ctx, contactID, u.ID)
	if err != nil {
		return err
	}
	return sb.Engine.Resolve(ctx, h.ID, u.ID, sandboxOutcome, false)
}

// tryRestart answers RESTART typed in the sandbox: a handoff the practice
// chat opened (HUMAN, a risk phrase) is ended first, so that the flow
// starts again instead of the message waiting for a link worker forever.
func (c *Console) tryRestart(ctx context.Context, sb *Sandbox, u *bot.User) error {
	st, err := sandboxRead(ctx, sb, u)
	if err != nil {
		return err
	}
	if st.contact == nil || st.conv == nil {
		// Nothing to restart: start the first flow.
		return c.tryStartFlow(ctx, sb, u, "")
	}
	if st.handoff != nil {
		if err := endPractice(ctx, sb, u, st.contact.ID); err != nil {
			return err
		}
	}
	return sb.Engine.Handle(ctx, c.tryInbound(u, restartWord))
}

// tryStartFlow ends whatever the practice chat is doing and starts flowID
// from the beginning; "" is the picker's first flow, or without a picker
// the chat's own flow.
func (c *Console) tryStartFlow(ctx context.Context, sb *Sandbox, u *bot.User, flowID string) error {
	st, err := sandboxRead(ctx, sb, u)
	if err != nil {
		return err
	}
	switch {
	case flowID != "":
	case len(sb.Flows) > 0:
		flowID = sb.Flows[0].ID
	case st.conv != nil:
		flowID = st.conv.FlowID
	default:
		return bot.Errorf(bot.EInvalid, "no flows are set up for the simulator: say hello to start")
	}
	if st.contact == nil {
		st.contact = &bot.Contact{Addresses: []bot.Address{tryAddress(u)}, CreatedAt: c.cfg.Clock.Now()}
		if err := sb.Store.Update(ctx, func(tx bot.Tx) error { return tx.PutContact(st.contact) }); err != nil {
			return err
		}
	}
	if st.contact.OptedOut {
		// They practised STOP: START is what a person would send.
		if err := sb.Engine.Handle(ctx, c.tryInbound(u, "START")); err != nil {
			return err
		}
	}
	if st.handoff != nil || (st.conv != nil && st.conv.Status == bot.ConvActive) {
		if err := endPractice(ctx, sb, u, st.contact.ID); err != nil {
			return err
		}
	}
	started, err := sb.Engine.StartFlow(ctx, st.contact.ID, flowID)
	if err == nil && !started {
		err = bot.Errorf(bot.EConflict, "the practice chat could not start %s: try again", flowID)
	}
	return err
}

// tryStart is the "Start again" button: it starts the chosen flow afresh,
// whatever state the practice chat was left in.
func (c *Console) tryStart(w http.ResponseWriter, r *http.Request) {
	sb := c.cfg.Sandbox
	if sb == nil {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "the simulator is not set up on this server"))
		return
	}
	flowID := r.PostFormValue("flow")
	if flowID != "" && !sandboxOffers(sb, flowID) {
		c.fail(w, r, bot.Errorf(bot.EInvalid, "pick one of the flows listed"))
		return
	}
	if err := c.tryStartFlow(r.Context(), sb, userFrom(r.Context()), flowID); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/try#end", http.StatusSeeOther)
}

func sandboxOffers(sb *Sandbox, flowID string) bool {
	for _, f := range sb.Flows {
		if f.ID == flowID {
			return true
		}
	}
	return false
}

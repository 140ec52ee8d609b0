package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/linkline/linkline/bot"
)

// signpostLimit is how many services one offer gives.
const signpostLimit = 3

// signpostAfterReferral is the {do: signpost} action: it offers services
// for the referral this conversation created, quietly doing nothing when
// there are none (the person was not promised any).
func (t *turn) signpostAfterReferral() error {
	if t.e.cfg.Signpost == nil || t.conv == nil || t.conv.Answers[answerReferral] == "" {
		return nil
	}
	r, err := t.tx.Referral(t.conv.Answers[answerReferral])
	if err != nil {
		return err
	}
	_, err = t.offerServices(r, false, "signpost.intro")
	return err
}

// signpostKeyword answers MORE or LOCAL. It reports false, and does
// nothing, for a person with no referral (so the word is read as an answer
// to the flow instead).
func (t *turn) signpostKeyword(kind string) (bool, error) {
	if t.e.cfg.Signpost == nil {
		return false, nil
	}
	r, err := t.latestReferral()
	if err != nil || r == nil {
		return false, err
	}
	more := kind == "more" && len(r.SupportOffered) > 0
	intro := "signpost.intro"
	if more {
		intro = "signpost.more"
	}
	n, err := t.offerServices(r, more, intro)
	if err != nil || n > 0 {
		return true, err
	}
	return true, t.say("signpost.none", nil)
}

// latestReferral is the contact's newest referral, or nil.
func (t *turn) latestReferral() (*bot.Referral, error) {
	if t.conv != nil && t.conv.Answers[answerReferral] != "" {
		r, err := t.tx.Referral(t.conv.Answers[answerReferral])
		if err == nil && r.ContactID == t.contact.ID {
			return r, nil
		} else if err != nil && !errors.Is(err, bot.ErrNotFound) {
			return nil, err
		}
	}
	var found *bot.Referral
	err := t.tx.Referrals(func(r *bot.Referral) bool {
		if r.ContactID == t.contact.ID {
			found = r
			return false
		}
		return true
	})
	return found, err
}

// offerServices sends intro and then up to three services' messages for
// r's postcode and needs (after those already offered, when more), and
// records them on r. It returns how many it offered.
func (t *turn) offerServices(r *bot.Referral, more bool, intro string) (int, error) {
	if t.risk || t.contact.OptedOut || r.Postcode == "" {
		return 0, nil
	}
	if _, err := t.tx.ActiveHandoff(t.contact.ID); err == nil {
		return 0, nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return 0, err
	}
	var skip []string
	if more {
		for _, o := range r.SupportOffered {
			skip = append(skip, o.ServiceID)
		}
	}
	offers, err := t.e.cfg.Signpost.Signpost(t.ctx, t.tx, bot.SignpostQuery{Postcode: r.Postcode, Needs: r.Needs, Skip: skip, Limit: signpostLimit})
	if err != nil {
		return 0, fmt.Errorf("signpost: %w", err)
	}
	if len(offers) == 0 {
		return 0, nil
	}
	if err := t.say(intro, nil); err != nil {
		return 0, err
	}
	for _, o := range offers {
		if err := t.queue(&bot.Outbound{Text: o.Text}); err != nil {
			return 0, err
		}
	}
	return len(offers), t.recordOffered(r, offers, bot.AuthorBot)
}

// recordOffered adds offers to r's support offered and records an event.
func (t *turn) recordOffered(r *bot.Referral, offers []bot.SignpostOffer, by string) error {
	ids := make([]string, 0, len(offers))
	for _, o := range offers {
		ids = append(ids, o.ServiceID)
		if r != nil {
			r.SupportOffered = append(r.SupportOffered, bot.SupportOffered{At: t.now, ServiceID: o.ServiceID, Name: o.Name,
				Feed: o.Feed, By: by, DistanceKm: o.DistanceKm})
		}
	}
	data := map[string]string{"services": strings.Join(ids, ","), "by": by}
	if r != nil {
		r.UpdatedAt = t.now
		if err := t.tx.PutReferral(r); err != nil {
			return err
		}
		data["referral"] = r.ID
	}
	return t.event(bot.EventSignposted, data)
}

// SendService sends a directory service's details to a person over their
// channel, as worker's message, and records it on their newest referral
// (if they have one) and in their timeline. It works whether or not a
// handoff is open; a person who opted out is not sent anything.
func (e *Engine) SendService(ctx context.Context, contactID, worker, serviceID string) error {
	if e.cfg.Signpost == nil {
		return bot.Errorf(bot.EInvalid, "no service directory is set up")
	}
	return e.onContact(ctx, contactID, func(t *turn) error {
		if t.contact.OptedOut {
			return bot.Errorf(bot.EConflict, "this person has opted out of messages")
		}
		if t.contact.Primary() == (bot.Address{}) {
			return bot.Errorf(bot.EInvalid, "this person has not connected on any channel yet")
		}
		r, err := t.latestReferral()
		if err != nil {
			return err
		}
		postcode := ""
		if r != nil {
			postcode = r.Postcode
		}
		o, err := e.cfg.Signpost.Offer(ctx, t.tx, serviceID, postcode)
		if errors.Is(err, bot.ErrNotFound) {
			return bot.Errorf(bot.ENotFound, "no such service in the directory")
		} else if err != nil {
			return err
		}
		t.author = "worker:" + worker
		if err := t.queue(&bot.Outbound{Text: o.Text}); err != nil {
			return err
		}
		return t.recordOffered(r, []bot.SignpostOffer{o}, worker)
	})
}

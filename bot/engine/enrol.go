package engine

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// DefaultEnrolmentTTL is how long an enrolment link works.
const DefaultEnrolmentTTL = 14 * 24 * time.Hour

// CreateEnrolment creates a contact a link worker has met (a carer, say)
// and a single-use token that ties the first chat to redeem it to that
// contact. Telegram shows it as https://t.me/<bot>?start=<token>. ttl 0
// means DefaultEnrolmentTTL.
func (e *Engine) CreateEnrolment(ctx context.Context, name, createdBy string, ttl time.Duration) (*bot.Enrolment, *bot.Contact, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil, bot.Errorf(bot.EInvalid, "a name is needed to enrol someone")
	}
	if ttl <= 0 {
		ttl = DefaultEnrolmentTTL
	}
	b := make([]byte, 16)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b) // 22 characters of [A-Za-z0-9_-]: a valid Telegram start payload
	var en *bot.Enrolment
	var c *bot.Contact
	err := e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		now := e.cfg.Clock.Now()
		c = &bot.Contact{Name: name, Locale: e.cfg.Locale, CreatedAt: now}
		if err := tx.PutContact(c); err != nil {
			return err
		}
		en = &bot.Enrolment{Token: token, ContactID: c.ID, CreatedBy: createdBy, CreatedAt: now, Expires: now.Add(ttl)}
		if err := tx.PutEnrolment(en); err != nil {
			return err
		}
		return tx.AddEvent(&bot.Event{At: now, Kind: bot.EventEnrolCreated, ContactID: c.ID, Data: map[string]string{"by": createdBy}})
	})
	if err != nil {
		return nil, nil, err
	}
	return en, c, nil
}

// Enrol redeems token for the chat in came from, then welcomes the person.
// It is idempotent for a retried message (same ProviderID) and for the same
// chat pressing the link again. A token that does not exist is ENotFound;
// one that expired is EInvalid; one already used by another chat, or a chat
// that already belongs to another contact, is EConflict. On those errors
// nothing is written and the caller may handle in as an ordinary message.
func (e *Engine) Enrol(ctx context.Context, token string, in bot.Inbound) error {
	if err := validInbound(&in); err != nil {
		return err
	}
	defer e.lock(in.Address.String())()
	var t *turn
	err := e.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		if err := bot.LockAddress(tx, in.Address); err != nil {
			return err
		}
		t = &turn{e: e, tx: tx, ctx: ctx, now: e.cfg.Clock.Now()}
		en, err := tx.Enrolment(token)
		if err != nil {
			return err
		}
		if err := bot.LockPerson(tx, en.ContactID); err != nil {
			return err
		}
		switch {
		case !en.UsedAt.IsZero() && en.UsedBy != in.Address:
			return bot.Errorf(bot.EConflict, "this enrolment link has already been used")
		case en.UsedAt.IsZero() && t.now.After(en.Expires):
			return bot.Errorf(bot.EInvalid, "this enrolment link has expired")
		}
		c, err := tx.Contact(en.ContactID)
		if err != nil {
			return err
		}
		t.contact = c
		if dup, err := t.seen(&in); dup || err != nil {
			return err
		}
		if other, err := tx.ContactByAddress(in.Address); err == nil && other.ID != c.ID {
			return bot.Errorf(bot.EConflict, "this chat already belongs to another contact")
		} else if err != nil && !errors.Is(err, bot.ErrNotFound) {
			return err
		}
		if !slices.Contains(c.Addresses, in.Address) {
			c.Addresses = append([]bot.Address{in.Address}, c.Addresses...)
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		if err := tx.AppendMessage(&bot.Message{ContactID: c.ID, Direction: bot.In, Author: bot.AuthorPerson, Address: in.Address,
			Text: in.Text, At: in.ReceivedAt, ProviderID: in.ProviderID}); err != nil {
			return err
		}
		if !en.UsedAt.IsZero() {
			return nil // the same chat pressed the link again
		}
		en.UsedAt, en.UsedBy = t.now, in.Address
		if err := tx.PutEnrolment(en); err != nil {
			return err
		}
		if err := t.event(bot.EventEnrolled, map[string]string{"channel": string(in.Address.Channel)}); err != nil {
			return err
		}
		return t.say("enrol.welcome.html", nil)
	})
	if err != nil {
		return err
	}
	e.afterCommit(ctx, t)
	return nil
}

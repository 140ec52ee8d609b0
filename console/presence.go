package console

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/linkline/linkline/bot"
)

// Who is viewing a person's page ("Also viewing: Sam") is kept in the
// store, so that it holds across several console instances on one
// PostgreSQL database: one setting per person lists the open pages, each
// with the worker's name and a time it expires. A page's live-update
// stream writes its entry when it starts and again every presenceBeat,
// and removes it when it ends; an instance that dies leaves entries that
// expire after presenceTTL. Writes take the person's presence lock, so
// two instances never lose each other's entries.
const (
	presenceBeat = 20 * time.Second
	presenceTTL  = 60 * time.Second
	// maxViewers bounds one person's list (each page of theirs open).
	maxViewers = 50
)

// presenceKey is the setting that lists who has contactID's page open.
func presenceKey(contactID string) string { return "console.presence." + contactID }

// viewer is one open page of a person's record.
type viewer struct {
	Page  string    `json:"page"` // the stream's own random id
	User  string    `json:"user"`
	Name  string    `json:"name"`
	Until time.Time `json:"until"`
}

// readViewers returns the unexpired entries for contactID.
func readViewers(tx bot.Tx, contactID string, now time.Time) ([]viewer, error) {
	v, err := tx.Setting(presenceKey(contactID))
	if errors.Is(err, bot.ErrNotFound) || (err == nil && v == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []viewer
	if json.Unmarshal([]byte(v), &all) != nil {
		return nil, nil // unreadable: as if nobody; the next write replaces it
	}
	return slices.DeleteFunc(all, func(e viewer) bool { return !now.Before(e.Until) }), nil
}

// othersViewing names the other workers (not userID) with contactID's
// page open, sorted, each once.
func othersViewing(tx bot.Tx, contactID, userID string, now time.Time) ([]string, error) {
	all, err := readViewers(tx, contactID, now)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, e := range all {
		if e.User != userID && !slices.Contains(names, e.Name) {
			names = append(names, e.Name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// presence is one stream's entry in a person's list.
type presence struct {
	c       *Console
	contact string
	page    string
	user    *bot.User
}

// newPresence is the entry for u viewing contactID's page, or nil when
// there is no such person (the stream then only streams).
func (c *Console) newPresence(ctx context.Context, contactID string, u *bot.User) *presence {
	if contactID == "" || u == nil {
		return nil
	}
	var b [12]byte
	rand.Read(b[:])
	p := &presence{c: c, contact: contactID, page: fmt.Sprintf("%x", b), user: u}
	if err := p.write(ctx, true); err != nil {
		if !errors.Is(err, bot.ErrNotFound) {
			c.cfg.Log.Warn("presence: record a viewer", "err", err)
		}
		return nil
	}
	return p
}

// beat renews the entry; leave removes it.
func (p *presence) beat(ctx context.Context) {
	if err := p.write(ctx, true); err != nil {
		p.c.cfg.Log.Warn("presence: renew a viewer", "err", err)
	}
}

func (p *presence) leave() {
	// The request's context is over by now: a short one of its own.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.write(ctx, false); err != nil {
		p.c.cfg.Log.Warn("presence: remove a viewer", "err", err)
	}
}

// write puts (here) or takes out this page's entry, dropping expired ones.
func (p *presence) write(ctx context.Context, here bool) error {
	return p.c.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		key := presenceKey(p.contact)
		if err := tx.LockKey(key); err != nil {
			return err
		}
		if _, err := tx.Contact(p.contact); err != nil {
			return err
		}
		now := p.c.cfg.Clock.Now()
		all, err := readViewers(tx, p.contact, now)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(e viewer) bool { return e.Page == p.page })
		if here && len(all) < maxViewers {
			name := p.user.Name
			if name == "" {
				name = p.user.Email
			}
			all = append(all, viewer{Page: p.page, User: p.user.ID, Name: name, Until: now.Add(presenceTTL)})
		}
		if len(all) == 0 {
			return tx.PutSetting(key, "")
		}
		data, err := json.Marshal(all)
		if err != nil {
			return err
		}
		return tx.PutSetting(key, string(data))
	})
}

package postgres

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// PutUser creates (ID empty: one is assigned) or replaces a console user.
// An email another user has is a conflict (bot.EConflict) and nothing is
// written; the unique email constraint settles a race between two.
func (t *Tx) PutUser(u *bot.User) error {
	if err := t.check(); err != nil {
		return err
	}
	email := bot.NormalizeEmail(u.Email)
	if email == "" {
		return bot.Errorf(bot.EInvalid, "user: empty email")
	}
	if err := text(email, "email"); err != nil {
		return err
	}
	if u.ID != "" {
		if err := checkID(u.ID, "user"); err != nil {
			return err
		}
	}
	var owner string
	err := t.row("SELECT id FROM users WHERE email = $1 AND id <> $2", []any{email, u.ID}, &owner)
	if err == nil {
		return bot.Errorf(bot.EConflict, "another user has the email %s", email)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if u.ID == "" {
		n, err := t.nextID("users_seq")
		if err != nil {
			return err
		}
		u.ID = newID("u", n)
		t.onUndo(func() { u.ID = "" })
	}
	if u.Email != email {
		old := u.Email
		u.Email = email
		t.onUndo(func() { u.Email = old })
	}
	data, err := encode(u)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO users (id, email, created_ns, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, created_ns = EXCLUDED.created_ns, data = EXCLUDED.data`,
		u.ID, email, ns(u.CreatedAt), data)
	return err
}

// User returns the user with the given id.
func (t *Tx) User(id string) (*bot.User, error) {
	u := new(bot.User)
	if err := t.get(u, "user "+id, "SELECT data FROM users WHERE id = $1"+t.forUpdate(), id); err != nil {
		return nil, err
	}
	return u, nil
}

// UserByEmail finds a user by email, compared as bot.NormalizeEmail does.
func (t *Tx) UserByEmail(email string) (*bot.User, error) {
	u := new(bot.User)
	if err := t.get(u, "user by email", "SELECT data FROM users WHERE email = $1"+t.forUpdate(), bot.NormalizeEmail(email)); err != nil {
		return nil, err
	}
	return u, nil
}

// Users calls fn for every user in the order they were created until fn
// returns false.
func (t *Tx) Users(fn func(*bot.User) bool) error {
	return scan(t, "user", 3, func(after []any) (string, []any) {
		const cols = "SELECT data, created_ns, length(id), id FROM users"
		const order = " ORDER BY created_ns, length(id), id LIMIT $1"
		if after == nil {
			return cols + order, []any{pageSize}
		}
		return cols + " WHERE (created_ns, length(id), id) > ($2, $3, $4)" + order, []any{pageSize, after[0], after[1], after[2]}
	}, fn)
}

// PutSession stores a console session under s.Token.
func (t *Tx) PutSession(s *bot.Session) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(s.Token, "session"); err != nil {
		return err
	}
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO sessions (token, data) VALUES ($1, $2) ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data", s.Token, data)
	return err
}

// Session returns the session stored under token, expired or not.
func (t *Tx) Session(token string) (*bot.Session, error) {
	s := new(bot.Session)
	if err := t.get(s, "session", "SELECT data FROM sessions WHERE token = $1"+t.forUpdate(), token); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSession removes a session; removing an absent one is harmless.
func (t *Tx) DeleteSession(token string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM sessions WHERE token = $1", token)
	return err
}

// DeleteSessions removes every session for which drop returns true and
// reports how many. It reads every session; there are few.
func (t *Tx) DeleteSessions(drop func(*bot.Session) bool) (int, error) {
	if err := t.check(); err != nil {
		return 0, err
	}
	var doomed []string
	if err := scan(t, "session", 1, keyset("sessions", "token", ""), func(s *bot.Session) bool {
		if drop(s) {
			doomed = append(doomed, s.Token)
		}
		return true
	}); err != nil {
		return 0, err
	}
	n, err := t.exec("DELETE FROM sessions WHERE token = ANY($1)", doomed)
	return int(n), err
}

// AddAudit appends to the audit log, assigning a.ID. IDs increase.
func (t *Tx) AddAudit(a *bot.AuditEntry) error {
	if err := t.check(); err != nil {
		return err
	}
	n, err := t.nextID("audit_seq")
	if err != nil {
		return err
	}
	old := a.ID
	a.ID = uint64(n)
	t.onUndo(func() { a.ID = old })
	data, err := encode(a)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO audit (id, data) VALUES ($1, $2)", n, data)
	return err
}

// Audit calls fn for audit entries from newest to oldest until fn returns
// false.
func (t *Tx) Audit(fn func(*bot.AuditEntry) bool) error {
	return scan(t, "audit entry", 1, func(after []any) (string, []any) {
		if after == nil {
			return "SELECT data, id FROM audit ORDER BY id DESC LIMIT $1", []any{pageSize}
		}
		return "SELECT data, id FROM audit WHERE id < $2 ORDER BY id DESC LIMIT $1", []any{pageSize, after[0]}
	}, fn)
}

// PutEnrolment creates or replaces an enrolment token.
func (t *Tx) PutEnrolment(e *bot.Enrolment) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(e.Token, "enrolment"); err != nil {
		return err
	}
	data, err := encode(e)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO enrolments (token, data) VALUES ($1, $2) ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data", e.Token, data)
	return err
}

// Enrolment returns the enrolment with the given token.
func (t *Tx) Enrolment(token string) (*bot.Enrolment, error) {
	e := new(bot.Enrolment)
	if err := t.get(e, "enrolment", "SELECT data FROM enrolments WHERE token = $1"+t.forUpdate(), token); err != nil {
		return nil, err
	}
	return e, nil
}

// DeleteEnrolment removes an enrolment token; removing an absent one is
// harmless.
func (t *Tx) DeleteEnrolment(token string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM enrolments WHERE token = $1", token)
	return err
}

// Enrolments calls fn for every enrolment, by token, until fn returns
// false.
func (t *Tx) Enrolments(fn func(*bot.Enrolment) bool) error {
	return scan(t, "enrolment", 1, keyset("enrolments", "token", ""), fn)
}

// Setting returns the value stored under key.
func (t *Tx) Setting(key string) (string, error) {
	var v string
	err := t.row("SELECT value FROM settings WHERE key = $1"+t.forUpdate(), []any{key}, &v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("setting %s: %w", key, bot.ErrNotFound)
	}
	return v, err
}

// PutSetting stores value under key; an empty value removes it.
func (t *Tx) PutSetting(key, value string) error {
	if err := t.check(); err != nil {
		return err
	}
	if key == "" {
		return bot.Errorf(bot.EInvalid, "setting: empty key")
	}
	if err := text(key+value, "setting"); err != nil {
		return err
	}
	if value == "" {
		_, err := t.exec("DELETE FROM settings WHERE key = $1", key)
		return err
	}
	_, err := t.exec("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", key, value)
	return err
}

// tokenBucket is one TakeToken bucket as stored.
type tokenBucket struct {
	Tokens float64   `json:"tokens"`
	At     time.Time `json:"at"`
	Full   time.Time `json:"full"` // when it is full again
}

// sweepTokens is how many buckets full again one TakeToken forgets at
// most, so the work is spread over calls.
const sweepTokens = 16

// TakeToken spends a token from key's bucket, after forgetting up to
// sweepTokens buckets full again by now. The bucket's row is locked until
// commit; two transactions creating one bucket meet at its primary key and
// the second runs again.
func (t *Tx) TakeToken(key string, burst int, every time.Duration, now time.Time) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if key == "" || burst <= 0 || every <= 0 {
		return false, fmt.Errorf("store: token bucket %q needs a key, a burst and an interval", key)
	}
	if err := text(key, "token bucket key"); err != nil {
		return false, err
	}
	if _, err := t.exec(`DELETE FROM token_buckets WHERE key IN (
		SELECT key FROM token_buckets WHERE full_ns <= $1 ORDER BY full_ns LIMIT $2 FOR UPDATE SKIP LOCKED)`, ns(now), sweepTokens); err != nil {
		return false, err
	}
	b := tokenBucket{Tokens: float64(burst), At: now}
	var data []byte
	err := t.row("SELECT data FROM token_buckets WHERE key = $1 FOR UPDATE", []any{key}, &data)
	exists := err == nil
	switch {
	case exists:
		if err := jsonDecode(data, &b, "token bucket"); err != nil {
			return false, err
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return false, err
	}
	if d := now.Sub(b.At); d > 0 {
		b.Tokens = min(float64(burst), b.Tokens+float64(d)/float64(every))
		b.At = now
	}
	ok := b.Tokens >= 1
	if ok {
		b.Tokens--
	}
	b.Full = b.At.Add(time.Duration((float64(burst) - b.Tokens) * float64(every)))
	if data, err = encode(&b); err != nil {
		return false, err
	}
	if exists {
		_, err = t.exec("UPDATE token_buckets SET full_ns = $2, data = $3 WHERE key = $1", key, ns(b.Full), data)
	} else {
		_, err = t.exec("INSERT INTO token_buckets (key, full_ns, data) VALUES ($1, $2, $3)", key, ns(b.Full), data)
	}
	return ok, err
}

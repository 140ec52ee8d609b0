package console

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/linkline/linkline/bot"
)

// Passkeys (WebAuthn) are a second step a link worker may use instead of
// the code from their app, once they have set the app up. A worker's
// passkeys are kept in the store as one setting per user (passkeysKey),
// so that no store backend needed a new record kind; a ceremony's
// challenge is kept the same way under the session it belongs to
// (ceremonyKey: one per user and kind, so an abandoned ceremony is
// replaced by the next rather than left behind), for at most ceremonyTTL,
// is used once, and only by the session that began it.

// Audit actions of passkeys.
const (
	AuditPasskeyAdded   bot.AuditAction = "mfa.passkey_added"
	AuditPasskeyRemoved bot.AuditAction = "mfa.passkey_removed"
	AuditPasskeyUsed    bot.AuditAction = "mfa.passkey_used"
	// AuditPasskeysCleared is written when an admin resets a user's
	// second step and that user had passkeys.
	AuditPasskeysCleared bot.AuditAction = "mfa.passkeys_cleared"
)

const (
	ceremonyTTL = 5 * time.Minute
	maxPasskeys = 10
)

func passkeysKey(userID string) string       { return "console.passkeys." + userID }
func ceremonyKey(kind, userID string) string { return "console.webauthn." + kind + "." + userID }

// passkey is one registered credential of a user.
type passkey struct {
	Name     string              `json:"name"`
	Added    time.Time           `json:"added"`
	LastUsed time.Time           `json:"lastUsed,omitzero"`
	Cred     webauthn.Credential `json:"cred"`
}

// ID is the credential's id as the settings page names it.
func (p passkey) ID() string { return base64.RawURLEncoding.EncodeToString(p.Cred.ID) }

// ceremony is a registration or sign-in begun and not yet finished.
type ceremony struct {
	Kind    string               `json:"kind"`    // "register" or "login"
	Session string               `json:"session"` // the session that began it
	Name    string               `json:"name,omitempty"`
	At      time.Time            `json:"at"`
	Data    webauthn.SessionData `json:"data"`
}

// readPasskeys returns userID's passkeys.
func readPasskeys(tx bot.Tx, userID string) ([]passkey, error) {
	v, err := tx.Setting(passkeysKey(userID))
	if errors.Is(err, bot.ErrNotFound) || (err == nil && v == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []passkey
	if err := json.Unmarshal([]byte(v), &all); err != nil {
		return nil, fmt.Errorf("read passkeys: %w", err)
	}
	return all, nil
}

func putPasskeys(tx bot.Tx, userID string, all []passkey) error {
	if len(all) == 0 {
		return tx.PutSetting(passkeysKey(userID), "")
	}
	data, err := json.Marshal(all)
	if err != nil {
		return err
	}
	return tx.PutSetting(passkeysKey(userID), string(data))
}

// clearPasskeys removes every passkey of userID (an admin's reset of the
// second step), reporting whether there were any.
func clearPasskeys(tx bot.Tx, userID string) (bool, error) {
	all, err := readPasskeys(tx, userID)
	if err != nil || len(all) == 0 {
		return false, err
	}
	return true, tx.PutSetting(passkeysKey(userID), "")
}

// webauthnUser is a user as go-webauthn sees them.
type webauthnUser struct {
	u    *bot.User
	keys []passkey
}

func (w webauthnUser) WebAuthnID() []byte   { return []byte(w.u.ID) }
func (w webauthnUser) WebAuthnName() string { return w.u.Email }
func (w webauthnUser) WebAuthnDisplayName() string {
	if w.u.Name != "" {
		return w.u.Name
	}
	return w.u.Email
}
func (w webauthnUser) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, len(w.keys))
	for i, k := range w.keys {
		out[i] = k.Cred
	}
	return out
}

// relyingParty is the WebAuthn party for r: the public URL's host when
// it is an https one, else the host the browser asked for (a local trial,
// or no public URL set: Telegram polling). A passkey works only on the
// host it was made on.
func (c *Console) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	origin := ""
	if u, err := url.Parse(c.cfg.PublicURL); err == nil && u.Scheme == "https" && u.Host != "" {
		origin = "https://" + u.Host
	} else {
		scheme := "http"
		if c.overHTTPS(r) {
			scheme = "https"
		}
		origin = scheme + "://" + r.Host
	}
	u, err := url.Parse(origin)
	if err != nil {
		return nil, bot.Errorf(bot.EInvalid, "passkeys need the console's address")
	}
	host := u.Hostname()
	if net.ParseIP(host) != nil {
		return nil, bot.Errorf(bot.EInvalid, "Passkeys work only when the console is reached by a name (such as localhost), not a number.")
	}
	return webauthn.New(&webauthn.Config{RPID: host, RPDisplayName: "Linkline", RPOrigins: []string{origin}})
}

// putCeremony keeps cer for userID, begun by the session token;
// takeCeremony returns it once (removing it) if it is of kind, was begun
// by token and is still fresh.
func putCeremony(tx bot.Tx, userID, token string, cer ceremony) error {
	cer.Session = token
	data, err := json.Marshal(cer)
	if err != nil {
		return err
	}
	return tx.PutSetting(ceremonyKey(cer.Kind, userID), string(data))
}

func takeCeremony(tx bot.Tx, userID, token, kind string, now time.Time) (*ceremony, error) {
	v, err := tx.Setting(ceremonyKey(kind, userID))
	if errors.Is(err, bot.ErrNotFound) || (err == nil && v == "") {
		return nil, errNoCeremony
	}
	if err != nil {
		return nil, err
	}
	if err := tx.PutSetting(ceremonyKey(kind, userID), ""); err != nil {
		return nil, err
	}
	var cer ceremony
	if json.Unmarshal([]byte(v), &cer) != nil || cer.Kind != kind || cer.Session != token || now.Sub(cer.At) > ceremonyTTL {
		return nil, errNoCeremony
	}
	return &cer, nil
}

// finishCeremony takes userID's ceremony of kind begun by the session
// token, with their passkeys as they are now, in one transaction.
func (c *Console) finishCeremony(ctx context.Context, userID, token, kind string, now time.Time) (*ceremony, []passkey, error) {
	var cer *ceremony
	var keys []passkey
	err := c.cfg.Store.Update(ctx, func(tx bot.Tx) error {
		var err error
		if cer, err = takeCeremony(tx, userID, token, kind, now); err != nil {
			return err
		}
		keys, err = readPasskeys(tx, userID)
		return err
	})
	return cer, keys, err
}

var errNoCeremony = bot.Errorf(bot.EInvalid, "That took too long, or was started elsewhere. Please try again.")

// writeJSON answers a script's request.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// jsonError answers a script's request with a message for the person.
func (c *Console) jsonError(w http.ResponseWriter, status int, err error) {
	msg := "Something went wrong. Please try again."
	var be *bot.Error
	if code := bot.ErrorCode(err); (code == bot.EInvalid || code == bot.EConflict) && errors.As(err, &be) {
		msg = be.Message
	} else {
		c.cfg.Log.Error("passkey", "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// settingsShow is the signed-in worker's own settings: their passkeys.
func (c *Console) settingsShow(w http.ResponseWriter, r *http.Request) {
	c.renderSettings(w, r, http.StatusOK, nil)
}

func (c *Console) renderSettings(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	u := userFrom(r.Context())
	var keys []passkey
	if err := c.cfg.Store.View(r.Context(), func(tx bot.Tx) error {
		var err error
		keys, err = readPasskeys(tx, u.ID)
		return err
	}); err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "settings", status, map[string]any{"Title": "Your settings", "Page": "settings", "Passkeys": keys,
		"HasApp": u.TOTPSecret != "", "Max": maxPasskeys, "Errors": errs})
}

// passkeyRegisterBegin starts adding a passkey: the options for
// navigator.credentials.create, as JSON.
func (c *Console) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if u.TOTPSecret == "" {
		c.jsonError(w, http.StatusConflict, bot.Errorf(bot.EConflict, "Set up the code from your app first; a passkey is a second way to give your second step."))
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len(name) > 60 {
		c.jsonError(w, http.StatusBadRequest, bot.Errorf(bot.EInvalid, "Give the passkey a name of up to 60 characters, such as \"Work laptop\"."))
		return
	}
	wa, err := c.relyingParty(r)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	var opts any
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		keys, err := readPasskeys(tx, u.ID)
		if err != nil {
			return err
		}
		if len(keys) >= maxPasskeys {
			return bot.Errorf(bot.EConflict, "You have %d passkeys: remove one first.", maxPasskeys)
		}
		wu := webauthnUser{u: u, keys: keys}
		descs := []protocol.CredentialDescriptor{}
		for _, k := range wu.WebAuthnCredentials() {
			descs = append(descs, k.Descriptor())
		}
		creation, data, err := wa.BeginRegistration(wu, webauthn.WithExclusions(descs))
		if err != nil {
			return err
		}
		opts = creation
		return putCeremony(tx, u.ID, sessionToken(r), ceremony{Kind: "register", Name: name, At: c.cfg.Clock.Now(), Data: *data})
	})
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, opts)
}

// passkeyRegisterFinish checks what the browser made and keeps it.
func (c *Console) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	wa, err := c.relyingParty(r)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	now := c.cfg.Clock.Now()
	cer, keys, err := c.finishCeremony(r.Context(), u.ID, sessionToken(r), "register", now)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	cred, err := wa.FinishRegistration(webauthnUser{u: u, keys: keys}, cer.Data, r)
	if err != nil {
		c.cfg.Log.Info("passkey: registration refused", "user", u.ID, "err", err)
		c.jsonError(w, http.StatusBadRequest, bot.Errorf(bot.EInvalid, "The passkey could not be checked. Please try again."))
		return
	}
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := tx.LockKey(passkeysKey(u.ID)); err != nil {
			return err
		}
		keys, err := readPasskeys(tx, u.ID)
		if err != nil {
			return err
		}
		if len(keys) >= maxPasskeys {
			return bot.Errorf(bot.EConflict, "You have %d passkeys: remove one first.", maxPasskeys)
		}
		keys = append(keys, passkey{Name: cer.Name, Added: now, Cred: *cred})
		if err := putPasskeys(tx, u.ID, keys); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditPasskeyAdded, Detail: cer.Name})
	})
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"next": "/console/settings"})
}

// passkeyRemove removes one of the worker's own passkeys.
func (c *Console) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PostFormValue("id")
	now := c.cfg.Clock.Now()
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := tx.LockKey(passkeysKey(u.ID)); err != nil {
			return err
		}
		keys, err := readPasskeys(tx, u.ID)
		if err != nil {
			return err
		}
		at := slices.IndexFunc(keys, func(k passkey) bool { return k.ID() == id })
		if at < 0 {
			return bot.Errorf(bot.ENotFound, "no such passkey")
		}
		name := keys[at].Name
		if err := putPasskeys(tx, u.ID, slices.Delete(keys, at, at+1)); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: u.ID, Action: AuditPasskeyRemoved, Detail: name})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/settings", http.StatusSeeOther)
}

// passkeyLoginBegin is the second step by passkey: the options for
// navigator.credentials.get, as JSON, for someone who has given the
// right password.
func (c *Console) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	wa, err := c.relyingParty(r)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	var opts any
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		keys, err := readPasskeys(tx, p.user.ID)
		if err != nil {
			return err
		}
		if len(keys) == 0 || p.user.TOTPSecret == "" {
			return bot.Errorf(bot.EInvalid, "You have no passkey: use the code from your app.")
		}
		assertion, data, err := wa.BeginLogin(webauthnUser{u: p.user, keys: keys})
		if err != nil {
			return err
		}
		opts = assertion
		return putCeremony(tx, p.user.ID, p.session.Token, ceremony{Kind: "login", At: c.cfg.Clock.Now(), Data: *data})
	})
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, opts)
}

// errPasskeyRefused is a passkey that did not prove who it is.
var errPasskeyRefused = bot.Errorf(bot.EInvalid, "That passkey was not accepted. Try again, or use the code from your app.")

// passkeyLoginFinish checks the passkey's signature and its sign count
// (a count that does not go up means a copied passkey: refused) and
// signs the person in. Failures are slowed down and audited like wrong
// codes.
func (c *Console) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) {
	p := partialFrom(r.Context())
	next := safeNext(r.URL.Query().Get("next"))
	slowKeys := signinKeys(clientIP(r, c.cfg.TrustedProxies), p.user.Email)
	wait, err := c.limits.wait(r.Context(), slowKeys)
	if err != nil {
		c.jsonError(w, http.StatusInternalServerError, err)
		return
	}
	if wait > 0 {
		c.refusals.Note("console", "signin_slowed")
		secs := int((wait + time.Second - 1) / time.Second)
		c.jsonError(w, http.StatusTooManyRequests, bot.Errorf(bot.EInvalid, "Too many wrong tries. Please wait %s and try again.", waitWords(secs)))
		return
	}
	refuse := func(why string, err error) {
		c.cfg.Log.Info("passkey: sign-in refused", "user", p.user.ID, "why", why, "err", err)
		c.signinFailed(r.Context(), slowKeys)
		c.audit(r.Context(), p.user, AuditMFAFailed, "", "passkey: "+why)
		c.jsonError(w, http.StatusUnauthorized, errPasskeyRefused)
	}
	wa, err := c.relyingParty(r)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	now := c.cfg.Clock.Now()
	cer, keys, err := c.finishCeremony(r.Context(), p.user.ID, p.session.Token, "login", now)
	if err != nil {
		c.jsonError(w, http.StatusBadRequest, err)
		return
	}
	cred, err := wa.FinishLogin(webauthnUser{u: p.user, keys: keys}, cer.Data, r)
	if err != nil {
		refuse("not verified", err)
		return
	}
	if cred.Authenticator.CloneWarning {
		refuse("sign count did not go up", nil)
		return
	}
	// The count is checked again against the stored one under the lock:
	// two sign-ins with the same count cannot both pass.
	err = c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if err := tx.LockKey(passkeysKey(p.user.ID)); err != nil {
			return err
		}
		keys, err := readPasskeys(tx, p.user.ID)
		if err != nil {
			return err
		}
		at := slices.IndexFunc(keys, func(k passkey) bool { return bytes.Equal(k.Cred.ID, cred.ID) })
		if at < 0 {
			return errPasskeyGone
		}
		old, got := keys[at].Cred.Authenticator.SignCount, cred.Authenticator.SignCount
		if (old != 0 || got != 0) && got <= old {
			return errSignCount
		}
		keys[at].Cred.Authenticator.SignCount = got
		keys[at].Cred.Flags = cred.Flags
		keys[at].LastUsed = now
		if err := putPasskeys(tx, p.user.ID, keys); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: now, UserID: p.user.ID, Action: AuditPasskeyUsed, Detail: keys[at].Name})
	})
	switch {
	case errors.Is(err, errSignCount):
		refuse("sign count did not go up", nil)
		return
	case errors.Is(err, errPasskeyGone):
		refuse("removed meanwhile", nil)
		return
	case err != nil:
		c.jsonError(w, http.StatusInternalServerError, err)
		return
	}
	if !c.startSession(w, r, p.user, p.session.Token, nil) {
		return
	}
	c.signinPassed(r.Context(), slowKeys)
	writeJSON(w, http.StatusOK, map[string]string{"next": next})
}

var (
	errSignCount   = errors.New("passkey sign count did not go up")
	errPasskeyGone = errors.New("passkey removed")
)

// hasPasskeys reports whether userID has a passkey (false on a store
// error: the code from the app still works).
func (c *Console) hasPasskeys(ctx context.Context, userID string) bool {
	var keys []passkey
	if err := c.cfg.Store.View(ctx, func(tx bot.Tx) error {
		var err error
		keys, err = readPasskeys(tx, userID)
		return err
	}); err != nil {
		c.cfg.Log.Error("passkey: read", "err", err)
	}
	return len(keys) > 0
}

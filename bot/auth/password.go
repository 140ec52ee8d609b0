// Package auth checks who signs in to the console: passwords (length,
// common passwords, bcrypt), session tokens, TOTP second factors and
// recovery codes. The User and Session records are bot's.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sync"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 10

// bcryptCost is bcrypt's work factor (OWASP's minimum): tens of
// milliseconds a check on a small server.
const bcryptCost = bcrypt.DefaultCost

// SetPassword hashes password into u.PasswordHash. A password shorter than
// MinPasswordLength characters or longer than bcrypt's 72 bytes, a common
// password (or one built on one), or one containing u's email or name, is
// EInvalid with words saying why. Set u.Email and u.Name first.
func SetPassword(u *bot.User, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return bot.Errorf(bot.EInvalid, "the password must be at least %d characters", MinPasswordLength)
	}
	if why := passwordProblem(password, u.Email, u.Name); why != "" {
		return bot.Errorf(bot.EInvalid, "%s", why)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return bot.Errorf(bot.EInvalid, "the password must be at most 72 bytes")
	} else if err != nil {
		return err
	}
	u.PasswordHash = string(h)
	return nil
}

// CheckPassword reports whether password is u's. It takes as long for a
// wrong password as for a right one.
func CheckPassword(u *bot.User, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
}

// dummyHash is compared against when no user matches an email, so that a
// failed login takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("linkline-no-such-user"), bcryptCost)
	return h
})

// WastePasswordCheck spends the time a password check takes; a login for an
// unknown email calls it so its timing does not reveal which emails exist.
func WastePasswordCheck(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
}

// NewSessionToken returns a new random session secret for a cookie, and
// the hash of it to store as Session.Token.
func NewSessionToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken is the stored form of a session secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

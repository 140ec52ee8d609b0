package bot

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// User is a person who signs in to the console: a link worker, or an admin
// who also manages users. Users are never deleted, only disabled, so that
// the audit log keeps naming who did what.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"` // lower case, unique
	Name  string `json:"name,omitempty"`
	// PasswordHash is a bcrypt hash; see SetPassword and CheckPassword.
	PasswordHash string    `json:"password_hash"`
	Admin        bool      `json:"admin,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// TOTPSecret is the user's authenticator secret (base32); empty until
	// they enrol a second factor. TOTPLastStep is the time step of the last
	// code accepted: no code is accepted twice. RecoveryCodes are hashes of
	// the one-use codes that remain (see bot/totp.go).
	TOTPSecret    string   `json:"totp_secret,omitempty"`
	TOTPLastStep  int64    `json:"totp_last_step,omitempty"`
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

// Session is a signed-in console session. Token holds the SHA-256 of the
// secret in the person's cookie (HashToken), never the secret itself, so a
// copy of the database cannot be used to sign in.
type Session struct {
	Token     string    `json:"token"`
	UserID    string    `json:"user_id"`
	Expires   time.Time `json:"expires"`
	CreatedAt time.Time `json:"created_at"`
	// Partial marks a session that has passed the password but not yet
	// the second factor: it reaches only the second-factor pages.
	// PendingTOTP is the secret being enrolled, until a code proves it.
	Partial     bool   `json:"partial,omitempty"`
	PendingTOTP string `json:"pending_totp,omitempty"`
}

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 10

// bcryptCost is bcrypt's work factor (OWASP's minimum): tens of
// milliseconds a check on a small server.
const bcryptCost = bcrypt.DefaultCost

// NormalizeEmail is the form in which emails are stored and looked up:
// trimmed and lower case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidEmail reports whether email looks like an address: something@domain.
func ValidEmail(email string) bool {
	local, domain, ok := strings.Cut(email, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(email, " \t\r\n<>\"")
}

// SetPassword hashes password into u.PasswordHash. A password shorter than
// MinPasswordLength characters or longer than bcrypt's 72 bytes, a common
// password (or one built on one), or one containing u's email or name, is
// EInvalid with words saying why. Set u.Email and u.Name first.
func SetPassword(u *User, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return Errorf(EInvalid, "the password must be at least %d characters", MinPasswordLength)
	}
	if why := passwordProblem(password, u.Email, u.Name); why != "" {
		return Errorf(EInvalid, "%s", why)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return Errorf(EInvalid, "the password must be at most 72 bytes")
	} else if err != nil {
		return err
	}
	u.PasswordHash = string(h)
	return nil
}

// CheckPassword reports whether password is u's. It takes as long for a
// wrong password as for a right one.
func CheckPassword(u *User, password string) bool {
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

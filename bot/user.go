package bot

import (
	"strings"
	"time"
)

// ResetSecondFactor removes u's second factor: at the next sign-in they
// enrol again.
func (u *User) ResetSecondFactor() {
	u.TOTPSecret, u.TOTPLastStep, u.RecoveryCodes = "", 0, nil
}

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
	// the one-use codes that remain (see bot/auth/totp.go).
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

// NormalizeEmail is the form in which emails are stored and looked up:
// trimmed and lower case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidEmail reports whether email looks like an address: something@domain.
func ValidEmail(email string) bool {
	local, domain, ok := strings.Cut(email, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(email, " \t\r\n<>\"")
}

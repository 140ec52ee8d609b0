package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
)

// Second factor: TOTP (RFC 6238) with the parameters every authenticator
// app accepts: SHA-1, 6 digits, 30-second steps. A code is accepted for
// the step before and after the current one (clocks drift), and never
// twice: the user's last accepted step is stored, and a code for that step
// or an earlier one is refused. pquerna/otp leaves that to its callers, so
// the few lines of RFC 4226 are here instead.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// RecoveryCodeCount is how many one-use recovery codes a user gets.
	RecoveryCodeCount = 10
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random secret (160 bits, base32, as
// authenticator apps expect).
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return b32.EncodeToString(b)
}

// TOTPURL is the otpauth:// URL an authenticator app reads from the QR
// code: issuer and account name label the entry in the app.
func TOTPURL(issuer, account, secret string) string {
	v := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + v.Encode()
}

// TOTPCode is the code for secret at t.
func TOTPCode(secret string, t time.Time) string {
	return hotp(secret, uint64(t.Unix())/uint64(totpStep/time.Second))
}

func hotp(secret string, counter uint64) string {
	key, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return ""
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, n%1_000_000)
}

// CheckTOTP reports whether code is valid for secret at now and newer than
// the step last accepted (lastStep); if so it returns the code's step, to
// be stored as the new last step in the same transaction.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != totpDigits || secret == "" {
		return 0, false
	}
	cur := now.Unix() / int64(totpStep/time.Second)
	for s := cur - 1; s <= cur+1; s++ {
		if s <= lastStep {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(secret, uint64(s))), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// NewRecoveryCodes returns RecoveryCodeCount one-use codes to show the user
// once, and their hashes to store.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 6)
		rand.Read(b)
		c := strings.ToLower(b32.EncodeToString(b)) // 10 characters
		c = c[:5] + "-" + c[5:]
		codes = append(codes, c)
		hashes = append(hashes, hashRecoveryCode(c))
	}
	return codes, hashes
}

func hashRecoveryCode(c string) string {
	c = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(c)))
	sum := sha256.Sum256([]byte("linkline-recovery:" + c))
	return hex.EncodeToString(sum[:])
}

// UseRecoveryCode removes code from u's recovery codes and reports whether
// it was one. Store u in the same transaction, so a code works once.
func UseRecoveryCode(u *bot.User, code string) bool {
	h := hashRecoveryCode(code)
	for i, have := range u.RecoveryCodes {
		if subtle.ConstantTimeCompare([]byte(have), []byte(h)) == 1 {
			u.RecoveryCodes = append(u.RecoveryCodes[:i:i], u.RecoveryCodes[i+1:]...)
			return true
		}
	}
	return false
}

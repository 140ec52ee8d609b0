package auth_test

import (
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// TestTOTPRFC6238: the RFC 6238 test vectors for SHA-1 (the secret is
// "12345678901234567890"), last six digits.
func TestTOTPRFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tt := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got := auth.TOTPCode(secret, time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("TOTP at %d = %s, want %s", tt.unix, got, tt.want)
		}
	}
}

// TestCheckTOTPNoReuse: a code is accepted a step early or late, never
// for a step at or before the last accepted one, and never when wrong.
func TestCheckTOTPNoReuse(t *testing.T) {
	secret := auth.NewTOTPSecret()
	now := time.Date(2026, 12, 4, 10, 0, 15, 0, time.UTC)
	code := auth.TOTPCode(secret, now)
	step, ok := auth.CheckTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("the current code was refused")
	}
	if _, ok := auth.CheckTOTP(secret, code, now.Add(10*time.Second), step); ok {
		t.Error("the same code was accepted twice")
	}
	if _, ok := auth.CheckTOTP(secret, auth.TOTPCode(secret, now.Add(-30*time.Second)), now, step); ok {
		t.Error("an older code was accepted after a newer one")
	}
	if _, ok := auth.CheckTOTP(secret, auth.TOTPCode(secret, now.Add(30*time.Second)), now, step); !ok {
		t.Error("the next step's code (a clock a little ahead) was refused")
	}
	if _, ok := auth.CheckTOTP(secret, auth.TOTPCode(secret, now.Add(-90*time.Second)), now, 0); ok {
		t.Error("a code three steps old was accepted")
	}
	if _, ok := auth.CheckTOTP(secret, "12345", now, 0); ok {
		t.Error("a five-digit code was accepted")
	}
}

func TestRecoveryCodesOneUse(t *testing.T) {
	codes, hashes := auth.NewRecoveryCodes()
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes, %d hashes; want 10", len(codes), len(hashes))
	}
	u := &bot.User{RecoveryCodes: hashes}
	for _, h := range hashes {
		for _, c := range codes {
			if h == c {
				t.Fatal("a code is stored in the clear")
			}
		}
	}
	if !auth.UseRecoveryCode(u, " "+codes[3]+" ") {
		t.Fatal("a recovery code was refused")
	}
	if auth.UseRecoveryCode(u, codes[3]) {
		t.Error("a recovery code worked twice")
	}
	if len(u.RecoveryCodes) != 9 {
		t.Errorf("%d codes left, want 9", len(u.RecoveryCodes))
	}
}

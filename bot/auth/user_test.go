package auth_test

import (
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

func TestPasswords(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"ünïcødé horse battery", true},
		{"short", false},
		{"123456789", false},
		{string(make([]byte, 73)), false}, // past bcrypt's 72 bytes
	}
	for _, tt := range tests {
		var u bot.User
		err := auth.SetPassword(&u, tt.password)
		if (err == nil) != tt.ok {
			t.Errorf("SetPassword(%q) = %v, want ok %v", tt.password, err, tt.ok)
			continue
		}
		if !tt.ok {
			if bot.ErrorCode(err) != bot.EInvalid {
				t.Errorf("SetPassword(%q) error code = %q, want invalid", tt.password, bot.ErrorCode(err))
			}
			continue
		}
		// bcrypt is slow under the race detector: two checks each.
		if !auth.CheckPassword(&u, tt.password) || auth.CheckPassword(&u, tt.password+"x") {
			t.Errorf("CheckPassword after SetPassword(%q) does not accept exactly that password", tt.password)
		}
	}
}

func TestSessionTokens(t *testing.T) {
	s1, h1 := auth.NewSessionToken()
	s2, h2 := auth.NewSessionToken()
	if s1 == s2 || h1 == h2 || len(s1) < 40 {
		t.Errorf("tokens not fresh and long: %q %q", s1, s2)
	}
	if auth.HashToken(s1) != h1 || h1 == s1 {
		t.Errorf("HashToken(secret) = %q, want the hash returned with it %q", auth.HashToken(s1), h1)
	}
}

func TestValidEmail(t *testing.T) {
	for email, want := range map[string]bool{
		"ann@example.org": true, "a.b+c@nhs.net": true,
		"ann": false, "@example.org": false, "ann@localhost": false, "a b@example.org": false, "<a>@example.org": false,
	} {
		if got := bot.ValidEmail(email); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", email, got, want)
		}
	}
}

package auth_test

import (
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/auth"
)

// TestSetPasswordRefusesGuessable: common passwords, common ones with a
// few characters added, repeats, and the user's own email or name are
// refused; long passphrases of the user's choosing are not.
func TestSetPasswordRefusesGuessable(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"aaaaaaaaaa", false},
		{"abababababab", false},
		{"qwertyuiop", false},
		{"password123", false},
		{"Password2026!", false},
		{"1234567890", false},
		{"iloveyou12345", false},
		{"basketball", false},
		{"annsmith-2026", false},        // the email's local part
		{"my name is Ann Smith", false}, // the name
		{"linkline-console", false},
		{"short", false},
		{"correct horse battery", true},
		{"Tea at four in Barnsley", true},
		{"zebra kettle umbrella", true},
	}
	for _, tt := range tests {
		u := &bot.User{Email: "annsmith@example.org", Name: "Ann Smith"}
		err := auth.SetPassword(u, tt.password)
		if (err == nil) != tt.ok {
			t.Errorf("SetPassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
		}
		if err != nil && bot.ErrorCode(err) != bot.EInvalid {
			t.Errorf("SetPassword(%q): code %v, want EInvalid", tt.password, bot.ErrorCode(err))
		}
	}
}

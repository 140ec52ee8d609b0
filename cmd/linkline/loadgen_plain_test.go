package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// TestLoadgenPlain runs the plain receiver the way --plain does, for a
// second at a low rate: signed webhooks are all answered 200 (each after
// its write committed), webhooks signed with another token are all
// refused, and the ratio line compares it with a second report.
func TestLoadgenPlain(t *testing.T) {
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"signed", twiliotest.AuthToken, http.StatusOK},
		{"wrong token", "ffffffffffffffffffffffffffffffff", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := loadOptions{Rate: 30, Duration: time.Second, Concurrency: 8, Numbers: 10, Timeout: 10 * time.Second,
				AuthToken: tc.token, AccountSID: twiliotest.AccountSID, To: twiliotest.Number}
			var info strings.Builder
			rep, err := loadPlain(t.Context(), o, &info)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Sent == 0 || rep.Status[tc.want] != rep.Sent || rep.Errors != 0 {
				t.Fatalf("sent %d, answers %v, errors %d (%s); want every one %d", rep.Sent, rep.Status, rep.Errors, rep.FirstErr, tc.want)
			}
			if tc.want != http.StatusOK {
				return
			}
			plain := &loadReport{Status: map[int]int{http.StatusOK: 4000}, Elapsed: 2 * time.Second}
			served := &loadReport{Status: map[int]int{http.StatusOK: 3000}, Elapsed: 2 * time.Second}
			var out strings.Builder
			printRatio(&out, plain, served)
			if !strings.Contains(out.String(), "serve 1500 OK/s") || !strings.Contains(out.String(), "ratio 0.75") {
				t.Errorf("ratio line %q, want 1500 OK/s and ratio 0.75", out.String())
			}
		})
	}
}

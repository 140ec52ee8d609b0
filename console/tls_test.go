package console_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/linkline/linkline/console"
)

// TestSecureCookieRules: the session cookie is Secure whenever the
// request came over https (directly or through a trusted proxy) or the
// public URL is not an explicit http:// one — including when no public
// URL is set (Telegram polling); only an http:// public URL goes without.
// Strict-Transport-Security is sent over https.
func TestSecureCookieRules(t *testing.T) {
	w := newWorld(t)
	w.addUser("ann@example.org", "Ann", false)
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name       string
		public     string
		proxies    []netip.Prefix
		remote     string
		proto      string
		tls        bool
		wantSecure bool
		wantHSTS   bool
	}{
		{"no public URL", "", nil, "192.0.2.1:5000", "", false, true, false},
		{"https public URL", "https://linkline.example.org", nil, "192.0.2.1:5000", "", false, true, true},
		{"explicit http public URL", "http://localhost:8080", nil, "192.0.2.1:5000", "", false, false, false},
		{"http public URL but TLS", "http://localhost:8080", nil, "192.0.2.1:5000", "", true, true, true},
		{"trusted proxy says https", "http://localhost:8080", proxy, "10.0.0.2:5000", "https", false, true, true},
		{"untrusted peer says https", "http://localhost:8080", proxy, "192.0.2.1:5000", "https", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			con := console.New(console.Config{Engine: w.engine, Store: w.store, Clock: w.clock, PublicURL: tt.public, TrustedProxies: tt.proxies})
			req := httptest.NewRequest("POST", "/console/login", strings.NewReader(url.Values{"email": {"ann@example.org"}, "password": {testPassword}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = tt.remote
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			con.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("sign-in: %d", rec.Code)
			}
			ck := parseCookie(t, rec.Header().Get("Set-Cookie"))
			if ck.Secure != tt.wantSecure || !ck.HttpOnly {
				t.Errorf("cookie Secure=%v HttpOnly=%v, want Secure=%v", ck.Secure, ck.HttpOnly, tt.wantSecure)
			}
			if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("HSTS sent = %v, want %v", got, tt.wantHSTS)
			}
		})
	}
}

package console

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientIP: the sign-in limit's address is the peer's, unless the peer
// is a trusted proxy; then it is the right-most forwarded address that is
// not itself trusted, so a client cannot choose its own by sending
// X-Forwarded-For.
func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies configured", "203.0.113.9:5000", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"untrusted peer's header ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"trusted proxy", "10.0.0.2:443", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"client forges the left of the list", "10.0.0.2:443", []string{"1.2.3.4, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"chain of trusted proxies", "10.0.0.2:443", []string{"1.2.3.4, 198.51.100.1, 10.0.0.7"}, trusted, "198.51.100.1"},
		{"several headers are one list", "10.0.0.2:443", []string{"1.2.3.4", "198.51.100.1", "10.0.0.7"}, trusted, "198.51.100.1"},
		{"trusted proxy without the header", "10.0.0.2:443", nil, trusted, "10.0.0.2"},
		{"every hop trusted: the left-most", "10.0.0.2:443", []string{"10.1.1.1, 10.0.0.7"}, trusted, "10.1.1.1"},
		{"junk stops at the last trusted hop", "10.0.0.2:443", []string{"198.51.100.1, junk, 10.0.0.7"}, trusted, "10.0.0.7"},
		{"hop with a port", "10.0.0.2:443", []string{"198.51.100.1:61000"}, trusted, "198.51.100.1"},
		{"IPv6 proxy and client", "[fd00::1]:443", []string{"2001:db8::5"}, trusted, "2001:db8::5"},
		{"IPv4-mapped proxy", "[::ffff:10.0.0.2]:443", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"IPv4-mapped client", "10.0.0.2:443", []string{"::ffff:198.51.100.1"}, trusted, "198.51.100.1"},
		{"no port in RemoteAddr", "203.0.113.9", nil, trusted, "203.0.113.9"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/console/login", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientIP(r, tt.trusted); got != tt.want {
			t.Errorf("%s: clientIP = %q, want %q", tt.name, got, tt.want)
		}
	}
}

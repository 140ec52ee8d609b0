package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestServeMountsConsole: serve says how to create the first admin, and
// the console is behind its login page.
func TestServeMountsConsole(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	c := defaultConfig(t)
	c.DB = t.TempDir() + "/serve.db"
	var logs bytes.Buffer
	log, _ := c.logger(&logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, ln, log) }()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path     string
		status   int
		location string
	}{
		{"/console/", http.StatusSeeOther, "/console/login?next=%2Fconsole%2F"},
		{"/console/login", http.StatusOK, ""},
		{"/console/static/console.css", http.StatusOK, ""},
	}
	for _, tt := range tests {
		res, err := client.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, res.StatusCode, res.Header.Get("Location"), tt.status, tt.location)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if !strings.Contains(logs.String(), "linkline user add EMAIL --admin") {
		t.Errorf("serve with no users did not say how to add the first admin:\n%s", logs.String())
	}
}

// TestSandboxFlows: the console's simulator is given every loaded flow,
// the engine's start flow first, each with its title.
func TestSandboxFlows(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sb, err := defaultConfig(t).sandbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := defaultConfig(t).content()
	if err != nil {
		t.Fatal(err)
	}
	if len(sb.Flows) != len(set.IDs()) || len(sb.Flows) < 2 || sb.Flows[0].ID != defaultStartFlow {
		t.Fatalf("sandbox flows = %+v, want all %d, %s first", sb.Flows, len(set.IDs()), defaultStartFlow)
	}
	for _, f := range sb.Flows {
		if f.Title == "" {
			t.Errorf("flow %s has no title in the picker", f.ID)
		}
	}
}

// TestTrustedProxies: LINKLINE_TRUSTED_PROXIES takes comma-separated CIDRs
// or addresses, and a value that is neither is an error naming it.
func TestTrustedProxies(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "[]", ""},
		{"10.0.0.0/8", "[10.0.0.0/8]", ""},
		{" 10.1.2.3/8 , 192.0.2.7, fd00::/8,", "[10.0.0.0/8 192.0.2.7/32 fd00::/8]", ""},
		{"::ffff:192.0.2.7", "[192.0.2.7/32]", ""},
		{"10.0.0.0/8,proxy.internal", "", `"proxy.internal" is not a CIDR`},
		{"10.0.0.0/33", "", `"10.0.0.0/33" is not a CIDR`},
	}
	for _, tt := range tests {
		got, err := trustedProxies(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "LINKLINE_TRUSTED_PROXIES")):
			t.Errorf("trustedProxies(%q) error = %v, want one saying %s", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || fmt.Sprint(got) != tt.want):
			t.Errorf("trustedProxies(%q) = %v, %v, want %s", tt.in, got, err, tt.want)
		}
	}
}

package twilio

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// rebase is an http.RoundTripper for one send. It sends the request to base
// (scheme, host and any path prefix) instead of the host twilio-go
// hard-codes, ties it to ctx (twilio-go's calls take no context), and notes
// the answer's status, which twilio-go does not report when it cannot read
// the body.
type rebase struct {
	base *url.URL
	ctx  context.Context
	next http.RoundTripper

	status     int
	retryAfter time.Duration
}

func (t *rebase) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(t.ctx)
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	if p := strings.TrimRight(t.base.Path, "/"); p != "" {
		r.URL.Path = p + r.URL.Path
		r.URL.RawPath = ""
	}
	r.Host = ""
	res, err := t.next.RoundTrip(r)
	if err == nil {
		t.status, t.retryAfter = res.StatusCode, retryAfter(res.Header)
	}
	return res, err
}

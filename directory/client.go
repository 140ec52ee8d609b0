package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client reads an ORUK feed over HTTP: the paged /services list, and
// /services/{id} for records the list gives without their locations.
type Client struct {
	// HTTP is the client used; default one with Timeout 30s. Each request
	// is bounded by Timeout too.
	HTTP *http.Client
	// Timeout bounds each request. Default 30s.
	Timeout time.Duration
	// PerPage is how many services a page asks for. Default 100.
	PerPage int
	// Retries is how many times a failed request (network error, timeout,
	// 429 or 5xx) is tried again. Default 3.
	Retries int
	// Backoff is the wait before the first retry; it doubles. Default 1s.
	Backoff time.Duration
	// Details fetches /services/{id} for each listed service that came
	// without locations (ORUK v1 lists give only list-level fields).
	Details bool
	// MaxPages stops a feed that never says it has ended. Default 10,000.
	MaxPages int
}

// HTTPError is a feed's answer that was not 200.
type HTTPError struct {
	URL    string
	Status int
}

func (e *HTTPError) Error() string { return fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Status) }

func (c *Client) defaults() {
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.PerPage <= 0 {
		c.PerPage = 100
	}
	if c.Retries < 0 {
		c.Retries = 0
	} else if c.Retries == 0 {
		c.Retries = 3
	}
	if c.Backoff <= 0 {
		c.Backoff = time.Second
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 10000
	}
}

// BaseURL turns what an operator gives (".../api", ".../services") into
// the feed's root, without a trailing slash or the /services path.
func BaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("feed URL %q: want an http or https URL", raw)
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/services")
	return strings.TrimSuffix(u.String(), "/"), nil
}

// get fetches url, retrying transient failures.
func (c *Client) get(ctx context.Context, u string) ([]byte, error) {
	var last error
	wait := c.Backoff
	for attempt := 0; attempt <= c.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		body, err := c.getOnce(ctx, u)
		if err == nil {
			return body, nil
		}
		last = err
		var he *HTTPError
		if ctx.Err() != nil || (errors.As(err, &he) && he.Status != http.StatusTooManyRequests && he.Status < 500) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("after %d tries: %w", c.Retries+1, last)
}

func (c *Client) getOnce(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Linkline directory sync")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{URL: u, Status: resp.StatusCode}
	}
	return body, nil
}

// Pages calls fn with each page of base's service list in turn, until the
// feed says it has ended (last page, total pages reached, or an empty
// page). An error from fn or a page that cannot be fetched or read stops it.
func (c *Client) Pages(ctx context.Context, base string, fn func(p *Page, n int) error) error {
	c.defaults()
	seen := map[string]bool{}
	for n := 1; n <= c.MaxPages; n++ {
		u := base + "/services?page=" + strconv.Itoa(n) + "&per_page=" + strconv.Itoa(c.PerPage)
		body, err := c.get(ctx, u)
		if err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		p, err := ParsePage(body)
		if err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		if len(p.Items) == 0 {
			return nil
		}
		// A feed that ignores the page parameter sends page 1 again.
		fresh := false
		for _, it := range p.Items {
			id := peekID(it)
			if id == "" || !seen[id] {
				fresh = true
			}
			seen[id] = true
		}
		if !fresh {
			return nil
		}
		if c.Details {
			c.fillDetails(ctx, base, p)
		}
		if err := fn(p, n); err != nil {
			return err
		}
		if p.Last || (p.TotalPages > 0 && n >= p.TotalPages) || (p.TotalPages == 0 && p.Total > 0 && n*c.PerPage >= p.Total) {
			return nil
		}
	}
	return fmt.Errorf("feed did not end after %d pages", c.MaxPages)
}

// fillDetails replaces list-level records that have no locations with the
// full record from /services/{id}, four at a time. A record whose details
// cannot be fetched is kept as listed.
func (c *Client) fillDetails(ctx context.Context, base string, p *Page) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, it := range p.Items {
		var m map[string]json.RawMessage
		if json.Unmarshal(it, &m) != nil {
			continue
		}
		if _, ok := m["service_at_locations"]; ok {
			continue
		}
		id := peekID(it)
		if id == "" {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			body, err := c.get(ctx, base+"/services/"+url.PathEscape(id))
			if err != nil || peekID(body) != id {
				return
			}
			p.Items[i] = body
		}()
	}
	wg.Wait()
}

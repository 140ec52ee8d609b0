package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"

	"github.com/linkline/linkline/bot"
)

// mediaRefRE is a media reference as readContent keeps it: the message
// and media SIDs.
var mediaRefRE = regexp.MustCompile(`^(MM[0-9a-fA-F]{32}|SM[0-9a-fA-F]{32})/(ME[0-9a-fA-F]{32})$`)

// FetchMedia fetches a file a person sent, by the reference kept in
// bot.Message.Media ("MM.../ME..." after the kind), from Twilio's API at
// Config.APIURL with the account's credentials. Twilio answers with a
// redirect to a short-lived address for the file; it is followed, and
// the credentials go only to Twilio. The caller reads and closes the body;
// size is -1 when Twilio does not say. An unknown reference is a
// bot.ENotFound error.
func (s *Sender) FetchMedia(ctx context.Context, ref string) (body io.ReadCloser, contentType string, size int64, err error) {
	m := mediaRefRE.FindStringSubmatch(ref)
	if m == nil {
		return nil, "", 0, bot.Errorf(bot.ENotFound, "not a Twilio media reference")
	}
	u := *s.base
	u.Path += "/2010-04-01/Accounts/" + s.cfg.AccountSID + "/Messages/" + m[1] + "/Media/" + m[2]
	ctx, cancel := context.WithTimeout(ctx, 6*s.cfg.timeout())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel()
		return nil, "", 0, fmt.Errorf("twilio: media request: %w", err)
	}
	req.SetBasicAuth(s.cfg.AccountSID, s.cfg.AuthToken)
	// http.Client drops the Authorization header when a redirect leaves
	// the host, so the file's short-lived address never sees it.
	c := &http.Client{Transport: s.transport, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) > 3 {
			return errors.New("too many redirects")
		}
		return nil
	}}
	res, err := c.Do(req)
	if err != nil {
		cancel()
		return nil, "", 0, fmt.Errorf("twilio: fetch media: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		cancel()
		if res.StatusCode == http.StatusNotFound {
			return nil, "", 0, bot.Errorf(bot.ENotFound, "Twilio no longer has this file")
		}
		return nil, "", 0, fmt.Errorf("twilio: fetch media: HTTP %d", res.StatusCode)
	}
	size = -1
	if n, err := strconv.ParseInt(res.Header.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		size = n
	}
	return &cancelBody{ReadCloser: res.Body, cancel: cancel}, res.Header.Get("Content-Type"), size, nil
}

// cancelBody ends a request's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/linkline/linkline/bot"
)

// MediaFetcher fetches a file a person sent from the provider that carried
// it, with the provider's credentials, by the reference the channel kept
// in bot.Message.Media (the part after "kind:"). The caller closes body;
// size is -1 when unknown.
type MediaFetcher interface {
	FetchMedia(ctx context.Context, ref string) (body io.ReadCloser, contentType string, size int64, err error)
}

// DefaultMaxMedia is Config.MaxMedia's default: WhatsApp's largest file
// is 16 MB (documents up to 100 MB are refused), MMS's 5 MB.
const DefaultMaxMedia = 16 << 20

// safeTypes are the content types a fetched file keeps, with the file
// name ending it is given; anything else is sent as
// application/octet-stream. Every file is an attachment, never shown in
// the console's origin.
var safeTypes = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
	"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/amr": ".amr", "audio/aac": ".aac",
	"video/mp4": ".mp4", "video/3gpp": ".3gp", "application/pdf": ".pdf", "text/vcard": ".vcf",
}

// mediaItem is one attachment as the transcript shows it: what it was,
// and where to fetch it through Linkline ("" when it cannot be).
type mediaItem struct {
	Kind, URL string
}

// mediaItems describes m's attachments.
func (c *Console) mediaItems(contactID string, m *bot.Message) []mediaItem {
	out := make([]mediaItem, len(m.Media))
	for i, e := range m.Media {
		out[i].Kind = mediaKind(e)
		if _, ref, _ := strings.Cut(e, ":"); ref != "" && c.cfg.Media[m.Address.Channel] != nil {
			out[i].URL = fmt.Sprintf("/console/contacts/%s/messages/%d/media/%d", contactID, m.ID, i)
		}
	}
	return out
}

// mediaFetch sends a link worker a file a person sent: fetched from the
// provider through Linkline (the browser never sees a provider address or
// credentials), written to the audit log first, as an attachment with a
// safe content type, and refused past Config.MaxMedia.
func (c *Console) mediaFetch(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id := r.PathValue("id")
	if !explicitOpen(r) {
		http.Error(w, "Open the file from the person's conversation page.", http.StatusForbidden)
		return
	}
	msgID, err1 := strconv.ParseUint(r.PathValue("msg"), 10, 64)
	n, err2 := strconv.Atoi(r.PathValue("n"))
	if err1 != nil || err2 != nil || n < 0 {
		c.fail(w, r, bot.Errorf(bot.ENotFound, "no such file"))
		return
	}
	var kind, ref string
	var ch bot.Channel
	err := c.cfg.Store.Update(r.Context(), func(tx bot.Tx) error {
		if _, err := tx.Contact(id); err != nil {
			return err
		}
		var found *bot.Message
		if err := tx.Messages(id, func(m *bot.Message) bool {
			if m.ID == msgID {
				found = m
				return false
			}
			return true
		}); err != nil {
			return err
		}
		if found == nil || n >= len(found.Media) {
			return bot.Errorf(bot.ENotFound, "no such file")
		}
		kind, ref, _ = strings.Cut(found.Media[n], ":")
		ch = found.Address.Channel
		if ref == "" || c.cfg.Media[ch] == nil {
			return bot.Errorf(bot.ENotFound, "this file was not kept, so it cannot be fetched")
		}
		// The audit entry is written before the file is fetched: a fetch
		// that cannot be recorded does not happen.
		return tx.AddAudit(&bot.AuditEntry{At: c.cfg.Clock.Now(), UserID: u.ID, Action: bot.AuditMediaFetch,
			ContactID: id, Detail: fmt.Sprintf("message %d, file %d (%s)", msgID, n, kind)})
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	body, ctype, size, err := c.cfg.Media[ch].FetchMedia(r.Context(), ref)
	if err != nil {
		if bot.ErrorCode(err) != bot.ENotFound {
			c.cfg.Log.Warn("console: fetch media", "channel", ch, "err", err)
			http.Error(w, "The file could not be fetched just now. Please try again later.", http.StatusBadGateway)
			return
		}
		c.fail(w, r, err)
		return
	}
	defer body.Close()
	limit := c.cfg.MaxMedia
	if size > limit {
		http.Error(w, "The file is too large to fetch here.", http.StatusRequestEntityTooLarge)
		return
	}
	var src io.Reader = body
	if size < 0 {
		// Unknown length: read it all first, so a file over the limit
		// is refused instead of cut short.
		data, err := io.ReadAll(io.LimitReader(body, limit+1))
		if err != nil {
			c.fail(w, r, fmt.Errorf("read media: %w", err))
			return
		}
		if int64(len(data)) > limit {
			http.Error(w, "The file is too large to fetch here.", http.StatusRequestEntityTooLarge)
			return
		}
		src, size = bytes.NewReader(data), int64(len(data))
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	ext, ok := safeTypes[mt]
	if !ok {
		mt, ext = "application/octet-stream", ".bin"
	}
	h := w.Header()
	h.Set("Content-Type", mt)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("%s-%d-%d%s", kind, msgID, n, ext)}))
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if _, err := io.Copy(w, io.LimitReader(src, size)); err != nil && !errors.Is(err, context.Canceled) {
		c.cfg.Log.Warn("console: send media", "err", err)
	}
}

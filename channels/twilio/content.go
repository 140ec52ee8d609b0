package twilio

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Media entries in bot.Inbound.Media are "kind:ref" or, for content with
// no file, just "kind", as the Telegram channel writes them. The kinds
// (photo, voice, video, document, contact, sticker, location, unsupported)
// name a reply template each (core.media.<kind>), so the person is told
// what arrived. ref is "<MessageSid>/<MediaSid>": the file is fetched
// through Twilio's API with the account's credentials, never by a public
// URL, so the URL Twilio sent is not kept.

// mediaURLRE reads the message and media SIDs from a Twilio media URL.
var mediaURLRE = regexp.MustCompile(`/Messages/(MM[0-9a-fA-F]{32}|SM[0-9a-fA-F]{32})/Media/(ME[0-9a-fA-F]{32})$`)

// mediaKind names what a content type is, as a person would put it.
func mediaKind(contentType string, whatsApp bool) string {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	ct, _, _ = strings.Cut(ct, ";")
	switch {
	case ct == "image/webp" && whatsApp:
		return "sticker" // WhatsApp stickers arrive as WebP images
	case strings.HasPrefix(ct, "image/"):
		return "photo"
	case strings.HasPrefix(ct, "audio/"):
		return "voice"
	case strings.HasPrefix(ct, "video/"):
		return "video"
	case ct == "text/vcard", ct == "text/x-vcard", ct == "text/directory":
		return "contact"
	case ct == "":
		return "unsupported"
	}
	return "document"
}

// whatsAppTypes are the MessageType values Twilio sends for WhatsApp that
// Linkline reads; others (reactions, polls, orders, and kinds WhatsApp adds
// later) are stored as "unsupported" so a link worker sees something came.
var whatsAppTypes = map[string]bool{
	"": true, "text": true, "button": true, "interactive": true, "image": true, "audio": true,
	"video": true, "document": true, "sticker": true, "location": true, "contacts": true,
}

// readContent adds to in what a message carries besides its words.
func readContent(f url.Values, in *mediaSink, whatsApp bool) {
	n, _ := strconv.Atoi(strings.TrimSpace(f.Get("NumMedia")))
	for i := range min(max(n, 0), maxMedia) {
		k := strconv.Itoa(i)
		u := f.Get("MediaUrl" + k)
		if u == "" {
			continue
		}
		kind := mediaKind(f.Get("MediaContentType"+k), whatsApp)
		if m := mediaURLRE.FindStringSubmatch(u); m != nil {
			in.add(kind + ":" + m[1] + "/" + m[2])
		} else {
			in.add(kind)
		}
	}
	if !whatsApp {
		return
	}
	// A shared location: its place is personal, and not needed, so only
	// that one came is kept.
	if f.Get("Latitude") != "" || f.Get("Longitude") != "" || f.Get("MessageType") == "location" {
		in.add("location")
	}
	if t := f.Get("MessageType"); !whatsAppTypes[t] && len(in.media) == 0 {
		in.add("unsupported")
	}
}

// mediaSink collects media entries without repeats.
type mediaSink struct{ media []string }

func (s *mediaSink) add(m string) {
	for _, x := range s.media {
		if x == m {
			return
		}
	}
	s.media = append(s.media, m)
}

package twiliotest

import (
	"net/http"
	"strings"
)

// media is a file a person sent, as the fake holds it.
type media struct {
	contentType string
	data        []byte
}

// AddMedia stores a file as if a person had sent it in a message, and
// returns the MediaUrl Twilio would put in the webhook for it
// (https://api.twilio.com/2010-04-01/Accounts/.../Messages/MM.../Media/ME...).
// The fake serves it as Twilio does: the media URL, with the account's
// credentials, redirects to a short-lived address on another host
// (localhost instead of 127.0.0.1), which serves the file.
func (s *Server) AddMedia(contentType string, data []byte) string {
	msg, me := newSID("MM"), newSID("ME")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.media == nil {
		s.media = map[string]media{}
	}
	s.media[msg+"/"+me] = media{contentType: contentType, data: data}
	return "https://api.twilio.com/2010-04-01/Accounts/" + s.AccountSID + "/Messages/" + msg + "/Media/" + me
}

// MediaStats counts media requests: Fetched files served from their
// short-lived address, and Leaked requests to that address that carried
// the account's credentials (there should be none).
type MediaStats struct{ Fetched, Leaked int }

// MediaStats returns the media counts so far.
func (s *Server) MediaStats() MediaStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mediaStats
}

// fetchMedia serves GET .../Messages/{msg}/Media/{media}: a redirect to
// the file.
func (s *Server) fetchMedia(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	key := r.PathValue("msg") + "/" + r.PathValue("media")
	s.mu.Lock()
	_, ok := s.media[key]
	s.mu.Unlock()
	if !ok || r.PathValue("sid") != s.AccountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	cdn := strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1) + "/cdn/" + key
	http.Redirect(w, r, cdn, http.StatusTemporaryRedirect)
}

// cdn serves a file at its short-lived address, which needs no
// credentials.
func (s *Server) cdn(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("msg") + "/" + r.PathValue("media")
	s.mu.Lock()
	m, ok := s.media[key]
	if ok {
		s.mediaStats.Fetched++
	}
	if r.Header.Get("Authorization") != "" {
		s.mediaStats.Leaked++
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	_, _ = w.Write(m.data)
}

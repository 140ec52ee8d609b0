package twiliotest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// WhatsAppPrefix marks WhatsApp addresses in Twilio's From and To.
const WhatsAppPrefix = "whatsapp:"

// Window is WhatsApp's customer-service window: free-form messages reach a
// number only within this long after it last wrote.
const Window = 24 * time.Hour

// OpenWindow records that a WhatsApp number ("whatsapp:+44..." or
// "+44...") last wrote at at. Inbound forms made by WhatsAppForm record it
// themselves; tests use this to close a window (at 25 hours ago).
func (s *Server) OpenWindow(number string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastIn[WhatsAppPrefix+strings.TrimPrefix(number, WhatsAppPrefix)] = at
}

// WhatsAppForm is the form Twilio posts for an incoming WhatsApp text
// from an E.164 number to the fake's Number, with a fresh MessageSid. It
// opens the number's 24-hour window. extra fields (media, location,
// buttons) are set on top.
func (s *Server) WhatsAppForm(from, profileName, body string, extra url.Values) url.Values {
	sid := newSID("SM")
	num := strings.TrimPrefix(from, WhatsAppPrefix)
	f := url.Values{
		"SmsMessageSid": {sid}, "NumMedia": {"0"}, "ProfileName": {profileName}, "MessageType": {"text"},
		"SmsSid": {sid}, "WaId": {strings.TrimPrefix(num, "+")}, "SmsStatus": {"received"}, "Body": {body},
		"To": {WhatsAppPrefix + s.Number}, "NumSegments": {"1"}, "ReferralNumMedia": {"0"}, "MessageSid": {sid},
		"AccountSid": {s.AccountSID}, "From": {WhatsAppPrefix + num}, "ApiVersion": {"2010-04-01"},
	}
	for k, v := range extra {
		f[k] = v
	}
	s.OpenWindow(num, time.Now())
	return f
}

// StatusAll posts, for every accepted message not yet reported on, the
// status callback Twilio would send last: "failed" with the message's
// ErrorCode when it has one (63016), otherwise "delivered". It returns how
// many it posted; a callback not answered 200 is an error.
func (s *Server) StatusAll(ctx context.Context) (int, error) {
	s.mu.Lock()
	todo := append([]Message(nil), s.msgs[s.reported:]...)
	s.reported = len(s.msgs)
	s.mu.Unlock()
	for _, m := range todo {
		if m.StatusCallback == "" {
			continue
		}
		status := "delivered"
		if m.ErrorCode != "" {
			status = "failed"
		}
		res, err := s.SendStatus(ctx, m.StatusCallback, m, status, m.ErrorCode)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			return 0, fmt.Errorf("twiliotest: status %s for %s answered %d", status, m.SID, res.StatusCode)
		}
	}
	return len(todo), nil
}

// PressForm is the form Twilio posts when the person m went to presses
// its button i (or picks list item i): the button's payload and title, as
// a WhatsApp message from them, which opens their window again.
func (s *Server) PressForm(m Message, i int) url.Values {
	b := m.Buttons[i]
	extra := url.Values{"MessageType": {"button"}, "ButtonText": {b.Title}, "ButtonPayload": {b.ID}}
	if m.List {
		extra = url.Values{"MessageType": {"interactive"}, "ListTitle": {b.Title}, "ListId": {b.ID}}
	}
	return s.WhatsAppForm(m.To, "Sam", b.Title, extra)
}

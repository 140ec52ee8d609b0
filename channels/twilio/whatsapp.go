package twilio

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/linkline/linkline/bot"
)

// WhatsAppPrefix marks a WhatsApp address in Twilio's From and To fields:
// "whatsapp:+447700900123".
const WhatsAppPrefix = "whatsapp:"

// ErrNoTemplate is the cause of a WhatsApp send that had to go as an
// approved template (outside the 24-hour window) when none is configured
// for the message's kind. It is permanent: a link worker must reach the
// person another way, or wait for them to write.
var ErrNoTemplate = errors.New("twilio: outside WhatsApp's 24-hour window and no template is configured for this kind of message")

// maxTemplateVar bounds the words put in a template's variable: Twilio's
// Content API refuses a variable value longer than 255 characters (and
// WhatsApp a template whose text passes 1024).
const maxTemplateVar = 255

// whatsAppContent sets p's content for o: the message's words free-form,
// or, when template is set, the approved template for o.Kind with the
// words as its variable {{1}}.
func (s *Sender) whatsAppContent(p *api.CreateMessageParams, o *bot.Outbound, template bool) error {
	if !template {
		p.ContentSid, p.ContentVariables = nil, nil
		p.SetBody(RenderWhatsApp(o))
		return nil
	}
	t, ok := s.cfg.template(o.Kind)
	if !ok {
		return &bot.SendError{Permanent: true, Code: bot.CodeOutsideWindow,
			Err: fmt.Errorf("kind %q: %w", o.Kind, ErrNoTemplate)}
	}
	vars, err := json.Marshal(map[string]string{"1": TemplateVariable(o)})
	if err != nil {
		return &bot.SendError{Permanent: true, Err: fmt.Errorf("twilio: template variables: %w", err)}
	}
	p.Body = nil
	p.SetContentSid(t.ContentSID).SetContentVariables(string(vars))
	return nil
}

var (
	boldRE   = regexp.MustCompile(`(?s)<(?:b|strong)>(.*?)</(?:b|strong)>`)
	italicRE = regexp.MustCompile(`(?s)<(?:i|em)>(.*?)</(?:i|em)>`)
	spacesRE = regexp.MustCompile(`\s+`)
)

// RenderWhatsApp is the text a message is sent as on WhatsApp: no HTML, so
// bold and italic become WhatsApp's *bold* and _italic_ and other tags go;
// choices as numbered lines, as in SMS. WhatsApp counts no segments.
func RenderWhatsApp(o *bot.Outbound) string {
	if o.Format != bot.FormatHTML {
		return o.PlainText()
	}
	c := *o
	c.Text = italicRE.ReplaceAllString(boldRE.ReplaceAllString(o.Text, "*$1*"), "_${1}_")
	return c.PlainText()
}

// TemplateVariable is a message's words as a template variable: WhatsApp
// refuses variables with new lines, tabs or runs of spaces, so lines are
// joined with " / ", and long words are cut short.
func TemplateVariable(o *bot.Outbound) string {
	var lines []string
	for l := range strings.Lines(RenderWhatsApp(o)) {
		if l = strings.TrimSpace(spacesRE.ReplaceAllString(l, " ")); l != "" {
			lines = append(lines, l)
		}
	}
	v := strings.Join(lines, " / ")
	if utf8.RuneCountInString(v) > maxTemplateVar {
		r := []rune(v)
		v = string(r[:maxTemplateVar-1]) + "…"
	}
	return v
}

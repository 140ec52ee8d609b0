package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	api "github.com/twilio/twilio-go/rest/api/v2010"
	content "github.com/twilio/twilio-go/rest/content/v1"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// Choices on WhatsApp go as quick-reply buttons or a list picker: Content
// API content sent by ContentSid inside the 24-hour window. Rather than
// ask an administrator to make content by hand, SetUpChoices makes one
// content resource per shape (1 to 3 buttons, a list of 1 to 10 items)
// with every word a variable, once per account: the question and labels of
// each message go in its ContentVariables. The content holds no personal
// details, and nothing about a person is stored at Twilio beyond the
// message itself.

// DefaultContentURL is the Content API's base URL, used when
// Config.ContentURL is empty.
const DefaultContentURL = "https://content.twilio.com"

// choicesVersion names this shape of the content; a change to the shapes
// below must change it, so that old content is not used for new.
const choicesVersion = "v1"

// listButton is the list picker's button: what the person presses to see
// the choices.
const listButton = "Choose an answer"

// choiceShape is one content resource: buttons or a list, of n choices.
type choiceShape struct {
	list bool
	n    int
}

func (c choiceShape) name() string {
	kind := "buttons"
	if c.list {
		kind = "list"
	}
	return fmt.Sprintf("linkline_%s_%d_%s", kind, c.n, choicesVersion)
}

// choiceShapes are every shape Linkline sends.
func choiceShapes() []choiceShape {
	var out []choiceShape
	for n := 1; n <= flows.WhatsAppMaxButtons; n++ {
		out = append(out, choiceShape{n: n})
	}
	for n := 1; n <= flows.WhatsAppMaxListItems; n++ {
		out = append(out, choiceShape{list: true, n: n})
	}
	return out
}

// definition is the content for c: variable 1 is the question; for a
// list 2 is the button; then each choice's title and id.
func (c choiceShape) definition() content.ContentCreateRequest {
	v := func(i int) string { return "{{" + strconv.Itoa(i) + "}}" }
	samples := map[string]string{"1": "Which would you like?"}
	req := content.ContentCreateRequest{FriendlyName: c.name(), Language: "en", Variables: samples}
	first := 2
	if c.list {
		samples["2"] = listButton
		first = 3
	}
	for i := range c.n {
		samples[strconv.Itoa(first+2*i)] = "Choice " + strconv.Itoa(i+1)
		samples[strconv.Itoa(first+2*i+1)] = "choice" + strconv.Itoa(i+1)
	}
	if c.list {
		lp := &content.TwilioListPicker{Body: v(1), Button: v(2)}
		for i := range c.n {
			lp.Items = append(lp.Items, content.ListItem{Item: v(first + 2*i), Id: v(first + 2*i + 1)})
		}
		req.Types.TwilioListPicker = lp
		return req
	}
	qr := &content.TwilioQuickReply{Body: v(1)}
	for i := range c.n {
		qr.Actions = append(qr.Actions, content.QuickReplyAction{Type: "QUICK_REPLY", Title: v(first + 2*i), Id: v(first + 2*i + 1)})
	}
	req.Types.TwilioQuickReply = qr
	return req
}

// SetUpChoices finds, or makes, the Content API content WhatsApp choices
// are sent with, through the Content API at Config.ContentURL. Until it
// has succeeded choices go as numbered lines, answered by typing; an
// error says why (the Sender still works). Only a WhatsApp Sender has
// choices to set up.
func (s *Sender) SetUpChoices(ctx context.Context) error {
	if s.channel != bot.WhatsApp {
		return errors.New("twilio: only WhatsApp sends choices as buttons")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*s.cfg.timeout())
	defer cancel()
	rh, tr := s.requestHandler(ctx, s.contentBase)
	svc := content.NewApiService(rh)
	have, err := svc.ListContent(&content.ListContentParams{})
	if err != nil {
		return fmt.Errorf("twilio: list content: %w", s.classify(ctx, tr, err))
	}
	byName := map[string]string{}
	for _, c := range have {
		if c.FriendlyName != nil && c.Sid != nil && contentSID.MatchString(*c.Sid) {
			byName[*c.FriendlyName] = *c.Sid
		}
	}
	sids := map[string]string{}
	for _, shape := range choiceShapes() {
		if sid, ok := byName[shape.name()]; ok {
			sids[shape.name()] = sid
			continue
		}
		c, err := svc.CreateContent(&content.CreateContentParams{ContentCreateRequest: new(shape.definition())})
		if err != nil {
			return fmt.Errorf("twilio: create content %s: %w", shape.name(), s.classify(ctx, tr, err))
		}
		if c.Sid == nil || !contentSID.MatchString(*c.Sid) {
			return fmt.Errorf("twilio: create content %s: the answer has no Content SID", shape.name())
		}
		sids[shape.name()] = *c.Sid
	}
	s.choices.Store(&sids)
	return nil
}

// maxChoiceID is the longest id a list item may carry back.
const maxChoiceID = 200

// choiceContent sets p to send o's choices as buttons or a list, when they
// fit and the content is set up, and reports whether it did. The caller
// has checked the window is open: neither goes outside it.
func (s *Sender) choiceContent(p *api.CreateMessageParams, o *bot.Outbound) bool {
	sids := s.choices.Load()
	if sids == nil || len(o.Choices) == 0 {
		return false
	}
	q := *o
	q.Choices = nil
	text := strings.TrimSpace(RenderWhatsApp(&q))
	labels := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		labels[i] = strings.TrimSpace(c.Label)
		if labels[i] == "" || c.Value == "" {
			return false
		}
	}
	style, _ := flows.WhatsAppStyle(text, labels)
	if text == "" || style == flows.StyleTyped {
		return false
	}
	shape := choiceShape{list: style == flows.StyleList, n: len(labels)}
	sid, ok := (*sids)[shape.name()]
	if !ok {
		return false
	}
	vars := map[string]string{"1": text}
	first := 2
	if shape.list {
		vars["2"], first = listButton, 3
	}
	for i, c := range o.Choices {
		vars[strconv.Itoa(first+2*i)] = labels[i]
		vars[strconv.Itoa(first+2*i+1)] = bot.ButtonData(c.Value, o.Question, maxChoiceID)
	}
	b, err := json.Marshal(vars)
	if err != nil {
		return false
	}
	p.Body = nil
	p.SetContentSid(sid).SetContentVariables(string(b))
	return true
}

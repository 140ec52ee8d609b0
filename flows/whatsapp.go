package flows

import (
	"fmt"
	"unicode/utf8"
)

// WhatsApp's limits on choices, as Twilio's Content API sends them inside
// the 24-hour window: quick-reply buttons (twilio/quick-reply) or a list
// picker (twilio/list-picker).
const (
	// WhatsAppMaxButtons is the most quick-reply buttons a message sent
	// inside the window without approval may carry.
	WhatsAppMaxButtons = 3
	// WhatsAppMaxButtonTitle is the most characters a button's title shows.
	WhatsAppMaxButtonTitle = 20
	// WhatsAppMaxListItems is the most items a list picker offers.
	WhatsAppMaxListItems = 10
	// WhatsAppMaxListItem is the most characters a list item's title shows.
	WhatsAppMaxListItem = 24
	// WhatsAppMaxChoiceText is the most characters of question text that
	// go with buttons or a list: Linkline sends the question as a Content
	// API variable, and a variable holds at most 255 characters.
	WhatsAppMaxChoiceText = 255
)

// ChoiceStyle is how a question's choices are shown on WhatsApp.
type ChoiceStyle string

// Choice styles on WhatsApp.
const (
	StyleButtons ChoiceStyle = "buttons" // quick-reply buttons
	StyleList    ChoiceStyle = "list"    // a list picker
	StyleTyped   ChoiceStyle = "typed"   // numbered lines, answered by typing
)

// WhatsAppStyle is how a question with text and choice labels is shown on
// WhatsApp, and, for anything but buttons, why not buttons. Typed answers
// are read whatever the style.
func WhatsAppStyle(text string, labels []string) (ChoiceStyle, string) {
	if len(labels) == 0 {
		return StyleTyped, "no choices"
	}
	if n := utf8.RuneCountInString(text); n > WhatsAppMaxChoiceText {
		return StyleTyped, fmt.Sprintf("the question is %d characters, more than go with buttons (%d)", n, WhatsAppMaxChoiceText)
	}
	longest, at := 0, ""
	for _, l := range labels {
		if n := utf8.RuneCountInString(l); n > longest {
			longest, at = n, l
		}
		if l == "" {
			return StyleTyped, "a choice has no label"
		}
	}
	switch {
	case len(labels) <= WhatsAppMaxButtons && longest <= WhatsAppMaxButtonTitle:
		return StyleButtons, ""
	case len(labels) > WhatsAppMaxListItems:
		return StyleTyped, fmt.Sprintf("%d choices, more than a list holds (%d)", len(labels), WhatsAppMaxListItems)
	case longest > WhatsAppMaxListItem:
		return StyleTyped, fmt.Sprintf("choice %q is %d characters, more than a list item shows (%d)", at, longest, WhatsAppMaxListItem)
	case len(labels) <= WhatsAppMaxButtons:
		return StyleList, fmt.Sprintf("choice %q is %d characters, more than a button shows (%d)", at, longest, WhatsAppMaxButtonTitle)
	}
	return StyleList, fmt.Sprintf("%d choices, more than %d buttons", len(labels), WhatsAppMaxButtons)
}

package bot

import (
	"strings"
)

// ButtonData is what a button carries back on channels with buttons: the
// choice's value and, when they fit in max bytes, the question it answers
// ("yes|self-referral/consent"), so a stale press can be told apart.
func ButtonData(value, question string, max int) string {
	if question == "" || strings.Contains(value, buttonMark) || len(value)+len(buttonMark)+len(question) > max {
		return value
	}
	return value + buttonMark + question
}

// ParseButtonData reads ButtonData's form back into an Inbound's Choice
// and Question; question is "" for a button that carried only a value.
func ParseButtonData(data string) (value, question string) {
	value, question, _ = strings.Cut(data, buttonMark)
	return value, question
}

// buttonMark separates a button's value from its question.
const buttonMark = "|"

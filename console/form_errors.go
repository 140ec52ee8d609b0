package console

import (
	"errors"
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/linkline/linkline/bot"
)

// Form errors follow the GOV.UK and NHS design systems' pattern, which is
// tested with assistive technology: the page comes back with what was
// typed kept, an error summary at the top of the page (a heading and a
// link to each field in error, focused on load by static/console.js), the
// message again at the field (tied to it with aria-describedby, the field
// marked aria-invalid) and "Error: " at the start of the page title
// (templates/layout.html).

// fieldError is one problem with a form: Field is the id of the input it
// is about ("" when it is about the form as a whole).
type fieldError struct {
	Field, Message string
}

// formErrors are a form's problems, in the order of the fields.
type formErrors []fieldError

// add records msg against the input with id field, written as a sentence.
func (e *formErrors) add(field, msg string) {
	*e = append(*e, fieldError{Field: field, Message: sentence(msg)})
}

// addErr records err's message against field: the message of an EInvalid
// error is meant for the person (see bot.Errorf).
func (e *formErrors) addErr(field string, err error) {
	var be *bot.Error
	if errors.As(err, &be) {
		e.add(field, be.Message)
		return
	}
	e.add(field, err.Error())
}

// at is the message for field, or "".
func (e formErrors) at(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// sentence starts msg with a capital and ends it with a full stop, as
// the error summary and the field show it.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// invalidAttrs are the attributes of a field in error: aria-invalid and
// aria-describedby naming its message (static/console.js adds the reply
// counter to the reply box's). Nothing for a field without an error.
func invalidAttrs(errs formErrors, field string) template.HTMLAttr {
	if errs.at(field) == "" {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + html.EscapeString(field+"-error") + `"`)
}

// fieldErrorHTML is the message shown at a field in error, with a hidden
// "Error:" so that a screen reader says what it is.
func fieldErrorHTML(errs formErrors, field string) template.HTML {
	msg := errs.at(field)
	if msg == "" {
		return ""
	}
	return template.HTML(`<p class="field-error" id="` + html.EscapeString(field) + `-error"><span class="visually-hidden">Error:</span> ` +
		html.EscapeString(msg) + `</p>`)
}

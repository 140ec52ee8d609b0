package bot

import (
	"errors"
	"fmt"
)

// Application error codes. The HTTP layers map them to status codes in one
// place; users never see internal error text.
const (
	EInvalid  = "invalid"   // bad input from a person, provider or operator
	ENotFound = "not_found" // no such record
	EConflict = "conflict"  // the record changed or already exists
	EInternal = "internal"  // everything else
)

// Error is an error with an application code and a message safe to show.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrNotFound is returned by Store lookups that find nothing.
var ErrNotFound = &Error{Code: ENotFound, Message: "not found"}

// EBusy is the code of ErrBusy.
const EBusy = "busy"

// ErrBusy is what Handle returns, before storing anything, when too many
// messages from one address are already waiting to be handled
// (Config.MaxWaiting). The channel should answer so that the provider
// sends the message again later (Telegram does; see the channel's docs for
// Twilio).
var ErrBusy = &Error{Code: EBusy, Message: "too many messages from this address are waiting; send it again later"}

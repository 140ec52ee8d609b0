package bolt

import (
	"fmt"

	"github.com/linkline/linkline/bot"
)

// PutEnrolment creates or replaces an enrolment token.
func (t *Tx) PutEnrolment(e *bot.Enrolment) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(e.Token, "enrolment"); err != nil {
		return err
	}
	return t.put(bEnrolments, []byte(e.Token), e)
}

// Enrolment returns the enrolment with the given token.
func (t *Tx) Enrolment(token string) (*bot.Enrolment, error) {
	e := new(bot.Enrolment)
	if token == "" {
		return nil, fmt.Errorf("enrolment: %w", bot.ErrNotFound)
	}
	if err := t.get(bEnrolments, []byte(token), e, "enrolment"); err != nil {
		return nil, err
	}
	return e, nil
}

// Setting returns the value stored under key.
func (t *Tx) Setting(key string) (string, error) {
	if key == "" {
		return "", fmt.Errorf("setting: %w", bot.ErrNotFound)
	}
	v := t.b(bSettings).Get([]byte(key))
	if v == nil {
		return "", fmt.Errorf("setting %s: %w", key, bot.ErrNotFound)
	}
	return string(v), nil
}

// PutSetting stores value under key.
func (t *Tx) PutSetting(key, value string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if key == "" {
		return bot.Errorf(bot.EInvalid, "setting: empty key")
	}
	if value == "" {
		return t.b(bSettings).Delete([]byte(key))
	}
	return t.b(bSettings).Put([]byte(key), []byte(value))
}

package bot

import "strings"

// mediaKey is the template that tells the person what arrived: for
// media[0] = "photo:..." it is core.media.photo where the locale has it,
// otherwise core.media.
func (t *turn) mediaKey(media []string) string {
	if len(media) == 0 {
		return "core.media"
	}
	kind, _, _ := strings.Cut(media[0], ":")
	if key := "core.media." + kind; kind != "" && t.e.cfg.Templates.Has(t.locale(), key) {
		return key
	}
	return "core.media"
}

// staleButton handles a button pressed under an earlier question (a
// double tap, or an old Yes pressed while the name is asked): it is not an
// answer. The person is told so and asked the current question again.
func (t *turn) staleButton(in *Inbound) (bool, error) {
	if in.Choice == "" || in.Question == "" {
		return false, nil
	}
	if t.conv != nil && t.conv.Status == ConvActive && in.Question == t.conv.FlowID+"/"+t.conv.State {
		return false, nil
	}
	if err := t.event(EventStaleButton, map[string]string{"question": in.Question}); err != nil {
		return true, err
	}
	if err := t.say("core.stale_button", nil); err != nil {
		return true, err
	}
	if t.conv == nil || t.conv.Status != ConvActive {
		return true, nil
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok || f.States[t.conv.State] == nil {
		return true, nil
	}
	return true, t.reask(f)
}

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

// EventStaleButton records a button press that answered no current
// question.
const EventStaleButton EventKind = "message.stale_button"

// sayMedia tells the person what arrived, once per album.
func (t *turn) sayMedia(in *Inbound) error {
	if in.Album != "" {
		if t.contact.LastAlbum == in.Album {
			return nil // answered for the album's first item
		}
		t.contact.LastAlbum = in.Album
		if err := t.tx.PutContact(t.contact); err != nil {
			return err
		}
	}
	return t.say(t.mediaKey(in.Media), nil)
}

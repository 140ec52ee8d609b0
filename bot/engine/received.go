package engine

import (
	"strings"

	"github.com/linkline/linkline/bot"
)

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
func (t *turn) staleButton(in *bot.Inbound) (bool, error) {
	if in.Choice == "" || in.Question == "" {
		return false, nil
	}
	if t.conv != nil && t.conv.Status == bot.ConvActive && in.Question == t.conv.FlowID+"/"+t.conv.State {
		return false, nil
	}
	if err := t.event(bot.EventStaleButton, map[string]string{"question": in.Question}); err != nil {
		return true, err
	}
	if err := t.say("core.stale_button", nil); err != nil {
		return true, err
	}
	if t.conv == nil || t.conv.Status != bot.ConvActive {
		return true, nil
	}
	f, ok := t.e.cfg.Flows.Flow(t.conv.FlowID)
	if !ok || f.States[t.conv.State] == nil {
		return true, nil
	}
	return true, t.reask(f)
}

// sayMedia tells the person what arrived, once per album.
func (t *turn) sayMedia(in *bot.Inbound) error {
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

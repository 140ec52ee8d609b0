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

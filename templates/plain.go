package templates

import (
	"html"
	"regexp"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// Plain turns an HTML message into the text a person reads on a channel
// without formatting (SMS, the transcript): tags removed, entities decoded.
func Plain(htmlText string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(htmlText, ""))
}

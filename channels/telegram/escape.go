package telegram

import "strings"

// ParseMode values for messages whose template asks for formatting.
const (
	ModeHTML       = "HTML"
	ModeMarkdownV2 = "MarkdownV2"
)

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// EscapeHTML makes s safe to put into a message sent with parse mode HTML,
// as text or as an attribute value: whatever s holds shows as written and
// cannot open, close or break a tag.
func EscapeHTML(s string) string { return htmlEscaper.Replace(s) }

var markdownV2Escaper = strings.NewReplacer(
	`\`, `\\`, "_", `\_`, "*", `\*`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
	"~", `\~`, "`", "\\`", ">", `\>`, "#", `\#`, "+", `\+`, "-", `\-`, "=", `\=`,
	"|", `\|`, "{", `\{`, "}", `\}`, ".", `\.`, "!", `\!`,
)

// EscapeMarkdownV2 makes s safe to put into a message sent with parse mode
// MarkdownV2 (outside code spans): every character Telegram reserves,
// the backslash included, is escaped, so s shows as written.
func EscapeMarkdownV2(s string) string { return markdownV2Escaper.Replace(s) }

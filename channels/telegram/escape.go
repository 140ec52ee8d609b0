package telegram

// ModeHTML is the parse mode of messages whose template asks for
// Telegram's HTML subset (the template escapes every value put into it).
const ModeHTML = "HTML"

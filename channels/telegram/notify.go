package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/linkline/linkline/bot"
)

// Notifier posts link-worker alerts to a Telegram chat, such as the link
// workers' group. Alerts carry no personal details: the urgency and a link
// to the person's record in the console.
type Notifier struct {
	b          *Bot
	chat       bot.Address
	consoleURL string
}

// Notifier returns a Notifier that posts to chatID. consoleURL is the
// console's base URL (LINKLINE_PUBLIC_URL); alerts link to
// <consoleURL>/console/contacts/<id>.
func (b *Bot) Notifier(chatID int64, consoleURL string) *Notifier {
	return &Notifier{b: b, chat: bot.Address{Channel: bot.Telegram, ID: strconv.FormatInt(chatID, 10)},
		consoleURL: strings.TrimRight(consoleURL, "/")}
}

// Notify posts one alert. New messages in a handoff are not posted (the
// console shows them); everything else is.
func (n *Notifier) Notify(ctx context.Context, a bot.Alert) error {
	text := AlertText(a, n.consoleURL)
	if text == "" {
		return nil
	}
	_, err := n.b.Send(ctx, &bot.Outbound{To: n.chat, Text: text})
	if err != nil {
		return fmt.Errorf("telegram alert: %w", err)
	}
	return nil
}

// AlertText is what link workers read about an alert, or "" for alerts
// not worth a post.
func AlertText(a bot.Alert, consoleURL string) string {
	var what string
	switch a.Kind {
	case bot.AlertHandoff:
		what = "Someone needs a link worker."
	case bot.AlertHandoffUnclaimed:
		what = "Still waiting: nobody has claimed this conversation yet."
	case bot.AlertConcern:
		// Possible risk: the person has been asked whether they are safe;
		// "no", an unclear answer or silence will raise an urgent alert.
		return "Possible risk: someone's words may show risk and they have been asked if they are safe, with the crisis numbers. Please look. Open: " + contactLink(a, consoleURL)
	default:
		return ""
	}
	if a.Urgent {
		what = "URGENT (risk): " + what + " They have been sent the crisis numbers."
	}
	return what + " Open: " + contactLink(a, consoleURL)
}

func contactLink(a bot.Alert, consoleURL string) string {
	link := "/console/contacts/" + a.ContactID
	if consoleURL != "" {
		link = consoleURL + link
	}
	return link
}

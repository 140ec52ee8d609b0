package engine

import (
	"strings"

	"github.com/linkline/linkline/bot"
)

// priority is the outbox priority of a row t queues: the crisis text, a
// link worker's reply, the bot's reply, or what the bot sends unasked.
func (t *turn) priority(o *bot.Outbound) bot.Priority {
	switch {
	case o.Urgent:
		return bot.PriorityCrisis
	case strings.HasPrefix(t.author, "worker:"):
		return bot.PriorityWorker
	case t.scheduled:
		return bot.PriorityScheduled
	}
	return bot.PriorityConversation
}

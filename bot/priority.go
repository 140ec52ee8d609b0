package bot

import "strings"

// priority is the outbox priority of a row t queues: the crisis text, a
// link worker's reply, the bot's reply, or what the bot sends unasked.
func (t *turn) priority(o *Outbound) Priority {
	switch {
	case o.Urgent:
		return PriorityCrisis
	case strings.HasPrefix(t.author, "worker:"):
		return PriorityWorker
	case t.scheduled:
		return PriorityScheduled
	}
	return PriorityConversation
}

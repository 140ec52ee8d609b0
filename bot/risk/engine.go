package risk

import "github.com/linkline/linkline/bot"

// Screen screens text for the engine: it is how a *Screen is a
// bot.Screener.
func (s *Screen) Screen(text string, recent []string) bot.Screening {
	r := s.Check(text, recent)
	out := bot.Screening{Request: r.Request.Found(), Distress: r.Distress.Found()}
	if f := r.Risk; f.Found() {
		tier := bot.RiskConcern
		if f.Tier == Urgent {
			tier = bot.RiskUrgent
		}
		out.Risk = bot.Risk{Tier: tier, Category: f.Category, Rule: f.Rule, Words: f.Words}
	} else if f := r.Noted; f.Found() {
		out.Noted = bot.Risk{Tier: bot.RiskNoted, Category: f.Category, Rule: f.Rule, Words: f.Words}
	}
	return out
}

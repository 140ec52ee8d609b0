package main

import (
	"slices"
	"strings"
	"time"

	"github.com/linkline/linkline/channels/twilio"
	"github.com/linkline/linkline/channels/twilio/twiliotest"
)

// targets are the servers --url names: one, or several instances on one
// PostgreSQL database separated by commas, loaded in turn as a
// round-robin load balancer would.
func (o loadOptions) targets() []string {
	var out []string
	for _, u := range strings.Split(o.URL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// target returns the SMS webhook URL message i goes to, and the URL its
// signature covers: --public-url when set (every instance is reached on
// it), else the instance's own.
func (o loadOptions) target(i int) (target, signFor string) {
	ts := o.targets()
	base := ts[i%len(ts)]
	signFor = base
	if o.PublicURL != "" {
		signFor = strings.TrimRight(o.PublicURL, "/")
	}
	return base + twilio.SMSPath, signFor + twilio.SMSPath
}

// replyLag is, for each reply the fake Twilio took after start, how long
// after the answer to its number's latest message before it (sender.lag):
// the time a reply waited in the outbox (and for the pace) after its turn
// committed. Replies to numbers with no answered message before them are
// left out.
func replyLag(fake *twiliotest.Server, senders []*sender, start time.Time) []time.Duration {
	by := make(map[string]*sender, len(senders))
	for _, s := range senders {
		by[s.from] = s
	}
	var lag []time.Duration
	for _, m := range fake.Messages() {
		s := by[strings.TrimPrefix(m.To, twilio.WhatsAppPrefix)]
		if s == nil || m.At.Before(start) {
			continue
		}
		if l, ok := s.lag(m.At); ok {
			lag = append(lag, l)
		}
	}
	slices.Sort(lag)
	return lag
}

// lag is how long after the answer to the number's latest message sent
// before at a reply taken at at waited; false if none was. The message is
// found by when it was sent, not answered: a reply can reach the fake
// Twilio before the webhook's answer reaches loadgen (the turn committed,
// and the dispatcher was quicker than the answer's way back), and is then
// counted as no wait, not as a wait since the number's message before
// (which a run with each number writing every 10 s showed as 10 s).
func (s *sender) lag(at time.Time) (time.Duration, bool) {
	i, _ := slices.BinarySearchFunc(s.posted, at, func(p, t time.Time) int { return p.Compare(t) })
	if i == 0 {
		return 0, false
	}
	return max(at.Sub(s.answered[i-1]), 0), true
}

// sendGaps reports, over the replies the fake Twilio took after start,
// the longest time it took none (what a failover costs the people
// waiting) and how many replies repeated the one before them to the same
// number (sent twice: a row whose sender died before recording it).
func sendGaps(fake *twiliotest.Server, start time.Time) (gap time.Duration, twice int) {
	last := map[string]string{}
	prev := start
	for _, m := range fake.Messages() {
		if m.At.Before(start) {
			continue
		}
		gap = max(gap, m.At.Sub(prev))
		prev = m.At
		if last[m.To] == m.Body {
			twice++
		}
		last[m.To] = m.Body
	}
	return gap, twice
}

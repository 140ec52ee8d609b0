package directory

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/templates"
)

// Signposter finds services near a person's postcode for their needs and
// words them for a text message. It implements bot.Signposter.
type Signposter struct {
	Matcher *Matcher
	// MaxKm is how far away a service may be. Default 10.
	MaxKm float64
	Clock bot.Clock
}

var _ bot.Signposter = (*Signposter)(nil)

// Signpost returns up to q.Limit services near q.Postcode for q.Needs,
// best first, each with the message to send. A postcode that cannot be
// placed (see Locate) gets none.
func (s *Signposter) Signpost(ctx context.Context, tx bot.Tx, q bot.SignpostQuery) ([]bot.SignpostOffer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	from, _, err := Locate(tx, q.Postcode)
	if errors.Is(err, ErrNoLocation) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := time.Now()
	if s.Clock != nil {
		now = s.Clock.Now()
	}
	ms := s.Matcher.Match(Query{From: from, HasFrom: true, MaxKm: s.MaxKm, Needs: q.Needs, Skip: q.Skip, Limit: q.Limit, Now: now})
	out := make([]bot.SignpostOffer, 0, len(ms))
	for _, m := range ms {
		out = append(out, bot.SignpostOffer{ServiceID: m.Service.ID, Name: m.Service.Name, Feed: m.Service.Feed,
			Text: OfferText(m), DistanceKm: m.DistanceKm})
	}
	return out, nil
}

// maxOfferSegments is the most SMS segments one service's message may take.
const maxOfferSegments = 2

// OfferText is a service as a text message: its name, how far away, one
// line about it, whether it is free, when it is on and how to get in
// touch, in plain GSM-7 and at most two SMS segments (less detail is
// given until it fits).
func OfferText(m Match) string {
	s := m.Service
	head := s.Name
	if m.HasDistance {
		head += " - " + Distance(m.DistanceKm)
	}
	head += "."
	summary := s.Summary
	if summary != "" && !strings.HasSuffix(summary, ".") && !strings.HasSuffix(summary, "!") && !strings.HasSuffix(summary, "?") {
		summary += "."
	}
	free := ""
	if s.Free {
		free = "It is free."
	}
	when := When(s.Schedules)
	var contact []string
	if s.Phone != "" {
		contact = append(contact, "Call "+s.Phone+".")
	}
	if s.Email != "" && s.Phone == "" {
		contact = append(contact, "Email "+s.Email+".")
	}
	if s.URL != "" {
		contact = append(contact, "See "+s.URL)
	}
	join := func(parts ...string) string {
		var b []string
		for _, p := range parts {
			if p != "" {
				b = append(b, p)
			}
		}
		return strings.Join(b, " ")
	}
	fits := func(t string) bool {
		n, ucs2 := templates.Segments(t)
		return n <= maxOfferSegments && !ucs2
	}
	c := strings.Join(contact, " ")
	for _, try := range []string{
		join(head, summary, free, when, c),
		join(head, summary, free, c),
	} {
		if fits(try) {
			return try
		}
	}
	// Shorten the description, then drop the web link, then the name.
	c1 := c
	if len(contact) > 1 {
		c1 = contact[0]
	}
	for _, cc := range []string{c, c1} {
		rest := join(head, free, cc)
		room := 2*153 - len(rest) - 1
		if room > 30 {
			if t := join(head, Shorten(summary, room), free, cc); fits(t) {
				return t
			}
		}
		if fits(rest) {
			return rest
		}
	}
	return Shorten(join(head, free, c1), 2*153)
}

// Distance says how far away something is, in miles, for a person.
func Distance(km float64) string {
	miles := km / 1.609344
	switch {
	case miles < 1:
		return "under a mile away"
	case math.Round(miles) == 1:
		return "about 1 mile away"
	}
	return fmt.Sprintf("about %d miles away", int(math.Round(miles)))
}

// When says when a service is on, from its first timed schedule ("On
// Mondays, 10am to 12pm."), or "" when the feed does not say.
func When(scheds []bot.DirSchedule) string {
	for _, s := range scheds {
		if len(s.Weekdays) == 0 || s.Opens == "" {
			continue
		}
		var days []string
		for _, d := range s.Weekdays {
			days = append(days, d.String()+"s")
		}
		list := days[0]
		if len(days) > 1 {
			list = strings.Join(days[:len(days)-1], ", ") + " and " + days[len(days)-1]
		}
		t := "On " + list + ", " + ampm(s.Opens)
		if s.Closes != "" {
			t += " to " + ampm(s.Closes)
		}
		return t + "."
	}
	return ""
}

// ampm writes "14:30" as "2:30pm" and "10:00" as "10am".
func ampm(hhmm string) string {
	h, m := clock(hhmm)
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h12, m, suffix)
}

// Offer words the stored service id for a person at postcode, with the
// distance from it when the postcode can be placed.
func (s *Signposter) Offer(ctx context.Context, tx bot.Tx, id, postcode string) (bot.SignpostOffer, error) {
	if err := ctx.Err(); err != nil {
		return bot.SignpostOffer{}, err
	}
	svc, err := tx.DirService(id)
	if err != nil {
		return bot.SignpostOffer{}, err
	}
	m := Match{Service: svc, Free: svc.Free}
	if postcode != "" {
		if from, _, err := Locate(tx, postcode); err == nil {
			for _, l := range svc.Locations {
				if !l.HasPoint {
					continue
				}
				if d := haversineKm(from, bot.GeoPoint{Lat: l.Lat, Lon: l.Lon}); !m.HasDistance || d < m.DistanceKm {
					m.DistanceKm, m.HasDistance = d, true
				}
			}
		} else if !errors.Is(err, ErrNoLocation) {
			return bot.SignpostOffer{}, err
		}
	}
	return bot.SignpostOffer{ServiceID: svc.ID, Name: svc.Name, Feed: svc.Feed, Text: OfferText(m), DistanceKm: m.DistanceKm}, nil
}

package engine

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/linkline/linkline/bot"
)

// FollowHours keeps e's service hours, and the hours people are told,
// in step with those an admin saved in the store (bot.ReadHoursSetting),
// reading them when wake receives (another instance saved hours: a
// wake-up sent after its commit) and every interval in any case, until
// ctx ends; wake may be nil. The console puts hours it saves in force on
// its own instance at once; with several instances on one database
// (PostgreSQL) the others follow on the wake-up, or within every if it
// was lost. Saved hours that do not parse are logged once and the hours
// in force kept. Hours removed from the store leave the hours in force as
// they are.
func FollowHours(ctx context.Context, store bot.Store, e *Engine, every time.Duration, wake <-chan struct{}, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var last bot.HoursSetting
	same := func(a, b bot.HoursSetting) bool {
		return a.Spec == b.Spec && a.Zone == b.Zone && a.Text == b.Text && slices.Equal(a.Closed, b.Closed)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		var s bot.HoursSetting
		var ok bool
		err := store.View(ctx, func(tx bot.Tx) error {
			var err error
			s, ok, err = bot.ReadHoursSetting(tx)
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("service hours: read saved hours", "err", err)
			}
			continue
		}
		if !ok || same(s, last) {
			continue
		}
		last = s
		h, err := s.Parse()
		if err != nil {
			log.Error("saved service hours do not parse; keeping those in force", "err", err)
			continue
		}
		if cur := e.Hours(); cur != nil && cur.Spec == h.Spec && cur.Loc.String() == h.Loc.String() &&
			(s.Text == "" || e.Service().Hours == s.Text) && sameClosed(cur, s.Closed) {
			continue // already in force (this instance saved them)
		}
		e.SetHours(h)
		if s.Text != "" {
			svc := e.Service()
			svc.Hours = s.Text
			e.SetService(svc)
		}
		log.Info("service hours changed on another instance; now in force", "hours", h.Spec, "timezone", h.Loc.String())
	}
}

// sameClosed reports whether h is closed on exactly the dates in closed.
func sameClosed(h *bot.Hours, closed []string) bool {
	n := 0
	for _, d := range closed {
		if d == "" {
			continue
		}
		if !h.Closed[d] {
			return false
		}
		n++
	}
	return n == len(h.Closed)
}

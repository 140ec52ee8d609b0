package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func activeHandoffs(t *testing.T, s bot.Store, limit int) []string {
	t.Helper()
	var got []*bot.Handoff
	view(t, s, func(tx bot.Tx) (err error) { got, err = collect(limit, tx.ActiveHandoffs); return err })
	return ids(got, func(h *bot.Handoff) string { return h.ContactID })
}

func testHandoffs(t *testing.T, s bot.Store) {
	full := &bot.Handoff{ContactID: "c1", Status: bot.HandoffOpen, Reason: bot.ReasonAsked, Detail: "asked for a person",
		OpenedAt: t0.Add(time.Minute), Alerts: 1}
	hs := []*bot.Handoff{
		full,
		{ContactID: "c2", Status: bot.HandoffOpen, Urgent: true, Reason: bot.ReasonRisk, OpenedAt: t0.Add(2 * time.Minute)},
		{ContactID: "c3", Status: bot.HandoffOpen, OpenedAt: t0},
		{ContactID: "c4", Status: bot.HandoffOpen, Urgent: true, OpenedAt: t0.Add(5 * time.Minute)},
	}
	update(t, s, func(tx bot.Tx) error {
		for _, h := range hs {
			if err := tx.PutHandoff(h); err != nil {
				return err
			}
		}
		return nil
	})
	if full.ID == "" || full.ID == hs[1].ID {
		t.Fatalf("handoff ids %q, %q: want distinct non-empty ids", full.ID, hs[1].ID)
	}
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.Handoff(full.ID)
		if err != nil || !reflect.DeepEqual(got, full) {
			t.Errorf("Handoff = %+v, %v\nwant %+v", got, err, full)
		}
		_, err = tx.Handoff("nope")
		wantNotFound(t, "Handoff(unknown)", err)
		if got, err := tx.ActiveHandoff("c3"); err != nil || got.ID != hs[2].ID {
			t.Errorf("ActiveHandoff(c3) = %+v, %v; want %s", got, err, hs[2].ID)
		}
		_, err = tx.ActiveHandoff("c9")
		wantNotFound(t, "ActiveHandoff(contact without one)", err)
		return nil
	})
	steps := []struct {
		name  string
		write func(tx bot.Tx) error
		want  []string
	}{
		{"urgent first, then oldest", nil, []string{"c2", "c4", "c3", "c1"}},
		{"claimed stays active", func(tx bot.Tx) error {
			hs[2].Status, hs[2].ClaimedBy, hs[2].ClaimedAt = bot.HandoffClaimed, "u1", t0.Add(time.Hour)
			return tx.PutHandoff(hs[2])
		}, []string{"c2", "c4", "c3", "c1"}},
		{"resolved leaves", func(tx bot.Tx) error {
			hs[1].Status, hs[1].ResolvedBy, hs[1].ResolvedAt = bot.HandoffResolved, "u1", t0.Add(time.Hour)
			return tx.PutHandoff(hs[1])
		}, []string{"c4", "c3", "c1"}},
		{"urgency raised", func(tx bot.Tx) error {
			full.Urgent = true
			return tx.PutHandoff(full)
		}, []string{"c1", "c4", "c3"}},
		{"new one after resolution", func(tx bot.Tx) error {
			return tx.PutHandoff(&bot.Handoff{ContactID: "c2", Status: bot.HandoffOpen, OpenedAt: t0.Add(2 * time.Hour)})
		}, []string{"c1", "c4", "c3", "c2"}},
	}
	for _, st := range steps {
		if st.write != nil {
			update(t, s, st.write)
		}
		if got := activeHandoffs(t, s, 0); !slices.Equal(got, st.want) {
			t.Errorf("%s: ActiveHandoffs = %v, want %v", st.name, got, st.want)
		}
	}
	if got := activeHandoffs(t, s, 2); len(got) != 2 {
		t.Errorf("ActiveHandoffs stopping after 2: %v", got)
	}
	view(t, s, func(tx bot.Tx) error {
		_, err := tx.Handoff(hs[1].ID)
		if err != nil {
			t.Errorf("resolved handoff no longer readable: %v", err)
		}
		if got, err := tx.ActiveHandoff("c2"); err != nil || got.ID == hs[1].ID {
			t.Errorf("ActiveHandoff(c2) = %+v, %v; want the new one", got, err)
		}
		return nil
	})
	// A second active handoff for one contact is refused.
	var perr error
	second := &bot.Handoff{ContactID: "c1", Status: bot.HandoffOpen, OpenedAt: t0}
	update(t, s, func(tx bot.Tx) error { perr = tx.PutHandoff(second); return nil })
	if bot.ErrorCode(perr) != bot.EConflict {
		t.Errorf("second active handoff for c1: err = %v, want code %s", perr, bot.EConflict)
	}
	view(t, s, func(tx bot.Tx) error {
		if got, err := tx.ActiveHandoff("c1"); err != nil || got.ID != full.ID {
			t.Errorf("after refused second, ActiveHandoff(c1) = %+v, %v; want %s", got, err, full.ID)
		}
		return nil
	})
	if got := activeHandoffs(t, s, 0); len(got) != 4 {
		t.Errorf("after refused second, ActiveHandoffs = %v; want 4", got)
	}
}

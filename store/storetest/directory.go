package storetest

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

func testDirectory(t *testing.T, s bot.Store) {
	svc := []*bot.DirService{
		{ID: "kendal:2", Feed: "kendal", SourceID: "2", Name: "Walk and Talk", Free: true, Version: "3",
			Locations: []bot.DirLocation{{Name: "Hall", Postcode: "LA9 4AB", Lat: 54.33, Lon: -2.74, HasPoint: true}},
			Schedules: []bot.DirSchedule{{Weekdays: []time.Weekday{time.Monday}, Opens: "10:00", Closes: "12:00"}},
			Costs:     []bot.DirCost{{Amount: 0, HasAmount: true, Currency: "GBP"}},
			Terms:     []string{"kendal:walk"}, UpdatedAt: t0},
		{ID: "kendal:1", Feed: "kendal", SourceID: "1", Name: "Debt advice", Version: "3", UpdatedAt: t0},
		{ID: "stroud:1", Feed: "stroud", SourceID: "1", Name: "Carers centre", Version: "1", UpdatedAt: t0},
	}
	update(t, s, func(tx bot.Tx) error {
		for _, x := range svc {
			if err := tx.PutDirService(x); err != nil {
				return err
			}
		}
		return tx.PutDirTerm(&bot.DirTerm{ID: "kendal:walk", Feed: "kendal", Name: "Walking"})
	})
	view(t, s, func(tx bot.Tx) error {
		got, err := tx.DirService("kendal:2")
		if err != nil || !reflect.DeepEqual(got, svc[0]) {
			t.Errorf("DirService(kendal:2) = %+v, %v; want %+v", got, err, svc[0])
		}
		_, err = tx.DirService("nope")
		wantNotFound(t, "DirService(nope)", err)
		k, err := collect(0, func(fn func(*bot.DirService) bool) error { return tx.DirServices("kendal", fn) })
		if err != nil {
			return err
		}
		if g := ids(k, func(s *bot.DirService) string { return s.ID }); !reflect.DeepEqual(g, []string{"kendal:1", "kendal:2"}) {
			t.Errorf("DirServices(kendal) = %v, want [kendal:1 kendal:2]", g)
		}
		all, err := collect(0, func(fn func(*bot.DirService) bool) error { return tx.DirServices("", fn) })
		if err != nil || len(all) != 3 {
			t.Errorf("DirServices(\"\") = %d, %v; want 3", len(all), err)
		}
		terms, err := collect(0, func(fn func(*bot.DirTerm) bool) error { return tx.DirTerms(fn) })
		if err != nil || len(terms) != 1 || terms[0].Name != "Walking" {
			t.Errorf("DirTerms = %+v, %v; want the one term", terms, err)
		}
		return nil
	})
	// Moving a service to another feed moves its index entry; deleting
	// removes it from both.
	update(t, s, func(tx bot.Tx) error {
		moved := *svc[1]
		moved.Feed = "stroud"
		if err := tx.PutDirService(&moved); err != nil {
			return err
		}
		if err := tx.DeleteDirService("kendal:2"); err != nil {
			return err
		}
		return tx.DeleteDirService("never-there")
	})
	view(t, s, func(tx bot.Tx) error {
		k, err := collect(0, func(fn func(*bot.DirService) bool) error { return tx.DirServices("kendal", fn) })
		if err != nil || len(k) != 0 {
			t.Errorf("DirServices(kendal) after move and delete = %d, %v; want none", len(k), err)
		}
		st, err := collect(0, func(fn func(*bot.DirService) bool) error { return tx.DirServices("stroud", fn) })
		if err != nil || len(st) != 2 {
			t.Errorf("DirServices(stroud) = %d, %v; want 2", len(st), err)
		}
		return nil
	})
	// Postcodes round-trip to about a metre; outward codes are kept apart.
	update(t, s, func(tx bot.Tx) error {
		if err := tx.PutPostcode("LA9 4AB", bot.GeoPoint{Lat: 54.32871, Lon: -2.74629}); err != nil {
			return err
		}
		return tx.PutOutwardCode("LA9", bot.GeoPoint{Lat: 54.33, Lon: -2.75})
	})
	view(t, s, func(tx bot.Tx) error {
		p, err := tx.Postcode("LA9 4AB")
		if err != nil || math.Abs(p.Lat-54.32871) > 1e-5 || math.Abs(p.Lon+2.74629) > 1e-5 {
			t.Errorf("Postcode(LA9 4AB) = %+v, %v", p, err)
		}
		_, err = tx.Postcode("LA9")
		wantNotFound(t, "Postcode(LA9)", err)
		o, err := tx.OutwardCode("LA9")
		if err != nil || math.Abs(o.Lat-54.33) > 1e-5 {
			t.Errorf("OutwardCode(LA9) = %+v, %v", o, err)
		}
		_, err = tx.OutwardCode("ZZ1")
		wantNotFound(t, "OutwardCode(ZZ1)", err)
		if err := tx.PutPostcode("LA9 4AB", bot.GeoPoint{}); err == nil {
			t.Error("PutPostcode in a View succeeded")
		}
		return nil
	})
}

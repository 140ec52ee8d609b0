package transfer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/postgres"
	"github.com/linkline/linkline/store/postgres/pgtest"
	"github.com/linkline/linkline/store/transfer"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// fill writes some of every kind of record, as a service that has run a
// while has, and returns ids to look up afterwards.
func fill(t *testing.T, s bot.Store) map[string]string {
	t.Helper()
	ids := map[string]string{}
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		for i := range 3 {
			c := &bot.Contact{Name: fmt.Sprint("Person ", i), Addresses: []bot.Address{{Channel: bot.SMS, ID: fmt.Sprint("+44770090012", i)}}, CreatedAt: t0}
			if err := tx.PutContact(c); err != nil {
				return err
			}
			ids[fmt.Sprint("contact", i)] = c.ID
			if err := tx.PutConversation(&bot.Conversation{ContactID: c.ID, FlowID: "self-referral", State: "name"}); err != nil {
				return err
			}
			for j := range 4 {
				dir := bot.In
				if j%2 == 1 {
					dir = bot.Out
				}
				if err := tx.AppendMessage(&bot.Message{ContactID: c.ID, Direction: dir, Text: fmt.Sprint("words ", i, j), At: t0.Add(time.Duration(j) * time.Minute)}); err != nil {
					return err
				}
			}
			r := &bot.Referral{ContactID: c.ID, Name: c.Name, Status: bot.ReferralStatus("new"), Needs: []string{"loneliness"}, CreatedAt: t0.Add(time.Duration(i) * time.Hour)}
			if err := tx.PutReferral(r); err != nil {
				return err
			}
			o := &bot.Outbound{ContactID: c.ID, To: c.Addresses[0], Text: "hello", Status: bot.StatusPending, NextAttempt: t0,
				Owner: "old-dispatcher", LeaseUntil: t0.Add(time.Minute), ProviderID: fmt.Sprint("SM", i)}
			if err := tx.Enqueue(o); err != nil {
				return err
			}
			ids[fmt.Sprint("outbound", i)] = fmt.Sprint(o.ID)
			if err := tx.PutTimer(&bot.Timer{ID: "remind:" + c.ID, Due: t0.Add(time.Hour), Kind: bot.TimerRemind, ContactID: c.ID}); err != nil {
				return err
			}
			if _, err := tx.MarkSeen(c.ID, fmt.Sprint("SMin", i), t0); err != nil {
				return err
			}
			e := &bot.Event{At: t0, Kind: "referral.created", ContactID: c.ID}
			if err := tx.AddEvent(e); err != nil {
				return err
			}
			ids[fmt.Sprint("event", i)] = fmt.Sprint(e.ID)
			if err := tx.PutSurveyResult(&bot.SurveyResult{ContactID: c.ID, Survey: "ons4", At: t0}); err != nil {
				return err
			}
			if err := tx.PutSchedule(&bot.Schedule{ContactID: c.ID, Flow: "ons4", Every: bot.Monthly, Start: t0, CreatedAt: t0}); err != nil {
				return err
			}
		}
		h := &bot.Handoff{ContactID: ids["contact0"], Status: bot.HandoffOpen, Urgent: true, OpenedAt: t0}
		if err := tx.PutHandoff(h); err != nil {
			return err
		}
		ids["handoff"] = h.ID
		if err := tx.PutEnrolment(&bot.Enrolment{Token: "tok", ContactID: ids["contact1"], CreatedAt: t0, Expires: t0.Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.PutSetting("telegram.offset", "42"); err != nil {
			return err
		}
		u := &bot.User{Email: "ann@example.org", Name: "Ann", CreatedAt: t0}
		if err := tx.PutUser(u); err != nil {
			return err
		}
		ids["user"] = u.ID
		if err := tx.PutSession(&bot.Session{Token: "hash", UserID: u.ID, Expires: t0.Add(time.Hour), CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.AddAudit(&bot.AuditEntry{At: t0, UserID: u.ID, Action: "view"}); err != nil {
			return err
		}
		if err := tx.PutDirService(&bot.DirService{ID: "f:1", Feed: "f", Name: "Walking group"}); err != nil {
			return err
		}
		if err := tx.PutDirTerm(&bot.DirTerm{ID: "t1", Feed: "f", Name: "Walking"}); err != nil {
			return err
		}
		if err := tx.PutPostcode("LA9 4AB", bot.GeoPoint{Lat: 54.3281, Lon: -2.7463}); err != nil {
			return err
		}
		return tx.PutOutwardCode("LA9", bot.GeoPoint{Lat: 54.32, Lon: -2.74})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// check looks the records up by the ids they had, through the indexes,
// and then makes new ones, which must get new ids.
func check(t *testing.T, name string, s bot.Store, ids map[string]string) {
	t.Helper()
	err := s.Update(context.Background(), func(tx bot.Tx) error {
		c, err := tx.ContactByAddress(bot.Address{Channel: bot.SMS, ID: "+447700900121"})
		if err != nil || c.ID != ids["contact1"] {
			t.Errorf("%s: contact by address = %v, %v; want %s", name, c, err, ids["contact1"])
		}
		var n int
		if err := tx.Messages(ids["contact1"], func(*bot.Message) bool { n++; return true }); err != nil || n != 4 {
			t.Errorf("%s: %d messages, %v; want 4", name, n, err)
		}
		if m, err := tx.LastInbound(ids["contact2"]); err != nil || m.Text != "words 2 2" {
			t.Errorf("%s: last inbound = %v, %v", name, m, err)
		}
		if o, err := tx.OutboundByProviderID("SM2"); err != nil || fmt.Sprint(o.ID) != ids["outbound2"] || o.Owner != "old-dispatcher" || !o.LeaseUntil.Equal(t0.Add(time.Minute)) {
			t.Errorf("%s: outbound by provider id = %+v, %v; want id %s with its lease", name, o, err, ids["outbound2"])
		}
		// Pending rows are claimable once their lease runs out.
		got, err := tx.ClaimOutbound(bot.OutboxClaim{Owner: "new", Channel: bot.SMS, Now: t0.Add(2 * time.Minute), Lease: time.Minute, Limit: 10})
		if err != nil || len(got) != 3 {
			t.Errorf("%s: claimed %d, %v; want the 3 pending rows", name, len(got), err)
		}
		if h, err := tx.ActiveHandoff(ids["contact0"]); err != nil || h.ID != ids["handoff"] {
			t.Errorf("%s: active handoff = %v, %v", name, h, err)
		}
		if u, err := tx.UserByEmail("ANN@example.org"); err != nil || u.ID != ids["user"] {
			t.Errorf("%s: user by email = %v, %v", name, u, err)
		}
		if seen, err := tx.MarkSeen(ids["contact1"], "SMin1", t0); !seen || err != nil {
			t.Errorf("%s: seen id not copied with its contact: %v, %v", name, seen, err)
		}
		if seen, err := tx.MarkSeen(ids["contact2"], "SMin1", t0); seen || err != nil {
			t.Errorf("%s: seen id copied to another contact: %v, %v", name, seen, err)
		}
		var due []string
		if err := tx.DueTimers(t0.Add(2*time.Hour), func(tm *bot.Timer) bool { due = append(due, tm.ID); return true }); err != nil || len(due) != 3 {
			t.Errorf("%s: due timers %v, %v", name, due, err)
		}
		var found []string
		if err := tx.SearchContacts("person", 0, func(c *bot.Contact) bool { found = append(found, c.ID); return true }); err != nil || len(found) != 3 {
			t.Errorf("%s: search found %v, %v; want 3", name, found, err)
		}
		if p, err := tx.Postcode("LA9 4AB"); err != nil || p.Lat != float64(float32(54.3281)) {
			t.Errorf("%s: postcode = %v, %v", name, p, err)
		}
		var evs []string
		if err := tx.EventsSince("", func(e *bot.Event, _ bot.EventCursor) bool { evs = append(evs, fmt.Sprint(e.ID)); return true }); err != nil ||
			!reflect.DeepEqual(evs, []string{ids["event0"], ids["event1"], ids["event2"]}) {
			t.Errorf("%s: events %v, %v; want %v", name, evs, err, ids)
		}
		// New records get ids beyond the copied ones.
		nc := &bot.Contact{Name: "New", CreatedAt: t0}
		if err := tx.PutContact(nc); err != nil {
			return err
		}
		for k, v := range ids {
			if strings.HasPrefix(k, "contact") && v == nc.ID {
				t.Errorf("%s: a new contact got the copied id %s", name, v)
			}
		}
		e := &bot.Event{At: t0, Kind: "new"}
		if err := tx.AddEvent(e); err != nil {
			return err
		}
		if e.ID <= parse(ids["event2"]) {
			t.Errorf("%s: a new event got id %d, not after the copied %s", name, e.ID, ids["event2"])
		}
		o := &bot.Outbound{ContactID: nc.ID, To: bot.Address{Channel: bot.SMS, ID: "1"}, NextAttempt: t0}
		if err := tx.Enqueue(o); err != nil {
			return err
		}
		if o.ID <= parse(ids["outbound2"]) {
			t.Errorf("%s: a new outbox row got id %d, not after the copied %s", name, o.ID, ids["outbound2"])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func parse(s string) uint64 {
	var n uint64
	fmt.Sscan(s, &n)
	return n
}

// TestCopyBoltToPostgresAndBack: every record survives bbolt → PostgreSQL
// → bbolt with its id, the indexes find them, and new records get new ids.
func TestCopyBoltToPostgresAndBack(t *testing.T) {
	ctx := context.Background()
	src, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "src.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ids := fill(t, src)

	pg, err := postgres.Open(ctx, pgtest.URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	rep, err := transfer.Copy(ctx, src, pg)
	if err != nil {
		t.Fatal(err)
	}
	want := "contact=3 conversation=3 message=12 referral=3 outbound=3 timer=3 seen=3 event=3 handoff=1 enrolment=1 setting=1 user=1 session=1 audit=1 survey=3 schedule=3 dir_service=1 dir_term=1 postcode=2"
	if got := rep.Counts.String(); got != want {
		t.Errorf("copied %s\nwant   %s", got, want)
	}
	// Copying again into a database that has records is refused.
	if _, err := transfer.Copy(ctx, src, pg); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second copy into the same database: %v; want a refusal", err)
	}

	back, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "back.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if rep, err := transfer.Copy(ctx, pg, back); err != nil || rep.Counts.String() != want {
		t.Fatalf("copy back: %v, %v", rep.Counts, err)
	}
	check(t, "postgres", pg, ids)
	check(t, "bbolt again", back, ids)
}

// Package storetest is the conformance suite for bot.Store. Every backend
// runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) bot.Store { return open(t) })
//	}
//
// Passing it means a backend keeps the promises bot.Store and bot.Tx make,
// and a few the engine relies on that their comments imply: index order
// (by time, then by creation), one owner per address, one active handoff
// per contact, deleting an absent
// timer being harmless, and cancelled contexts stopping work before it
// starts.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// Run runs the suite. open must return a new, empty store each time it is
// called; Run closes every store it opens.
func Run(t *testing.T, open func(t *testing.T) bot.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s bot.Store)
	}{
		{"Rollback", testRollback},
		{"ReadOnlyView", testReadOnlyView},
		{"CancelledContext", testCancelledContext},
		{"Seen", testSeen},
		{"ForgetSeen", testForgetSeen},
		{"Contacts", testContacts},
		{"ContactAddressIndex", testContactAddressIndex},
		{"ContactAddressConflict", testContactAddressConflict},
		{"Conversations", testConversations},
		{"Messages", testMessages},
		{"Referrals", testReferrals},
		{"Outbox", testOutbox},
		{"OutboxPendingOrder", testOutboxPendingOrder},
		{"OutboxProviderID", testOutboxProviderID},
		{"Timers", testTimers},
		{"TakeTimer", testTakeTimer},
		{"ClaimOutbound", testClaimOutbound},
		{"Handoffs", testHandoffs},
		{"Events", testEvents},
		{"EnrolmentsAndSettings", testEnrolmentsAndSettings},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Audit", testAudit},
		{"EventCursor", testEventCursor},
		{"ContactsScan", testContactsScan},
		{"SurveyResults", testSurveyResults},
		{"Schedules", testSchedules},
		{"Directory", testDirectory},
		{"DeleteContact", testDeleteContact},
		{"DeleteRecords", testDeleteRecords},
		{"PrivacyScans", testPrivacyScans},
		{"WriteDuringScan", testWriteDuringScan},
		{"ScanDeletesAhead", testScanDeletesAhead},
		{"ScanDeleteEach", testScanDeleteEach},
		{"ForgetSeenMany", testForgetSeenMany},
		{"ContactEventsDeleteEach", testContactEventsDeleteEach},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"SearchIndexes", testSearchIndexes},
		{"ReferralsByStatus", testReferralsByStatus},
		{"LastInbound", testLastInbound},
		{"ContactEvents", testContactEvents},
		{"DeleteSessions", testDeleteSessions},
		{"TakeToken", testTakeToken},
		{"LockKey", testLockKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// t0 is the suite's "now". Times are UTC so that they compare equal with ==
// after a round trip through the store.
var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// longAgo is before any time the suite writes.
var longAgo = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

var errBoom = errors.New("boom")

func update(t *testing.T, s bot.Store, fn func(tx bot.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func view(t *testing.T, s bot.Store, fn func(tx bot.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("%s: err = %v, want bot.ErrNotFound", what, err)
	}
}

// collect gathers what a Tx iterator passes, stopping after limit (0: all).
func collect[T any](limit int, iter func(func(*T) bool) error) ([]*T, error) {
	var out []*T
	err := iter(func(v *T) bool {
		out = append(out, v)
		return limit == 0 || len(out) < limit
	})
	return out, err
}

func ids[T any](items []*T, id func(*T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func testCancelledContext(t *testing.T, s bot.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func(context.Context, func(bot.Tx) error) error{
		"Update": s.Update, "View": s.View,
	} {
		ran := false
		err := run(ctx, func(bot.Tx) error { ran = true; return nil })
		if !errors.Is(err, context.Canceled) || ran {
			t.Errorf("%s with a cancelled context: err = %v, fn ran = %v; want context.Canceled and fn not run", name, err, ran)
		}
	}
}

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

// test is one conformance test on a new, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s bot.Store)
}

// suite is the conformance suite, grouped as bot.Tx is composed: the
// transaction itself, then one group per record interface (bot.ContactTx,
// bot.OutboxTx, ...), then the data protection paths that cross records.
// A backend's test names say which interface failed, e.g.
// TestStore/OutboxTx/ClaimOutbound.
var suite = []struct {
	group string
	tests []test
}{
	{"Tx", []test{
		{"Rollback", testRollback},
		{"ReadOnlyView", testReadOnlyView},
		{"CancelledContext", testCancelledContext},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"LockKey", testLockKey},
		{"WriteDuringScan", testWriteDuringScan},
		{"ScanDeletesAhead", testScanDeletesAhead},
	}},
	{"ContactTx", []test{
		{"Contacts", testContacts},
		{"ContactAddressIndex", testContactAddressIndex},
		{"ContactAddressConflict", testContactAddressConflict},
		{"ContactsScan", testContactsScan},
		{"SearchIndexes", testSearchIndexes},
		{"DeleteContact", testDeleteContact},
	}},
	{"ConversationTx", []test{
		{"Conversations", testConversations},
	}},
	{"TranscriptTx", []test{
		{"Messages", testMessages},
		{"LastInbound", testLastInbound},
		{"ScanDeleteEach", testScanDeleteEach},
		{"Seen", testSeen},
		{"ForgetSeen", testForgetSeen},
		{"ForgetSeenMany", testForgetSeenMany},
		{"ForgetSeenOverTime", testForgetSeenOverTime},
	}},
	{"OutboxTx", []test{
		{"Outbox", testOutbox},
		{"OutboxPendingOrder", testOutboxPendingOrder},
		{"OutboxProviderID", testOutboxProviderID},
		{"ClaimOutbound", testClaimOutbound},
	}},
	{"TimerTx", []test{
		{"Timers", testTimers},
		{"TakeTimer", testTakeTimer},
		{"ArmTimer", testArmTimer},
	}},
	{"HandoffTx", []test{
		{"Handoffs", testHandoffs},
	}},
	{"ReferralTx", []test{
		{"Referrals", testReferrals},
		{"ReferralsByStatus", testReferralsByStatus},
	}},
	{"UserTx", []test{
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"DeleteSessions", testDeleteSessions},
		{"TakeToken", testTakeToken},
	}},
	{"LimitTx", []test{
		{"Limits", testLimits},
		{"LimitsBounded", testLimitsBounded},
	}},
	{"LogTx", []test{
		{"Audit", testAudit},
		{"Events", testEvents},
		{"EventCursor", testEventCursor},
		{"ContactEvents", testContactEvents},
		{"ContactEventsDeleteEach", testContactEventsDeleteEach},
		{"EventsOfKind", testEventsOfKind},
	}},
	{"CheckinTx", []test{
		{"SurveyResults", testSurveyResults},
		{"Schedules", testSchedules},
	}},
	{"SettingTx", []test{
		{"EnrolmentsAndSettings", testEnrolmentsAndSettings},
	}},
	{"DirectoryTx", []test{
		{"Directory", testDirectory},
	}},
	{"Privacy", []test{
		{"DeleteRecords", testDeleteRecords},
		{"PrivacyScans", testPrivacyScans},
	}},
}

// Run runs the suite. open must return a new, empty store each time it is
// called; Run closes every store it opens.
func Run(t *testing.T, open func(t *testing.T) bot.Store) {
	for _, g := range suite {
		t.Run(g.group, func(t *testing.T) {
			for _, tt := range g.tests {
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

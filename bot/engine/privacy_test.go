package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/bot/privacy"
	"github.com/linkline/linkline/store/bolt"
	"github.com/linkline/linkline/store/teststore"
	"github.com/linkline/linkline/store/transfer"
	bbolt "go.etcd.io/bbolt"
)

// notPersonal are the buckets that hold nothing about a contact: the
// schema, console users and their sessions, service settings, and the
// service directory and postcode lookup (what a person was offered from the
// directory is kept on their referral), and the console's sign-in limits
// (keyed by hashes).
var notPersonal = []string{"meta", "users", "user_email", "sessions", "settings",
	"dir_services", "dir_feed", "dir_terms", "postcodes", "tokens", "tokens_full", "limits", "limits_exp"}

// rawScan closes the world's store and calls fn with every key and value
// of every bucket in the file, then opens the store again.
func (w *world) rawScan(fn func(bucket string, k, v []byte)) {
	w.t.Helper()
	if teststore.Postgres() {
		w.rawScanPG(fn)
		return
	}
	if err := w.store.Close(); err != nil {
		w.t.Fatal(err)
	}
	db, err := bbolt.Open(w.path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		w.t.Fatal(err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			fn(string(name), nil, nil) // every bucket is named, empty or not
			return b.ForEach(func(k, v []byte) error { fn(string(name), k, v); return nil })
		})
	})
	db.Close()
	if err != nil {
		w.t.Fatal(err)
	}
	w.open()
}

// exportScan calls fn with every record the store exports (store/transfer),
// decoded from its JSON.
func (w *world) exportScan(fn func(kind string, rec map[string]any)) {
	w.t.Helper()
	src, ok := w.store.(transfer.Source)
	if !ok {
		w.t.Fatalf("%T cannot export", w.store)
	}
	n := 0
	err := src.Export(context.Background(), func(kind string, data []byte) error {
		var rec map[string]any
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("%s %s: %w", kind, data, err)
		}
		n++
		fn(kind, rec)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if n == 0 {
		w.t.Fatal("the store exported nothing")
	}
}

// everything gives the person at addr a record that touches every bucket
// that can hold something about a person: a submitted referral, a risk
// entry with its urgent handoff (left open), a check-in schedule, a survey
// result, an enrolment, a link worker's note, a second address, a viewed
// record, and a reply still waiting in the outbox.
func everything(t *testing.T, w *world, addr string) *bot.Contact {
	t.Helper()
	ctx := context.Background()
	for _, text := range []string{"hi", "yes", "Sam Jones", "12 March 1958", "sw1a 1aa", "Riverside Surgery", "yes",
		"Getting out more", "1, 3", "2", "morning", "1", "no"} {
		w.send(addr, text)
	}
	w.send(addr, "my cat Biscuit says hello")
	c := w.contact(addr)
	s := &bot.Schedule{ContactID: c.ID, Flow: "carer-checkin", Every: bot.Weekly, Weekday: time.Monday, LocalTime: "10:00"}
	if err := w.engine.AddSchedule(ctx, s); err != nil {
		t.Fatal(err)
	}
	score := 7
	err := w.store.Update(ctx, func(tx bot.Tx) error {
		c, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		c.Addresses = append(c.Addresses, bot.Address{Channel: bot.Telegram, ID: "98765432"})
		if err := tx.PutContact(c); err != nil {
			return err
		}
		if err := tx.PutSurveyResult(&bot.SurveyResult{ContactID: c.ID, Survey: "ons4", FlowID: "ons4", Version: 1,
			At: w.clock.Now(), Items: map[string]*int{"satisfied": &score}}); err != nil {
			return err
		}
		if err := tx.PutEnrolment(&bot.Enrolment{Token: "tok-sam", ContactID: c.ID, CreatedAt: w.clock.Now(), Expires: w.clock.Now().Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.AddEvent(&bot.Event{At: w.clock.Now(), Kind: "contact.note", ContactID: c.ID,
			Data: map[string]string{"note": "rang, left a message", "by": "u1"}}); err != nil {
			return err
		}
		if bt, ok := tx.(*bolt.Tx); ok { // PostgreSQL indexes events as they are added
			if _, err := bt.IndexEvents(0); err != nil {
				return err
			}
		}
		if err := tx.PutUser(&bot.User{Email: "jo@example.org", CreatedAt: w.clock.Now()}); err != nil {
			return err
		}
		if err := tx.PutSession(&bot.Session{Token: "h", UserID: "u1", Expires: w.clock.Now().Add(time.Hour)}); err != nil {
			return err
		}
		return tx.AddAudit(&bot.AuditEntry{At: w.clock.Now(), UserID: "u1", Action: bot.AuditView, ContactID: c.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	// The risk message's replies are left in the outbox, unsent.
	a, _ := bot.ParseAddress(addr)
	if err := w.engine.Handle(ctx, bot.Inbound{Address: a, Text: "i want to end it all", ProviderID: "risk-1"}); err != nil {
		t.Fatal(err)
	}
	return w.contact(addr)
}

func TestExportHoldsEverything(t *testing.T) {
	w := newWorld(t)
	c := everything(t, w, person)
	seen := map[string]bool{}
	w.rawScan(func(b string, k, _ []byte) { seen[b] = seen[b] || k != nil })
	skip := notPersonal
	if teststore.Postgres() {
		skip = notPersonalPG
	}
	for b, full := range seen {
		if !full && !slices.Contains(skip, b) {
			t.Errorf("bucket %s is empty: the test no longer touches it (or a new bucket was added: teach export and erase about it, then fill it here)", b)
		}
	}

	x, err := w.privacy.Export(context.Background(), c.ID, "cli")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"schema", "exported_at", "contact", "consent", "conversation", "messages", "referrals",
		"survey_results", "handoffs", "events", "schedules", "timers", "enrolments", "outbox", "audit", "provider_ids"} {
		v, ok := doc[key]
		if !ok || string(v) == "null" || string(v) == "[]" {
			t.Errorf("export %q = %s, want something", key, v)
		}
	}
	if x.Schema != privacy.ExportSchema || !x.ExportedAt.Equal(w.clock.Now()) {
		t.Errorf("schema %q, exported_at %v", x.Schema, x.ExportedAt)
	}
	for _, want := range []string{"+447700900123", "98765432", "Sam Jones", "Biscuit", "Riverside Surgery", "end it all",
		"rang, left a message", "carer-checkin", `"referral_id"`, `"consent_to_share":true`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export does not hold %q", want)
		}
	}
	if strings.Contains(string(data), "tok-sam") {
		t.Error("export holds an enrolment token")
	}
	if len(x.Audit) != 1 || x.Audit[0].Action != bot.AuditView {
		t.Errorf("export audit = %+v, want the one view (the export itself is recorded after)", x.Audit)
	}
	exports := 0
	err = w.store.View(context.Background(), func(tx bot.Tx) error {
		return tx.Audit(func(a *bot.AuditEntry) bool {
			if a.Action == bot.AuditExport && a.ContactID == c.ID && a.UserID == "cli" {
				exports++
			}
			return true
		})
	})
	if err != nil || exports != 1 {
		t.Errorf("export audit entries = %d, %v; want 1", exports, err)
	}
	// By address too.
	if y, err := w.privacy.Export(context.Background(), "telegram:98765432", "cli"); err != nil || y.Contact.ID != c.ID {
		t.Errorf("export by address = %v, %v", y, err)
	}
	if _, err := w.privacy.Export(context.Background(), "c-nobody", "cli"); bot.ErrorCode(err) != bot.ENotFound {
		t.Errorf("export of nobody: %v, want not found", err)
	}
}

func TestEraseKeepsTheCareRecordOnly(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := everything(t, w, person)
	if _, err := w.privacy.Erase(ctx, c.ID, "cli", false); bot.ErrorCode(err) != bot.EConflict {
		t.Fatalf("erase with an open urgent handoff: %v, want a conflict", err)
	}
	h := w.handoff(person)
	if _, err := w.engine.TakeOver(ctx, c.ID, "u1"); err != nil {
		t.Fatal(err)
	}
	if err := w.engine.Resolve(ctx, h.ID, "u1", "spoke to Sam, safe", false); err != nil {
		t.Fatal(err)
	}
	dry, err := w.privacy.Erase(ctx, person, "u1", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.contact(person).ID != c.ID {
		t.Fatal("a dry run changed something")
	}
	er, err := w.privacy.Erase(ctx, c.ID, "u1", false)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Summary() != er.Summary() {
		t.Errorf("dry run said %q, erase did %q", dry.Summary(), er.Summary())
	}
	if er.ContactDeleted || er.Kept[privacy.KeptReferrals] != 1 || er.Kept[privacy.KeptSurveyResults] != 1 || er.Kept[privacy.KeptHandoffs] != 1 ||
		er.Removed[privacy.ErasedAddresses] != 2 || er.Removed[privacy.ErasedMessages] == 0 || er.Removed[privacy.ErasedOutbox] == 0 ||
		er.Removed[privacy.ErasedSchedules] != 1 || er.Removed[privacy.ErasedEnrolments] != 1 || er.Removed[privacy.ErasedConversation] != 1 {
		t.Errorf("erasure = %+v", er)
	}

	// Nothing of what went is anywhere in the file, under any bucket; what
	// is kept is only where the care record is.
	allowed := map[string][]string{
		"Sam Jones":            {"contacts", "referrals"},
		"Riverside Surgery":    {"referrals"},
		"end it all":           {"events"}, // the PRSB risk entry
		"rang, left a message": {"events"}, // the link worker's note
	}
	gone := []string{"7700900123", "98765432", "Biscuit", "tok-sam", "say hello"}
	mustBeEmpty := []string{"addrs", "convs", "messages", "outbox", "pending", "provider", "timers", "due",
		"schedules", "sched_contact", "enrolments", "handoff_active", "handoff_contact"}
	w.rawScan(func(b string, k, v []byte) {
		if k == nil {
			return
		}
		if slices.Contains(mustBeEmpty, b) {
			t.Errorf("bucket %s still holds %q", b, k)
		}
		for _, s := range gone {
			if bytes.Contains(k, []byte(s)) || bytes.Contains(v, []byte(s)) {
				t.Errorf("bucket %s still holds %q (key %q)", b, s, k)
			}
		}
		for s, where := range allowed {
			if bytes.Contains(v, []byte(s)) && !slices.Contains(where, b) {
				t.Errorf("bucket %s holds %q, which only %v may keep", b, s, where)
			}
		}
	})

	var kept *bot.Contact
	var kinds []bot.EventKind
	var audit *bot.AuditEntry
	err = w.store.View(ctx, func(tx bot.Tx) error {
		var err error
		if kept, err = tx.Contact(c.ID); err != nil {
			return err
		}
		if err := tx.Events(func(e *bot.Event) bool { kinds = append(kinds, e.Kind); return true }); err != nil {
			return err
		}
		return tx.Audit(func(a *bot.AuditEntry) bool {
			if a.Action == bot.AuditErase {
				audit = a
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if kept.Name != "Sam Jones" || len(kept.Addresses) != 0 || len(kept.Recent) != 0 {
		t.Errorf("kept contact = %+v, want the name only", kept)
	}
	for _, k := range []bot.EventKind{bot.EventReferralCreated, bot.EventRisk, bot.EventHandoffOpened, "contact.note", bot.EventErased} {
		if !slices.Contains(kinds, k) {
			t.Errorf("event %s was not kept (kept %v)", k, kinds)
		}
	}
	if slices.Contains(kinds, bot.EventConvStarted) {
		t.Errorf("conversation events were kept: %v", kinds)
	}
	if audit == nil || audit.UserID != "u1" || audit.Detail != er.Summary() || !strings.Contains(audit.Detail, "messages=") {
		t.Errorf("erase audit entry = %+v", audit)
	}

	// A message from the old number is a new person, who starts afresh.
	got := w.send(person, "hello")
	if !contains(got, "put you in touch with a link worker") {
		t.Errorf("a new message from the erased number got %q", got)
	}
	if n := w.contact(person); n.ID == c.ID || len(w.transcript(person)) != 1+len(got) {
		t.Errorf("new contact %s with %d messages, want a fresh one", n.ID, len(w.transcript(person)))
	}
}

func TestEraseWithoutCareRecordRemovesTheContact(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const who = "sms:+447700900555"
	w.send(who, "hi")
	w.send(who, "no thanks")
	c := w.contact(who)
	er, err := w.privacy.Erase(ctx, c.ID, "cli", false)
	if err != nil || !er.ContactDeleted || er.Removed[privacy.ErasedContact] != 1 || er.Removed[privacy.ErasedEvents] == 0 {
		t.Fatalf("erase without a care record = %+v, %v; want the contact and its events removed", er, err)
	}
	if _, err := w.privacy.Erase(ctx, c.ID, "cli", false); bot.ErrorCode(err) != bot.ENotFound {
		t.Fatalf("erase again: %v, want not found", err)
	}
	w.rawScan(func(b string, k, v []byte) {
		if k == nil {
			return
		}
		if bytes.Contains(v, []byte(`"contact_id":"`+c.ID+`"`)) && b != "audit" {
			t.Errorf("bucket %s still holds a record of %s: %s", b, c.ID, v)
		}
		// bbolt keys a contact's records by its id (the contact) or its id
		// then a zero byte (its conversation, provider ids, transcript).
		if bytes.HasPrefix(k, []byte(c.ID+"\x00")) || string(k) == c.ID {
			t.Errorf("bucket %s still holds key %q of %s", b, k, c.ID)
		}
		// The hour index of provider ids: an hour, then the contact id.
		if b == "seen_hour" && len(k) > 8 && string(k[8:]) == c.ID {
			t.Errorf("bucket %s still holds key %q of %s", b, k, c.ID)
		}
		if bytes.Contains(k, []byte("7700900555")) || bytes.Contains(v, []byte("7700900555")) {
			t.Errorf("bucket %s still holds the number", b)
		}
	})
	// Most of what a contact leaves is stored in a binary form the scan
	// above cannot read (store/bolt/codec.go): the store's own export
	// decodes every record.
	w.exportScan(func(kind string, rec map[string]any) {
		if rec["contact_id"] == c.ID && kind != "audit" {
			t.Errorf("%s still holds a record of %s: %v", kind, c.ID, rec)
		}
	})
	err = w.store.View(ctx, func(tx bot.Tx) error {
		_, err := tx.Contact(c.ID)
		if bot.ErrorCode(err) != bot.ENotFound {
			t.Errorf("contact after erase: %v", err)
		}
		n := 0
		if err := tx.Audit(func(a *bot.AuditEntry) bool {
			if a.Action == bot.AuditErase && a.ContactID == c.ID && strings.Contains(a.Detail, "contact=1") {
				n++
			}
			return true
		}); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("%d erase audit entries naming the removed contact, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

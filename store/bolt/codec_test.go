package bolt

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
)

// filler sets every field of a record, recursively, to a value that is
// not its zero and that no other field of the record has (a running
// count), so a field added to a record kind that codec.go does not write,
// or two fields of a type it writes in each other's place, make the round
// trips below fail instead of being lost from every stored record. Bools
// have only one value that is not zero: TestCodecBools sets them one at a
// time.
type filler struct {
	t     *testing.T
	n     int                    // values given so far
	bool  func(path string) bool // the value of each bool; nil: true
	bools []string               // the path of every bool set
}

// fill fills the record v points to, whose fields' paths start with its
// type's name.
func (f *filler) fill(v any) any {
	f.value(reflect.ValueOf(v).Elem(), reflect.TypeOf(v).Elem().Name())
	return v
}

func (f *filler) value(v reflect.Value, path string) {
	f.t.Helper()
	f.n++
	n := f.n
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d-%s", n, path))
	case reflect.Bool:
		f.bools = append(f.bools, path)
		v.SetBool(f.bool == nil || f.bool(path))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(-int64(n))
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		v.SetUint(uint64(n) + 1<<20)
	case reflect.Uint8:
		v.SetUint(uint64(n)%200 + 1)
	case reflect.Float64:
		v.SetFloat(float64(n) + 0.75)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.value(v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			f.value(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			f.value(k, fmt.Sprintf("%s.key%d", path, i))
			e := reflect.New(v.Type().Elem()).Elem()
			f.value(e, fmt.Sprintf("%s.value%d", path, i))
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			at := time.Date(2026, 12, 5, 1, 2, 3, 456789, time.UTC)
			v.Set(reflect.ValueOf(at.Add(time.Duration(n) * (time.Hour + time.Nanosecond))))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.value(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	default:
		f.t.Fatalf("fill: %s is a %s, which this test does not know: teach it, and codec.go", path, v.Kind())
	}
}

func TestCodecRoundTrip(t *testing.T) {
	full := func(v any) any { return (&filler{t: t}).fill(v) }
	cases := []struct {
		name string
		v    any
	}{
		{"contact, every field", full(new(bot.Contact))},
		{"contact, zero", new(bot.Contact)},
		{"contact, empty addresses", &bot.Contact{Addresses: []bot.Address{}}},
		{"contact, nil flood bucket", &bot.Contact{ID: "c1", Flood: map[string]*bot.FloodBucket{"sms:+44": nil}}},
		{"conversation, every field", full(new(bot.Conversation))},
		{"conversation, zero", new(bot.Conversation)},
		{"message, every field", full(new(bot.Message))},
		{"message, zero", new(bot.Message)},
		{"outbound, every field", full(new(bot.Outbound))},
		{"outbound, zero", new(bot.Outbound)},
		{"timer, every field", full(new(bot.Timer))},
		{"timer, zero", new(bot.Timer)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			decode := func(b []byte) (any, error) {
				got := reflect.New(reflect.TypeOf(tc.v).Elem()).Interface()
				return got, decodeRecord(b, got)
			}
			enc, err := encodeRecord(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if isJSON(enc) {
				t.Fatal("encoded as JSON")
			}
			got, err := decode(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.v) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tc.v)
			}
			// What JSON gave before: the same record after a JSON round
			// trip, and the same JSON again (what Export passes on).
			js, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			fromJSON, err := decode(js)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, fromJSON) {
				t.Errorf("binary and JSON records decode differently:\nbinary %+v\n  json %+v", got, fromJSON)
			}
			if again, _ := json.Marshal(got); !bytes.Equal(again, js) {
				t.Errorf("JSON of the decoded record\n%s\nwant\n%s", again, js)
			}
			if again, _ := encodeRecord(tc.v); !bytes.Equal(again, enc) {
				t.Error("the same record encoded to different bytes")
			}
			// Every truncation fails, and none panics.
			for n := range len(enc) {
				if _, err := decode(enc[:n]); err == nil {
					t.Fatalf("decoding the first %d of %d bytes succeeded", n, len(enc))
				}
			}
			if _, err := decode(append(bytes.Clone(enc), 0)); err == nil {
				t.Error("a record with a byte left over decoded")
			}
		})
	}
}

// TestCodecBools: each bool of each record kind, set alone (every other
// field filled), comes back set alone: two bools written or read in each
// other's place (Outbound.Urgent and Final) fail here, where a record with
// every bool true cannot tell.
func TestCodecBools(t *testing.T) {
	for _, kind := range []func() any{
		func() any { return new(bot.Contact) },
		func() any { return new(bot.Conversation) },
		func() any { return new(bot.Message) },
		func() any { return new(bot.Outbound) },
		func() any { return new(bot.Timer) },
	} {
		all := &filler{t: t}
		all.fill(kind())
		name := reflect.TypeOf(kind()).Elem().Name()
		if len(all.bools) == 0 && name != "Timer" {
			t.Errorf("%s: no bools found", name)
		}
		for _, on := range all.bools {
			v := (&filler{t: t, bool: func(path string) bool { return path == on }}).fill(kind())
			enc, err := encodeRecord(v)
			if err != nil {
				t.Fatal(err)
			}
			got := kind()
			if err := decodeRecord(enc, got); err != nil {
				t.Fatalf("%s: %v", on, err)
			}
			if !reflect.DeepEqual(got, v) {
				t.Errorf("%s alone set: round trip\n got %+v\nwant %+v", on, got, v)
			}
		}
	}
}

// TestCodecTimes: times come back as encoding/json gave them: the same
// instant, UTC for offset zero, a fixed zone for other offsets.
func TestCodecTimes(t *testing.T) {
	for _, at := range []time.Time{
		{},
		time.Date(2026, 12, 5, 1, 2, 3, 4, time.UTC),
		time.Date(2026, 7, 5, 1, 2, 3, 999999999, time.FixedZone("BST", 3600)),
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.FixedZone("", -5*3600)),
		time.Date(2026, 12, 5, 1, 2, 3, 4, time.UTC).Local(),
		time.Now(), // with a monotonic reading, which neither form keeps
	} {
		c := bot.Conversation{StartedAt: at}
		var fromBin, fromJSON bot.Conversation
		if err := decodeConversation(encodeConversation(nil, &c), &fromBin); err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(&c)
		if err := decodeConversation(js, &fromJSON); err != nil {
			t.Fatal(err)
		}
		if !fromBin.StartedAt.Equal(at) {
			t.Errorf("%v came back as %v", at, fromBin.StartedAt)
		}
		if !reflect.DeepEqual(fromBin.StartedAt, fromJSON.StartedAt) {
			t.Errorf("%v: binary gave %#v, JSON %#v", at, fromBin.StartedAt, fromJSON.StartedAt)
		}
	}
}

// TestCodecGolden pins the stored layouts: records written by this release
// must decode in every later one. If this fails, add a new version byte
// rather than changing the layout.
func TestCodecGolden(t *testing.T) {
	at := time.Date(2026, 12, 5, 0, 0, 0, 5, time.UTC)
	contact := bot.Contact{
		ID: "c1", Addresses: []bot.Address{{Channel: "sms", ID: "+447700900123"}}, Name: "Sam",
		Locale: "cy", CreatedAt: at, Recent: []string{"hi"}, LastInboundAt: at,
		SafetyRisk: &bot.Risk{Tier: "high", Category: "suicide", Rule: "r1"},
		Flood:      map[string]*bot.FloodBucket{"sms:+447700900123": {TokenBucket: bot.TokenBucket{Tokens: 1.5, At: at}}},
	}
	conv := bot.Conversation{
		ContactID: "c1", FlowID: "referral", FlowVersion: 3, State: "ask_name",
		Answers: map[string]string{"b": "2", "a": "1"}, Status: "active", Step: 7,
		RemindAt: at, Invalid: 1, StartedAt: at, UpdatedAt: at,
	}
	message := bot.Message{ID: 42, ContactID: "c1", Direction: "in", Author: "person",
		Address: bot.Address{Channel: "sms", ID: "+447700900123"}, Text: "yes", At: at, ProviderID: "SM1"}
	outbound := bot.Outbound{ID: 9, ContactID: "c1", To: bot.Address{Channel: "sms", ID: "+447700900123"}, Text: "Thanks",
		Choices: []bot.Choice{{Value: "1", Label: "Yes"}}, CreatedAt: at, Priority: 3, Status: "pending",
		NextAttempt: at, UpdatedAt: at}
	timer := bot.Timer{ID: "remind:c1", Due: at, Kind: "remind", ContactID: "c1", Step: 4}
	const (
		timerHex   = "050972656d696e643a63310180d09ab10d05000672656d696e640263310400"
		messageHex = "032a02633102696e06706572736f6e03736d730d2b34343737303039303031323303796573000180" +
			"d09ab10d050003534d31000000"
		outboundHex = "040902633103736d730d2b343437373030393030313233065468616e6b7301013103596573000000" +
			"0180d09ab10d050000000000000300000770656e64696e67000180d09ab10d0500000000000180d0" +
			"9ab10d0500"
		contactHex = "010263310203736d730d2b3434373730303930303132330353616d0263790180d09ab10d05000000" +
			"00010268690180d09ab10d0500000000010468696768077375696369646502723100000111736d73" +
			"3a2b34343737303039303031323301000000000000f83f0180d09ab10d05000000"
		convHex = "0202633108726566657272616c060861736b5f6e616d65020161013101620132066163746976" +
			"65070180d09ab10d050000020000000180d09ab10d05000180d09ab10d0500"
	)
	for _, tc := range []struct {
		name   string
		hex    string
		encode func() []byte
		check  func([]byte) error
	}{
		{"contact", contactHex, func() []byte { return encodeContact(nil, &contact) }, func(b []byte) error {
			var got bot.Contact
			if err := decodeContact(b, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(&got, &contact) {
				return fmt.Errorf("decoded %+v", got)
			}
			return nil
		}},
		{"conversation", convHex, func() []byte { return encodeConversation(nil, &conv) }, func(b []byte) error {
			var got bot.Conversation
			if err := decodeConversation(b, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(&got, &conv) {
				return fmt.Errorf("decoded %+v", got)
			}
			return nil
		}},
		{"message", messageHex, func() []byte { return encodeMessage(nil, &message) }, func(b []byte) error {
			var got bot.Message
			if err := decodeMessage(b, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(&got, &message) {
				return fmt.Errorf("decoded %+v", got)
			}
			return nil
		}},
		{"outbound", outboundHex, func() []byte { return encodeOutbound(nil, &outbound) }, func(b []byte) error {
			var got bot.Outbound
			if err := decodeOutbound(b, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(&got, &outbound) {
				return fmt.Errorf("decoded %+v", got)
			}
			return nil
		}},
		{"timer", timerHex, func() []byte { return encodeTimer(nil, &timer) }, func(b []byte) error {
			var got bot.Timer
			if err := decodeTimer(b, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(&got, &timer) {
				return fmt.Errorf("decoded %+v", got)
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := hex.DecodeString(tc.hex)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.encode(); !bytes.Equal(got, want) {
				t.Errorf("encoded\n%x\nwant\n%x", got, want)
			}
			if err := tc.check(want); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOldJSONRecords: a database written before the binary form (JSON
// contacts, conversations, messages, outbox rows and timers) reads, saves and exports as before, and a
// saved record is rewritten in the binary form.
func TestOldJSONRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "linkline.db")
	db := openTest(t, path)
	db.Close()

	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := bot.Contact{ID: "c9", Addresses: []bot.Address{{Channel: "sms", ID: "+447700900999"}}, Name: "Old Record",
		CreatedAt: at, Recent: []string{"hello"}}
	conv := bot.Conversation{ContactID: "c9", FlowID: "referral", State: "ask_name", Status: "active", Step: 3,
		Answers: map[string]string{"name": "Old"}, StartedAt: at, UpdatedAt: at}
	m := bot.Message{ID: 7, ContactID: "c9", Direction: "in", Author: "person", Address: c.Addresses[0], Text: "hello", At: at}
	o := bot.Outbound{ID: 5, ContactID: "c9", To: c.Addresses[0], Text: "Hi", CreatedAt: at, Status: bot.StatusSent,
		ProviderID: "SM5", NextAttempt: at, UpdatedAt: at}
	cj, _ := json.Marshal(&c)
	vj, _ := json.Marshal(&conv)
	tm := bot.Timer{ID: "remind:c9", Due: at, Kind: "remind", ContactID: "c9", Step: 3}
	mj, _ := json.Marshal(&m)
	oj, _ := json.Marshal(&o)
	tj, _ := json.Marshal(&tm)
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		// As schema 1 wrote them: JSON, the conversation in its own bucket.
		convs, err := tx.CreateBucketIfNotExists(bConvs)
		if err != nil {
			return err
		}
		return errors.Join(tx.Bucket(bMeta).Put(kSchema, u64(1)),
			tx.Bucket(bContacts).Put([]byte("c9"), cj), convs.Put([]byte("c9"), vj),
			tx.Bucket(bAddrs).Put([]byte("sms:+447700900999"), []byte("c9")),
			tx.Bucket(bMessages).Put(join(msgPrefix("c9"), u64(7)), mj), tx.Bucket(bOutbox).Put(u64(5), oj),
			tx.Bucket(bProvider).Put([]byte("SM5"), u64(5)),
			tx.Bucket(bTimers).Put([]byte(tm.ID), tj), tx.Bucket(bDue).Put(dueKey(&tm), nil))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	db = openTest(t, path)
	defer db.Close()
	exported := func() map[string][]byte {
		out := map[string][]byte{}
		if err := db.Export(ctx, func(kind string, data []byte) error {
			if kind == "contact" || kind == "conversation" || kind == "message" || kind == "outbound" || kind == "timer" {
				out[kind] = bytes.Clone(data)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := map[string][]byte{"contact": cj, "conversation": vj, "message": mj, "outbound": oj, "timer": tj}
	if before := exported(); !reflect.DeepEqual(before, want) {
		t.Fatalf("export of JSON records changed them:\n%s\nwant\n%s", before, want)
	}
	err = db.Update(ctx, func(tx bot.Tx) error {
		got, err := tx.ContactByAddress(bot.Address{Channel: "sms", ID: "+447700900999"})
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, &c) {
			return fmt.Errorf("contact read as %+v", got)
		}
		gotConv, err := tx.Conversation("c9")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(gotConv, &conv) {
			return fmt.Errorf("conversation read as %+v", gotConv)
		}
		var gotMsg *bot.Message
		if err := tx.Messages("c9", func(m *bot.Message) bool { gotMsg = m; return true }); err != nil {
			return err
		}
		if !reflect.DeepEqual(gotMsg, &m) {
			return fmt.Errorf("message read as %+v", gotMsg)
		}
		gotOut, err := tx.Outbound(5)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(gotOut, &o) {
			return fmt.Errorf("outbound read as %+v", gotOut)
		}
		later := tm
		later.Due = at.Add(time.Hour)
		if wrote, err := tx.ArmTimer(&later); err != nil || wrote {
			return fmt.Errorf("arming a later timer over the stored one: wrote %v, %v", wrote, err)
		}
		return errors.Join(tx.PutContact(got), tx.PutConversation(gotConv), tx.PutOutbound(gotOut), tx.PutTimer(&tm))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx bot.Tx) error {
		btx := tx.(*Tx)
		if v := btx.b(bContacts).Get([]byte("c9")); isJSON(v) {
			return fmt.Errorf("saved contact is still JSON: %s", v)
		}
		if v := btx.b(bContacts).Get(convKey("c9")); isJSON(v) {
			return fmt.Errorf("saved conversation is still JSON: %s", v)
		}
		if v := btx.b(bTimers).Get([]byte(tm.ID)); isJSON(v) {
			return fmt.Errorf("saved timer is still JSON: %s", v)
		}
		if v := btx.b(bOutbox).Get(u64(5)); isJSON(v) {
			return fmt.Errorf("saved outbox row is still JSON: %s", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := exported(); !reflect.DeepEqual(after, want) {
		t.Errorf("export after the binary rewrite differs:\n%s\nwant\n%s", after, want)
	}
}

package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkline/linkline/bot"
)

// TestCodecRefusesWhatJSONCannotWrite: a record holding a time or number
// JSON cannot write is refused when written (as json.Marshal refused it
// before the binary form), so Export and a person's subject-access export
// keep working; the values at the edge of what JSON writes are stored.
func TestCodecRefusesWhatJSONCannotWrite(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, filepath.Join(t.TempDir(), "linkline.db"))
	defer db.Close()
	addr := bot.Address{Channel: "telegram", ID: "42"}
	setup := &bot.Contact{ID: "c1", Addresses: []bot.Address{addr}, CreatedAt: time.Now()}
	if err := db.Update(ctx, func(tx bot.Tx) error { return tx.PutContact(setup) }); err != nil {
		t.Fatal(err)
	}
	year10000 := time.Unix(253402300800, 0).UTC() // 10000-01-01, as a forged Telegram date gives
	lastNs := time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	zone := func(off int) *time.Location { return time.FixedZone("", off) }
	message := func(at time.Time) func(bot.Tx) error {
		return func(tx bot.Tx) error {
			return tx.AppendMessage(&bot.Message{ContactID: "c1", Direction: "in", Author: "person", Address: addr, Text: "hi", At: at})
		}
	}
	contact := func(edit func(*bot.Contact)) func(bot.Tx) error {
		return func(tx bot.Tx) error {
			c := &bot.Contact{ID: "c2", CreatedAt: time.Now()}
			edit(c)
			return tx.PutContact(c)
		}
	}
	flood := func(tokens float64) func(bot.Tx) error {
		return contact(func(c *bot.Contact) {
			c.Flood = map[string]*bot.FloodBucket{"telegram:42": {TokenBucket: bot.TokenBucket{Tokens: tokens, At: time.Now()}}}
		})
	}
	conversation := func(at time.Time) func(bot.Tx) error {
		return func(tx bot.Tx) error {
			return tx.PutConversation(&bot.Conversation{ContactID: "c1", Status: "active", StartedAt: time.Now(), UpdatedAt: at})
		}
	}
	outbound := func(at time.Time) func(bot.Tx) error {
		return func(tx bot.Tx) error {
			return tx.Enqueue(&bot.Outbound{ContactID: "c1", To: addr, Text: "hi", CreatedAt: time.Now(), NextAttempt: at})
		}
	}
	timer := func(at time.Time) func(bot.Tx) error {
		return func(tx bot.Tx) error {
			return tx.PutTimer(&bot.Timer{ID: "remind:c1", Due: at, Kind: "remind", ContactID: "c1"})
		}
	}
	for _, tc := range []struct {
		name  string
		write func(bot.Tx) error
		ok    bool
	}{
		{"message in the year 10000", message(year10000), false},
		{"message in the year -1", message(time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC)), false},
		{"message at the last nanosecond of 9999", message(lastNs), true},
		{"message at the first instant of the year 0", message(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)), true},
		// The year JSON writes is the one in the time's own zone.
		{"message in 9999 UTC but 10000 in its zone", message(lastNs.In(zone(3600))), false},
		{"message in 0 UTC but -1 in its zone", message(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).In(zone(-3600))), false},
		{"contact with a zone offset of 24h", contact(func(c *bot.Contact) { c.CreatedAt = time.Now().In(zone(24 * 3600)) }), false},
		{"contact with a zone offset of -24h", contact(func(c *bot.Contact) { c.OptedOutAt = time.Now().In(zone(-24 * 3600)) }), false},
		{"contact with a zone offset of 23:59:59", contact(func(c *bot.Contact) { c.CreatedAt = time.Now().In(zone(24*3600 - 1)) }), true},
		{"contact with a zone offset of -23:59:59", contact(func(c *bot.Contact) { c.CreatedAt = time.Now().In(zone(-24*3600 + 1)) }), true},
		{"contact with NaN flood tokens", flood(math.NaN()), false},
		{"contact with infinite flood tokens", flood(math.Inf(1)), false},
		{"contact with -infinite flood tokens", flood(math.Inf(-1)), false},
		{"contact with the largest flood tokens", flood(math.MaxFloat64), true},
		{"conversation updated in the year 10000", conversation(year10000), false},
		{"outbox row due in the year 10000", outbound(year10000), false},
		{"timer due with a zone offset of 30h", timer(time.Now().In(zone(30 * 3600))), false},
		{"timer due in 9999", timer(lastNs), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Update(ctx, tc.write)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("refused: %v", err)
			case !tc.ok && (!errors.Is(err, errUnrepresentable) || bot.ErrorCode(err) != bot.EInvalid):
				t.Fatalf("write: %v, want it refused as %v", err, errUnrepresentable)
			}
			err = db.Export(ctx, func(kind string, data []byte) error {
				if !json.Valid(data) {
					t.Errorf("exported %s is not JSON: %q", kind, data)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
		})
	}
}

// TestCodecEncodersRefuse: each encoder, not only the store's writes,
// refuses a value JSON cannot write, and encodeRecord says why.
func TestCodecEncodersRefuse(t *testing.T) {
	bad := time.Unix(253402300800, 0).UTC()
	for _, v := range []any{
		&bot.Contact{LastInboundAt: bad},
		&bot.Contact{Flood: map[string]*bot.FloodBucket{"k": {TokenBucket: bot.TokenBucket{Tokens: math.NaN()}}}},
		&bot.Conversation{RemindAt: bad},
		&bot.Message{At: bad},
		&bot.Outbound{LeaseUntil: bad},
		&bot.Timer{Due: bad},
	} {
		if b, err := encodeRecord(v); b != nil || !errors.Is(err, errUnrepresentable) {
			t.Errorf("%T: encoded to %x, %v; want it refused", v, b, err)
		}
		if _, err := json.Marshal(v); err == nil {
			t.Errorf("%T: JSON writes it, so the codec need not refuse it", v)
		}
	}
}

// TestCodecDecodeRejectsWhatJSONCannotWrite: a stored record whose time or
// number the encoder would never have written (a damaged or forged file)
// is reported as damaged rather than read, so it cannot reach an export.
func TestCodecDecodeRejectsWhatJSONCannotWrite(t *testing.T) {
	timer := func(sec, off int64) []byte {
		b := []byte{timerV1, 1, 't', 1}
		b = binary.AppendVarint(b, sec)
		b = binary.AppendUvarint(b, 0)
		b = binary.AppendVarint(b, off)
		return append(b, 0, 0, 0, 0)
	}
	const now = 1_800_000_000
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"offset 0", timer(now, 0), true},
		{"offset 23:59:59", timer(now, 24*3600-1), true},
		{"offset -23:59:59", timer(now, -24*3600+1), true},
		{"offset 24h", timer(now, 24*3600), false},
		{"offset -24h", timer(now, -24*3600), false},
		{"offset 55h", timer(now, 200_000), false},
		{"offset far out", timer(now, math.MaxInt64), false},
		{"year 10000", timer(253402300800, 0), false},
		{"year 9999", timer(253402300799, 0), true},
		{"year 10000 in its zone", timer(253402300799, 3600), false},
		{"year -1", timer(-62167219201, 0), false},
		{"year 0", timer(-62167219200, 0), true},
		{"the largest seconds", timer(math.MaxInt64, 0), false},
		{"the smallest seconds", timer(math.MinInt64, 0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tm bot.Timer
			err := decodeRecord(tc.data, &tm)
			if tc.ok != (err == nil) {
				t.Fatalf("decode: %v, want ok %v (got %v)", err, tc.ok, tm.Due)
			}
			if _, jerr := json.Marshal(&tm); jerr != nil {
				t.Errorf("decoded, but JSON cannot write it: %v", jerr)
			}
		})
	}

	// A flood bucket's tokens: NaN and the infinities are damage.
	c := bot.Contact{ID: "c1", Flood: map[string]*bot.FloodBucket{"k": {TokenBucket: bot.TokenBucket{Tokens: 1.5}}}}
	good := encodeContact(nil, &c)
	tokens := binary.LittleEndian.AppendUint64(nil, math.Float64bits(1.5))
	if bytes.Count(good, tokens) != 1 {
		t.Fatalf("cannot find the tokens in %x", good)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		bad := bytes.Replace(good, tokens, binary.LittleEndian.AppendUint64(nil, math.Float64bits(f)), 1)
		var got bot.Contact
		if err := decodeRecord(bad, &got); !errors.Is(err, errCorrupt) {
			t.Errorf("tokens %v: decode %v, want %v", f, err, errCorrupt)
		}
	}
}

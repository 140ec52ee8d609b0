package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/linkline/linkline/bot"
)

// The contact, the conversation, the transcript message, the outbox row
// and the timer are read or written on every inbound message (the row again
// for each step of its sending), and encoding/json was the largest avoidable cost of
// a turn (about 40 µs a message, each time field through its own
// marshaller). They are stored in a compact binary form instead: a version byte, then the
// fields in a fixed order (strings and counts as uvarint-prefixed bytes,
// times as seconds, nanoseconds and zone offset). Every other record stays
// JSON.
//
// A record that starts with '{' is JSON, as every release before this one
// wrote it, and is still read: a database or backup made by an older
// Linkline opens and works, and its records are rewritten in the new form
// only as they change. Export (store/transfer) converts back to the same
// JSON, so the export format does not change.
//
// The version byte is what lets the layout change later: add a new version
// (contactV2) with its own decoder, keep decoding the old ones, and write
// only the newest. The layouts below must never be edited in place; the
// golden test in codec_test.go fails if they are. A new version byte needs
// a schemaVersion bump (db.go), so that an older Linkline refuses the file
// rather than failing on the first record it cannot decode, and a row in
// TestCodecVersionsSchema. No version byte may ever be '{' (0x7b): that is
// how a JSON record is told apart.
//
// The binary form could hold values JSON cannot (a time outside the years
// 0-9999 or with a zone offset of a day or more, a NaN or infinite
// number); those records are refused when written, as json.Marshal refused
// them before, and rejected as damaged when read, so that Export and a
// person's subject-access export can always write what is stored.
const (
	contactV1  byte = 0x01
	convV1     byte = 0x02
	messageV1  byte = 0x03
	outboundV1 byte = 0x04
	timerV1    byte = 0x05
)

// decodeRecord reads a stored record of any kind into v: the binary form
// for the kinds that have one, JSON for the rest and for records written
// before. Every read of a stored record goes through it.
func decodeRecord(data []byte, v any) error {
	if !isJSON(data) {
		switch r := v.(type) {
		case *bot.Contact:
			return decodeContact(data, r)
		case *contactKeys:
			return decodeContactKeys(data, r)
		case *bot.Conversation:
			return decodeConversation(data, r)
		case *bot.Message:
			return decodeMessage(data, r)
		case *bot.Outbound:
			return decodeOutbound(data, r)
		case *bot.Timer:
			return decodeTimer(data, r)
		}
	}
	return json.Unmarshal(data, v)
}

// encodeRecord returns the stored form of a record: binary for the kinds
// that have one, JSON for the rest.
func encodeRecord(v any) ([]byte, error) {
	var b []byte
	switch r := v.(type) {
	case *bot.Contact:
		b = encodeContact(make([]byte, 0, 512), r)
	case *bot.Conversation:
		b = encodeConversation(make([]byte, 0, 256), r)
	case *bot.Message:
		b = encodeMessage(make([]byte, 0, 128+len(r.Text)), r)
	case *bot.Outbound:
		b = encodeOutbound(make([]byte, 0, 192+len(r.Text)), r)
	case *bot.Timer:
		b = encodeTimer(make([]byte, 0, 64), r)
	default:
		return json.Marshal(v)
	}
	if b == nil {
		return nil, errUnrepresentable
	}
	return b, nil
}

var errCorrupt = errors.New("record is truncated or malformed")

// errUnrepresentable is why a record is refused: the encoders return nil
// for it (and putEncoded and encodeRecord report this). It is invalid
// input, not a fault of the store.
var errUnrepresentable error = &bot.Error{Code: bot.EInvalid, Message: "record holds a time outside the " +
	"years 0-9999 or with a zone offset of 24 hours or more, or a NaN or infinite number, which the JSON " +
	"export could not write"}

// isJSON reports whether a stored record is in the JSON form.
func isJSON(data []byte) bool { return len(data) > 0 && data[0] == '{' }

// decodeContact reads a stored contact in either form into c.
func decodeContact(data []byte, c *bot.Contact) error {
	if isJSON(data) {
		return json.Unmarshal(data, c)
	}
	if len(data) == 0 || data[0] != contactV1 {
		return fmt.Errorf("unknown contact record version %#x: %w", first(data), errCorrupt)
	}
	d := decoder{s: string(data[1:])}
	*c = bot.Contact{}
	c.ID = d.str()
	if n := d.count(); n > 0 {
		c.Addresses = make([]bot.Address, n-1) // n-1: nil and empty differ in JSON
		for i := range c.Addresses {
			c.Addresses[i] = bot.Address{Channel: bot.Channel(d.str()), ID: d.str()}
		}
	}
	c.Name = d.str()
	c.Locale = d.str()
	c.CreatedAt = d.time()
	c.WhatsAppName = d.str()
	c.OptedOut = d.bool()
	c.OptedOutAt = d.time()
	if n := d.count(); n > 0 {
		c.Recent = make([]string, n)
		for i := range c.Recent {
			c.Recent[i] = d.str()
		}
	}
	c.LastInboundAt = d.time()
	c.LastAlbum = d.str()
	if n := d.count(); n > 0 {
		c.Unreachable = make([]bot.Channel, n)
		for i := range c.Unreachable {
			c.Unreachable[i] = bot.Channel(d.str())
		}
	}
	c.SafetyAsked = d.time()
	if d.bool() {
		c.SafetyRisk = &bot.Risk{Tier: bot.RiskTier(d.str()), Category: d.str(), Rule: d.str(), Words: d.str()}
	}
	c.ConfirmHuman = d.bool()
	if n := d.count(); n > 0 {
		c.Flood = make(map[string]*bot.FloodBucket, n)
		for range n {
			k := d.str()
			var fb *bot.FloodBucket
			if d.bool() {
				fb = &bot.FloodBucket{}
				fb.Tokens = d.f64()
				fb.At = d.time()
				fb.Over = d.bool()
				fb.CrisisAt = d.time()
			}
			c.Flood[k] = fb
		}
	}
	return d.end()
}

// encodeContact appends the contact's stored form to buf.
// It returns nil if the record holds a value JSON could not write
// (errUnrepresentable).
func encodeContact(buf []byte, c *bot.Contact) []byte {
	e := encoder{b: append(buf, contactV1)}
	e.str(c.ID)
	if c.Addresses == nil {
		e.uv(0)
	} else {
		e.uv(uint64(len(c.Addresses)) + 1)
	}
	for _, a := range c.Addresses {
		e.str(string(a.Channel))
		e.str(a.ID)
	}
	e.str(c.Name)
	e.str(c.Locale)
	e.time(c.CreatedAt)
	e.str(c.WhatsAppName)
	e.bool(c.OptedOut)
	e.time(c.OptedOutAt)
	e.uv(uint64(len(c.Recent)))
	for _, s := range c.Recent {
		e.str(s)
	}
	e.time(c.LastInboundAt)
	e.str(c.LastAlbum)
	e.uv(uint64(len(c.Unreachable)))
	for _, ch := range c.Unreachable {
		e.str(string(ch))
	}
	e.time(c.SafetyAsked)
	e.bool(c.SafetyRisk != nil)
	if r := c.SafetyRisk; r != nil {
		e.str(string(r.Tier))
		e.str(r.Category)
		e.str(r.Rule)
		e.str(r.Words)
	}
	e.bool(c.ConfirmHuman)
	e.uv(uint64(len(c.Flood)))
	for _, k := range sortedKeys(c.Flood) {
		e.str(k)
		fb := c.Flood[k]
		e.bool(fb != nil)
		if fb != nil {
			e.f64(fb.Tokens)
			e.time(fb.At)
			e.bool(fb.Over)
			e.time(fb.CrisisAt)
		}
	}
	return e.out()
}

// decodeContactKeys reads only what a contact's indexes are made from.
func decodeContactKeys(data []byte, k *contactKeys) error {
	if isJSON(data) {
		return json.Unmarshal(data, k)
	}
	var c bot.Contact
	if err := decodeContact(data, &c); err != nil {
		return err
	}
	k.Name, k.Addresses = c.Name, c.Addresses
	return nil
}

// decodeConversation reads a stored conversation in either form into c.
func decodeConversation(data []byte, c *bot.Conversation) error {
	if isJSON(data) {
		return json.Unmarshal(data, c)
	}
	if len(data) == 0 || data[0] != convV1 {
		return fmt.Errorf("unknown conversation record version %#x: %w", first(data), errCorrupt)
	}
	d := decoder{s: string(data[1:])}
	*c = bot.Conversation{}
	c.ContactID = d.str()
	c.FlowID = d.str()
	c.FlowVersion = int(d.iv())
	c.State = d.str()
	if n := d.count(); n > 0 {
		c.Answers = make(map[string]string, n)
		for range n {
			k := d.str()
			c.Answers[k] = d.str()
		}
	}
	c.Status = bot.ConvStatus(d.str())
	c.Step = d.uv()
	c.RemindAt = d.time()
	c.ExpireAt = d.time()
	c.Invalid = int(d.iv())
	c.NeedsHuman = d.bool()
	c.ReturnTo = d.str()
	c.Reminded = d.bool()
	c.StartedAt = d.time()
	c.UpdatedAt = d.time()
	return d.end()
}

// encodeConversation appends the conversation's stored form to buf.
// It returns nil if the record holds a value JSON could not write
// (errUnrepresentable).
func encodeConversation(buf []byte, c *bot.Conversation) []byte {
	e := encoder{b: append(buf, convV1)}
	e.str(c.ContactID)
	e.str(c.FlowID)
	e.iv(int64(c.FlowVersion))
	e.str(c.State)
	e.uv(uint64(len(c.Answers)))
	for _, k := range sortedKeys(c.Answers) {
		e.str(k)
		e.str(c.Answers[k])
	}
	e.str(string(c.Status))
	e.uv(c.Step)
	e.time(c.RemindAt)
	e.time(c.ExpireAt)
	e.iv(int64(c.Invalid))
	e.bool(c.NeedsHuman)
	e.str(c.ReturnTo)
	e.bool(c.Reminded)
	e.time(c.StartedAt)
	e.time(c.UpdatedAt)
	return e.out()
}

// asJSON returns a stored record as JSON, the form Export passes on.
func asJSON(bucket, data []byte) ([]byte, error) {
	if isJSON(data) {
		return data, nil
	}
	var v any
	switch string(bucket) {
	case string(bContacts):
		v = new(bot.Contact)
	case string(bConvs):
		v = new(bot.Conversation)
	case string(bMessages):
		v = new(bot.Message)
	case string(bOutbox):
		v = new(bot.Outbound)
	case string(bTimers):
		v = new(bot.Timer)
	default:
		return data, nil
	}
	if err := decodeRecord(data, v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// decodeMessage reads a stored transcript message in either form into m.
func decodeMessage(data []byte, m *bot.Message) error {
	if isJSON(data) {
		return json.Unmarshal(data, m)
	}
	if len(data) == 0 || data[0] != messageV1 {
		return fmt.Errorf("unknown message record version %#x: %w", first(data), errCorrupt)
	}
	d := decoder{s: string(data[1:])}
	*m = bot.Message{}
	m.ID = d.uv()
	m.ContactID = d.str()
	m.Direction = bot.Direction(d.str())
	m.Author = d.str()
	m.Address = bot.Address{Channel: bot.Channel(d.str()), ID: d.str()}
	m.Text = d.str()
	if n := d.count(); n > 0 {
		m.Media = make([]string, n)
		for i := range m.Media {
			m.Media[i] = d.str()
		}
	}
	m.At = d.time()
	m.ProviderID = d.str()
	m.OutboxID = d.uv()
	m.Limited = d.bool()
	m.Edited = d.bool()
	return d.end()
}

// encodeMessage appends the message's stored form to buf.
// It returns nil if the record holds a value JSON could not write
// (errUnrepresentable).
func encodeMessage(buf []byte, m *bot.Message) []byte {
	e := encoder{b: append(buf, messageV1)}
	e.uv(m.ID)
	e.str(m.ContactID)
	e.str(string(m.Direction))
	e.str(m.Author)
	e.str(string(m.Address.Channel))
	e.str(m.Address.ID)
	e.str(m.Text)
	e.uv(uint64(len(m.Media)))
	for _, s := range m.Media {
		e.str(s)
	}
	e.time(m.At)
	e.str(m.ProviderID)
	e.uv(m.OutboxID)
	e.bool(m.Limited)
	e.bool(m.Edited)
	return e.out()
}

// decodeOutbound reads a stored outbox row in either form into o.
func decodeOutbound(data []byte, o *bot.Outbound) error {
	if isJSON(data) {
		return json.Unmarshal(data, o)
	}
	if len(data) == 0 || data[0] != outboundV1 {
		return fmt.Errorf("unknown outbound record version %#x: %w", first(data), errCorrupt)
	}
	d := decoder{s: string(data[1:])}
	*o = bot.Outbound{}
	o.ID = d.uv()
	o.ContactID = d.str()
	o.To = bot.Address{Channel: bot.Channel(d.str()), ID: d.str()}
	o.Text = d.str()
	if n := d.count(); n > 0 {
		o.Choices = make([]bot.Choice, n)
		for i := range o.Choices {
			o.Choices[i] = bot.Choice{Value: d.str(), Label: d.str()}
		}
	}
	o.Question = d.str()
	o.Quick = d.bool()
	o.Format = d.str()
	o.CreatedAt = d.time()
	o.Urgent = d.bool()
	o.Final = d.bool()
	o.Kind = d.str()
	o.LastInbound = d.time()
	o.Template = d.bool()
	if p := d.uv(); p <= math.MaxUint8 {
		o.Priority = bot.Priority(p)
	} else {
		d.fail()
	}
	o.Owner = d.str()
	o.LeaseUntil = d.time()
	o.Status = bot.OutStatus(d.str())
	o.Attempts = int(d.iv())
	o.NextAttempt = d.time()
	o.ProviderID = d.str()
	o.PartsSent = int(d.iv())
	o.Error = d.str()
	o.ErrorCode = d.str()
	o.UpdatedAt = d.time()
	return d.end()
}

// encodeOutbound appends the outbox row's stored form to buf.
// It returns nil if the record holds a value JSON could not write
// (errUnrepresentable).
func encodeOutbound(buf []byte, o *bot.Outbound) []byte {
	e := encoder{b: append(buf, outboundV1)}
	e.uv(o.ID)
	e.str(o.ContactID)
	e.str(string(o.To.Channel))
	e.str(o.To.ID)
	e.str(o.Text)
	e.uv(uint64(len(o.Choices)))
	for _, c := range o.Choices {
		e.str(c.Value)
		e.str(c.Label)
	}
	e.str(o.Question)
	e.bool(o.Quick)
	e.str(o.Format)
	e.time(o.CreatedAt)
	e.bool(o.Urgent)
	e.bool(o.Final)
	e.str(o.Kind)
	e.time(o.LastInbound)
	e.bool(o.Template)
	e.uv(uint64(o.Priority))
	e.str(o.Owner)
	e.time(o.LeaseUntil)
	e.str(string(o.Status))
	e.iv(int64(o.Attempts))
	e.time(o.NextAttempt)
	e.str(o.ProviderID)
	e.iv(int64(o.PartsSent))
	e.str(o.Error)
	e.str(o.ErrorCode)
	e.time(o.UpdatedAt)
	return e.out()
}

func first(data []byte) byte {
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

func sortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same record always encodes to the same bytes
	return keys
}

// encoder writes a record. A value JSON could not write (see time and
// f64) makes out return nil.
type encoder struct {
	b   []byte
	bad bool
}

// out returns the record, or nil if it held a value JSON could not write.
func (e *encoder) out() []byte {
	if e.bad {
		return nil
	}
	return e.b
}

func (e *encoder) uv(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) iv(n int64)  { e.b = binary.AppendVarint(e.b, n) }

func (e *encoder) str(s string) {
	e.uv(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// f64 writes a float; NaN and the infinities, which JSON has no number
// for, make the record bad.
func (e *encoder) f64(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.bad = true
	}
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f))
}

// time writes 0 for the zero time, else 1, the Unix seconds, the
// nanoseconds and the zone offset in seconds. The offset is what JSON's
// RFC 3339 form keeps too; the location's name is not kept by either. A
// time JSON cannot write (jsonTime) makes the record bad.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	_, off := t.Zone()
	if !jsonTime(t, off) {
		e.bad = true
	}
	e.b = append(e.b, 1)
	e.iv(t.Unix())
	e.uv(uint64(t.Nanosecond()))
	e.iv(int64(off))
}

// decoder reads what encoder wrote. The first error sticks: later reads
// return zero values and end reports it.
type decoder struct {
	s   string // the record, copied once: every string read is a slice of it
	i   int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.i = len(d.s)
}

func (d *decoder) uv() uint64 {
	var n uint64
	var shift uint
	for d.i < len(d.s) {
		b := d.s[d.i]
		d.i++
		if shift == 63 && b > 1 {
			break
		}
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return n
		}
		shift += 7
	}
	d.fail()
	return 0
}

func (d *decoder) iv() int64 {
	u := d.uv()
	n := int64(u >> 1)
	if u&1 != 0 {
		n = ^n
	}
	return n
}

// count reads a length and checks it against the bytes left (every element
// takes at least one), so a damaged count cannot ask for a huge allocation.
func (d *decoder) count() int {
	n := d.uv()
	if n > uint64(len(d.s)-d.i)+1 {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.uv()
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *decoder) bool() bool {
	if d.i >= len(d.s) || d.s[d.i] > 1 {
		d.fail()
		return false
	}
	v := d.s[d.i] == 1
	d.i++
	return v
}

func (d *decoder) f64() float64 {
	if len(d.s)-d.i < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64([]byte(d.s[d.i : d.i+8])))
	d.i += 8
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.fail() // never written (encoder.f64)
		return 0
	}
	return f
}

func (d *decoder) time() time.Time {
	if !d.bool() {
		return time.Time{}
	}
	sec, nsec, off := d.iv(), d.uv(), d.iv()
	if d.err != nil || nsec >= 1e9 || off <= -maxOffset || off >= maxOffset {
		d.fail()
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	// As encoding/json's time.Parse does: offset zero is UTC, the local
	// zone's offset is Local, any other a fixed zone.
	switch _, local := t.Zone(); {
	case off == 0:
		t = t.UTC()
	case int64(local) == off:
	default:
		t = t.In(time.FixedZone("", int(off)))
	}
	if !jsonTime(t, int(off)) {
		d.fail() // never written (encoder.time)
		return time.Time{}
	}
	return t
}

// maxOffset bounds a zone offset: RFC 3339, and so JSON, writes its hours
// in two digits, up to 23.
const maxOffset = 24 * 3600

// jsonTime reports whether JSON (time.Time.MarshalJSON) can write t, whose
// zone offset is off: a year of four digits, in t's own zone, and an offset
// of less than a day either way.
func jsonTime(t time.Time, off int) bool {
	y := t.Year()
	return y >= 0 && y <= 9999 && off > -maxOffset && off < maxOffset
}

// end reports a decoding error, or bytes left over.
func (d *decoder) end() error {
	if d.err == nil && d.i != len(d.s) {
		d.err = errCorrupt
	}
	return d.err
}

// decodeTimer reads a stored timer in either form into tm.
func decodeTimer(data []byte, tm *bot.Timer) error {
	if isJSON(data) {
		return json.Unmarshal(data, tm)
	}
	if len(data) == 0 || data[0] != timerV1 {
		return fmt.Errorf("unknown timer record version %#x: %w", first(data), errCorrupt)
	}
	d := decoder{s: string(data[1:])}
	*tm = bot.Timer{}
	tm.ID = d.str()
	tm.Due = d.time()
	tm.Kind = bot.TimerKind(d.str())
	tm.ContactID = d.str()
	tm.Step = d.uv()
	tm.Ref = d.str()
	return d.end()
}

// encodeTimer appends the timer's stored form to buf.
// It returns nil if the record holds a value JSON could not write
// (errUnrepresentable).
func encodeTimer(buf []byte, tm *bot.Timer) []byte {
	e := encoder{b: append(buf, timerV1)}
	e.str(tm.ID)
	e.time(tm.Due)
	e.str(string(tm.Kind))
	e.str(tm.ContactID)
	e.uv(tm.Step)
	e.str(tm.Ref)
	return e.out()
}

package bolt

import (
	"slices"
	"testing"

	"github.com/linkline/linkline/bot"
)

// versionsBySchema is, for each schemaVersion that brought new record
// version bytes (codec.go), the highest version byte it writes. A new
// version byte needs a schemaVersion bump (db.go), so that an older
// Linkline refuses the file rather than failing on the first record it
// cannot decode, and a row here; never edit a row.
var versionsBySchema = []struct {
	schema  uint64
	highest byte
}{
	{2, timerV1}, // contactV1 to timerV1: the binary form
}

// TestCodecVersionsSchema: every version byte written is accounted for by
// a schema version this code has, and none is '{', which marks a JSON record.
func TestCodecVersionsSchema(t *testing.T) {
	var written []byte
	for _, v := range []any{new(bot.Contact), new(bot.Conversation), new(bot.Message), new(bot.Outbound), new(bot.Timer)} {
		b, err := encodeRecord(v)
		if err != nil {
			t.Fatal(err)
		}
		if b[0] == '{' || isJSON(b) {
			t.Errorf("%T: version byte %#x reads as JSON", v, b[0])
		}
		if slices.Contains(written, b[0]) {
			t.Errorf("%T: version byte %#x is another kind's too", v, b[0])
		}
		written = append(written, b[0])
	}
	for i, row := range versionsBySchema {
		if row.highest == '{' {
			t.Errorf("schema %d: version byte %#x is '{'", row.schema, row.highest)
		}
		if i > 0 && (row.schema <= versionsBySchema[i-1].schema || row.highest <= versionsBySchema[i-1].highest) {
			t.Errorf("versionsBySchema row %d (%d: %#x) does not follow the one before: a new version byte needs a newer schema",
				i, row.schema, row.highest)
		}
	}
	newest := versionsBySchema[len(versionsBySchema)-1]
	if newest.schema > schemaVersion {
		t.Errorf("versionsBySchema names schema %d; this code writes %d", newest.schema, schemaVersion)
	}
	if high := slices.Max(written); high != newest.highest {
		t.Errorf("the highest version byte written is %#x, but schema %d (the newest in versionsBySchema) writes up to %#x: "+
			"a new version byte needs a schemaVersion bump (db.go) and a row in versionsBySchema", high, newest.schema, newest.highest)
	}
}

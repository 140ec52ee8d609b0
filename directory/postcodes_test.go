package directory_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/directory"
)

func importPostcodes(t *testing.T, st bot.Store, file string) *directory.PostcodeResult {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := directory.ImportPostcodes(context.Background(), st, f, directory.PostcodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportPostcodesAndLocate(t *testing.T) {
	st := openStore(t)
	on := importPostcodes(t, st, "testdata/onspd-sample.csv")
	if on.Rows != 14 || on.Stored != 12 || on.NoLocation != 1 || on.NorthernIreland != 1 || on.Outward != 4 {
		t.Errorf("ONSPD import = %+v; want 14 rows, 12 stored, 1 without location, 1 BT, 4 outward codes", on)
	}
	ns := importPostcodes(t, st, "testdata/nspl-sample.csv")
	if ns.Rows != 7 || ns.Stored != 6 || ns.Unreadable != 1 {
		t.Errorf("NSPL import = %+v; want 7 rows, 6 stored, 1 unreadable", ns)
	}
	tests := []struct {
		postcode string
		lat      float64
		prec     directory.Precision
		err      error
	}{
		{"la9 4aa", 54.32841, directory.PrecisionPostcode, nil},
		{"GL51BB", 51.74715, directory.PrecisionPostcode, nil},
		// Not in the file: the outward code's centroid (mean of LA9's five).
		{"LA9 4ZZ", (54.32841 + 54.33102 + 54.32215 + 54.31502 + 54.33984) / 5, directory.PrecisionOutward, nil},
		{"LA9 9ZZ", (54.32841 + 54.33102 + 54.32215 + 54.31502 + 54.33984) / 5, directory.PrecisionOutward, nil},
		{"BT1 1AA", 0, "", directory.ErrNoLocation},
		{"SW1A 1AA", 0, "", directory.ErrNoLocation},
		{"hello", 0, "", directory.ErrNoLocation},
	}
	_ = st.View(context.Background(), func(tx bot.Tx) error {
		for _, tt := range tests {
			p, prec, err := directory.Locate(tx, tt.postcode)
			if !errors.Is(err, tt.err) || prec != tt.prec || math.Abs(p.Lat-tt.lat) > 1e-4 {
				t.Errorf("Locate(%q) = %+v, %q, %v; want lat %v, %q, %v", tt.postcode, p, prec, err, tt.lat, tt.prec, tt.err)
			}
		}
		return nil
	})
}

func TestImportPostcodesNorthernIrelandWhenAsked(t *testing.T) {
	st := openStore(t)
	f, err := os.Open("testdata/onspd-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := directory.ImportPostcodes(context.Background(), st, f, directory.PostcodeOptions{NorthernIreland: true}); err != nil {
		t.Fatal(err)
	}
	_ = st.View(context.Background(), func(tx bot.Tx) error {
		if _, prec, err := directory.Locate(tx, "BT1 1AA"); err != nil || prec != directory.PrecisionPostcode {
			t.Errorf("Locate(BT1 1AA) with Northern Ireland loaded = %q, %v", prec, err)
		}
		return nil
	})
}

// A file far bigger than one batch is streamed through in batches.
func TestImportPostcodesStreamsInBatches(t *testing.T) {
	pr, pw := io.Pipe()
	const rows = 30000
	go func() {
		fmt.Fprintln(pw, "pcds,lat,long")
		for i := range rows {
			// LA1 0AA .. LA9 9ZZ-like codes, all valid and distinct.
			const letters = "ABDEFGHJLNPQRSTUWXYZ" // those an inward code may use
			fmt.Fprintf(pw, "LA%d %d%c%c,%.5f,-2.7\n", i%9+1, i/9%10, letters[i/90%20], letters[i/1800%20], 54+float64(i)/1e6)
		}
		pw.Close()
	}()
	var progress []directory.PostcodeProgress
	res, err := directory.ImportPostcodes(context.Background(), openStore(t), pr, directory.PostcodeOptions{
		Batch: 1000, Progress: func(p directory.PostcodeProgress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != rows || res.Outward != 9 || len(progress) != rows/1000 {
		t.Errorf("stored %d, %d outward codes, %d progress reports; want %d, 9, %d", res.Stored, res.Outward, len(progress), rows, rows/1000)
	}
}

func TestImportPostcodesRefusesOtherFiles(t *testing.T) {
	_, err := directory.ImportPostcodes(context.Background(), openStore(t), strings.NewReader("a,b,c\n1,2,3\n"), directory.PostcodeOptions{})
	if bot.ErrorCode(err) != bot.EInvalid {
		t.Errorf("import of a CSV without postcode columns: %v, want an invalid-input error", err)
	}
}

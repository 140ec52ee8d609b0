package directory

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/flows"
)

// PostcodeOptions tune ImportPostcodes.
type PostcodeOptions struct {
	// NorthernIreland loads BT postcodes too. They are off by default: the
	// ONSPD's Northern Ireland data is under a different licence from the
	// rest (see docs/signposting.md), so BT postcodes get no location.
	NorthernIreland bool
	// Batch is how many postcodes one transaction writes. Default 10,000.
	Batch int
	// Progress, if set, is called after each batch with the rows read.
	Progress func(PostcodeProgress)
}

// PostcodeProgress is how far an import has got.
type PostcodeProgress struct {
	Rows, Stored, Skipped int
}

// PostcodeResult is what ImportPostcodes did.
type PostcodeResult struct {
	Rows    int
	Stored  int
	Outward int
	// NoLocation counts rows without coordinates (ONSPD writes 99.999999
	// for them); NorthernIreland counts BT rows left out.
	NoLocation, NorthernIreland, Unreadable int
}

// ImportPostcodes streams an ONSPD or NSPL CSV (a header row naming pcds
// or pcd, lat and long; any other columns are ignored) into the store's
// postcode lookup, and then stores each outward code's centroid (the mean
// of its postcodes) for postcodes the file does not have. It reads one row
// at a time and writes in batches, so memory stays flat however big the
// file (the full ONSPD is about 2.7 million rows).
func ImportPostcodes(ctx context.Context, store bot.Store, r io.Reader, opts PostcodeOptions) (*PostcodeResult, error) {
	if opts.Batch <= 0 {
		opts.Batch = 10000
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("postcode file: read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.Trim(strings.TrimSpace(h), "\ufeff\""))] = i
	}
	pcCol, ok := pick(col, "pcds", "pcd", "pcd7", "pcd8", "pcd2", "postcode")
	latCol, ok2 := pick(col, "lat", "latitude")
	lonCol, ok3 := pick(col, "long", "lon", "longitude")
	if !ok || !ok2 || !ok3 {
		return nil, bot.Errorf(bot.EInvalid, "postcode file: the header has no pcds (or pcd), lat and long columns; is this the ONSPD or NSPL CSV?")
	}
	res := &PostcodeResult{}
	type sum struct {
		lat, lon float64
		n        int
	}
	outward := map[string]*sum{}
	type row struct {
		pc string
		p  bot.GeoPoint
	}
	batch := make([]row, 0, opts.Batch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := store.Update(ctx, func(tx bot.Tx) error {
			for _, r := range batch {
				if err := tx.PutPostcode(r.pc, r.p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("postcode file: store: %w", err)
		}
		res.Stored += len(batch)
		batch = batch[:0]
		if opts.Progress != nil {
			opts.Progress(PostcodeProgress{Rows: res.Rows, Stored: res.Stored, Skipped: res.Rows - res.Stored})
		}
		return nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("postcode file: row %d: %w", res.Rows+2, err)
		}
		res.Rows++
		if max(pcCol, latCol, lonCol) >= len(rec) {
			res.Unreadable++
			continue
		}
		pc, err := flows.ParsePostcode(rec[pcCol])
		if err != nil {
			res.Unreadable++
			continue
		}
		if strings.HasPrefix(pc, "BT") && !opts.NorthernIreland {
			res.NorthernIreland++
			continue
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[latCol]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[lonCol]), 64)
		if err1 != nil || err2 != nil || !ukPoint(lat, lon) {
			res.NoLocation++
			continue
		}
		batch = append(batch, row{pc, bot.GeoPoint{Lat: lat, Lon: lon}})
		out, _, _ := strings.Cut(pc, " ")
		s := outward[out]
		if s == nil {
			s = &sum{}
			outward[out] = s
		}
		s.lat, s.lon, s.n = s.lat+lat, s.lon+lon, s.n+1
		if len(batch) == opts.Batch {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	err = store.Update(ctx, func(tx bot.Tx) error {
		if err := tx.PutSetting(SettingPostcodesLoaded, time.Now().UTC().Format(time.DateOnly)); err != nil {
			return err
		}
		for code, s := range outward {
			if err := tx.PutOutwardCode(code, bot.GeoPoint{Lat: s.lat / float64(s.n), Lon: s.lon / float64(s.n)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("postcode file: store outward codes: %w", err)
	}
	res.Outward = len(outward)
	return res, nil
}

func pick(col map[string]int, names ...string) (int, bool) {
	for _, n := range names {
		if i, ok := col[n]; ok {
			return i, true
		}
	}
	return 0, false
}

// SettingPostcodesLoaded is the store setting that holds the day (YYYY-MM-DD)
// a postcode file was last loaded: where distances are shown, the
// attribution the file's licence asks for is shown with that year.
const SettingPostcodesLoaded = "directory.postcodes_loaded"

// Attribution is what the ONSPD and NSPL's Open Government Licence asks to
// be shown where data from them is used, for a file loaded in year.
func Attribution(year string) []string {
	return []string{
		"Contains OS data © Crown copyright and database right " + year,
		"Contains Royal Mail data © Royal Mail copyright and database right " + year,
		"Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
	}
}

// Precision says how exactly a postcode was placed.
type Precision string

// Precisions of Locate.
const (
	PrecisionPostcode Precision = "postcode"
	PrecisionOutward  Precision = "outward code"
)

// ErrNoLocation is returned by Locate for a postcode that cannot be placed:
// not a postcode, not in the lookup, or in Northern Ireland (BT) when
// those were not loaded.
var ErrNoLocation = errors.New("no location for this postcode")

// Locate places a postcode: the full postcode if the lookup has it, else
// the centroid of its outward code.
func Locate(tx bot.Tx, postcode string) (bot.GeoPoint, Precision, error) {
	pc, err := flows.ParsePostcode(postcode)
	if err != nil {
		return bot.GeoPoint{}, "", fmt.Errorf("%q: %w", postcode, ErrNoLocation)
	}
	p, err := tx.Postcode(pc)
	if err == nil {
		return p, PrecisionPostcode, nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return bot.GeoPoint{}, "", err
	}
	out, _, _ := strings.Cut(pc, " ")
	p, err = tx.OutwardCode(out)
	if err == nil {
		return p, PrecisionOutward, nil
	} else if !errors.Is(err, bot.ErrNotFound) {
		return bot.GeoPoint{}, "", err
	}
	return bot.GeoPoint{}, "", fmt.Errorf("%s: %w", pc, ErrNoLocation)
}

package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/linkline/linkline/bot"
)

// Buckets of directory services, taxonomy terms and the postcode lookup.
var (
	bDirServices = []byte("dir_services") // id → DirService
	bDirFeed     = []byte("dir_feed")     // feed, 0, id → nil
	bDirTerms    = []byte("dir_terms")    // id → DirTerm
	// Postcodes are kept small (a few million of them): 8 bytes each, two
	// float32s, under "p:" + postcode; outward-code centroids under "o:".
	bPostcodes = []byte("postcodes")
)

func dirFeedKey(feed, id string) []byte { return join([]byte(feed), []byte{0}, []byte(id)) }

// PutDirService creates or replaces a directory service and keeps the
// by-feed index in step.
func (t *Tx) PutDirService(s *bot.DirService) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(s.ID, "directory service"); err != nil {
		return err
	}
	if err := checkID(s.Feed, "directory service feed"); err != nil {
		return err
	}
	if old, err := t.DirService(s.ID); err == nil && old.Feed != s.Feed {
		if err := t.b(bDirFeed).Delete(dirFeedKey(old.Feed, old.ID)); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, bot.ErrNotFound) {
		return err
	}
	if err := t.b(bDirFeed).Put(dirFeedKey(s.Feed, s.ID), nil); err != nil {
		return err
	}
	return t.put(bDirServices, []byte(s.ID), s)
}

// DirService returns the directory service with the given id.
func (t *Tx) DirService(id string) (*bot.DirService, error) {
	if id == "" {
		return nil, fmt.Errorf("directory service: %w", bot.ErrNotFound)
	}
	s := new(bot.DirService)
	if err := t.get(bDirServices, []byte(id), s, "directory service "+id); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteDirService removes a directory service; removing an absent one is
// harmless.
func (t *Tx) DeleteDirService(id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	old, err := t.DirService(id)
	if errors.Is(err, bot.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if err := t.b(bDirFeed).Delete(dirFeedKey(old.Feed, old.ID)); err != nil {
		return err
	}
	return t.b(bDirServices).Delete([]byte(id))
}

// DirServices calls fn for feed's services ("" for all), in id order,
// until fn returns false.
func (t *Tx) DirServices(feed string, fn func(*bot.DirService) bool) error {
	if feed == "" {
		return t.scan(bDirServices, nil, false, func(k, v []byte) (bool, error) {
			s := new(bot.DirService)
			if err := t.get(bDirServices, k, s, "directory service "+string(k)); err != nil {
				return false, err
			}
			return fn(s), nil
		})
	}
	prefix := append([]byte(feed), 0)
	return t.scan(bDirFeed, prefix, false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		id := k[len(prefix):]
		s := new(bot.DirService)
		if err := t.get(bDirServices, id, s, "directory service "+string(id)); err != nil {
			return false, fmt.Errorf("store: directory feed index out of step: %w", err)
		}
		return fn(s), nil
	})
}

// PutDirTerm creates or replaces a taxonomy term.
func (t *Tx) PutDirTerm(term *bot.DirTerm) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID(term.ID, "taxonomy term"); err != nil {
		return err
	}
	return t.put(bDirTerms, []byte(term.ID), term)
}

// DirTerms calls fn for every taxonomy term, in id order, until fn returns
// false.
func (t *Tx) DirTerms(fn func(*bot.DirTerm) bool) error {
	return t.scan(bDirTerms, nil, false, func(k, _ []byte) (bool, error) {
		term := new(bot.DirTerm)
		if err := t.get(bDirTerms, k, term, "taxonomy term "+string(k)); err != nil {
			return false, err
		}
		return fn(term), nil
	})
}

func encodePoint(p bot.GeoPoint) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint32(b, math.Float32bits(float32(p.Lat)))
	binary.BigEndian.PutUint32(b[4:], math.Float32bits(float32(p.Lon)))
	return b
}

func decodePoint(b []byte) (bot.GeoPoint, error) {
	if len(b) != 8 {
		return bot.GeoPoint{}, fmt.Errorf("store: postcode record of %d bytes, want 8", len(b))
	}
	return bot.GeoPoint{
		Lat: float64(math.Float32frombits(binary.BigEndian.Uint32(b))),
		Lon: float64(math.Float32frombits(binary.BigEndian.Uint32(b[4:]))),
	}, nil
}

func (t *Tx) putPoint(key string, p bot.GeoPoint) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(key) <= 2 || len(key) > 64 {
		return bot.Errorf(bot.EInvalid, "postcode %q: empty or too long", key[min(2, len(key)):])
	}
	return t.b(bPostcodes).Put([]byte(key), encodePoint(p))
}

func (t *Tx) point(key string) (bot.GeoPoint, error) {
	v := t.b(bPostcodes).Get([]byte(key))
	if v == nil {
		return bot.GeoPoint{}, fmt.Errorf("postcode %s: %w", key[2:], bot.ErrNotFound)
	}
	return decodePoint(v)
}

// PutPostcode records where a full postcode is (to float32 precision,
// about a metre).
func (t *Tx) PutPostcode(pc string, p bot.GeoPoint) error { return t.putPoint("p:"+pc, p) }

// Postcode returns where a full postcode is.
func (t *Tx) Postcode(pc string) (bot.GeoPoint, error) { return t.point("p:" + pc) }

// PutOutwardCode records the centroid of an outward code.
func (t *Tx) PutOutwardCode(outward string, p bot.GeoPoint) error {
	return t.putPoint("o:"+outward, p)
}

// OutwardCode returns the centroid of an outward code.
func (t *Tx) OutwardCode(outward string) (bot.GeoPoint, error) { return t.point("o:" + outward) }

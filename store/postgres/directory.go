package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/linkline/linkline/bot"
)

// PutDirService creates or replaces a directory service.
func (t *Tx) PutDirService(s *bot.DirService) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(s.ID, "directory service"); err != nil {
		return err
	}
	if err := checkID(s.Feed, "directory service feed"); err != nil {
		return err
	}
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO dir_services (id, feed, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET feed = EXCLUDED.feed, data = EXCLUDED.data`, s.ID, s.Feed, data)
	return err
}

// DirService returns the directory service with the given id.
func (t *Tx) DirService(id string) (*bot.DirService, error) {
	s := new(bot.DirService)
	if err := t.get(s, "directory service "+id, "SELECT data FROM dir_services WHERE id = $1", id); err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteDirService removes a directory service; removing an absent one is
// harmless.
func (t *Tx) DeleteDirService(id string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM dir_services WHERE id = $1", id)
	return err
}

// DirServices calls fn for feed's services ("" for all), in id order,
// until fn returns false.
func (t *Tx) DirServices(feed string, fn func(*bot.DirService) bool) error {
	return scan(t, "directory service", 1, func(after []any) (string, []any) {
		const cols = "SELECT data, id FROM dir_services WHERE ($1 = '' OR feed = $1)"
		if after == nil {
			return cols + " ORDER BY id LIMIT $2", []any{feed, pageSize}
		}
		return cols + " AND id > $3 ORDER BY id LIMIT $2", []any{feed, pageSize, after[0]}
	}, fn)
}

// PutDirTerm creates or replaces a taxonomy term.
func (t *Tx) PutDirTerm(term *bot.DirTerm) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := checkID(term.ID, "taxonomy term"); err != nil {
		return err
	}
	data, err := encode(term)
	if err != nil {
		return err
	}
	_, err = t.exec("INSERT INTO dir_terms (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data", term.ID, data)
	return err
}

// DirTerms calls fn for every taxonomy term, in id order, until fn returns
// false.
func (t *Tx) DirTerms(fn func(*bot.DirTerm) bool) error {
	return scan(t, "taxonomy term", 1, keyset("dir_terms", "id", ""), fn)
}

func (t *Tx) putPoint(key string, p bot.GeoPoint) error {
	if err := t.check(); err != nil {
		return err
	}
	if len(key) <= 2 || len(key) > 64 {
		return bot.Errorf(bot.EInvalid, "postcode %q: empty or too long", key[min(2, len(key)):])
	}
	if err := text(key, "postcode"); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO postcodes (key, lat, lon) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon`, key, float32(p.Lat), float32(p.Lon))
	return err
}

func (t *Tx) point(key string) (bot.GeoPoint, error) {
	var lat, lon float32
	err := t.row("SELECT lat, lon FROM postcodes WHERE key = $1", []any{key}, &lat, &lon)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.GeoPoint{}, fmt.Errorf("postcode %s: %w", key[min(2, len(key)):], bot.ErrNotFound)
	}
	return bot.GeoPoint{Lat: float64(lat), Lon: float64(lon)}, err
}

// PutPostcode records where a full postcode is (to float32 precision, as
// store/bolt keeps it).
func (t *Tx) PutPostcode(pc string, p bot.GeoPoint) error { return t.putPoint("p:"+pc, p) }

// Postcode returns where a full postcode is.
func (t *Tx) Postcode(pc string) (bot.GeoPoint, error) { return t.point("p:" + pc) }

// PutOutwardCode records the centroid of an outward code.
func (t *Tx) PutOutwardCode(outward string, p bot.GeoPoint) error {
	return t.putPoint("o:"+outward, p)
}

// OutwardCode returns the centroid of an outward code.
func (t *Tx) OutwardCode(outward string) (bot.GeoPoint, error) { return t.point("o:" + outward) }

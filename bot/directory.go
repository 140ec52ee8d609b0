package bot

import (
	"context"
	"time"
)

// Directory records: the local services a service directory (an Open
// Referral UK feed) lists, kept so that people can be signposted to them.
// Package directory reads the feeds and ranks services; the store keeps them.

// DirService is one service from a directory feed, with what Linkline needs
// of its locations, contacts, schedules, costs and taxonomy terms. Text
// fields are plain text (the importer strips a feed's HTML); Description is
// the feed's description as plain text, Summary one short line of it.
type DirService struct {
	// ID is "<feed>:<the feed's id>", so two feeds never clash.
	ID string `json:"id"`
	// Feed names the directory the service came from (its URL or file).
	Feed string `json:"feed"`
	// SourceID is the service's id in the feed.
	SourceID     string `json:"source_id"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
	Summary      string `json:"summary,omitempty"`
	Description  string `json:"description,omitempty"`
	URL          string `json:"url,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	// Fees is the feed's fees text; Free is set when the feed says the
	// service costs nothing (a cost option of 0, or fees saying "free").
	Fees string `json:"fees,omitempty"`
	Free bool   `json:"free,omitempty"`

	Locations []DirLocation `json:"locations,omitempty"`
	Contacts  []DirContact  `json:"contacts,omitempty"`
	Schedules []DirSchedule `json:"schedules,omitempty"`
	Costs     []DirCost     `json:"costs,omitempty"`
	// Terms are the ids of the service's taxonomy terms (DirTerm.ID).
	Terms []string `json:"terms,omitempty"`

	// Version is the ORUK version the feed spoke ("1" or "3").
	Version   string    `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DirLocation is where a service is delivered. A location without
// coordinates (HasPoint false) is kept for people to read, not for distance.
type DirLocation struct {
	ID       string  `json:"id,omitempty"`
	Name     string  `json:"name,omitempty"`
	Address  string  `json:"address,omitempty"`
	Postcode string  `json:"postcode,omitempty"`
	Lat      float64 `json:"lat,omitempty"`
	Lon      float64 `json:"lon,omitempty"`
	HasPoint bool    `json:"has_point,omitempty"`
}

// DirContact is a named contact for a service.
type DirContact struct {
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// DirSchedule is a regular opening: Weekdays (time.Weekday numbers) from
// Opens to Closes ("HH:MM", local time), or only a description.
type DirSchedule struct {
	Weekdays    []time.Weekday `json:"weekdays,omitempty"`
	Opens       string         `json:"opens,omitempty"`
	Closes      string         `json:"closes,omitempty"`
	Description string         `json:"description,omitempty"`
}

// DirCost is one cost option: Amount in Currency (0 means free), or only
// a description.
type DirCost struct {
	Option      string  `json:"option,omitempty"`
	Amount      float64 `json:"amount"`
	HasAmount   bool    `json:"has_amount,omitempty"`
	Currency    string  `json:"currency,omitempty"`
	Description string  `json:"description,omitempty"`
}

// DirTerm is a taxonomy term a feed classifies services by. ID is
// "<feed>:<the feed's term id>".
type DirTerm struct {
	ID         string `json:"id"`
	Feed       string `json:"feed"`
	Name       string `json:"name"`
	Vocabulary string `json:"vocabulary,omitempty"`
	Parent     string `json:"parent,omitempty"`
}

// GeoPoint is a latitude and longitude in degrees (WGS84).
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// DirectoryTx is the part of Tx that keeps directory services, taxonomy
// terms and the postcode lookup. Lookups that find nothing return an error
// for which errors.Is(err, ErrNotFound) holds.
type DirectoryTx interface {
	// PutDirService creates or replaces a service (ID and Feed required)
	// and keeps the by-feed index in step.
	PutDirService(s *DirService) error
	DirService(id string) (*DirService, error)
	// DeleteDirService removes a service; removing an absent one is harmless.
	DeleteDirService(id string) error
	// DirServices calls fn for feed's services ("" for every feed's), in
	// id order, until fn returns false.
	DirServices(feed string, fn func(*DirService) bool) error
	// PutDirTerm creates or replaces a taxonomy term.
	PutDirTerm(t *DirTerm) error
	// DirTerms calls fn for every taxonomy term, in id order, until fn
	// returns false.
	DirTerms(fn func(*DirTerm) bool) error

	// PutPostcode records where a full postcode is. pc is as
	// flows.ParsePostcode returns it ("LA9 4AB").
	PutPostcode(pc string, p GeoPoint) error
	// Postcode returns where a full postcode is.
	Postcode(pc string) (GeoPoint, error)
	// PutOutwardCode records the centroid of an outward code ("LA9").
	PutOutwardCode(outward string, p GeoPoint) error
	// OutwardCode returns the centroid of an outward code.
	OutwardCode(outward string) (GeoPoint, error)
}

// SupportOffered records that a person was given a service's details (the
// PRSB "support offered" entry): by the bot after a referral, or by a link
// worker from the console. Signposting is recorded apart from referral.
type SupportOffered struct {
	At        time.Time `json:"at"`
	ServiceID string    `json:"service_id"`
	Name      string    `json:"name"`
	Feed      string    `json:"feed,omitempty"`
	// By is "bot" or the console user's id.
	By string `json:"by"`
	// DistanceKm is how far the service was from the person's postcode,
	// when known.
	DistanceKm float64 `json:"distance_km,omitempty"`
}

// Signposter finds services near a person for their needs. Package
// directory implements it; the engine calls it inside a transaction, so it
// must have no effects outside tx and must be fast.
type Signposter interface {
	Signpost(ctx context.Context, tx Tx, q SignpostQuery) ([]SignpostOffer, error)
	// Offer words one stored service for a person at postcode (which may
	// be empty or unknown: then no distance is given).
	Offer(ctx context.Context, tx Tx, serviceID, postcode string) (SignpostOffer, error)
}

// SignpostQuery is who a signpost is for.
type SignpostQuery struct {
	Postcode string
	Needs    []string
	// Skip lists service ids already offered.
	Skip []string
	// Limit is how many to return. Default 3.
	Limit int
}

// SignpostOffer is one service to offer: Text is the message a person is
// sent (plain GSM-7, at most two SMS segments).
type SignpostOffer struct {
	ServiceID  string
	Name       string
	Feed       string
	Text       string
	DistanceKm float64
}

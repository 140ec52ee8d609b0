// Package transfer copies a Linkline database from one store to another
// (bbolt to PostgreSQL and back) keeping every id, and proves the copy.
//
// A store that can be copied from is a Source: it passes every record, in
// one consistent snapshot, as a kind and its JSON. A store that can be
// copied into is a Dest: its transactions take records with the ids they
// already have (ImportTx), and FinishImport moves its id sequences past
// them, so the records made after the move get new ids.
//
// Not copied: token buckets and the console's sign-in limits (they start
// afresh: both are short-lived counts, not records).
package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/linkline/linkline/bot"
)

// Record kinds, in the order they are copied.
const (
	KContact      = "contact"
	KConversation = "conversation"
	KMessage      = "message"
	KReferral     = "referral"
	KOutbound     = "outbound"
	KTimer        = "timer"
	KSeen         = "seen"
	KEvent        = "event"
	KHandoff      = "handoff"
	KEnrolment    = "enrolment"
	KSetting      = "setting"
	KUser         = "user"
	KSession      = "session"
	KAudit        = "audit"
	KSurvey       = "survey"
	KSchedule     = "schedule"
	KDirService   = "dir_service"
	KDirTerm      = "dir_term"
	KPostcode     = "postcode"
)

// Kinds lists every kind in copy order.
var Kinds = []string{KContact, KConversation, KMessage, KReferral, KOutbound, KTimer, KSeen, KEvent,
	KHandoff, KEnrolment, KSetting, KUser, KSession, KAudit, KSurvey, KSchedule, KDirService, KDirTerm, KPostcode}

// Seen is a KSeen record: a provider message id, the contact who sent
// it, and when it was first seen.
type Seen struct {
	ContactID string    `json:"contact_id"`
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
}

// Setting is a KSetting record.
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Postcode is a KPostcode record: Key is "p:" and a postcode or "o:" and
// an outward code.
type Postcode struct {
	Key string       `json:"key"`
	At  bot.GeoPoint `json:"at"`
}

// Source is a store whose records can be copied out.
type Source interface {
	// Export calls fn for every record, kind by kind in Kinds order, from
	// one snapshot, until fn returns an error.
	Export(ctx context.Context, fn func(kind string, data []byte) error) error
}

// ImportTx is a transaction that takes records with their ids.
type ImportTx interface {
	bot.Tx
	ImportMessage(m *bot.Message) error
	ImportOutbound(o *bot.Outbound) error
	ImportEvent(e *bot.Event) error
	ImportAudit(a *bot.AuditEntry) error
}

// Dest is a store records can be copied into.
type Dest interface {
	bot.Store
	Source
	// Import runs fn in a write transaction.
	Import(ctx context.Context, fn func(ImportTx) error) error
	// FinishImport moves every id sequence past the ids imported.
	FinishImport(ctx context.Context) error
}

// Counts is how many records of each kind.
type Counts map[string]int

// Report is what Copy did.
type Report struct {
	Counts Counts
}

// batch is how many records one import transaction takes.
const batch = 500

// Copy copies every record of src into dst, which must be empty, then
// reads dst back and checks that it holds the same records: the same
// number of each kind and the same content (a digest of every record,
// decoded and encoded again so that both stores' encodings compare).
func Copy(ctx context.Context, src Source, dst Dest) (Report, error) {
	if n, err := count(ctx, dst); err != nil {
		return Report{}, fmt.Errorf("read destination: %w", err)
	} else if total(n) > 0 {
		return Report{}, fmt.Errorf("the destination is not empty (%s): copy only into a new database", n)
	}
	srcSum := newSummary()
	var pending []record
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := dst.Import(ctx, func(tx ImportTx) error {
			for _, r := range pending {
				if err := put(tx, r.kind, r.data); err != nil {
					return fmt.Errorf("%s: %w", r.kind, err)
				}
			}
			return nil
		})
		pending = pending[:0]
		return err
	}
	err := src.Export(ctx, func(kind string, data []byte) error {
		if err := srcSum.add(kind, data); err != nil {
			return err
		}
		pending = append(pending, record{kind, slices.Clone(data)})
		if len(pending) >= batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return Report{}, fmt.Errorf("copy: %w", err)
	}
	if err := dst.FinishImport(ctx); err != nil {
		return Report{}, fmt.Errorf("copy: %w", err)
	}
	dstSum := newSummary()
	if err := dst.Export(ctx, dstSum.add); err != nil {
		return Report{}, fmt.Errorf("verify: %w", err)
	}
	for _, k := range Kinds {
		if srcSum.counts[k] != dstSum.counts[k] {
			return Report{}, fmt.Errorf("verify: %d %s records copied, %d in the destination", srcSum.counts[k], k, dstSum.counts[k])
		}
		if srcSum.digest(k) != dstSum.digest(k) {
			return Report{}, fmt.Errorf("verify: the %s records in the destination differ from the source", k)
		}
	}
	return Report{Counts: srcSum.counts}, nil
}

type record struct {
	kind string
	data []byte
}

func (c Counts) String() string {
	s := ""
	for _, k := range Kinds {
		if c[k] > 0 {
			if s != "" {
				s += " "
			}
			s += fmt.Sprintf("%s=%d", k, c[k])
		}
	}
	if s == "" {
		return "empty"
	}
	return s
}

func total(c Counts) int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

func count(ctx context.Context, s Source) (Counts, error) {
	sum := newSummary()
	err := s.Export(ctx, sum.add)
	return sum.counts, err
}

// summary counts records and keeps a hash of each, by kind.
type summary struct {
	counts Counts
	hashes map[string][][32]byte
}

func newSummary() *summary { return &summary{counts: Counts{}, hashes: map[string][][32]byte{}} }

func (s *summary) add(kind string, data []byte) error {
	v, err := decode(kind, data)
	if err != nil {
		return err
	}
	canon, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.counts[kind]++
	s.hashes[kind] = append(s.hashes[kind], sha256.Sum256(canon))
	return nil
}

// digest is a hash of kind's records in no particular order.
func (s *summary) digest(kind string) [32]byte {
	hs := s.hashes[kind]
	slices.SortFunc(hs, func(a, b [32]byte) int { return slices.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, x := range hs {
		h.Write(x[:])
	}
	return [32]byte(h.Sum(nil))
}

// decode reads a record of kind.
func decode(kind string, data []byte) (any, error) {
	var v any
	switch kind {
	case KContact:
		v = new(bot.Contact)
	case KConversation:
		v = new(bot.Conversation)
	case KMessage:
		v = new(bot.Message)
	case KReferral:
		v = new(bot.Referral)
	case KOutbound:
		v = new(bot.Outbound)
	case KTimer:
		v = new(bot.Timer)
	case KSeen:
		v = new(Seen)
	case KEvent:
		v = new(bot.Event)
	case KHandoff:
		v = new(bot.Handoff)
	case KEnrolment:
		v = new(bot.Enrolment)
	case KSetting:
		v = new(Setting)
	case KUser:
		v = new(bot.User)
	case KSession:
		v = new(bot.Session)
	case KAudit:
		v = new(bot.AuditEntry)
	case KSurvey:
		v = new(bot.SurveyResult)
	case KSchedule:
		v = new(bot.Schedule)
	case KDirService:
		v = new(bot.DirService)
	case KDirTerm:
		v = new(bot.DirTerm)
	case KPostcode:
		v = new(Postcode)
	default:
		return nil, fmt.Errorf("unknown record kind %q", kind)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, fmt.Errorf("decode %s: %w", kind, err)
	}
	return v, nil
}

// put writes one record with its id.
func put(tx ImportTx, kind string, data []byte) error {
	v, err := decode(kind, data)
	if err != nil {
		return err
	}
	switch r := v.(type) {
	case *bot.Contact:
		return tx.PutContact(r)
	case *bot.Conversation:
		return tx.PutConversation(r)
	case *bot.Message:
		return tx.ImportMessage(r)
	case *bot.Referral:
		return tx.PutReferral(r)
	case *bot.Outbound:
		return tx.ImportOutbound(r)
	case *bot.Timer:
		return tx.PutTimer(r)
	case *Seen:
		_, err := tx.MarkSeen(r.ContactID, r.ID, r.At)
		return err
	case *bot.Event:
		return tx.ImportEvent(r)
	case *bot.Handoff:
		return tx.PutHandoff(r)
	case *bot.Enrolment:
		return tx.PutEnrolment(r)
	case *Setting:
		return tx.PutSetting(r.Key, r.Value)
	case *bot.User:
		return tx.PutUser(r)
	case *bot.Session:
		return tx.PutSession(r)
	case *bot.AuditEntry:
		return tx.ImportAudit(r)
	case *bot.SurveyResult:
		return tx.PutSurveyResult(r)
	case *bot.Schedule:
		return tx.PutSchedule(r)
	case *bot.DirService:
		return tx.PutDirService(r)
	case *bot.DirTerm:
		return tx.PutDirTerm(r)
	case *Postcode:
		if len(r.Key) > 2 && r.Key[:2] == "o:" {
			return tx.PutOutwardCode(r.Key[2:], r.At)
		}
		if len(r.Key) > 2 && r.Key[:2] == "p:" {
			return tx.PutPostcode(r.Key[2:], r.At)
		}
		return fmt.Errorf("postcode key %q starts with neither \"p:\" nor \"o:\" (a postcode or an outward code)", r.Key)
	}
	return fmt.Errorf("no way to write a %s", kind)
}

package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/linkline/linkline/bot"
	"github.com/linkline/linkline/store/internal/terms"
	bbolt "go.etcd.io/bbolt"
)

// Search and need indexes. Open builds either one from the records when
// its bucket is missing (a file written before it existed), in the same
// transaction that creates the bucket; from then on PutContact and
// PutReferral keep them in step.
var (
	// term, 0, len(contact id), contact id, len(source id), source id → nil.
	// A term is "w" and a lower-cased name word, or "d" and a suffix of an
	// address's digits; the source is the contact or referral it came from.
	bSearch  = []byte("search")
	bRefNeed = []byte("ref_need") // need, 0, created, len(id), id → nil
)

// ensureIndexes builds the search and need indexes if their buckets are
// missing. Open calls it.
func ensureIndexes(tx *bbolt.Tx) error {
	if tx.Bucket(bQueue) == nil {
		// A file from before the outbox was queued per sending identity:
		// index its pending rows.
		if _, err := tx.CreateBucket(bQueue); err != nil {
			return fmt.Errorf("create bucket %s: %w", bQueue, err)
		}
		t := &Tx{tx: tx}
		var perr error
		if err := t.Pending(maxTime, func(o *bot.Outbound) bool {
			perr = t.b(bQueue).Put(queueKey(o), nil)
			return perr == nil
		}); err != nil || perr != nil {
			return fmt.Errorf("build outbox queue index: %w", errors.Join(err, perr))
		}
	}
	if tx.Bucket(bSearch) == nil {
		if _, err := tx.CreateBucket(bSearch); err != nil {
			return fmt.Errorf("create bucket %s: %w", bSearch, err)
		}
		t := &Tx{tx: tx}
		err := t.Contacts(func(c *bot.Contact) bool {
			return putTerms(t, terms.Contact(c), c.ID, c.ID) == nil
		})
		if err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
		if err := t.scan(bReferrals, nil, false, func(_, v []byte) (bool, error) {
			var r bot.Referral
			if err := decodeRecord(v, &r); err != nil {
				return false, fmt.Errorf("store: decode referral: %w", err)
			}
			return true, putTerms(t, terms.Name(r.Name), r.ContactID, r.ID)
		}); err != nil {
			return fmt.Errorf("build search index: %w", err)
		}
	}
	if tx.Bucket(bRefNeed) == nil {
		if _, err := tx.CreateBucket(bRefNeed); err != nil {
			return fmt.Errorf("create bucket %s: %w", bRefNeed, err)
		}
		t := &Tx{tx: tx}
		if err := t.scan(bReferrals, nil, false, func(_, v []byte) (bool, error) {
			var r bot.Referral
			if err := decodeRecord(v, &r); err != nil {
				return false, fmt.Errorf("store: decode referral: %w", err)
			}
			for _, k := range refNeedKeys(&r) {
				if err := t.b(bRefNeed).Put(k, nil); err != nil {
					return false, err
				}
			}
			return true, nil
		}); err != nil {
			return fmt.Errorf("build need index: %w", err)
		}
	}
	if err := ensureLimits(tx); err != nil {
		return err
	}
	return ensureEventKindIndex(tx)
}

// refNeedKeys are r's keys in the need index. Needs holding a zero byte
// are left out (PutReferral refuses them).
func refNeedKeys(r *bot.Referral) [][]byte {
	var out [][]byte
	for _, n := range r.Needs {
		if n != "" && strings.IndexByte(n, 0) < 0 {
			out = append(out, join([]byte(n), []byte{0}, timeKey(r.CreatedAt), sortable(r.ID)))
		}
	}
	return out
}

// ReferralsByNeed calls fn for the referrals with need among their Needs,
// newest first, until fn returns false. It reads only those referrals.
func (t *Tx) ReferralsByNeed(need string, fn func(*bot.Referral) bool) error {
	if need == "" || strings.IndexByte(need, 0) >= 0 {
		return nil
	}
	prefix := append([]byte(need), 0)
	end := append([]byte(need), 1)
	return t.scan(bRefNeed, end, true, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		return t.callReferral(string(k[len(prefix)+9:]), fn)
	})
}

func searchKey(term, contactID, sourceID string) []byte {
	return join([]byte(term), []byte{0}, sortable(contactID), sortable(sourceID))
}

func putTerms(t *Tx, terms []string, contactID, sourceID string) error {
	for _, term := range terms {
		if err := t.b(bSearch).Put(searchKey(term, contactID, sourceID), nil); err != nil {
			return err
		}
	}
	return nil
}

// termsDiff returns the terms in old but not in new, and those in new but
// not in old.
func termsDiff(old, new []string) (gone, added []string) {
	in := func(list []string, s string) bool { return slices.Contains(list, s) }
	for _, s := range old {
		if !in(new, s) {
			gone = append(gone, s)
		}
	}
	for _, s := range new {
		if !in(old, s) {
			added = append(added, s)
		}
	}
	return gone, added
}

func deleteTerms(t *Tx, terms []string, contactID, sourceID string) error {
	for _, term := range terms {
		if err := t.b(bSearch).Delete(searchKey(term, contactID, sourceID)); err != nil {
			return err
		}
	}
	return nil
}

// SearchContacts calls fn for up to limit contacts (limit <= 0: all) that
// match query, each once, until fn returns false. A query of digits (with
// spaces, +, -, brackets) matches contacts whose number holds that run of
// at least three digits (a leading 0 is read as the UK's +44); any other
// query matches contacts whose name, or the name on one of their
// referrals, has a word starting with each of the query's words. It reads
// only the index entries that start with the query's terms.
func (t *Tx) SearchContacts(query string, limit int, fn func(*bot.Contact) bool) error {
	var firsts []string // the terms whose index entries are read
	var others []string // name words every match must also have
	if d, ok := terms.DigitQuery(query); ok {
		if len(d) < terms.MinDigits {
			return nil
		}
		firsts = append(firsts, "d"+d)
		if strings.HasPrefix(d, "0") {
			firsts = append(firsts, "d44"+d[1:])
		}
	} else {
		words := terms.NameWords(query)
		if len(words) == 0 {
			return nil
		}
		driver := 0 // the word with fewest entries (counted up to a bound)
		if len(words) > 1 {
			fewest := -1
			for i, w := range words {
				if n := t.countTerm("w"+w, 1000); fewest < 0 || n < fewest {
					driver, fewest = i, n
				}
			}
		}
		firsts = append(firsts, "w"+words[driver])
		others = append(words[:driver:driver], words[driver+1:]...)
	}
	seen := map[string]bool{}
	more := true
	for _, first := range firsts {
		if !more {
			break
		}
		if err := t.searchTerm(first, others, limit, seen, func(c *bot.Contact) bool {
			more = fn(c)
			return more
		}); err != nil {
			return err
		}
	}
	return nil
}

// searchTerm calls fn for contacts not yet seen with an index entry that
// starts with first and, if others, the other words too, until limit
// contacts have been seen or fn returns false.
func (t *Tx) searchTerm(first string, others []string, limit int, seen map[string]bool, fn func(*bot.Contact) bool) error {
	if limit > 0 && len(seen) >= limit {
		return nil
	}
	return t.scan(bSearch, []byte(first), false, func(k, _ []byte) (bool, error) {
		if !bytes.HasPrefix(k, []byte(first)) {
			return false, nil
		}
		rest := k[bytes.IndexByte(k, 0)+1:]
		contactID := string(rest[1 : 1+rest[0]])
		rest = rest[1+rest[0]:]
		sourceID := string(rest[1 : 1+rest[0]])
		if seen[contactID] {
			return true, nil
		}
		if len(others) > 0 {
			ok, err := t.sourceHasWords(contactID, sourceID, others)
			if err != nil || !ok {
				return err == nil, err
			}
		}
		c, err := t.Contact(contactID)
		if err != nil {
			return false, fmt.Errorf("store: search index out of step: %w", err)
		}
		seen[contactID] = true
		return fn(c) && (limit <= 0 || len(seen) < limit), nil
	})
}

// countTerm counts the index entries starting with term, up to bound.
func (t *Tx) countTerm(term string, bound int) int {
	c := t.b(bSearch).Cursor()
	n := 0
	for k, _ := c.Seek([]byte(term)); k != nil && n < bound && bytes.HasPrefix(k, []byte(term)); k, _ = c.Next() {
		n++
	}
	return n
}

// sourceHasWords reports whether the name on the source record (the
// contact itself, or one of its referrals) has a word starting with each
// of words.
func (t *Tx) sourceHasWords(contactID, sourceID string, words []string) (bool, error) {
	var name string
	if sourceID == contactID {
		c, err := t.Contact(contactID)
		if err != nil {
			return false, fmt.Errorf("store: search index out of step: %w", err)
		}
		name = c.Name
	} else {
		r, err := t.Referral(sourceID)
		if err != nil {
			return false, fmt.Errorf("store: search index out of step: %w", err)
		}
		name = r.Name
	}
	have := terms.NameWords(name)
	for _, w := range words {
		found := false
		for _, h := range have {
			if strings.HasPrefix(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false, nil
		}
	}
	return true, nil
}

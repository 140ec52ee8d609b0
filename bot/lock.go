package bot

// Per-person locks.
//
// Every transaction that changes a person takes that person's lock
// (Tx.LockKey) before it writes anything: an inbound turn, a timer firing, a
// link worker's action on a handoff, a delivery report, retention and
// erasure. On a store with several writers two of them about one person then
// never interleave; on bbolt, with its one writer, taking a lock costs
// nothing.
//
// A person is known by their contact id, but the first message from a new
// address has no contact to lock yet. An inbound turn therefore locks its
// address first (two first messages from one new number make one contact,
// not two), finds or creates the contact, then locks the contact and reads
// it again, because a transaction holding only the person's lock may have
// changed it meanwhile. A delivery report likewise locks its provider id
// before it finds the outbox row and its person. Keys are always taken in
// that order — an address or provider id, then a person — so no two
// transactions wait for each other.

// lockKey names the lock on one thing of a kind: the only place lock keys
// are spelled, so every path agrees on them.
func lockKey(kind, id string) string { return kind + ":" + id }

// LockPerson takes the lock of the person with contact id contactID, as
// the first thing a transaction that changes them does. The console takes
// it too, for a link worker's note or referral status.
func LockPerson(tx Tx, contactID string) error { return tx.LockKey(lockKey("person", contactID)) }

// LockAddress takes the lock of address a, for a turn that may be the
// first from it.
func LockAddress(tx Tx, a Address) error { return tx.LockKey(lockKey("address", a.String())) }

// LockProviderID takes the lock of an outbound message's provider id, which
// a delivery report and the dispatcher recording the id both take.
func LockProviderID(tx Tx, providerID string) error {
	return tx.LockKey(lockKey("provider", providerID))
}

// LockOutbound takes the lock of the person outbox row o is for and reads
// the row again under it, for a path that found the row by another key.
func LockOutbound(tx Tx, o *Outbound) (*Outbound, error) {
	if err := LockPerson(tx, o.ContactID); err != nil {
		return nil, err
	}
	return tx.Outbound(o.ID)
}

// LockContactAt finds the id of the contact at address a, takes their lock
// and only then reads them: a transaction that held only the person's lock
// may have changed or erased them, or the address may have moved,
// meanwhile. No contact at a is ErrNotFound. The caller holds a's lock
// (lockAddress).
func LockContactAt(tx Tx, a Address) (*Contact, error) {
	id, err := tx.ContactIDAt(a)
	for err == nil {
		if err := LockPerson(tx, id); err != nil {
			return nil, err
		}
		var c *Contact
		if c, err = tx.ContactByAddress(a); err == nil && c.ID == id {
			return c, nil
		} else if err == nil {
			id = c.ID // the address moved before the lock: lock its owner
		}
	}
	return nil, err
}

package postgres

// Deletions for subject access, erasure and retention (bot/privacy.go).
// A deleted row's bytes stay in the table's pages until VACUUM reuses
// them, and in the write-ahead log and any backup until those age out:
// docs/postgres.md says what erasure means here.

// DeleteContact removes the contact, its addresses and its own search
// terms; removing an absent contact is harmless.
func (t *Tx) DeleteContact(id string) error {
	if err := t.check(); err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM contact_addresses WHERE contact_id = $1", id); err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM search_terms WHERE contact_id = $1 AND source_id = $1", id); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM contacts WHERE id = $1", id)
	return err
}

// DeleteConversation removes the contact's conversation.
func (t *Tx) DeleteConversation(contactID string) error {
	if err := t.check(); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM conversations WHERE contact_id = $1", contactID)
	return err
}

// DeleteMessage removes message id from the contact's transcript.
func (t *Tx) DeleteMessage(contactID string, id uint64) error {
	if err := t.check(); err != nil {
		return err
	}
	if id > 1<<63-1 {
		return nil
	}
	_, err := t.exec("DELETE FROM messages WHERE contact_id = $1 AND id = $2", contactID, int64(id))
	return err
}

// Package bolt keeps Linkline's records in one bbolt file. It implements
// bot.Store and passes store/storetest.
//
// Writes are group-committed: concurrent Update calls share one transaction
// and one fsync. A lone Update commits at once; those that arrive while a
// commit is on its way to disk share the next one (see committer).
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/linkline/linkline/bot"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// schemaVersion is the layout of buckets and keys this code reads and writes.
// Bump it when a change needs a migration, or when older binaries could not
// read what this one writes (a new record version byte in codec.go is such
// a change: TestCodecVersionsSchema); Open refuses files from the future.
//
// 2: contacts, conversations, transcript messages, outbox rows and timers
// may be stored in the binary form of codec.go, version bytes contactV1 to
// timerV1 (version 1 files, all JSON, are read as they are and need no
// migration; a Linkline that knows only version 1 refuses the file rather
// than failing on the first record it cannot decode).
//
// 3: a contact's conversation is kept beside it in the contacts bucket
// (convKey) rather than in a bucket of its own; Open moves them
// (migrateConversations). A Linkline that knows only version 2 would find
// no conversations, so it refuses the file.
//
// 4: the provider ids of messages already handled are kept beside the
// contact who sent them in the contacts bucket (seenKey), with an index by
// the hour (bSeenHour), rather than in a bucket of their own keyed by the id
// alone; Open moves them (migrateSeen). A Linkline that knows only version
// 3 would handle every retry again, so it refuses the file.
const schemaVersion = 4

// Options tune Open. The zero value is the production setting.
type Options struct {
	// Timeout is how long Open waits for another process holding the file
	// to let go before it fails. Default 1s.
	Timeout time.Duration
	// MaxBatchSize is how many Update calls one commit takes at most.
	// Default 1000.
	MaxBatchSize int
}

// DB is a Linkline store in one bbolt file. It is safe for concurrent use.
type DB struct {
	bolt   *bbolt.DB
	commit *committer
}

var _ bot.Store = (*DB)(nil)

// Open opens (creating if needed) the store at path. It fails within about
// Options.Timeout if another process, or another DB in this one, has the
// file open, and refuses a file written by a newer Linkline.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.MaxBatchSize <= 0 {
		opts.MaxBatchSize = 1000
	}
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:      opts.Timeout,
		FreelistType: bbolt.FreelistMapType,
		// Room to grow before a writer must remap, which waits for readers
		// (a running Backup, say). Address space only; the file grows as used.
		InitialMmapSize: 256 << 20,
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: database is locked by another process (is linkline already running?): %w", path, err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("open %s: not a Linkline database, or damaged: %w", path, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := b.Update(initSchema); err != nil {
		b.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{bolt: b, commit: newCommitter(b, opts.MaxBatchSize)}, nil
}

// initSchema checks the file's schema version and creates missing buckets
// and indexes.
//
// It runs in one transaction: a migration either completes with the new
// version recorded or leaves the file as it was (a crash part way, or an
// error, rolls it all back), and running it again on a migrated file does
// nothing.
func initSchema(tx *bbolt.Tx) error {
	if meta := tx.Bucket(bMeta); meta != nil {
		if v := meta.Get(kSchema); len(v) == 8 {
			if n := binary.BigEndian.Uint64(v); n > schemaVersion {
				return fmt.Errorf("written by a newer Linkline (schema %d; this binary knows up to %d)", n, schemaVersion)
			}
		}
	}
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	if err := migrateConversations(tx); err != nil {
		return fmt.Errorf("schema 3: %w", err)
	}
	if err := migrateSeen(tx); err != nil {
		return fmt.Errorf("schema 4: %w", err)
	}
	if err := ensureIndexes(tx); err != nil {
		return err
	}
	return tx.Bucket(bMeta).Put(kSchema, u64(schemaVersion))
}

// migrateConversations moves the conversations of a schema 2 (or older)
// file from their own bucket to the contacts bucket, each beside its
// contact (convKey), byte for byte, and removes the old bucket. A file
// without the old bucket (new, or migrated already) is left alone.
func migrateConversations(tx *bbolt.Tx) error {
	old := tx.Bucket(bConvs)
	if old == nil {
		return nil
	}
	contacts := tx.Bucket(bContacts)
	err := old.ForEach(func(k, v []byte) error {
		if checkID(string(k), "conversation contact") != nil {
			return fmt.Errorf("conversation under key %q: not a contact id", k)
		}
		return contacts.Put(convKey(string(k)), bytes.Clone(v))
	})
	if err != nil {
		return fmt.Errorf("move conversations: %w", err)
	}
	return tx.DeleteBucket(bConvs)
}

// migrateSeen moves the provider ids of a schema 3 (or older) file, kept
// by id alone, to the contact who sent each message (seenKey, with its
// hour index entry), and removes the old buckets. The sender is read from the
// transcripts: an inbound message records its provider id. An id no
// transcript holds any more (its person erased, or their old messages
// removed by retention) has no contact to go to and is dropped. A file
// without the old bucket (new, or migrated already) is left alone.
func migrateSeen(tx *bbolt.Tx) error {
	old := tx.Bucket(bSeen)
	if old == nil {
		return nil
	}
	contacts := tx.Bucket(bContacts)
	t := &Tx{tx: tx}
	err := tx.Bucket(bMessages).ForEach(func(k, v []byte) error {
		i := bytes.IndexByte(k, 0)
		if i <= 0 || len(k) != i+9 {
			return fmt.Errorf("message under key %q: not a contact id and a message id", k)
		}
		var m bot.Message
		if err := decodeMessage(v, &m); err != nil {
			return fmt.Errorf("message %x: %w", k, err)
		}
		if m.Direction != bot.In || m.ProviderID == "" {
			return nil
		}
		id := string(m.Address.Channel) + ":" + m.ProviderID
		tk := old.Get([]byte(id))
		if tk == nil {
			return nil // forgotten already (Scheduler.SeenRetention)
		}
		contactID := string(k[:i])
		if err := contacts.Put(seenKey(contactID, id), bytes.Clone(tk)); err != nil {
			return err
		}
		return t.indexSeen(seenHourKey(tk, contactID))
	})
	if err != nil {
		return fmt.Errorf("move provider ids: %w", err)
	}
	if err := tx.DeleteBucket(bSeen); err != nil {
		return err
	}
	if tx.Bucket(bSeenTime) != nil {
		return tx.DeleteBucket(bSeenTime)
	}
	return nil
}

// Update runs fn in a read-write transaction and returns once its writes
// are on disk. Concurrent calls share one commit, so fn may run more than
// once (after another call in its batch fails) and must have no effects
// outside the transaction. IDs that fn's records were assigned in a run
// that did not commit are cleared again, so a rerun assigns fresh ones and
// a failed Update leaves them empty.
func (db *DB) Update(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var undo []func()
	err := db.commit.update(func(btx *bbolt.Tx) error {
		revert(undo) // a previous run of fn did not commit
		undo = undo[:0]
		return fn(&Tx{tx: btx, undo: &undo})
	})
	if err != nil {
		revert(undo)
	}
	return err
}

func revert(undo []func()) {
	for i := len(undo) - 1; i >= 0; i-- {
		undo[i]()
	}
}

// View runs fn in a read-only transaction: a consistent snapshot that
// writers do not block.
func (db *DB) View(ctx context.Context, fn func(bot.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.View(func(btx *bbolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Close waits for running transactions and closes the file. Closing twice
// is harmless.
func (db *DB) Close() error {
	db.commit.close()
	return db.bolt.Close()
}

// Check runs bbolt's consistency check over the whole file and returns
// every problem it finds joined in one error, or nil if the file is sound.
func (db *DB) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return checkBolt(db.bolt)
}

// Backup writes a consistent copy of the whole file to w while the store
// keeps running, and returns how many bytes it wrote. The copy is itself a
// store Open accepts. Cancelling ctx stops the copy with ctx's error.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// ctxWriter stops writing once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

package bolt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Compact rewrites the store file at path so that it holds only live
// records, then puts the new file in its place, and returns the sizes
// before and after. bbolt leaves deleted records in free pages until the
// space is used again; after an erasure, compacting is what removes the
// erased bytes from the file itself.
//
// The store must not be open anywhere, and nothing may start a server on
// it meanwhile: Compact takes the file's lock for the copy and fails within
// a second if a server holds it. The copy is checked before it replaces
// the original, which is never left half written: a failure leaves path as
// it was. A symbolic link is followed, so the file it names is replaced,
// and the new file keeps the original's permissions.
func Compact(ctx context.Context, path string) (before, after int64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // replace the file, not the link to it
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return 0, 0, fmt.Errorf("compact %s: database is locked by another process (stop linkline serve first): %w", path, err)
	case err != nil:
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	defer src.Close()

	tmp, err := os.CreateTemp(filepath.Dir(path), ".linkline-compact-*")
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName) // after the rename there is nothing left to remove
	dst, err := bbolt.Open(tmpName, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	err = bbolt.Compact(dst, src, 64<<20)
	if err == nil {
		if err = checkBolt(dst); err != nil {
			err = fmt.Errorf("compacted copy: %w", err)
		}
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	if err := os.Chmod(tmpName, st.Mode().Perm()); err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable
		d.Close()
	}
	nst, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	return st.Size(), nst.Size(), nil
}

// checkBolt runs bbolt's consistency check over a whole file and reports
// up to 100 problems.
func checkBolt(b *bbolt.DB) error {
	var errs []error
	err := b.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			if len(errs) < 100 {
				errs = append(errs, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return fmt.Errorf("store check: %w", errors.Join(errs...))
	}
	return nil
}
